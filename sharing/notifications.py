"""Emails about requests: on the steps people wait for, before due dates, and a daily digest of overdue
work. Each is sent once: the Notification row is written in the same transaction as the send, under a
unique key (request, kind, milestone, recipient), so a retry or a second run sends nothing more.

Emails carry the marking first in the subject, the reference and the state, never the content.
Only people who may see the request are written to.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from clock.calendar_store import get_calendar
from clock.core import long_date, working_days_between
from protocols.markings import highest_marking
from sharing import permissions, queries, rules
from sharing.models import DeliveryOccasion, NotificationKind, Request, RequestEvent
from sharing.states import AWAITING_PROVISION, Action, Provision, RequestState, StateOwner
from workflow import notify, registry

EVENT_NOTIFICATIONS = {
    Action.SUBMIT: NotificationKind.SUBMITTED,
    Action.ACKNOWLEDGE: NotificationKind.ACKNOWLEDGED,
    Action.REQUEST_FURTHER_INFORMATION: NotificationKind.FURTHER_INFORMATION_REQUESTED,
    Action.DECIDE: NotificationKind.DECIDED,
    Action.DELIVER: NotificationKind.PROVIDED,
}
ACKNOWLEDGEMENT_REMINDER_WORKING_DAYS = 1
PROVISION_REMINDER_WORKING_DAYS = 2
REQUEST_RELATIONS = ("requester", "requester_org", "holder_org", "routed_to", "assigned_org", "assigned_to",
                     "protocol")


# --- who hears ------------------------------------------------------------------------------------

def _active(users) -> list[User]:
    return [user for user in users if user.is_active and user.email]


def _people(**filters) -> list[User]:
    users = User.objects.filter(is_active=True, **filters).select_related("organisation").prefetch_related(
        "role_grants").distinct()
    return list(users)


def routed_recipients(request: Request) -> list[User]:
    """§11: the routed organisation's people in the routed role."""
    return _people(organisation=request.routed_to, role_grants__role=request.routed_role)


def holder_handlers(request: Request) -> list[User]:
    """The person the request is assigned to, otherwise the assessors of the team dealing with it."""
    if request.assigned_to_id:
        return [request.assigned_to]
    return _people(organisation=request.assigned_org, role_grants__role=Role.ASSESSOR)


def on_behalf_recorders(request: Request) -> list[User]:
    if request.is_protocol_route:
        return []
    return _people(organisation=request.requester_org, role_grants__role=Role.CASE_OFFICER)


def owners(request: Request) -> list[User]:
    """The people whose move it is (STATE_OWNERS), for reminders and the digest."""
    owner = queries.owner_of(request)
    if owner == StateOwner.REQUESTER:
        people = [request.requester]
    elif owner == StateOwner.RECIPIENT:
        people = routed_recipients(request) + on_behalf_recorders(request)
    elif owner == StateOwner.HOLDER:
        people = holder_handlers(request) + on_behalf_recorders(request)
    else:
        people = []
    return _can_see(request, people)


def _can_see(request: Request, people: list[User]) -> list[User]:
    unique = {person.pk: person for person in _active(people)}
    return [person for person in unique.values() if permissions.user_can_view(person, request)]


def event_recipients(request: Request, kind: str) -> list[User]:
    if kind == NotificationKind.SUBMITTED:
        return _can_see(request, routed_recipients(request) + on_behalf_recorders(request))
    return _can_see(request, [request.requester])


# --- sending once --------------------------------------------------------------------------------

def send_once(*, request: Request | None, kind: str, milestone: str, recipient: User, subject: str,
              lines: list[str], marking: str | None = None) -> bool:
    """Send unless this (request, kind, milestone, recipient) was sent before; True if sent now."""
    return notify.send_once(case_type=registry.case_type("request"), case=request, kind=kind, milestone=milestone,
                            recipient=recipient, subject=subject, lines=lines,
                            marking=marking or request.classification)


def subject_for(request: Request, what: str) -> str:
    """The marking comes first in an email subject."""
    return f"{request.classification}: {request.reference} {what}"


def _lines(request: Request, lines: list[str]) -> list[str]:
    return [f"Request {request.reference} ({request.requester_org} to {request.holder_org}).", *lines]


EVENT_WORDS = {
    NotificationKind.SUBMITTED: ("submitted", "It has been sent to you. Acknowledge it by {acknowledge_by}."),
    NotificationKind.ACKNOWLEDGED: ("acknowledged", "It has been acknowledged and is being considered."),
    NotificationKind.FURTHER_INFORMATION_REQUESTED: (
        "needs further information", "The holder has asked for further information before deciding."),
    NotificationKind.DECIDED: ("decided", "A decision has been recorded: {decision}."),
    NotificationKind.PROVIDED: ("provided", "Information has been provided on it."),
}


def send_event_notifications(event_id: int) -> int:
    event = RequestEvent.objects.select_related(*(f"request__{r}" for r in REQUEST_RELATIONS)).get(pk=event_id)
    request, kind = event.request, EVENT_NOTIFICATIONS[event.action]
    what, line = EVENT_WORDS[kind]
    line = line.format(acknowledge_by=long_date(request.acknowledge_by) if request.acknowledge_by else "",
                       decision=request.get_decision_display())
    return sum(send_once(request=request, kind=kind, milestone=f"event-{event.pk}", recipient=person,
                         subject=subject_for(request, what), lines=_lines(request, [line]))
               for person in event_recipients(request, kind))


# --- reminders and the digest ---------------------------------------------------------------------

def send_due_reminders(today: date) -> int:
    """One working day before acknowledgement is due, two before provision (or an occasion) is due (§12)."""
    sent = 0
    horizon = today + timedelta(days=14)
    candidates = (Request.objects.open().filter(submitted_at__isnull=False).select_related(*REQUEST_RELATIONS)
                  .prefetch_related("named_people", "occasions__delivery", "deliveries"))
    for request in candidates.filter(state=RequestState.SUBMITTED, acknowledge_by__gt=today,
                                     acknowledge_by__lte=horizon):
        if _working_days_to(request, today, request.acknowledge_by) == ACKNOWLEDGEMENT_REMINDER_WORKING_DAYS:
            sent += _remind(request, NotificationKind.ACKNOWLEDGEMENT_DUE, request.acknowledge_by,
                            "acknowledgement due", "Acknowledge it by {due}.")
    for request, due, milestone in _provisions_due(candidates, today, horizon):
        if _working_days_to(request, today, due) == PROVISION_REMINDER_WORKING_DAYS:
            sent += _remind(request, NotificationKind.PROVISION_DUE, due, "provision due",
                            "The information is due to be provided by {due}.", milestone)
    return sent


def _provisions_due(candidates, today: date, horizon: date):
    one_off = candidates.filter(state__in=list(AWAITING_PROVISION), provision=Provision.ONE_OFF,
                                provide_by__gt=today, provide_by__lte=horizon)
    for request in one_off:
        yield request, request.provide_by, request.provide_by.isoformat()
    occasions = (DeliveryOccasion.objects.filter(delivery__isnull=True, due_on__gt=today, due_on__lte=horizon,
                                                 request__in=candidates.filter(state__in=list(AWAITING_PROVISION)).values("pk"))
                 .select_related(*(f"request__{r}" for r in REQUEST_RELATIONS)))
    for occasion in occasions:
        yield occasion.request, occasion.due_on, f"occasion-{occasion.sequence}-{occasion.due_on.isoformat()}"


def _working_days_to(request: Request, today: date, due: date) -> int | None:
    """Working days from today to the due date, or None on a day that is not a working day (no reminders)."""
    cal = get_calendar(request.calendar_name or rules.spec_of(request).timings.calendar)
    if not cal.is_working_day(today):
        return None
    return working_days_between(today, due, cal)


def _remind(request: Request, kind: str, due: date, what: str, line: str, milestone: str | None = None) -> int:
    milestone = milestone or due.isoformat()
    lines = _lines(request, [line.format(due=long_date(due))])
    return sum(send_once(request=request, kind=kind, milestone=milestone, recipient=person,
                         subject=subject_for(request, what), lines=lines)
               for person in owners(request))


def send_overdue_digest(today: date) -> int:
    """Once a working day, each person's overdue requests in one email."""
    overdue = (Request.objects.filter(queries.overdue_q(today)).select_related(*REQUEST_RELATIONS)
               .prefetch_related("named_people").order_by("reference"))
    per_person: dict[int, list[Request]] = defaultdict(list)
    people: dict[int, User] = {}
    for request in overdue:
        if not get_calendar(request.calendar_name).is_working_day(today):
            continue
        for person in owners(request):
            people[person.pk] = person
            per_person[person.pk].append(request)
    return sum(_send_digest(people[pk], requests, today) for pk, requests in per_person.items())


def _send_digest(person: User, requests: list[Request], today: date) -> bool:
    highest = highest_marking(*(request.classification for request in requests))
    lines = [f"- {request.reference}: {request.get_state_display()}" for request in requests]
    return notify.send_once(kind=NotificationKind.OVERDUE_DIGEST, milestone=today.isoformat(), recipient=person,
                            subject=f"{highest}: {len(requests)} overdue request(s)",
                            lines=[f"Overdue on {long_date(today)}:", *lines], marking=highest,
                            link=reverse("workflow:my_work"))
