"""The documents Concordat generates for a request, which of them exist in each state, and the clause each one
applies. A document exists once the step it records has happened: the request as submitted (§6 / §8) once it is
sent, the acknowledgement (§12) once acknowledged, the decision notice (§7 / §9, §13–14) once decided."""

from __future__ import annotations

import re

from django.db import models

from sharing import rules
from sharing.models import Request


class Kind(models.TextChoices):
    SUBMITTED_REQUEST = "submitted-request", "The request as submitted"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    DECISION_NOTICE = "decision-notice", "Decision notice"


TEMPLATES = {
    Kind.SUBMITTED_REQUEST: "documents/pdf/submitted_request.html",
    Kind.ACKNOWLEDGEMENT: "documents/pdf/acknowledgement.html",
    Kind.DECISION_NOTICE: "documents/pdf/decision_notice.html",
}


def exists(request: Request, kind: str) -> bool:
    """Whether the step this document records has happened on this request."""
    if kind == Kind.SUBMITTED_REQUEST:
        return request.submitted_at is not None
    if kind == Kind.ACKNOWLEDGEMENT:
        return request.acknowledged_at is not None
    if kind == Kind.DECISION_NOTICE:
        return request.decided_at is not None
    return False


def available(request: Request) -> list[Kind]:
    return [kind for kind in Kind if exists(request, kind)]


def _stem(clauses) -> str:
    """"§7" for §7(a)–(e): the clause the items share, or "" when they do not share one."""
    stems = {re.sub(r"\(.*$", "", clause) for clause in clauses}
    return stems.pop() if len(stems) == 1 else ""


def clause_of(request: Request, kind: str) -> str:
    """The clause the document applies, printed on each of its pages."""
    spec = rules.spec_of(request)
    if kind == Kind.SUBMITTED_REQUEST:
        return _stem(e.clause for e in rules.request_element_fields(request)) or rules.route_clause(request)
    if kind == Kind.ACKNOWLEDGEMENT:
        return spec.timings.clause
    checklist = rules.checklist_of(request)
    return _stem(item.clause for item in checklist) or rules.route_clause(request)
