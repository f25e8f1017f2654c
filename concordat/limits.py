"""Bounds on what people type and send: every id, version and text has a limit, named in the message that
refuses it, so no input reaches the database beyond what it can hold (and nothing answers 500)."""

from __future__ import annotations

from concordat.errors import Problem, RuleViolation

ID_MAX = 2**63 - 1  # a BigAutoField
COUNTER_MAX = 2**31 - 1  # a PositiveIntegerField (versions)
ID_PATTERN = "[0-9]{1,18}"  # ids in URLs: longer is no id of ours (404)
ELEMENT_MAX = 20_000  # each of the seven elements (§6/§8 a–g), the legal basis and publication detail
NOTE_MAX = 10_000  # notes, questions, answers, reasons, descriptions
NAMED_PEOPLE_MAX = 200


def text_problem(value: str | None, field: str, limit: int = NOTE_MAX) -> Problem | None:
    if value is not None and len(value) > limit:
        return Problem(f"Keep this to {limit:,} characters (it has {len(value):,}).", field=field)
    return None


def check_texts(limit: int = NOTE_MAX, **texts: str | None) -> None:
    """Refuse, naming each field, any text over the limit: call first in a service."""
    problems = [p for field, value in texts.items() if (p := text_problem(value, field, limit))]
    if problems:
        raise RuleViolation(*problems)


def is_id(value) -> bool:
    """A whole number that can be one of our ids (1 to 2**63 - 1); strings of digits count."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > 19:
            return False
        value = int(value)
    return isinstance(value, int) and 1 <= value <= ID_MAX
