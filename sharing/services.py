"""Every change to a request: one function per action, the only code that changes sharing state.

Each action runs in one transaction: lock the request (`select_for_update`) and compare its version
with the one the person loaded (StaleObject if someone else moved it first), check who is acting
(permissions) and what the state allows (policies), change it, and write one RequestEvent and one
audit event. Notifications leave only after the transaction commits. Pages and the API call these
functions and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind, Role
from audit.services import record_event
from concordat.errors import NotAllowed, Problem, RuleViolation, StaleObject
from protocols.models import Protocol
from protocols.services import current_protocol
from sharing import files as file_checks
from sharing import permissions, policies, rules, schedule
from sharing.models import (
    Approval,
    ChecklistAnswer,
    Delivery,
    DeliveryFile,
    DeliveryOccasion,
    Reassignment,
    ReferenceCounter,
    Request,
    RequestEvent,
)
from sharing.states import (
    Action,
    ApprovalKind,
    Decision,
    Frequency,
    Provision,
    PublicationIntent,
    RequestState,
    RouteKind,
    target_state,
)

DRAFT_FIELDS = (
    "title", "necessity", "information_requested", "purpose", "publication_intent", "publication_detail",
    "access", "storage_retention", "disposal", "classification", "personal_data_category", "legal_basis",
    "provision", "frequency", "period_start", "period_end", "acknowledge_by", "provide_by",
)
TARGET_DATE_FIELDS = ("acknowledge_by", "provide_by")
# What a requester may amend when answering a request for further information (§10).
RESPONSE_FIELDS = tuple(rules.ELEMENT_FIELDS.values()) + ("publication_detail", "legal_basis")
LOCKED_RELATIONS = ("protocol", "requester_org", "holder_org", "routed_to", "assigned_org")
TITLE_MAX = 200


@dataclass(frozen=True)
class ChecklistEntry:
    item_key: str
    satisfied: bool
    note: str = ""


# --- creating and editing drafts ---------------------------------------------------------------

def default_protocol() -> Protocol:
    """The protocol when only one is loaded; with several, the request must name one."""
    slugs = sorted(set(Protocol.objects.values_list("slug", flat=True)))
    if not slugs:
        raise RuleViolation("No protocol is loaded yet: an administrator loads one first.", field="protocol")
    if len(slugs) > 1:
        raise RuleViolation(f"Say which protocol the request is made under: {', '.join(slugs)}.", field="protocol")
    return current_protocol(slugs[0])


def create_draft(*, by: User, direction: str, holder_org: Organisation | None = None,
                 protocol: Protocol | None = None, fields: dict | None = None,
                 named_people: Iterable | None = None) -> Request:
    """A new draft request. `direction` is a direction key of the protocol (e.g. "iasc_to_ho") or the
    key of one of its other routes (§18, §4 fn 1), which also needs the `holder_org` asked."""
    protocol = protocol or default_protocol()
    spec = protocol.spec
    if not is_active_member(by):
        raise NotAllowed("Only an active member of an organisation can make a request.")
    parties = _parties(spec, direction, holder_org, by)
    with transaction.atomic():
        request = Request(
            protocol=protocol, protocol_version=protocol.version, requester=by,
            requester_org=by.organisation, classification=spec.classifications.levels[0],
            personal_data_category=spec.personal_data.default, **parties,
        )
        _apply_fields(request, fields or {}, DRAFT_FIELDS)
        request.reference = _next_reference(rules.party_of_organisation(spec, by.organisation).short_name
                                            or by.organisation.department.slug)
        request.save()
        if named_people is not None:
            request.named_people.set(_named_people(request, named_people))
        _record(request, by, Action.CREATE, "", details={"direction": request.direction, "route": request.route},
               )
    return request


def _parties(spec, direction_key: str, holder_org: Organisation | None, by: User) -> dict:
    """Who holds the information and where the request goes first (§11)."""
    directions = {d.key: d for d in spec.directions}
    if direction_key in directions:
        return _protocol_parties(spec, directions[direction_key], by)
    routes = {route.key: route for route in spec.other_routes}
    if direction_key in routes:
        return _other_route_parties(routes[direction_key], holder_org, by)
    known = ", ".join([*directions, *routes])
    raise RuleViolation(f"Choose one of: {known}.", field="direction")


def _protocol_parties(spec, direction, by: User) -> dict:
    requester_party = spec.party(direction.requester_party)
    if by.organisation.department.slug != requester_party.organisation or not by.has_role(*permissions.REQUESTER_ROLES):
        raise NotAllowed(f"Only a requester or case officer of the {requester_party.name} can make this request.",
                         clause=direction.clause)
    holder = Organisation.objects.get(slug=spec.party(direction.holder_party).organisation)
    routing = direction.routing
    routed_to = Organisation.objects.get(slug=routing.recipient_organisation) if routing else holder
    routed_role = routing.recipient_role if routing else rules.DEFAULT_RECIPIENT_ROLE
    return {"direction": direction.key, "route": RouteKind.PROTOCOL, "holder_org": holder,
            "routed_to": routed_to, "routed_role": routed_role, "assigned_org": routed_to}


def _other_route_parties(route, holder_org: Organisation | None, by: User) -> dict:
    # §18 and §4 fn 1 are the Commissioner's own requests.
    if (by.organisation.department.kind != OrganisationKind.COMMISSIONER_OFFICE
            or not by.has_role(*permissions.REQUESTER_ROLES)):
        raise NotAllowed("Only the Commissioner's office makes requests outside the protocol.", clause=route.clause)
    if holder_org is None or holder_org.kind != route.organisation_kind:
        raise RuleViolation(f"Choose the body to ask: {route.title}.", field="holder_org", clause=route.clause)
    return {"direction": route.key, "route": rules.ROUTE_FOR_ORGANISATION_KIND[route.organisation_kind],
            "holder_org": holder_org, "routed_to": holder_org, "routed_role": rules.DEFAULT_RECIPIENT_ROLE,
            "assigned_org": holder_org}


def update_draft(request: Request | int, *, by: User, expected_version: int, fields: dict | None = None,
                 named_people: Iterable | None = None) -> Request:
    with _acting(request, by, Action.UPDATE, expected_version) as locked:
        changed = _apply_fields(locked, fields or {}, DRAFT_FIELDS)
        if named_people is not None:
            locked.named_people.set(_named_people(locked, named_people))
            changed.append("named_people")
        _advance(locked, by, Action.UPDATE, details={"changed": changed})
    return locked


def _apply_fields(request: Request, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise RuleViolation(*[Problem("This cannot be changed here.", field=name) for name in unknown])
    for name, value in fields.items():
        setattr(request, name, "" if value is None and name not in _DATE_FIELDS else value)
    if request.provision == Provision.ONE_OFF:
        request.frequency, request.period_start, request.period_end = "", None, None
    problems = _field_problems(request, fields)
    if problems:
        raise RuleViolation(*problems)
    return sorted(fields)


_DATE_FIELDS = ("period_start", "period_end", "acknowledge_by", "provide_by")


def _field_problems(request: Request, fields: dict) -> list[Problem]:
    spec = request.protocol.spec
    problems = [p for p in (rules.classification_problem(spec, request.classification),
                            rules.category_problem(spec, request.personal_data_category)) if p]
    if len(request.title) > TITLE_MAX:
        problems.append(Problem(f"Keep the title to {TITLE_MAX} characters.", field="title"))
    for name, choices in (("publication_intent", PublicationIntent), ("provision", Provision),
                          ("frequency", Frequency)):
        value = getattr(request, name)
        if value and value not in choices.values:
            problems.append(Problem(f"Choose one of: {', '.join(choices.labels)}.", field=name))
    for name in _DATE_FIELDS:
        if getattr(request, name) is not None and not isinstance(getattr(request, name), date):
            problems.append(Problem("Give a date.", field=name))
    if request.is_protocol_route:
        timings = spec.timings
        problems += [Problem("Due dates are worked out from the protocol's timings.", field=name,
                             clause=timings.clause)
                     for name in TARGET_DATE_FIELDS if fields.get(name) is not None]
    return problems


def _named_people(request: Request, people: Iterable) -> list[User]:
    """§6(e)/§8(e): the people named in the access list, who must belong to one of the two parties."""
    ids = {getattr(person, "pk", person) for person in people}
    found = list(User.objects.filter(pk__in=ids, is_active=True).select_related("organisation"))
    departments = {request.requester_org.department.pk, request.holder_org.department.pk}
    outsiders = ids - {person.pk for person in found if person.organisation_id
                       and person.organisation.department.pk in departments}
    if outsiders:
        raise RuleViolation("Name only active people of the requesting or the holding organisation.",
                            field="named_people", clause=_element_clause(request, "access"))
    return found


def _element_clause(request: Request, key: str) -> str:
    return next(e.clause for e in rules.request_element_fields(request) if e.key == key)


def _next_reference(prefix: str) -> str:
    """"IASC-2021-0042": per prefix and year, numbered under a row lock so no two requests share one."""
    year = timezone.localdate().year
    prefix = prefix.upper()
    ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"


# --- the lifecycle ---------------------------------------------------------------------------------

def submit(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    """Send the request; store its receipt and due dates (§12) and the protocol version it is made under."""
    with _acting(request, by, Action.SUBMIT, expected_version) as locked:
        _pin_newest_protocol(locked)
        problems = submission_problems(locked)
        if problems:
            raise RuleViolation(*problems)
        cal = schedule.get_calendar(locked.protocol.spec.timings.calendar)
        now = timezone.now()
        dates = schedule.due_dates(locked, now, cal)
        locked.calendar_name = cal.name
        locked.submitted_at = now
        locked.received_on, locked.acknowledge_by, locked.provide_by = (
            dates.received_on, dates.acknowledge_by, dates.provide_by)
        if locked.is_regular:
            DeliveryOccasion.objects.bulk_create([
                DeliveryOccasion(request=locked, sequence=index, scheduled_on=scheduled, due_on=due)
                for index, (scheduled, due) in enumerate(schedule.occasion_due_dates(locked, cal), start=1)])
        _advance(locked, by, Action.SUBMIT, note, details={
            "protocol_version": locked.protocol_version, "received_on": dates.received_on,
            "acknowledge_by": dates.acknowledge_by, "provide_by": dates.provide_by})
    return locked


def _pin_newest_protocol(request: Request) -> None:
    """A request is made under the protocol version in force when it is sent."""
    newest = current_protocol(request.protocol.slug)
    if newest.pk == request.protocol_id:
        return
    keys = {d.key for d in newest.spec.directions} | {r.key for r in newest.spec.other_routes}
    if request.direction not in keys:
        raise RuleViolation("The protocol now in force no longer provides for this kind of request.",
                            field="direction")
    request.protocol, request.protocol_version = newest, newest.version


def submission_problems(request: Request) -> list[Problem]:
    """What a request must state before it is sent (§6/§8 a–g, §10, §15–17, and §6's schedule)."""
    spec = request.protocol.spec
    problems = [] if request.title.strip() else [Problem("Give the request a short title.", field="title")]
    for element in rules.request_element_fields(request):
        if element.required and not str(getattr(request, element.field)).strip():
            problems.append(Problem(f"Required: {element.label}.", field=element.field, clause=element.clause))
        if element.key == "publication" and rules.publication_needs_detail(request.publication_intent) \
                and not request.publication_detail.strip():
            problems.append(Problem("Say what you intend to publish, and how.", field="publication_detail",
                                    clause=element.clause))
    problems += [p for p in (rules.classification_problem(spec, request.classification),
                             rules.category_problem(spec, request.personal_data_category)) if p]
    direction = rules.direction_of(request)
    if direction and request.provision not in direction.request_kinds:
        problems.append(Problem("This kind of request is not available in this direction.", field="provision",
                                clause=direction.clause))
    problems += schedule.schedule_problems(request)
    if not request.is_protocol_route:
        problems += schedule.target_date_problems(request, schedule.today())
    return problems


def acknowledge(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    """§12: tell the requester the request is being considered."""
    with _acting(request, by, Action.ACKNOWLEDGE, expected_version) as locked:
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), by
        _advance(locked, by, Action.ACKNOWLEDGE, note)
    return locked


def reassign(request: Request | int, *, by: User, expected_version: int, to_org: Organisation,
             to_user: User | None = None, reason: str) -> Request:
    """§11: pass the request to the team that holds the information, saying why."""
    with _acting(request, by, Action.REASSIGN, expected_version) as locked:
        problems = _reassignment_problems(locked, to_org, to_user, reason)
        if problems:
            raise RuleViolation(*problems)
        Reassignment.objects.create(
            request=locked, from_org=locked.assigned_org, to_org=to_org, from_user=locked.assigned_to,
            to_user=to_user, reason=reason, reassigned_by=by, reassigned_at=timezone.now())
        details = {"from_org": locked.assigned_org.slug, "to_org": to_org.slug,
                   "to_user": to_user.pk if to_user else None}
        locked.assigned_org, locked.assigned_to = to_org, to_user
        _advance(locked, by, Action.REASSIGN, reason, details=details)
    return locked


def _reassignment_problems(request: Request, to_org: Organisation, to_user: User | None, reason: str) -> list[Problem]:
    direction = rules.direction_of(request)
    routing = direction.routing if direction else None
    clause = routing.clause if routing else rules.route_clause(request)
    problems = [] if reason.strip() else [Problem("Give the reason for reassigning.", field="reason", clause=clause)]
    within = routing.reassign_within if routing else None
    if within is None:
        allowed = to_org.pk == request.holder_org_id
    else:
        allowed = to_org.slug == within or (to_org.parent_id and to_org.parent.slug == within)
    if not allowed:
        problems.append(Problem("The request can only be passed to a team of the holder.", field="to_org",
                                clause=clause))
    if to_user is not None and not (is_active_member(to_user) and to_user.organisation_id == to_org.pk
                                    and to_user.has_role(Role.ASSESSOR)):
        problems.append(Problem("Choose an assessor of that team.", field="to_user", clause=clause))
    if to_org.pk == request.assigned_org_id and to_user == request.assigned_to:
        problems.append(Problem("The request is already with that team and person.", field="to_org"))
    return problems


def start_assessment(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    with _acting(request, by, Action.START_ASSESSMENT, expected_version) as locked:
        if locked.assigned_to_id is None and permissions.is_assessor(by, locked):
            locked.assigned_to = by
        _advance(locked, by, Action.START_ASSESSMENT, note)
    return locked


def request_further_information(request: Request | int, *, by: User, expected_version: int, question: str) -> Request:
    """§10: the holder, or an approver, asks for further justification before deciding."""
    with _acting(request, by, Action.REQUEST_FURTHER_INFORMATION, expected_version) as locked:
        if not question.strip():
            raise RuleViolation("Say what further information is needed.", field="question",
                                clause=rules.spec_of(locked).classifications.clause)
        _advance(locked, by, Action.REQUEST_FURTHER_INFORMATION, question)
    return locked


def respond(request: Request | int, *, by: User, expected_version: int, answer: str, fields: dict | None = None) -> Request:
    """The requester answers, and may amend the elements the question was about."""
    with _acting(request, by, Action.RESPOND, expected_version) as locked:
        if not answer.strip():
            raise RuleViolation("Give your answer.", field="answer")
        changed = _apply_fields(locked, fields or {}, RESPONSE_FIELDS)
        problems = [p for p in submission_problems(locked) if p.field in changed]
        if problems:
            raise RuleViolation(*problems)
        _advance(locked, by, Action.RESPOND, answer, details={"changed": changed})
    return locked


def record_checklist(request: Request | int, *, by: User, expected_version: int,
                     answers: Iterable[ChecklistEntry]) -> Request:
    """§7 / §9: record whether the holder is satisfied of each point; an answer can be revised."""
    answers = list(answers)
    with _acting(request, by, Action.RECORD_CHECKLIST, expected_version) as locked:
        items = {item.key: item for item in rules.checklist_of(locked)}
        problems = _checklist_entry_problems(items, answers)
        if problems:
            raise RuleViolation(*problems)
        now = timezone.now()
        for entry in answers:
            ChecklistAnswer.objects.update_or_create(
                request=locked, item_key=entry.item_key,
                defaults={"clause": items[entry.item_key].clause, "satisfied": entry.satisfied,
                          "note": entry.note.strip(), "answered_by": by, "answered_at": now})
        _advance(locked, by, Action.RECORD_CHECKLIST,
                 details={"answers": {entry.item_key: entry.satisfied for entry in answers}},
                )
    return locked


def _checklist_entry_problems(items: dict, answers: list[ChecklistEntry]) -> list[Problem]:
    if not answers:
        return [Problem("Answer at least one point of the checklist.", field="answers")]
    problems, seen = [], set()
    for entry in answers:
        item = items.get(entry.item_key)
        if item is None:
            problems.append(Problem(f"'{entry.item_key}' is not a point of this checklist.", field="answers"))
        elif entry.item_key in seen:
            problems.append(Problem("Answer each point once.", field=f"checklist.{entry.item_key}", clause=item.clause))
        elif not entry.satisfied and not entry.note.strip():
            problems.append(Problem(f"Say why you are not satisfied: {item.label}", field=f"checklist.{entry.item_key}",
                                    clause=item.clause))
        seen.add(entry.item_key)
    return problems


def approve(request: Request | int, *, by: User, expected_version: int, kind: str, note: str = "") -> Request:
    """§10 / §17: a senior official's approval to share, recorded before the holder may agree."""
    with _acting(request, by, Action.APPROVE, expected_version) as locked:
        outstanding = policies.outstanding_approvals(locked)
        if kind not in outstanding:
            raise RuleViolation(f"Approve one of: {', '.join(ApprovalKind(k).label for k in outstanding)}.",
                                field="kind")
        Approval.objects.create(request=locked, kind=kind, approved_by=by, approved_at=timezone.now(), note=note)
        _advance(locked, by, Action.APPROVE, note, details={"kind": kind})
    return locked


def decide(request: Request | int, *, by: User, expected_version: int, decision: str, reasons: str = "",
           provided_scope: str = "", withheld_scope: str = "") -> Request:
    """§7 / §9: agree, agree in part or decline, once every point of the checklist is answered.
    A decline names the points not satisfied; an HO agreement on OFFICIAL-SENSITIVE or personal data
    needs its approvals first (§10, §17); for HO→IASC the Commissioner's decision is final (§14)."""
    with _acting(request, by, Action.DECIDE, expected_version) as locked:
        policies.check_decision(locked, decision, reasons=reasons, provided_scope=provided_scope,
                                withheld_scope=withheld_scope)
        locked.decision, locked.decided_at, locked.decided_by = decision, timezone.now(), by
        locked.decision_reasons = reasons.strip()
        agreed_in_part = decision == Decision.AGREED_IN_PART
        locked.provided_scope = provided_scope.strip() if agreed_in_part else ""
        locked.withheld_scope = withheld_scope.strip() if agreed_in_part else ""
        locked.declined_items = ([item.key for item in policies.unsatisfied_items(locked)]
                                 if decision == Decision.DECLINED else [])
        _advance(locked, by, Action.DECIDE, reasons,
                 details={"decision": decision, "declined_items": locked.declined_items})
    return locked


def deliver(request: Request | int, *, by: User, expected_version: int, description: str, marking: str,
            uploads: Iterable = (), occasion_id: int | None = None) -> Delivery:
    """Provide the information, or one occasion of a regular request (§6), with its marking (§7(e))."""
    uploads = list(uploads)
    saved: list[str] = []
    try:
        with _acting(request, by, Action.DELIVER, expected_version) as locked:
            checked = [file_checks.check_upload(upload, settings.CONCORDAT_MAX_FILE_BYTES) for upload in uploads]
            problems = _delivery_problems(locked, description, marking)
            occasion = _occasion_for(locked, occasion_id)
            if problems:
                raise RuleViolation(*problems)
            now = timezone.now()
            delivery = Delivery.objects.create(request=locked, occasion=occasion, description=description.strip(),
                                               marking=marking, delivered_by=by, delivered_at=now)
            for upload, facts in zip(uploads, checked, strict=True):
                name = default_storage.save(f"deliveries/{_random_name()}", upload)
                saved.append(name)
                DeliveryFile.objects.create(delivery=delivery, stored_file=name, original_name=facts.original_name,
                                            content_type=facts.content_type, size=facts.size, sha256=facts.sha256,
                                            uploaded_at=now)
            _advance(locked, by, Action.DELIVER, description, details={
                "delivery": delivery.pk, "marking": marking, "occasion": occasion.sequence if occasion else None,
                "files": [{"sha256": f.sha256, "size": f.size, "content_type": f.content_type} for f in checked]})
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return delivery


def _random_name() -> str:
    return secrets.token_hex(20)


def _delivery_problems(request: Request, description: str, marking: str) -> list[Problem]:
    spec = rules.spec_of(request)
    problems = [] if description.strip() else [Problem("Say what is being provided.", field="description")]
    marking_problem = rules.classification_problem(spec, marking, field="marking")
    if marking_problem:
        return problems + [marking_problem]
    if rules.marking_rank(spec, marking) > rules.marking_rank(spec, request.classification):
        problems.append(Problem(f"This request is {request.classification}: material marked {marking} needs a "
                                "request of that classification.", field="marking", clause=spec.classifications.clause))
    return problems


def _occasion_for(request: Request, occasion_id: int | None) -> DeliveryOccasion | None:
    if not request.is_regular:
        if occasion_id is not None:
            raise RuleViolation("A one-off request has no scheduled occasions.", field="occasion")
        return None
    open_occasions = policies.open_occasions(request)
    if occasion_id is None:
        return open_occasions[0]
    for occasion in open_occasions:
        if occasion.pk == occasion_id:
            return occasion
    raise RuleViolation("Choose an occasion not yet delivered.", field="occasion")


def close(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    with _acting(request, by, Action.CLOSE, expected_version) as locked:
        locked.closed_at, locked.closed_by = timezone.now(), by
        _advance(locked, by, Action.CLOSE, note)
    return locked


def withdraw(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    with _acting(request, by, Action.WITHDRAW, expected_version) as locked:
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), by
        _advance(locked, by, Action.WITHDRAW, note)
    return locked


# --- recomputing due dates when the calendar changes -------------------------------------------------

def recompute_due_dates(calendar_name: str) -> int:
    """After a closure or opening is added or removed, move the due dates not yet met of open
    protocol requests counted on that calendar (§12). Returns how many requests changed."""
    cal = schedule.get_calendar(calendar_name)
    candidates = (Request.objects.open().filter(route=RouteKind.PROTOCOL, calendar_name=calendar_name,
                                                submitted_at__isnull=False).values_list("pk", flat=True))
    return sum(_recompute_one(pk, cal) for pk in list(candidates))


@transaction.atomic
def _recompute_one(pk: int, cal) -> bool:
    request = Request.objects.select_for_update(of=("self",)).select_related("protocol").get(pk=pk)
    dates = schedule.due_dates(request, request.submitted_at, cal)
    before = {"received_on": request.received_on, "acknowledge_by": request.acknowledge_by,
              "provide_by": request.provide_by}
    after = dict(before, received_on=dates.received_on)
    if request.acknowledged_at is None:
        after["acknowledge_by"] = dates.acknowledge_by
    if not request.deliveries.exists():
        after["provide_by"] = dates.provide_by
    for name, value in after.items():
        setattr(request, name, value)
    moved_occasions = _recompute_occasions(request, cal) if request.is_regular else []
    changed = {name: [str(before[name]), str(after[name])] for name in after if before[name] != after[name]}
    if not changed and not moved_occasions:
        return False
    request.save(update_fields=[*after, "updated_at"])
    details = {"reference": request.reference, "calendar": cal.name, "changed": changed,
               "occasions": moved_occasions}
    RequestEvent.objects.create(request=request, action=Action.RECOMPUTE_DUE_DATES, actor=None,
                                        occurred_at=timezone.now(), from_state=request.state,
                                        to_state=request.state, details=details)
    record_event(f"sharing.{Action.RECOMPUTE_DUE_DATES}", obj=request, details=details,
                 organisation_id=request.holder_org_id)
    return True


def _recompute_occasions(request: Request, cal) -> list[int]:
    due_by_sequence = dict(enumerate((due for _, due in schedule.occasion_due_dates(request, cal)), start=1))
    moved = []
    for occasion in request.occasions.filter(delivery__isnull=True):
        due = due_by_sequence.get(occasion.sequence)
        if due and due != occasion.due_on:
            occasion.due_on = due
            occasion.save(update_fields=["due_on"])
            moved.append(occasion.sequence)
    return moved


# --- files ------------------------------------------------------------------------------------

def file_for_download(file_id: int, *, by: User) -> DeliveryFile:
    """A delivered file for someone allowed to see its request; the download is on the record."""
    delivery_file = (DeliveryFile.objects.select_related(
        *(f"delivery__request__{relation}" for relation in LOCKED_RELATIONS)).filter(pk=file_id).first())
    if delivery_file is None or not permissions.user_can_view(by, delivery_file.delivery.request):
        raise NotAllowed("You cannot see this file.")
    with transaction.atomic():
        record_event("sharing.file_downloaded", by=by, obj=delivery_file,
                     details={"request": delivery_file.delivery.request.reference, "sha256": delivery_file.sha256})
    return delivery_file


# --- the machinery every action shares ------------------------------------------------------------

@contextlib.contextmanager
def _acting(request: Request | int, by: User, action: Action, expected_version: int) -> Iterator[Request]:
    with transaction.atomic():
        locked = _locked(request, by, expected_version)
        permissions.check(by, action, locked)
        policies.check_action(action, locked)
        yield locked


def _locked(request: Request | int, by: User, expected_version: int) -> Request:
    pk = getattr(request, "pk", request)
    locked = (Request.objects.select_for_update(of=("self",)).select_related(*LOCKED_RELATIONS)
              .filter(pk=pk).first())
    if locked is None or not permissions.user_can_view(by, locked):
        raise NotAllowed("You cannot see this request.")
    if expected_version is None or int(expected_version) != locked.version:
        raise StaleObject(
            f"Someone else changed {locked.reference} since you opened it (it is now at version "
            f"{locked.version}). Reload it to see what changed, then try again.", field="version")
    return locked


def _advance(request: Request, by: User, action: Action, note: str = "", *, details: dict | None = None) -> RequestEvent:
    """Move to the action's target state, raise the version, and put the step on the record."""
    from_state = request.state
    request.state = target_state(action, RequestState(from_state))
    request.version += 1
    request.save()
    return _record(request, by, action, from_state, note, details=details)


def _record(request: Request, by: User, action: Action, from_state: str, note: str = "", *,
            details: dict | None = None) -> RequestEvent:
    now = timezone.now()
    event = RequestEvent.objects.create(request=request, action=action, actor=by, occurred_at=now,
                                        from_state=from_state, to_state=request.state, note=(note or "").strip(),
                                        details=_plain(details or {}))
    # The audit record carries the structure, not the free text people wrote.
    record_event(f"sharing.{action}", by=by, obj=request, details={
        "reference": request.reference, "from_state": from_state, "to_state": request.state,
        "version": request.version, **_plain(details or {})})
    _notify_after_commit(event)
    return event


def _plain(details: dict) -> dict:
    return json.loads(json.dumps(details, default=str))


def _notify_after_commit(event: RequestEvent) -> None:
    from sharing import notifications

    if event.action in notifications.EVENT_NOTIFICATIONS:
        transaction.on_commit(lambda: notifications.dispatch_event(event.pk))

