"""The Commissioner names the people who may decide on her behalf (§14: "The IASC's decision on whether to share
information with the HO is final"; the office records who takes it).

Naming grants the person the COMMISSIONER_DELEGATE role, which sharing.permissions reads like the Commissioner's own
for deciding requests to her office, and keeps a Delegation record of who named whom, when and why; revoking removes
both. Each is one transaction with one audit event. Nobody else grants that role (accounts.services.grant_role
refuses it), so the role never outlives its record.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.delegation_models import REASON_MAX_LENGTH, Delegation
from accounts.models import Organisation, RoleGrant, User
from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind, Role
from audit.services import record_event
from concordat.errors import NotAllowed, Problem, RuleViolation

CLAUSE = "§14"


def office_of(user) -> Organisation | None:
    """The commissioner's office the person belongs to (a unit of it counts as the office), or None."""
    if not is_active_member(user):
        return None
    department = user.organisation.department
    return department if department.kind == OrganisationKind.COMMISSIONER_OFFICE else None


def may_name(user) -> bool:
    return office_of(user) is not None and user.has_role(Role.COMMISSIONER)


def check_may_name(user) -> Organisation:
    office = office_of(user)
    if office is None or not user.has_role(Role.COMMISSIONER):
        raise NotAllowed(f"Only the Commissioner can name who decides on her behalf ({CLAUSE}).")
    return office


def delegations_of(office: Organisation):
    return Delegation.objects.filter(office=office).select_related("delegate", "named_by", "revoked_by")


def candidates(office: Organisation):
    """People of the office who could be named: active members, not the Commissioner, not already named."""
    live = Delegation.objects.filter(office=office, revoked_at__isnull=True).values("delegate")
    return (User.objects.filter(is_active=True, organisation__in=Organisation.objects.filter(pk=office.pk)
                                | Organisation.objects.filter(parent=office))
            .exclude(role_grants__role=Role.COMMISSIONER).exclude(pk__in=live).order_by("full_name", "username"))


def name_delegate(*, by: User, delegate: User | int, reason: str) -> Delegation:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(Problem("Say why you are naming this person, and for how long.", field="reason",
                                    clause=CLAUSE))
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleViolation(Problem(f"The reason must be {REASON_MAX_LENGTH} characters or fewer.", field="reason"))
    with transaction.atomic():
        office = check_may_name(by)
        person = _locked_member(delegate, office)
        if person.pk == by.pk:
            raise RuleViolation(Problem("You decide as the Commissioner already: name someone else.",
                                        field="delegate", clause=CLAUSE))
        if Delegation.objects.filter(office=office, delegate=person, revoked_at__isnull=True).exists():
            raise RuleViolation(Problem(f"{person} already decides on your behalf.", field="delegate", clause=CLAUSE))
        try:
            with transaction.atomic():
                delegation = Delegation.objects.create(office=office, delegate=person, named_by=by,
                                                       named_at=timezone.now(), reason=reason)
        except IntegrityError:  # named at the same instant by a concurrent transaction that committed first
            raise RuleViolation(Problem(f"{person} already decides on your behalf.", field="delegate",
                                        clause=CLAUSE)) from None
        RoleGrant.objects.get_or_create(user=person, role=Role.COMMISSIONER_DELEGATE)
        record_event("people.delegate_named", by=by, obj=person, organisation_id=office.pk,
                     details={"delegation": delegation.pk, "delegate": person.pk, "clause": CLAUSE})
    return delegation


def revoke_delegate(*, by: User, delegation: Delegation | int) -> Delegation:
    with transaction.atomic():
        office = check_may_name(by)
        pk = getattr(delegation, "pk", delegation)
        stored = Delegation.objects.select_for_update().filter(pk=pk, office=office).first()
        if stored is None:
            raise NotAllowed("There is no such delegation in your office.")
        if stored.revoked_at is not None:
            return stored  # revoked already (a second click, or a colleague at the same moment)
        stored.revoked_by, stored.revoked_at = by, timezone.now()
        stored.save(update_fields=["revoked_by", "revoked_at"])
        RoleGrant.objects.filter(user_id=stored.delegate_id, role=Role.COMMISSIONER_DELEGATE).delete()
        record_event("people.delegate_revoked", by=by, obj=stored.delegate, organisation_id=office.pk,
                     details={"delegation": stored.pk, "delegate": stored.delegate_id, "clause": CLAUSE})
    return stored


def _locked_member(delegate: User | int, office: Organisation) -> User:
    pk = getattr(delegate, "pk", delegate)
    person = (User.objects.select_for_update(of=("self",)).select_related("organisation__parent")
              .filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None)
    if person is None or office_of(person) is None or office_of(person).pk != office.pk:
        raise RuleViolation(Problem("Choose a person of your office.", field="delegate", clause=CLAUSE))
    return person
