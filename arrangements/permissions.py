"""Who may see and act on an arrangement (§16: "the parties will prepare the necessary data sharing
arrangements"). People of a party department see it (its auditors among them); people with a drafting role
of a party draft and change it; an approver or data protection officer of a party signs it off (never a
person who drafted or changed it: separation of duties), reviews, suspends, resumes and ends it."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from accounts.permissions import is_active_member
from accounts.roles import Role

DRAFTING_ROLES = frozenset({Role.CASE_OFFICER, Role.DPO, Role.APPROVER})
SIGNATORY_ROLES = frozenset({Role.APPROVER, Role.DPO})


def department_of(user) -> int | None:
    if not is_active_member(user):
        return None
    return user.organisation.parent_id or user.organisation_id


def party_ids(arrangement) -> set[int]:
    return {party.pk for party in arrangement.parties.all()}


def visible_q(user) -> Q:
    department = department_of(user)
    if department is None:
        return Q(pk__in=[])
    return Q(parties=department)


def is_party_member(user, arrangement) -> bool:
    department = department_of(user)
    return department is not None and department in party_ids(arrangement)


def may_draft(user) -> bool:
    return is_active_member(user) and bool(user.roles & DRAFTING_ROLES)


def may_change(user, arrangement) -> bool:
    return is_party_member(user, arrangement) and bool(user.roles & DRAFTING_ROLES)


def is_signatory(user, arrangement) -> bool:
    return is_party_member(user, arrangement) and bool(user.roles & SIGNATORY_ROLES)


AUTHORING_ACTIONS = ("create", "update")


def authored_q(user) -> Q:
    """The arrangements this person drafted or changed while a draft: theirs to write, never to sign off."""
    from arrangements.models import ArrangementEvent

    return Q(drafted_by=user) | Q(Exists(ArrangementEvent.objects.filter(
        arrangement=OuterRef("pk"), actor=user, action__in=AUTHORING_ACTIONS)))


def wrote(user, arrangement) -> bool:
    return user.pk == arrangement.drafted_by_id or arrangement.events.filter(
        actor=user, action__in=AUTHORING_ACTIONS).exists()


def may_sign_off(user, arrangement) -> bool:
    """§16, separation of duties: an approver or DPO of a party who neither drafted it nor changed the draft."""
    return is_signatory(user, arrangement) and not wrote(user, arrangement)
