"""Who may see a request and who may act on it. One place, tested as a matrix.

Need-to-know, decided precisely:

A person sees a request only if they are an active member of an organisation and one of these holds:
  1. their organisation, or its parent department, is the requesting organisation, the holder
     organisation, the organisation it was routed to (§11) or the team it is assigned to;
  2. they are an auditor whose department is either party's department.

A request marked above plain OFFICIAL (OFFICIAL-SENSITIVE, §10) is further limited: rule 1 is
replaced by this list, rule 2 stands:
  - the requester, and the person it is assigned to;
  - the people named in its access list (§6(e) / §8(e));
  - the routed recipients: people holding the routed role in the routed organisation (§11), who
    must acknowledge and route it;
  - assessors of the team it is assigned to;
  - approvers and the Commissioner in the holder's department (§10, §14).
Case officers of either side who are not on that list do not see it.

`visible_requests(user)` is the one queryset filter used by the API and the pages; `user_can_view`
is the same rule for one loaded request, and a test holds the two in agreement.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.permissions import is_active_member
from accounts.roles import Role
from concordat.errors import NotAllowed
from sharing import rules
from sharing.models import Request
from sharing.states import Action, RouteKind

BASE_MARKING = "OFFICIAL"  # OFFICIAL-SENSITIVE is a handling caveat on OFFICIAL: anything beyond it is need-to-know
REQUESTER_ROLES = (Role.REQUESTER, Role.CASE_OFFICER)
HOLDER_APPROVER_ROLES = (Role.APPROVER, Role.COMMISSIONER)


# --- visibility -------------------------------------------------------------------------------

def _user_orgs(user) -> tuple[int, int | None, int]:
    """(organisation, parent department or None, department) ids."""
    organisation = user.organisation
    return organisation.pk, organisation.parent_id, organisation.parent_id or organisation.pk


def _party_q(field: str, org_ids: list[int]) -> Q:
    return Q(**{f"{field}__in": org_ids})


def _auditor_q(user) -> Q:
    if not user.has_role(Role.AUDITOR):
        return Q(pk__in=[])
    department = _user_orgs(user)[2]
    q = Q()
    for field in ("requester_org", "holder_org"):
        q |= Q(**{field: department}) | Q(**{f"{field}__parent": department})
    return q


def _organisation_q(user) -> Q:
    organisation, parent, _ = _user_orgs(user)
    ids = [organisation] + ([parent] if parent else [])
    q = Q()
    for field in ("requester_org", "holder_org", "routed_to", "assigned_org"):
        q |= _party_q(field, ids)
    return q


def _need_to_know_q(user) -> Q:
    organisation, _, department = _user_orgs(user)
    named = Request.named_people.through.objects.filter(request_id=OuterRef("pk"), user_id=user.pk)
    q = Q(requester=user) | Q(assigned_to=user) | Q(Exists(named))
    q |= Q(routed_to=organisation, routed_role__in=list(user.roles))
    if user.has_role(Role.ASSESSOR):
        q |= Q(assigned_org=organisation)
    if user.has_role(*HOLDER_APPROVER_ROLES):
        q |= Q(holder_org=department) | Q(holder_org__parent=department)
    return q


def visible_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Request.objects.all() if queryset is None else queryset
    if not is_active_member(user):
        return queryset.none()
    plain = Q(classification=BASE_MARKING) & _organisation_q(user)
    sensitive = ~Q(classification=BASE_MARKING) & _need_to_know_q(user)
    return queryset.filter(plain | sensitive | _auditor_q(user))


def _in_party_department(user_department: int, org) -> bool:
    return org.pk == user_department or org.parent_id == user_department


def user_can_view(user, request: Request) -> bool:
    """visible_requests for one loaded request (no query when named_people is prefetched)."""
    if not is_active_member(user):
        return False
    organisation, parent, department = _user_orgs(user)
    if user.has_role(Role.AUDITOR) and any(
            _in_party_department(department, org) for org in (request.requester_org, request.holder_org)):
        return True
    if request.classification == BASE_MARKING:
        ids = {organisation, parent} - {None}
        return bool(ids & {request.requester_org_id, request.holder_org_id, request.routed_to_id,
                           request.assigned_org_id})
    return (
        user.pk in (request.requester_id, request.assigned_to_id)
        or any(person.pk == user.pk for person in request.named_people.all())
        or (request.routed_to_id == organisation and request.routed_role in user.roles)
        or (user.has_role(Role.ASSESSOR) and request.assigned_org_id == organisation)
        or (user.has_role(*HOLDER_APPROVER_ROLES) and _in_party_department(department, request.holder_org))
    )


def check_can_view(user, request: Request) -> None:
    if not user_can_view(user, request):
        raise NotAllowed("You cannot see this request.")


# --- who may act ------------------------------------------------------------------------------

def is_requester_side(user, request: Request) -> bool:
    """§5, §8: the requesting organisation's requesters and case officers."""
    return user.organisation_id == request.requester_org_id and user.has_role(*REQUESTER_ROLES)


def is_routed_recipient(user, request: Request) -> bool:
    """§11: the routed organisation's single point of contact (for HO→IASC, the IASC case officer)."""
    return user.organisation_id == request.routed_to_id and request.routed_role in user.roles


def is_assessor(user, request: Request) -> bool:
    return user.organisation_id == request.assigned_org_id and user.has_role(Role.ASSESSOR)


def is_approver(user, request: Request) -> bool:
    return user.has_role(Role.APPROVER) and _in_party_department(_user_orgs(user)[2], request.holder_org)


def is_final_decider(user, request: Request) -> bool:
    """§14: where the holder's decision is final, the Commissioner of the holder takes it."""
    return user.has_role(Role.COMMISSIONER) and _in_party_department(_user_orgs(user)[2], request.holder_org)


def records_for_holder(user, request: Request) -> bool:
    """Outside the protocol (§18, §4 fn 1) the other body may not use this service: the requesting
    organisation's case officers record its replies on its behalf."""
    return (request.route != RouteKind.PROTOCOL and user.organisation_id == request.requester_org_id
            and user.has_role(Role.CASE_OFFICER))


def is_decider(user, request: Request) -> bool:
    if rules.decision_is_final(request):
        return is_final_decider(user, request)
    return is_assessor(user, request) or records_for_holder(user, request)


def _holder_side(user, request: Request) -> bool:
    return is_assessor(user, request) or records_for_holder(user, request)


def _receiver(user, request: Request) -> bool:
    return is_routed_recipient(user, request) or records_for_holder(user, request)


def _asks_more(user, request: Request) -> bool:
    """§10: assessors, approvers and a final decider may ask for further justification."""
    return _holder_side(user, request) or is_approver(user, request) or is_decider(user, request)


ACTORS: dict[Action, tuple[Callable[..., bool], str]] = {
    Action.UPDATE: (is_requester_side, "a requester or case officer of the requesting organisation"),
    Action.SUBMIT: (is_requester_side, "a requester or case officer of the requesting organisation"),
    Action.RESPOND: (is_requester_side, "a requester or case officer of the requesting organisation"),
    Action.CLOSE: (is_requester_side, "a requester or case officer of the requesting organisation"),
    Action.WITHDRAW: (is_requester_side, "a requester or case officer of the requesting organisation"),
    Action.ACKNOWLEDGE: (_receiver, "the single point of contact the request was routed to (§11)"),
    Action.REASSIGN: (_receiver, "the single point of contact the request was routed to (§11)"),
    Action.START_ASSESSMENT: (_holder_side, "an assessor of the team dealing with the request"),
    Action.RECORD_CHECKLIST: (lambda u, r: _holder_side(u, r) or is_decider(u, r),
                              "an assessor of the team dealing with the request"),
    Action.REQUEST_FURTHER_INFORMATION: (_asks_more, "an assessor or approver of the holder"),
    Action.APPROVE: (is_approver, "an approver of the holder's department (§10, §17)"),
    Action.DECIDE: (is_decider, "the decision maker of the holder"),
    Action.DELIVER: (_holder_side, "an assessor of the team dealing with the request"),
}


def user_can(user, action: Action, request: Request) -> bool:
    if not user_can_view(user, request):
        return False
    allowed, _ = ACTORS[action]
    return allowed(user, request)


def check(user, action: Action, request: Request) -> None:
    check_can_view(user, request)
    allowed, who = ACTORS[action]
    if not allowed(user, request):
        raise NotAllowed(f"Only {who} can {Action(action).label.lower()} this request.")


def user_can_create(user, requester_org) -> bool:
    return is_active_member(user) and user.organisation_id == requester_org.pk and user.has_role(*REQUESTER_ROLES)


def check_can_create(user, requester_org) -> None:
    if not user_can_create(user, requester_org):
        raise NotAllowed("Only a requester or case officer of the requesting party can make this request.")
