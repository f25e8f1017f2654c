"""Escalations as a case type of the workflow core (§13). Who escalates: the IASC's requesters and case officers
of the requesting office, or the Commissioner. Who decides at a rung: an active person holding that rung's role
(read from the protocol's ladder) in the holder's department."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from accounts.permissions import is_active_member
from accounts.roles import Role
from clock.core import add_working_days, london_date
from clock.vectorised import working_days_between_many
from concordat.errors import Problem
from escalations import ladder, notifications
from escalations.models import Escalation, EscalationEvent
from escalations.states import ESCALATION_MACHINE, EscalationAction, EscalationState
from protocols.models import Protocol
from sharing import permissions as request_permissions
from sharing import schedule
from workflow.cases import CaseType
from workflow.work import COUNT_CAP, WorkCounts, WorkItem, counts_of

ESCALATORS = "a requester or case officer of the requesting office, or the Commissioner (§13)"
DECIDERS = "a person holding the role of the rung it is at, in the holder's department (§13)"


def _department(user) -> int | None:
    return user.organisation.department.pk if user.organisation_id else None


def _in_department(department: int | None, organisation) -> bool:
    return department is not None and (organisation.pk == department or organisation.parent_id == department)


def is_escalator(user, escalation: Escalation) -> bool:
    """§13: the IASC escalates its own requests: an active member of the requesting office with the requester or
    case officer role, or its Commissioner."""
    request = escalation.request if isinstance(escalation, Escalation) else escalation
    if not is_active_member(user):
        return False
    return (request_permissions.is_requester_side(user, request)
            or request_permissions.is_commissioner_of_requester(user, request))


def is_decider(user, escalation: Escalation) -> bool:
    """§13: the people holding the current rung's role in the holder's department."""
    return (is_active_member(user) and escalation.rung_role in user.roles
            and _in_department(_department(user), escalation.request.holder_org))


class EscalationCaseType(CaseType):
    kind = "escalation"
    label = "Escalation"
    model = Escalation
    machine = ESCALATION_MACHINE
    timeline = EscalationEvent
    timeline_case_field = "escalation"
    audit_prefix = "escalations"
    locked_relations = ("request__holder_org", "request__requester_org", "request__routed_to",
                        "request__assigned_org", "request__protocol", "opened_by")
    phrases = {EscalationAction.DECIDE: "decide this escalation at its rung",
               EscalationAction.GO_UP: "take this escalation to the next rung",
               EscalationAction.CLOSE: "close this escalation",
               EscalationAction.WITHDRAW: "withdraw this escalation"}
    state_labels = dict(EscalationState.choices)
    owner_labels = {"rung": "The people of the rung it is at (§13)",
                    "escalator": "The IASC: go up a rung or close", "nobody": "Nobody (finished)"}
    notified_actions = frozenset({EscalationAction.ESCALATE.value, EscalationAction.DECIDE.value,
                                  EscalationAction.GO_UP.value})
    diagram_path = "docs/escalations.md"
    # ADR 17: structured values only, never the reasons people wrote.
    audited_fields = ("state", "request", "position", "rung_key", "rung_role", "grounds", "opened_by",
                      "opened_at", "finished_at")

    def reference(self, case) -> str:
        return f"{case.request.reference} escalation {case.pk}"

    def link(self, case) -> str:
        return reverse("escalations:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return Escalation.objects.filter(request_permissions.visible_request_q(user))

    def can_view(self, user, case) -> bool:
        return request_permissions.user_can_view(user, case.request)

    def who_may(self, action, case):
        if action == EscalationAction.DECIDE:
            return is_decider, DECIDERS
        return is_escalator, ESCALATORS

    def rule_problem(self, action, case):
        if action == EscalationAction.GO_UP and ladder.next_rung(case.request, case.position) is None:
            return Problem("This escalation is at the top of the ladder: there is no rung above it.",
                           field="rung", clause=ladder.clause_of(case.request))
        return None

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        if not is_active_member(user):
            return Q(pk__in=[])
        department = _department(user)
        in_holder = Q(request__holder_org=department) | Q(request__holder_org__parent=department)
        q = Q(state=EscalationState.AT_RUNG, rung_role__in=list(user.roles)) & in_holder
        requester_side = Q(pk__in=[])
        if user.has_role(*request_permissions.REQUESTER_ROLES):
            requester_side |= Q(request__requester_org=user.organisation_id)
        if user.has_role(Role.COMMISSIONER):
            requester_side |= Q(request__requester_org=department) | Q(request__requester_org__parent=department)
        return q | (Q(state=EscalationState.NOT_RESOLVED) & requester_side)

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        """Each escalation waiting on this person, with how long it has waited in working days (§13) and, where
        the protocol sets a target for the rung, when it is due. Each calendar is read once, not once an item."""
        waiting = (self.visible(user).filter(self.waiting_on(user))
                   .select_related("request__protocol", "request__holder_org").prefetch_related("steps")
                   .defer("request__protocol__definition")  # 16 kB of JSON a row; Protocol.spec is cached
                   .order_by("pk")[:limit])
        calendars = {}

        def calendar(escalation):
            key = (escalation.request.calendar_name, escalation.request.protocol_id)
            if key not in calendars:
                calendars[key] = schedule.calendar_for(escalation.request)
            return calendars[key]

        items = []
        for escalation in waiting:
            cal = calendar(escalation)
            wait = (waited(escalation, today, cal=cal) if escalation.state == EscalationState.AT_RUNG
                    else waiting_on_iasc(escalation, today, cal=cal))
            rung = ladder.rung_at(escalation.request, escalation.position)
            due = due_on(escalation, today, cal=cal)
            if escalation.state == EscalationState.AT_RUNG:
                what = f"Escalated to you ({rung.title}, {rung.clause}): waited {wait.days} working days"
            else:
                what = f"Not resolved by {rung.title}: go up a rung or close ({wait.days} working days)"
            items.append(WorkItem(self.kind, self.reference(escalation), escalation.request.title, what,
                                  escalation.request.classification, due, bool(due and due < today), False,
                                  self.link(escalation), escalation))
        return items

    def work_counts(self, user, today) -> WorkCounts:
        """Counted in SQL (capped, ADR 45) while no protocol sets a rung a target: then nothing waiting here has a
        due date, so none is overdue or due this week. With targets, the first COUNT_CAP + 1 are dated in Python."""
        if any(ladder.has_targets(protocol) for protocol in Protocol.objects.defer("definition")):
            return counts_of(self.work_items(user, today, COUNT_CAP + 1), today)
        waiting = self.visible(user).filter(self.waiting_on(user)).order_by()
        return WorkCounts(total=waiting[:COUNT_CAP + 1].count())

    def audit_organisation(self, case):
        return case.request.requester_org_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


class Waited:
    def __init__(self, since: date | None, days: int):
        self.since, self.days = since, days


def current_step(escalation: Escalation):
    steps = [step for step in escalation.steps.all() if step.position == escalation.position]
    return steps[0] if steps else None


def waited(escalation: Escalation, today: date, step=None, *, cal=None) -> Waited:
    """Working days (the protocol's calendar, bank holidays excepted) a rung has waited: from when the escalation
    reached it to its decision, or to today while undecided."""
    step = step or current_step(escalation)
    if step is None:
        return Waited(None, 0)
    if step.decided_at is None:  # undecided: up to today, or to when the IASC withdrew it
        start = london_date(step.reached_at)
        end = london_date(escalation.finished_at) if escalation.finished_at else today
    else:
        start, end = london_date(step.reached_at), london_date(step.decided_at)
    return Waited(start, _working_days(start, max(start, end), cal or schedule.calendar_for(escalation.request)))


def waiting_on_iasc(escalation: Escalation, today: date, *, cal=None) -> Waited:
    step = current_step(escalation)
    if step is None or step.decided_at is None:
        return Waited(None, 0)
    start = london_date(step.decided_at)
    return Waited(start, _working_days(start, max(start, today), cal or schedule.calendar_for(escalation.request)))


def _working_days(start: date, end: date, cal) -> int:
    """clock.core.working_days_between read off the calendar's table of working days (clock.vectorised, the same
    answers): counting a wait of years day by day cost "My work" a millisecond an escalation."""
    return int(working_days_between_many([start], [end], cal)[0])


def due_on(escalation: Escalation, today: date, *, cal=None) -> date | None:
    """The protocol's target for the rung it waits at, if any (this protocol sets none)."""
    if escalation.state != EscalationState.AT_RUNG:
        return None
    rung = ladder.rung_at(escalation.request, escalation.position)
    step = current_step(escalation)
    if rung.target_working_days is None or step is None:
        return None
    return add_working_days(london_date(step.reached_at), rung.target_working_days,
                            cal or schedule.calendar_for(escalation.request))


ESCALATIONS = EscalationCaseType()
