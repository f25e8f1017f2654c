"""Participant references: a keyed hash (HMAC-SHA256) the supplier alone can recompute (issue 11, item 4).

Each victim care supplier has its own key, held outside the database like the audit MAC key (audit/keys.py):
RESEARCH_PARTICIPANT_KEY_DIR/<organisation slug>.key (64 hex digits), or, for one supplier in tests,
RESEARCH_PARTICIPANT_KEYS = {"slug": "hex"}. The reference is HMAC(key, project id NUL the supplier's own case
identifier): the same survivor gets unrelated references on two projects, and someone who reads the database, or a
researcher, cannot go from a reference back to a person, nor test a guess, without the supplier's key. The case
identifier itself is never stored.

Only `participant_key()` and `create_demo_key()` read settings."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from concordat.errors import Problem, RuleViolation

KEY_BYTES = 32
# A supplier's own case identifier: letters, digits and - _ / . (no spaces), with at least one digit, e.g.
# "TSA-2021-00457". Anything else (a name, "Jane Smith", "jane") is refused before it is hashed.
CASE_ID = re.compile(r"^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9\-_/.]{2,39}$")
FIELD = "case_identifier"


class MissingParticipantKey(RuntimeError):
    """No key for this supplier: nothing is recorded without one (fail closed)."""


@dataclass(frozen=True)
class ParticipantKey:
    supplier_slug: str
    _secret: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"concordat-participant-key-id\0" + self._secret).hexdigest()[:16]

    def reference(self, project_id: int, case_identifier: str) -> str:
        message = f"{project_id}\0{case_identifier.strip().upper()}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()


def _key_dir() -> str:
    return getattr(settings, "RESEARCH_PARTICIPANT_KEY_DIR", "") or os.environ.get("RESEARCH_PARTICIPANT_KEY_DIR", "") \
        or (str(Path(settings.BASE_DIR) / "var" / "keys" / "participants") if settings.DEMO_MODE else "")


def participant_key(supplier) -> ParticipantKey:
    inline = getattr(settings, "RESEARCH_PARTICIPANT_KEYS", {}) or {}
    if supplier.slug in inline:
        return ParticipantKey(supplier.slug, bytes.fromhex(inline[supplier.slug]))
    directory = _key_dir()
    path = Path(directory) / f"{supplier.slug}.key" if directory else None
    try:
        secret = bytes.fromhex(path.read_text().strip()) if path else b""
    except (FileNotFoundError, ValueError):
        secret = b""
    if len(secret) < 16:
        raise MissingParticipantKey(f"{supplier} has no participant key (RESEARCH_PARTICIPANT_KEY_DIR/"
                                    f"{supplier.slug}.key): nothing about participants is recorded without it.")
    return ParticipantKey(supplier.slug, secret)


def create_demo_key(supplier) -> bool:
    """Demo mode only: make the supplier's key file if it is missing."""
    if not settings.DEMO_MODE:
        return False
    path = Path(_key_dir()) / f"{supplier.slug}.key"
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(KEY_BYTES) + "\n")
    path.chmod(0o600)
    return True


def case_identifier_problem(value: str) -> Problem | None:
    """Refuse anything that looks like a name, or is not a case identifier at all (§17: personal data minimised)."""
    text = (value or "").strip()
    if not text:
        return Problem("Give the survivor's case identifier in your own records (e.g. TSA-2021-00457), never "
                       "their name.", field=FIELD)
    if len(text) > 40 or not CASE_ID.match(text):
        return Problem("This looks like a name, not a case identifier: give your own case identifier (letters and "
                       "digits, e.g. TSA-2021-00457, with no spaces). A survivor's name is never recorded here.",
                       field=FIELD)
    return None


def check_case_identifier(value: str) -> str:
    problem = case_identifier_problem(value)
    if problem:
        raise RuleViolation(problem)
    return value.strip()
