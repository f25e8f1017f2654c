"""Security classifications and markings, in one place (no Django).

Government Security Classifications, lowest first. The service handles OFFICIAL and its
OFFICIAL-SENSITIVE handling caveat and nothing higher (§10): higher material needs separate
arrangements. Anything marked above plain OFFICIAL is need-to-know (sharing.permissions).
"""

from __future__ import annotations

CLASSIFICATION_ORDER = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")
SERVICE_CEILING = "OFFICIAL-SENSITIVE"
BASE_MARKING = "OFFICIAL"
HANDLED = tuple(level for level in CLASSIFICATION_ORDER
                if CLASSIFICATION_ORDER.index(level) <= CLASSIFICATION_ORDER.index(SERVICE_CEILING))


def rank(level: str) -> int:
    """0 for OFFICIAL, rising; ValueError for a level that is not a classification."""
    return CLASSIFICATION_ORDER.index(level)


def normalise(classification: str) -> str:
    """'official-sensitive', 'Official Sensitive' and 'OFFICIAL_SENSITIVE' all mean OFFICIAL-SENSITIVE."""
    return "-".join(classification.replace("_", " ").replace("-", " ").upper().split())


def is_above_ceiling(value: str) -> bool:
    """SECRET, TOP SECRET, however written (for §10's refusal message)."""
    wanted = normalise(value).replace("-", " ")
    return any(wanted == level.replace("-", " ") for level in CLASSIFICATION_ORDER
               if rank(level) > rank(SERVICE_CEILING))


def is_need_to_know(level: str) -> bool:
    return level != BASE_MARKING


def highest_marking(*markings: str) -> str:
    """A page, email or bundle carries the highest marking of what it contains (OFFICIAL if none)."""
    known = [m for m in markings if m in HANDLED]
    return max(known, key=rank) if known else BASE_MARKING
