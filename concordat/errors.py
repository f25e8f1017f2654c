"""Errors a person can cause, shared by services, pages and the API.

Each names the field and, where the protocol has one, the clause, so that pages show
"Required by §6(c)" beside the field and the API returns the same words as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None
    clause: str | None = None

    def as_dict(self) -> dict:
        return {"field": self.field, "clause": self.clause, "message": self.message}


class RuleViolation(Exception):
    """The action breaks a rule; nothing was saved."""

    def __init__(self, *problems: Problem | str, field: str | None = None, clause: str | None = None):
        self.problems = [p if isinstance(p, Problem) else Problem(p, field, clause) for p in problems]
        super().__init__("; ".join(p.message for p in self.problems))


class NotAllowed(RuleViolation, PermissionDenied):
    """The person may not take this action on this object (pages answer 403, the API 403 JSON)."""


class StaleObject(RuleViolation):
    """Somebody else changed the object since the person loaded it."""
