"""Due dates: worked out by the clock under the protocol's timings (§12), or set by the requester
outside the protocol (§18, §4 fn 1); and the delivery occasions of a regular request (§6)."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from clock.calendar_store import get_calendar
from clock.core import (
    CALENDAR_LABELS,
    ClockError,
    WorkingCalendar,
    add_working_days,
    london_date,
    provide_working_days,
    request_deadlines,
)
from concordat.errors import Problem
from sharing import rules
from sharing.states import AWAITING_PROVISION, Frequency, RequestState, RouteKind

MAX_OCCASIONS = 120
MONTHS_PER_STEP = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUALLY: 12}


@dataclass(frozen=True)
class DueDates:
    received_on: date
    acknowledge_by: date
    provide_by: date


def calendar_for(request) -> WorkingCalendar:
    """The calendar the protocol counts in (§12); requests outside it are shown on the same calendar."""
    return get_calendar(request.calendar_name or rules.spec_of(request).timings.calendar)


def due_dates(request, submitted_at: datetime, cal: WorkingCalendar) -> DueDates:
    if request.is_protocol_route:
        # §12: acknowledge and provide within the protocol's working days of the day of receipt.
        deadlines = request_deadlines(submitted_at, request.classification, rules.spec_of(request).timings, cal)
        return DueDates(deadlines.received_on, deadlines.acknowledge_by, deadlines.provide_by)
    return DueDates(london_date(submitted_at), request.acknowledge_by, request.provide_by)


def target_date_problems(request, today: date) -> list[Problem]:
    """Outside the protocol the requester sets the dates: both, in order, not in the past."""
    clause = rules.route_clause(request)
    problems = [Problem("Set a target date for this.", field=field, clause=clause)
                for field in ("acknowledge_by", "provide_by") if getattr(request, field) is None]
    if problems:
        return problems
    if request.acknowledge_by < today:
        problems.append(Problem("The target date must not be in the past.", field="acknowledge_by", clause=clause))
    if request.provide_by < request.acknowledge_by:
        problems.append(Problem("The date to provide must not be before the date to acknowledge.",
                                field="provide_by", clause=clause))
    return problems


def step_dates(start: date, end: date, frequency: str) -> list[date]:
    """The scheduled dates of a regular request: start, then every step up to and including end."""
    dates = []
    index = 0
    while len(dates) <= MAX_OCCASIONS:
        scheduled = _step(start, frequency, index)
        if scheduled > end:
            break
        dates.append(scheduled)
        index += 1
    return dates


def _step(start: date, frequency: str, index: int) -> date:
    if frequency == Frequency.WEEKLY:
        return start + timedelta(weeks=index)
    return add_months(start, MONTHS_PER_STEP[frequency] * index)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def schedule_problems(request) -> list[Problem]:
    """§6: a regular request names its frequency and period."""
    if not request.is_regular:
        return []
    problems = []
    for field, message in (("frequency", "Choose how often the information is to be provided."),
                           ("period_start", "Give the first date of the period."),
                           ("period_end", "Give the last date of the period.")):
        if not getattr(request, field):
            problems.append(Problem(message, field=field, clause=_regular_clause(request)))
    if problems:
        return problems
    if request.period_end < request.period_start:
        return [Problem("The period must end after it starts.", field="period_end", clause=_regular_clause(request))]
    if len(step_dates(request.period_start, request.period_end, request.frequency)) > MAX_OCCASIONS:
        return [Problem(f"That period and frequency give more than {MAX_OCCASIONS} deliveries; shorten the period.",
                        field="period_end", clause=_regular_clause(request))]
    return []


def _regular_clause(request) -> str:
    direction = rules.direction_of(request)
    if direction is None:
        return rules.route_clause(request)
    return direction.required_elements[0].clause.split("(")[0]


def occasion_due_dates(request, cal: WorkingCalendar) -> list[tuple[date, date]]:
    """(scheduled on, due on) for each occasion of a regular request.

    Under the protocol each occasion counts as a request received on its scheduled date (or on the
    day the request was received, for occasions already past): it is due the §12 working days later,
    so the first occasion falls due with the request itself. Outside the protocol an occasion is due on
    its scheduled date, never before the requester's own target for the first provision.
    """
    occasions = []
    for scheduled in step_dates(request.period_start, request.period_end, request.frequency):
        if request.is_protocol_route:
            timings = rules.spec_of(request).timings
            start = max(scheduled, request.received_on)
            due = add_working_days(start, timings.provide_days(request.classification), cal)
        else:
            due = max(scheduled, request.provide_by)
        occasions.append((scheduled, due))
    return occasions


def today() -> date:
    return timezone.localdate()


# --- before sending: what the draft page says the due dates would be --------------------------------------

@dataclass(frozen=True)
class DuePreview:
    """The due dates a draft would get if it were sent now (§12), or the requester's own targets outside
    the protocol (§18, §4 fn 1), for the draft page to show before "Save and submit"."""

    clause: str
    set_by_requester: bool  # outside the protocol: the dates are the requester's targets, if set yet
    received_on: date | None = None
    acknowledge_by: date | None = None
    provide_by: date | None = None
    classification: str = ""
    acknowledge_working_days: int | None = None
    provide_working_days: int | None = None
    calendar_label: str = ""
    other_levels: tuple[tuple[str, int, date], ...] = ()  # (classification, working days, provide by)


def preview_due_dates(spec, values, now: datetime | None = None, *,
                      cal: WorkingCalendar | None = None) -> DuePreview | None:
    """What sending this draft at `now` (default: now) would set as its due dates.

    `values` is a Request or a mapping of the draft's fields (route, classification, acknowledge_by,
    provide_by); a missing or blank classification counts as the protocol's lowest, the form's default.
    Under the protocol the dates are worked out as `due_dates` will at submission, on the protocol's
    calendar; a classification the protocol has no time for gives None (the form says what is wrong).
    """
    def value(name):
        return values.get(name) if isinstance(values, Mapping) else getattr(values, name, None)

    route = value("route") or RouteKind.PROTOCOL
    if route != RouteKind.PROTOCOL:
        return DuePreview(clause=rules.other_route(spec, route).clause, set_by_requester=True,
                          acknowledge_by=value("acknowledge_by"), provide_by=value("provide_by"))
    timings = spec.timings
    classification = value("classification") or spec.classifications.levels[0]
    cal = cal or get_calendar(timings.calendar)
    now = now or timezone.now()
    try:
        deadlines = request_deadlines(now, classification, timings, cal)
        provide_days = provide_working_days(classification, timings)
    except ClockError:
        return None
    others = tuple((level, days, add_working_days(deadlines.received_on, days, cal))
                   for level, days in timings.provide_working_days.items() if level != classification)
    return DuePreview(
        clause=timings.clause, set_by_requester=False, received_on=deadlines.received_on,
        acknowledge_by=deadlines.acknowledge_by, provide_by=deadlines.provide_by, classification=classification,
        acknowledge_working_days=timings.acknowledge_working_days, provide_working_days=provide_days,
        calendar_label=CALENDAR_LABELS.get(cal.name, cal.name), other_levels=others)


def next_due_on(request) -> date | None:
    """The date the request next falls due (§12, §6): its acknowledgement while submitted, then its provision,
    or for a regular request its earliest occasion not yet delivered; none once nothing more is owed. Stored
    on the request by every action (Request.next_due_on), so lists sort and filter on it with an index."""
    if request.state == RequestState.SUBMITTED:
        return request.acknowledge_by
    if request.state not in AWAITING_PROVISION:
        return None
    if request.is_regular:
        return (request.occasions.filter(delivery__isnull=True).order_by("due_on")
                .values_list("due_on", flat=True).first())
    return request.provide_by
