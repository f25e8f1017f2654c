"""Working calendars with the database's closures and openings, without a restart.

Each call reads the calendar's adjustments (a handful of rows, one small query) and reuses the built
calendar while they are unchanged, so a change made by any process applies to the next call everywhere.
The rows themselves are the cache key rather than a stamp such as count and max(id): SQLite can hand out
an id again after a rollback, and a reason can change without either number moving.
"""

from __future__ import annotations

from clock.core import DEFAULT_CALENDAR, WorkingCalendar, check_calendar_name
from clock.models import CalendarAdjustment

_built: dict[str, tuple[tuple, WorkingCalendar]] = {}


def get_calendar(name: str = DEFAULT_CALENDAR) -> WorkingCalendar:
    """The named calendar: bank holidays plus the closures and openings in the database now (read once per page
    within workflow.work.one_page)."""
    from workflow.work import for_the_page

    return for_the_page(("calendar", name), lambda: _current(name))


def _current(name: str) -> WorkingCalendar:
    check_calendar_name(name)
    adjustments = tuple(
        CalendarAdjustment.objects.filter(calendar=name).order_by("day").values_list("day", "kind", "reason")
    )
    cached = _built.get(name)
    if cached is not None and cached[0] == adjustments:
        return cached[1]
    calendar = _build(name, adjustments)
    _built[name] = (adjustments, calendar)
    return calendar


def _build(name: str, adjustments: tuple) -> WorkingCalendar:
    closures = {day: reason for day, kind, reason in adjustments if kind == CalendarAdjustment.Kind.CLOSURE}
    openings = {day: reason for day, kind, reason in adjustments if kind == CalendarAdjustment.Kind.OPENING}
    return WorkingCalendar.named(name, closures=closures, openings=openings)
