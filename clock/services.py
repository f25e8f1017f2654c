"""The one way to change a working-day calendar: permitted, audited, announced."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import IntegrityError, transaction

from accounts.permissions import Action, check
from audit.services import record_event
from clock.core import CALENDAR_LABELS, ClockError, WorkingCalendar, check_day, long_date
from clock.models import CalendarAdjustment
from clock.signals import calendar_changed
from concordat.errors import Problem, RuleViolation, StaleObject

REASON_MAX_LENGTH = CalendarAdjustment._meta.get_field("reason").max_length


def add_adjustment(calendar: str, day: date, kind: str, reason: str, *, by) -> CalendarAdjustment:
    """Close a working day, or open a bank holiday, in one calendar from now on."""
    check(by, Action.MANAGE_CALENDAR)
    reason = (reason or "").strip()
    with transaction.atomic():
        problems = adjustment_problems(calendar, day, kind, reason)
        if problems:
            raise RuleViolation(*problems)
        try:
            with transaction.atomic():
                adjustment = CalendarAdjustment.objects.create(
                    calendar=calendar, day=day, kind=kind, reason=reason, created_by=by)
        except IntegrityError as error:  # somebody else added one for that day a moment ago
            raise RuleViolation(_already_adjusted(calendar, day)) from error
        record_event("clock.adjustment_added", by=by, obj=adjustment, details=_details(adjustment))
        _announce(adjustment, "added")
    return adjustment


def remove_adjustment(adjustment: CalendarAdjustment, *, by) -> None:
    """Undo a closure or opening: the calendar goes back to its bank holidays for that day."""
    check(by, Action.MANAGE_CALENDAR)
    with transaction.atomic():
        current = CalendarAdjustment.objects.select_for_update().filter(pk=adjustment.pk).first()
        if current is None:
            raise StaleObject("That closure or opening has already been removed.")
        object_id = current.pk
        current.delete()
        record_event("clock.adjustment_removed", by=by, obj=(CalendarAdjustment._meta.label_lower, object_id),
                     details=_details(current))
        _announce(current, "removed")


def adjustment_problems(calendar: str, day: date | None, kind: str, reason: str) -> list[Problem]:
    """What is wrong with a proposed adjustment, for the service, the page and the admin alike."""
    if calendar not in CALENDAR_LABELS:
        return [Problem(f"Choose a calendar: {', '.join(CALENDAR_LABELS)}.", "calendar")]
    problems = []
    if not reason:
        problems.append(Problem("Enter the reason for the change.", "reason"))
    elif len(reason) > REASON_MAX_LENGTH:
        problems.append(Problem(f"The reason must be {REASON_MAX_LENGTH} characters or fewer.", "reason"))
    if kind not in CalendarAdjustment.Kind.values:
        problems.append(Problem("Choose closure or opening.", "kind"))
    elif day is None:
        problems.append(Problem("Enter the date.", "day"))
    else:
        problems.extend(_day_problems(calendar, day, kind))
    return problems


def _day_problems(calendar: str, day: date, kind: str) -> list[Problem]:
    try:
        check_day(day)
    except ClockError as error:
        return [Problem(str(error), "day")]
    if CalendarAdjustment.objects.filter(calendar=calendar, day=day).exists():
        return [_already_adjusted(calendar, day)]
    problem = _pointless(WorkingCalendar.named(calendar), day, kind)
    return [Problem(problem, "day")] if problem else []


def _pointless(bank_holidays_only: WorkingCalendar, day: date, kind: str) -> str | None:
    """A closure must close a working day; an opening must open a weekday bank holiday."""
    when = long_date(day)
    if day.weekday() >= 5:
        return (f"{when} is a weekend, which is never a working day." if kind == CalendarAdjustment.Kind.CLOSURE
                else f"{when} is a weekend: only a bank holiday can be opened as a working day.")
    holiday = bank_holidays_only.bank_holidays.get(day)
    if kind == CalendarAdjustment.Kind.CLOSURE and holiday:
        return f"{when} is already a bank holiday ({holiday})."
    if kind == CalendarAdjustment.Kind.OPENING and not holiday:
        return f"{when} is already a working day."
    return None


def _already_adjusted(calendar: str, day: date) -> Problem:
    return Problem(f"{long_date(day)} already has a closure or opening in this calendar: remove it first.", "day")


def _details(adjustment: CalendarAdjustment) -> dict:
    return {"calendar": adjustment.calendar, "day": adjustment.day.isoformat(), "kind": adjustment.kind,
            "reason": adjustment.reason}


def _announce(adjustment: CalendarAdjustment, change: str) -> None:
    transaction.on_commit(partial(calendar_changed.send, sender=CalendarAdjustment,
                                  calendar_name=adjustment.calendar, day=adjustment.day, kind=adjustment.kind,
                                  change=change))
