"""Read-side helpers shared by the pages and the API: lists with what they show annotated, one
request with everything its page shows prefetched, what waits on whom, and the due-date statuses.
Each issues a fixed number of queries however many requests or events there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from approvals.models import Approval
from clock.core import MilestoneStatus, SkippedDay, explain, milestone_status
from protocols.models import Protocol
from sharing import permissions, rules, schedule
from sharing.models import (
    ChecklistAnswer,
    Delivery,
    DeliveryOccasion,
    Reassignment,
    Request,
    RequestEvent,
    RequestPart,
)
from sharing.states import (
    REQUEST_MACHINE,
    Action,
    Decision,
    RequestState,
    RouteKind,
    StateOwner,
)

# Organisations are joined; people are fetched in one small query for all of them (RequestQuerySet.with_people).
# Joining people too (sixteen joins on the request page) made PostgreSQL spend 35–45 ms planning every page, on a
# query that runs in 1 ms.
LIST_RELATIONS = ("requester_org", "holder_org", "routed_to", "assigned_org")
LIST_PEOPLE = ("requester", "assigned_to")
DETAIL_RELATIONS = (*LIST_RELATIONS, "protocol")
DETAIL_PEOPLE = (*LIST_PEOPLE, "acknowledged_by", "decided_by", "closed_by", "withdrawn_by")
PERSON = ("organisation",)


# --- overdue --------------------------------------------------------------------------------------

def overdue_q(today: date) -> Q:
    """Open requests with a milestone past due and not met: acknowledgement, provision, or an occasion."""
    return Q(next_due_on__lt=today)  # the stored next milestone (schedule.next_due_on) is past


def with_list_annotations(queryset: QuerySet, today: date) -> QuerySet:
    return queryset.select_related(*LIST_RELATIONS).with_people(*LIST_PEOPLE).annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def request_list(user, today: date | None = None) -> QuerySet:
    """The requests a person may see, with what a list shows."""
    return with_list_annotations(permissions.visible_requests(user), today or schedule.today())


def next_due(request: Request) -> date | None:
    """The date the request next falls due: acknowledgement, provision, or the next occasion."""
    return request.next_due_on


# --- who the request waits on --------------------------------------------------------------------

def owner_of(request: Request) -> StateOwner:
    return StateOwner(REQUEST_MACHINE.owner_of(request.state))


def owner_q(owner: str) -> Q:
    """Requests whose current state belongs to this owner."""
    return Q(state__in=REQUEST_MACHINE.states_owned_by(owner))


def waiting_on_q(user) -> Q:
    """Requests waiting on this person: the ones on which they may take an owner's action (permissions.ACTORS
    and the transition table); a test holds the two in agreement for every person of the demo."""
    organisation = user.organisation_id
    q = Q(pk__in=[])
    if user.has_role(*permissions.REQUESTER_ROLES):
        q |= owner_q(StateOwner.REQUESTER) & Q(requester_org=organisation)
        # Outside the protocol the requester's case officers record the other body's replies.
        if user.has_role(Role.CASE_OFFICER):
            q |= ~Q(route=RouteKind.PROTOCOL) & Q(requester_org=organisation) & (
                owner_q(StateOwner.RECIPIENT) | owner_q(StateOwner.HOLDER))
    q |= owner_q(StateOwner.RECIPIENT) & Q(routed_to=organisation, routed_role__in=list(user.roles))
    if user.has_role(Role.ASSESSOR):
        q |= owner_q(StateOwner.HOLDER) & Q(assigned_org=organisation) & (Q(assigned_to=user)
                                                                         | Q(assigned_to__isnull=True))
    if user.has_role(Role.COMMISSIONER):
        department = user.organisation.department
        q |= (Q(state=RequestState.UNDER_ASSESSMENT, direction__in=_final_decision_directions())
              & (Q(holder_org=department) | Q(holder_org__parent=department)))
    return q


def waiting_on_words(request: Request) -> str:
    """"Waiting on": the team and, when assigned, the person."""
    owner = owner_of(request)
    if owner == StateOwner.REQUESTER:
        return f"{request.requester} ({request.requester_org})"
    if owner == StateOwner.RECIPIENT:
        return f"{Role(request.routed_role).label if request.routed_role in Role.values else request.routed_role}, " \
               f"{request.routed_to}"
    if owner == StateOwner.HOLDER:
        team = str(request.assigned_org)
        return f"{request.assigned_to} ({team})" if request.assigned_to_id else f"{team} (not yet assigned)"
    return "Nobody: finished"


def _final_decision_directions() -> list[str]:
    keys = set()
    for protocol in Protocol.objects.defer("definition"):  # Protocol.spec is cached by its hash
        keys |= {d.key for d in protocol.spec.directions if not d.escalation.available}
    return sorted(keys)


def my_work(user, today: date | None = None) -> QuerySet:
    """Overdue first, then soonest due (the overdue are the soonest due: their dates are past); drafts, with no
    date, last."""
    drafts_last = Case(When(state=RequestState.DRAFT, then=Value(1)), default=Value(0))
    return (with_list_annotations(waiting_requests(user), today or schedule.today())
            .order_by(F("next_due_on").asc(nulls_last=True), drafts_last, "pk"))


def waiting_requests(user) -> QuerySet:
    """The requests waiting on this person that they may see. The visibility rules as the EXISTS the other case
    types of "My work" use (permissions.visible_request_q), so that a page compiles them once, not once for the
    requests' items, again for their counts and again for the rest (ADR 58)."""
    return Request.objects.filter(waiting_on_q(user), permissions.visible_request_q(user, "pk"))


# --- one request, with everything its page shows --------------------------------------------------

def request_detail_queryset(user) -> QuerySet:
    return _detail_rows(user).prefetch_related(*_detail_collections().values())


def _detail_rows(user) -> QuerySet:
    return with_list_annotations(permissions.visible_requests(user), schedule.today()).select_related(
        *DETAIL_RELATIONS).defer("protocol__definition").with_people(  # 16 kB of JSON; spec is cached
        *DETAIL_PEOPLE)


def _detail_collections() -> dict[str, Prefetch]:
    return {
        "named_people": Prefetch("named_people", queryset=User.objects.select_related(*PERSON)),
        "events": Prefetch("events", queryset=RequestEvent.objects.select_related("actor__organisation")),
        "checklist_answers": Prefetch("checklist_answers", queryset=ChecklistAnswer.objects.select_related(
            "answered_by__organisation")),
        "approvals": Prefetch("approvals", queryset=Approval.objects.select_related("requested_by__organisation",
                                                                                    "decided_by__organisation")),
        "reassignments": Prefetch("reassignments", queryset=Reassignment.objects.select_related(
            "from_org", "to_org", "to_user__organisation", "reassigned_by__organisation")),
        "occasions": Prefetch("occasions", queryset=DeliveryOccasion.objects.select_related("delivery")),
        "deliveries": Prefetch("deliveries", queryset=Delivery.objects.select_related(
            "delivered_by__organisation", "occasion", "retention")  # ADR 33
            .prefetch_related("files")),
        "parts": Prefetch("parts", queryset=RequestPart.objects.all()),  # each part's scope, compared with processing holds (sharing.hold_scope)
    }


# The collections a request often has none of, each with the rows that would be its own: a submitted request has
# no checklist, approvals, reassignments, occasions or deliveries yet. Its timeline always has its creation.
_OFTEN_EMPTY = {
    "named_people": lambda: Request.named_people.through.objects.filter(request=OuterRef("pk")),
    "checklist_answers": lambda: ChecklistAnswer.objects.filter(request=OuterRef("pk")),
    "approvals": lambda: Approval.objects.filter(request=OuterRef("pk")),
    "reassignments": lambda: Reassignment.objects.filter(request=OuterRef("pk")),
    "occasions": lambda: DeliveryOccasion.objects.filter(request=OuterRef("pk")),
    "deliveries": lambda: Delivery.objects.filter(request=OuterRef("pk")),
    "parts": lambda: RequestPart.objects.filter(request=OuterRef("pk")),
}


def request_detail_rows(user) -> QuerySet:
    """request_detail_queryset's rows without the collections, each flagged by whether it has any (`has_events`…):
    give each fetched request to `with_collections`. The API's detail (ADR 59): a prefetch costs more to build
    than to run, and most of them find nothing."""
    return _detail_rows(user).annotate(**{f"has_{name}": Exists(rows()) for name, rows in _OFTEN_EMPTY.items()})


# What the request's page reads beside the detail, each often absent: its escalations (the §13 panel), publication
# proposals (the publication panel) and personal-data record (the data protection panel). Flagged on the page's row,
# an absent one is known without its query (ADR 61). Reverse relations of other apps, named, not imported.
_PAGE_ONLY = ("escalations", "publication_proposals", "personal_data_record")


def request_page_rows(user) -> QuerySet:
    """request_detail_rows, with the page's own flags (`has_escalations`, `has_publication_proposals`,
    `has_personal_data_record`): give each fetched request to `with_collections`, then read the flags through
    `has_none` or `with_page_relations`."""
    def rows(name):
        related = Request._meta.get_field(name)
        return related.related_model._default_manager.filter(**{related.field.name: OuterRef("pk")})

    return request_detail_rows(user).annotate(**{f"has_{name}": Exists(rows(name)) for name in _PAGE_ONLY})


def has_none(request: Request, name: str) -> bool:
    """True when the row was read with request_page_rows and found no `name`; unknown (False) otherwise."""
    return getattr(request, f"has_{name}", True) is False


def with_page_relations(request: Request) -> Request:
    """A request without a personal-data record, as Django leaves one whose reverse one-to-one it looked up and
    found absent: `request.personal_data_record` raises DoesNotExist without a query."""
    if has_none(request, "personal_data_record"):
        Request._meta.get_field("personal_data_record").set_cached_value(request, None)
    return request


def with_collections(request: Request) -> Request:
    """The collections request_detail_queryset prefetches, read only where request_detail_rows found some."""
    collections = _detail_collections()
    found = [prefetch for name, prefetch in collections.items() if getattr(request, f"has_{name}", True)]
    prefetch_related_objects([request], *found)
    for name in collections.keys() - {prefetch.prefetch_to for prefetch in found}:
        _prefetched_empty(request, name)
    return request


def _prefetched_empty(request: Request, name: str) -> None:
    """The collection as prefetch_related leaves one it found empty: an evaluated empty queryset in the instance's
    prefetch cache, which `request.<name>.all()` answers without a query. A Prefetch of `.none()` would still
    compile its SQL before finding it has nothing to run: as costly as the query saved."""
    empty = getattr(request, name).model._default_manager.none()  # no relation filter to build: it finds nothing
    empty._result_cache, empty._prefetch_done = [], True
    request._prefetched_objects_cache = getattr(request, "_prefetched_objects_cache", {})
    request._prefetched_objects_cache[name] = empty


def request_detail(user, pk: int) -> Request | None:
    """One request with everything its page shows, or None if the person may not see it."""
    return request_detail_queryset(user).filter(pk=pk).first()


def request_detail_by_reference(user, reference: str) -> Request | None:
    return request_detail_queryset(user).filter(reference=reference).first()


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    clause: str
    due: date
    met_on: date | None
    status: MilestoneStatus | None
    skipped: list[SkippedDay]


def milestones(request: Request, today: date | None = None) -> list[Milestone]:
    """The due dates of a submitted request and where each stands, with the days not counted (§12).
    A withdrawn or closed request shows only the milestones it met."""
    if request.submitted_at is None:
        return []
    today = today or schedule.today()
    cal = schedule.calendar_for(request)
    clause = rules.spec_of(request).timings.clause if request.is_protocol_route else rules.route_clause(request)
    found = [Milestone("acknowledgement", "Acknowledge", clause, request.acknowledge_by,
                       _local_date(request.acknowledged_at), None,
                       _explain(request, request.acknowledge_by, cal))]
    declined = request.decision == Decision.DECLINED  # closed or not, nothing was owed
    if not declined and request.is_regular:
        found += [Milestone(f"occasion-{o.sequence}", f"Provide (occasion {o.sequence}, {o.scheduled_on:%d %b %Y})",
                            clause, o.due_on, _delivered_on(o), None, [])
                  for o in request.occasions.all()]
    elif not declined:
        deliveries = list(request.deliveries.all())
        first = _local_date(deliveries[0].delivered_at) if deliveries else None
        found.append(Milestone("provision", "Provide", clause, request.provide_by, first, None,
                               _explain(request, request.provide_by, cal)))
    finished = request.state in (RequestState.CLOSED, RequestState.WITHDRAWN)
    return [_with_status(m, today, cal) for m in found if not (finished and m.met_on is None)]


def _explain(request: Request, due: date, cal) -> list[SkippedDay]:
    """Which days were not counted, for dates the clock worked out; a requester's own targets have none."""
    return explain(request.received_on, due, cal) if request.is_protocol_route else []


def _with_status(milestone: Milestone, today: date, cal) -> Milestone:
    status = milestone_status(milestone.due, today, milestone.met_on, cal)
    return Milestone(milestone.key, milestone.label, milestone.clause, milestone.due, milestone.met_on, status,
                     milestone.skipped)


def _delivered_on(occasion: DeliveryOccasion) -> date | None:
    delivery = getattr(occasion, "delivery", None)
    return _local_date(delivery.delivered_at) if delivery else None


def _local_date(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def open_question(request: Request) -> RequestEvent | None:
    """The request for further information the requester has still to answer (§10)."""
    if request.state != RequestState.FURTHER_INFORMATION_REQUESTED:
        return None
    asked = [e for e in request.events.all() if e.action == Action.REQUEST_FURTHER_INFORMATION]
    return asked[-1] if asked else None


def element_values(request: Request) -> list[tuple[rules.ElementField, object]]:
    """The seven elements with their clause, label and the request's answer, for display."""
    return [(element, getattr(request, element.field)) for element in rules.request_element_fields(request)]


def checklist_rows(request: Request) -> list[tuple[object, ChecklistAnswer | None]]:
    answers = {answer.item_key: answer for answer in request.checklist_answers.all()}
    return [(item, answers.get(item.key)) for item in rules.checklist_of(request)]


# --- formula-like cells flagged on upload (ADR 28) ------------------------------------------------


def attach_file_flags(request: Request) -> None:
    """Give each delivered file of the request its `flagged_cells` (or None), read from the delivery's timeline
    entry, which carries what the upload checks flagged (DeliveryFile has no column for it). Uses the prefetched
    events and deliveries: no query of its own."""
    flagged: dict[int, dict] = {}
    for event in request.events.all():
        if event.action != Action.DELIVER:
            continue
        for described in (event.details or {}).get("files", []):
            if isinstance(described, dict) and described.get("flagged") and isinstance(described.get("file"), int):
                flagged[described["file"]] = described["flagged"]
    for delivery in request.deliveries.all():
        for delivered in delivery.files.all():
            delivered.flagged_cells = flagged.get(delivered.pk)
