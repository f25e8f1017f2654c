"""Reads on the record where need-to-know applies (issue 8): who looked at an OFFICIAL-SENSITIVE request, and
every look-up or download refused, with the person, their address (audit middleware) and what was asked for,
so an auditor can list who looked at what, and an insider enumerating references leaves a trace."""

from __future__ import annotations

from audit.services import record_standalone
from protocols.markings import is_need_to_know
from sharing.models import Request

ASKED_MAX = 60  # what was asked for is kept, but never more than a reference's worth


def viewed(request: Request, *, by, how: str = "page") -> None:
    """An OFFICIAL-SENSITIVE request was shown to this person (its page, or its API detail)."""
    if is_need_to_know(request.classification):
        record_standalone("sharing.viewed", by=by, obj=request, organisation_id=by.organisation_id,
                          details={"reference": request.reference, "classification": request.classification,
                                   "how": how})


def refused_lookup(what: str, asked_for, *, by) -> None:
    """A look-up that found nothing this person may see (the answer was 404 either way)."""
    record_standalone(f"sharing.{what}_refused", by=by, details={"asked_for": printable(str(asked_for)[:ASKED_MAX])})


def printable(text: str) -> str:
    """What was asked for, with control characters written out: PostgreSQL's JSON refuses a NUL."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
