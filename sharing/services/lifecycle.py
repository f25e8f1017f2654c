"""The request's way through: submission and its due dates (§12), acknowledgement, routing (§11), the start
of the assessment, closing and withdrawing. Each action runs in REQUESTS.acting (workflow core)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_active_member
from accounts.roles import Role
from approvals import services as approval_services
from arrangements import coverage as arrangement_coverage
from concordat import limits
from concordat.errors import Problem, RuleViolation
from protocols.services import current_protocol
from sharing import permissions, rules, schedule
from sharing.cases import REQUESTS
from sharing.models import DeliveryOccasion, Reassignment, Request
from sharing.services.drafting import submission_problems
from sharing.states import Action


def submit(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    """Send the request; store its receipt and due dates (§12) and the protocol version it is made under."""
    limits.check_texts(note=note)
    with REQUESTS.acting(request, by=by, action=Action.SUBMIT, expected_version=expected_version) as locked:
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
        details = {"protocol_version": locked.protocol_version, "received_on": dates.received_on,
                   "acknowledge_by": dates.acknowledge_by, "provide_by": dates.provide_by}
        if arrangement_coverage.ARRANGEMENT_KEY in rules.personal_data_requirements(locked):
            covering = arrangement_coverage.covering(locked)  # §16: the arrangement it is sent under
            details["arrangement"] = covering.pk if covering else None
        REQUESTS.advance(locked, by, Action.SUBMIT, note, details=details)
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


def acknowledge(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    """§12: tell the requester the request is being considered."""
    limits.check_texts(note=note)
    with REQUESTS.acting(request, by=by, action=Action.ACKNOWLEDGE, expected_version=expected_version) as locked:
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), by
        REQUESTS.advance(locked, by, Action.ACKNOWLEDGE, note)
    return locked


def reassign(request: Request | int, *, by: User, expected_version: int, to_org: Organisation,
             to_user: User | None = None, reason: str) -> Request:
    """§11: pass the request to the team that holds the information, saying why."""
    limits.check_texts(reason=reason)
    with REQUESTS.acting(request, by=by, action=Action.REASSIGN, expected_version=expected_version) as locked:
        problems = _reassignment_problems(locked, to_org, to_user, reason)
        if problems:
            raise RuleViolation(*problems)
        Reassignment.objects.create(
            request=locked, from_org=locked.assigned_org, to_org=to_org, from_user=locked.assigned_to,
            to_user=to_user, reason=reason, reassigned_by=by, reassigned_at=timezone.now())
        details = {"from_org": locked.assigned_org.slug, "to_org": to_org.slug,
                   "to_user": to_user.pk if to_user else None}
        locked.assigned_org, locked.assigned_to = to_org, to_user
        REQUESTS.advance(locked, by, Action.REASSIGN, reason, details=details)
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
    limits.check_texts(note=note)
    with REQUESTS.acting(request, by=by, action=Action.START_ASSESSMENT, expected_version=expected_version) as locked:
        if locked.assigned_to_id is None and permissions.is_assessor(by, locked):
            locked.assigned_to = by
        REQUESTS.advance(locked, by, Action.START_ASSESSMENT, note)
    return locked


def close(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    limits.check_texts(note=note)
    with REQUESTS.acting(request, by=by, action=Action.CLOSE, expected_version=expected_version) as locked:
        locked.closed_at, locked.closed_by = timezone.now(), by
        REQUESTS.advance(locked, by, Action.CLOSE, note)
    return locked


def withdraw(request: Request | int, *, by: User, expected_version: int, note: str = "") -> Request:
    limits.check_texts(note=note)
    with REQUESTS.acting(request, by=by, action=Action.WITHDRAW, expected_version=expected_version) as locked:
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), by
        approval_services.cancel_open(locked, by, "The request was withdrawn.")
        REQUESTS.advance(locked, by, Action.WITHDRAW, note)
    return locked
