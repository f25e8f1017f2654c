"""Who may see a request and who may act on it. One place, tested as a matrix.

Need-to-know, decided precisely. A person sees a request only if they are an active member of an
organisation and:

Once submitted, OFFICIAL:
  1. their organisation, or its parent department, is the requesting organisation, the holder
     organisation, the organisation it was routed to (§11) or the team it is assigned to; or
  2. they are an auditor whose department is either party's department.

Once submitted, marked above plain OFFICIAL (OFFICIAL-SENSITIVE, §10): rule 1 gives way to this list,
rule 2 stands:
  - the requester, and the person it is assigned to;
  - the people named in its access list (§6(e) / §8(e));
  - the routed recipients: people holding the routed role in the routed organisation (§11), who
    must acknowledge and route it;
  - assessors of the team it is assigned to;
  - approvers, the Commissioner and the people she names to decide on her behalf, in the holder's
    department (§10, §14);
  - the Commissioner, for every request her office makes: she answers for all of them;
  - the holder's people whose role an approval asked on it requires (the data protection officer, §17);
  - the holder's people holding the role of a rung of the §13 ladder an escalation of it has reached (the HO
    Policy lead once it is escalated, the Director once it goes up to her, and so on): not before.
  Case officers of either side who are not on that list do not see it.

Never submitted (a draft, or a draft withdrawn): only the requesting side sees it, by the same rules
applied to the requesting organisation alone (for OFFICIAL-SENSITIVE: the requester, the people
named and the Commissioner of the requesting office), and auditors of the requesting party. The
holder sees nothing until it is sent.

Who may act: ACTORS below. An assessor acts for the team the request is assigned to; once it is
assigned to one of them, that person alone (the point of contact can reassign it, §11). Approvers
act on approvals, which are cases of their own (approvals.cases).

`visible_requests(user)` is the one queryset filter used by the API and the pages; `user_can_view`
is the same rule for one loaded request, and a test holds the two in agreement.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet, Value

from accounts.permissions import is_active_member
from accounts.roles import Role
from approvals.models import Approval
from concordat.errors import NotAllowed
from escalations.models import EscalationStep
from protocols import markings
from sharing import rules
from sharing.models import Request
from sharing.states import ACTION_PHRASES, Action, RouteKind
from workflow.work import for_the_page

BASE_MARKING = markings.BASE_MARKING  # anything above plain OFFICIAL is need-to-know
REQUESTER_ROLES = (Role.REQUESTER, Role.CASE_OFFICER)
HOLDER_APPROVER_ROLES = (Role.APPROVER, Role.COMMISSIONER, Role.COMMISSIONER_DELEGATE)
# §14: the Commissioner, or a person she names to decide on her behalf (accounts.delegation)
FINAL_DECIDER_ROLES = (Role.COMMISSIONER, Role.COMMISSIONER_DELEGATE)
PARTY_FIELDS = ("requester_org", "holder_org")
SUBMITTED_FIELDS = ("requester_org", "holder_org", "routed_to", "assigned_org")


# --- visibility -------------------------------------------------------------------------------

def _user_orgs(user) -> tuple[int, int | None, int]:
    """(organisation, parent department or None, department) ids."""
    organisation = user.organisation
    return organisation.pk, organisation.parent_id, organisation.parent_id or organisation.pk


def _nothing() -> Q:
    return Q(pk__in=[])


def _organisation_q(user, fields: tuple[str, ...]) -> Q:
    organisation, parent, _ = _user_orgs(user)
    ids = [organisation] + ([parent] if parent else [])
    q = _nothing()
    for field in fields:
        q |= Q(**{f"{field}__in": ids})
    return q


def _auditor_q(user, fields: tuple[str, ...]) -> Q:
    if not user.has_role(Role.AUDITOR):
        return _nothing()
    department = _user_orgs(user)[2]
    q = _nothing()
    for field in fields:
        q |= Q(**{field: department}) | Q(**{f"{field}__parent": department})
    return q


def _named_or_requester_q(user) -> Q:
    named = Request.named_people.through.objects.filter(request_id=OuterRef("pk"), user_id=user.pk)
    return Q(requester=user) | Q(Exists(named))


def _need_to_know_q(user) -> Q:
    organisation, _, department = _user_orgs(user)
    q = _named_or_requester_q(user) | Q(assigned_to=user)
    q |= Q(routed_to=organisation, routed_role__in=list(user.roles))
    if user.has_role(Role.ASSESSOR):
        q |= Q(assigned_org=organisation)
    if user.has_role(*HOLDER_APPROVER_ROLES):
        q |= Q(holder_org=department) | Q(holder_org__parent=department)
    if user.roles:
        asked_of_my_role = Approval.objects.filter(request=OuterRef("pk"), role_required__in=list(user.roles))
        q |= Q(Exists(asked_of_my_role)) & (Q(holder_org=department) | Q(holder_org__parent=department))
        # §13: a rung's people, once an escalation has reached their rung
        reached_my_rung = EscalationStep.objects.filter(escalation__request=OuterRef("pk"),
                                                        role__in=list(user.roles))
        q |= Q(Exists(reached_my_rung)) & (Q(holder_org=department) | Q(holder_org__parent=department))
    return q | _commissioner_q(user, ("requester_org",))


def _commissioner_q(user, fields: tuple[str, ...]) -> Q:
    """The Commissioner sees every request her office makes (and, as holder, receives)."""
    if not user.has_role(Role.COMMISSIONER):
        return _nothing()
    department = _user_orgs(user)[2]
    q = _nothing()
    for field in fields:
        q |= Q(**{field: department}) | Q(**{f"{field}__parent": department})
    return q


def visible_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    if queryset is None:  # within one page, the filter is built once per person and copied (workflow.work)
        return for_the_page(("visible_requests", user.pk), lambda: _visible(user, Request.objects.all())).all()
    return _visible(user, queryset)


def _visible(user, queryset: QuerySet) -> QuerySet:
    if not is_active_member(user):
        return queryset.none()
    plain, sensitive = Q(classification=BASE_MARKING), ~Q(classification=BASE_MARKING)
    submitted = Q(submitted_at__isnull=False) & (
        (plain & _organisation_q(user, SUBMITTED_FIELDS)) | (sensitive & _need_to_know_q(user))
        | _auditor_q(user, PARTY_FIELDS))
    unsent = Q(submitted_at__isnull=True) & (
        (plain & _organisation_q(user, ("requester_org",)))
        | (sensitive & (_named_or_requester_q(user) | _commissioner_q(user, ("requester_org",))))
        | _auditor_q(user, ("requester_org",)))
    return queryset.filter(submitted | unsent)


def visible_request_q(user, field: str = "request") -> Q:
    """Cases hanging off a request (approvals, escalations, publications, retention) whose request this person
    sees: visible_requests as a correlated EXISTS on `field`, so that PostgreSQL checks it for the rows the other
    filters leave ("My work": a few) or hashes the whole visible set when most rows remain, as it costs them
    (ADR 45). `field__in=visible_requests(...)` inside an OR always built the whole set: 80,000 rows a page."""
    return Q(VisibleRequest(user, field))


class VisibleRequest(Expression):
    """EXISTS (SELECT 1 FROM (<the person's visible requests>) v WHERE v.pk = <field>): visible_request_q's
    correlated EXISTS, with the visible requests' SQL compiled once a page (ADR 58). Each case type of "My work"
    and the dashboards asks it of the same person; building and compiling the visibility rules again for each was
    a third of the page's CPU. PostgreSQL flattens the derived table, so it plans as the Exists it replaces. The
    rules are evaluated on every query as before: only their SQL text is kept, and only within one page."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, user, field: str):
        super().__init__()
        self.user, self.column = user, F(field)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        visible = _visible_sql(self.user, connection.alias)
        if visible is None:  # nobody's requests (an inactive person): as Exists, false
            return compiler.compile(Value(False))
        column_sql, column_params = compiler.compile(self.column)
        sql, params = visible
        return (f'EXISTS(SELECT 1 FROM ({sql}) "visible_request" WHERE "visible_request"."pk" = {column_sql})',
                (*params, *column_params))


def _visible_sql(user, alias: str) -> tuple[str, tuple] | None:
    """The SQL of the person's visible requests' ids, compiled once within a page (workflow.work.one_page)."""
    def compiled():
        ids = visible_requests(user).order_by().values("pk")
        try:
            return ids.query.get_compiler(alias).as_sql()
        except EmptyResultSet:
            return None

    return for_the_page(("visible_requests_sql", user.pk, alias), compiled)


def _in_party_department(user_department: int, org) -> bool:
    return org.pk == user_department or org.parent_id == user_department


def user_can_view(user, request: Request) -> bool:
    """visible_requests for one loaded request (no query when named_people is prefetched)."""
    if not is_active_member(user):
        return False
    organisation, parent, department = _user_orgs(user)
    sent = request.submitted_at is not None
    parties = (request.requester_org, request.holder_org) if sent else (request.requester_org,)
    if user.has_role(Role.AUDITOR) and any(_in_party_department(department, org) for org in parties):
        return True
    named_or_requester = (user.pk == request.requester_id
                          or any(person.pk == user.pk for person in request.named_people.all()))
    if request.classification == BASE_MARKING:
        orgs = ({request.requester_org_id, request.holder_org_id, request.routed_to_id, request.assigned_org_id}
                if sent else {request.requester_org_id})
        return bool(({organisation, parent} - {None}) & orgs)
    commissioner_of_requester = (user.has_role(Role.COMMISSIONER)
                                 and _in_party_department(department, request.requester_org))
    if not sent:
        return named_or_requester or commissioner_of_requester
    return (
        named_or_requester
        or commissioner_of_requester
        or user.pk == request.assigned_to_id
        or (request.routed_to_id == organisation and request.routed_role in user.roles)
        or (user.has_role(Role.ASSESSOR) and request.assigned_org_id == organisation)
        or (user.has_role(*HOLDER_APPROVER_ROLES) and _in_party_department(department, request.holder_org))
        or (_in_party_department(department, request.holder_org)
            and any(approval.role_required in user.roles for approval in request.approvals.all()))
        or (_in_party_department(department, request.holder_org) and _rung_reached(user, request))
    )


def _rung_reached(user, request: Request) -> bool:
    """§13: the person holds the role of a rung an escalation of this request has reached. Asked of the
    database only for people holding a role of the request's ladder."""
    direction = rules.direction_of(request)
    ladder_roles = {step.role for step in direction.escalation.ladder if step.role} if direction else set()
    mine = ladder_roles & set(user.roles)
    return bool(mine) and EscalationStep.objects.filter(escalation__request=request, role__in=mine).exists()


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
    """An assessor of the team dealing with the request; once it is assigned to one of them, that person."""
    return (user.organisation_id == request.assigned_org_id and user.has_role(Role.ASSESSOR)
            and request.assigned_to_id in (None, user.pk))


def is_approver(user, request: Request) -> bool:
    return user.has_role(Role.APPROVER) and _in_party_department(_user_orgs(user)[2], request.holder_org)


def is_final_decider(user, request: Request) -> bool:
    """§14: where the holder's decision is final, the Commissioner of the holder takes it, or a person she has named
    to decide on her behalf (accounts.delegation)."""
    return user.has_role(*FINAL_DECIDER_ROLES) and _in_party_department(_user_orgs(user)[2], request.holder_org)


def decides_on_behalf(user, request: Request) -> bool:
    """A final decision taken by a delegate, not the Commissioner herself: recorded as such (§14)."""
    return rules.decision_is_final(request) and not user.has_role(Role.COMMISSIONER)


def is_commissioner_of_requester(user, request: Request) -> bool:
    return user.has_role(Role.COMMISSIONER) and _in_party_department(_user_orgs(user)[2], request.requester_org)


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
    """§10: the holder's assessors and a final decider ask for further information; approvers ask through
    their approval (approvals.services.ask_for_justification)."""
    return _holder_side(user, request) or is_decider(user, request)


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
    Action.REQUEST_FURTHER_INFORMATION: (_asks_more, "an assessor or the decision maker of the holder"),
    Action.REQUEST_APPROVAL: (_asks_more, "an assessor or the decision maker of the holder"),
    Action.DECIDE: (is_decider, "the decision maker of the holder"),
    Action.DELIVER: (_holder_side, "an assessor of the team dealing with the request"),
    Action.ESCALATE: (lambda u, r: is_requester_side(u, r) or is_commissioner_of_requester(u, r),
                      "a requester or case officer of the requesting office, or the Commissioner (§13)"),
    # Only the escalations service moves a request when a rung resolves it (sharing.states.SERVICE_ACTIONS).
    Action.ESCALATION_RESOLVED: (lambda u, r: False, "nobody: the service, when a rung resolves an escalation"),
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
        raise NotAllowed(f"Only {who} can {ACTION_PHRASES[action]}.")


def user_can_create(user, requester_org) -> bool:
    return is_active_member(user) and user.organisation_id == requester_org.pk and user.has_role(*REQUESTER_ROLES)


def check_can_create(user, requester_org) -> None:
    if not user_can_create(user, requester_org):
        raise NotAllowed("Only a requester or case officer of the requesting party can make this request.")
