"""Subjects of approvals other than requests (ADR 10): each app whose cases are approved registers a policy here
in its ready(), so that approvals can say who sees and who decides an approval without importing that app
(approvals is a case others attach to; it never imports the workflow apps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class SubjectPolicy:
    field: str  # the approval's foreign key to the subject (one of models.SUBJECT_FIELDS)
    reference: Any  # (subject) -> str
    link: Any  # (subject) -> str
    title: Any  # (subject) -> str
    visible: Any  # (user) -> QuerySet of the subjects the person sees
    can_view: Any  # (user, subject) -> bool
    audit_organisation: Any  # (subject) -> int | None


_POLICIES: dict[str, SubjectPolicy] = {}


def register(policy: SubjectPolicy) -> SubjectPolicy:
    _POLICIES[policy.field] = policy
    return policy


def policies() -> list[SubjectPolicy]:
    return list(_POLICIES.values())


def policy_of(approval) -> SubjectPolicy | None:
    return next((p for p in _POLICIES.values() if getattr(approval, f"{p.field}_id", None) is not None), None)


def visible_q(user) -> Q:
    condition = Q(pk__in=[])
    for policy in _POLICIES.values():
        subjects: QuerySet = policy.visible(user)
        condition |= Q(**{f"{policy.field}__in": subjects.values("pk")})
    return condition
