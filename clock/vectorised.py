"""The §12 counting rule over many dates at once, with NumPy.

NumPy's busdaycalendar (Monday to Friday, with the calendar's non-working weekdays as its holidays) says
once per calendar which days of 2000–2050 are working days. Each question is then answered with array
look-ups into that table: "how many working days come before d" and "the working day k places on". That
gives what np.busday_offset(d, n, roll="forward") gives, several times faster, because busday_offset
binary-searches the holiday list for every date (bench/clock.py times both).

It answers exactly as the scalar functions in clock.core do (tests compare the two on random dates for
every calendar) and refuses the same bad input. Dates here are London dates (datetime64[D]); turn
instants into London dates with clock.core.london_date first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

import numpy as np

from clock.core import (
    FIRST_SUPPORTED_DAY,
    LAST_SUPPORTED_DAY,
    MAX_WORKING_DAYS,
    BadWorkingDayCount,
    ClockError,
    DateOutOfRange,
    WorkingCalendar,
    check_working_day_count,
    provide_working_days,
)

MONDAY_TO_FRIDAY = "1111100"
FIRST_DAY = np.datetime64(FIRST_SUPPORTED_DAY, "D")
LAST_DAY = np.datetime64(LAST_SUPPORTED_DAY, "D")
ONE_DAY = np.timedelta64(1, "D")

DateArray = Iterable | np.ndarray


@dataclass(frozen=True)
class WorkingDayTable:
    """working_days: every working day in the supported range, in order.
    working_days_before[i]: how many of them fall before FIRST_DAY + i (i may be one past the range)."""

    busdaycalendar: np.busdaycalendar
    working_days: np.ndarray
    working_days_before: np.ndarray


@dataclass(frozen=True)
class DeadlineArrays:
    received_on: np.ndarray
    acknowledge_by: np.ndarray
    provide_by: np.ndarray


_tables: WeakKeyDictionary[WorkingCalendar, WorkingDayTable] = WeakKeyDictionary()


def working_day_table(cal: WorkingCalendar) -> WorkingDayTable:
    """The look-up table for a calendar, built once per WorkingCalendar (a few milliseconds)."""
    table = _tables.get(cal)
    if table is None:
        table = _tables[cal] = _build_table(cal)
    return table


def _build_table(cal: WorkingCalendar) -> WorkingDayTable:
    holidays = np.array(cal.non_working_weekdays, dtype="datetime64[D]")
    calendar = np.busdaycalendar(weekmask=MONDAY_TO_FRIDAY, holidays=holidays)
    every_day = np.arange(FIRST_DAY, LAST_DAY + ONE_DAY, dtype="datetime64[D]")
    is_working = np.is_busday(every_day, busdaycal=calendar)
    before = np.concatenate(([0], np.cumsum(is_working)))
    return WorkingDayTable(calendar, every_day[is_working], before)


def as_days(values: DateArray) -> np.ndarray:
    """London dates as datetime64[D], refusing anything that would be silently truncated to a date."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        if np.datetime_data(values.dtype)[0] != "D":
            raise ClockError("Give London dates (datetime64[D]), not instants: convert them with london_date.")
        days = values
    else:
        values = list(values)
        if any(isinstance(value, datetime) for value in values):
            raise ClockError("Give London dates, not datetimes: convert them with london_date.")
        days = np.array(values, dtype="datetime64[D]")
    _check_days(days)
    return days


def _check_days(days: np.ndarray) -> None:
    if days.size == 0:
        return
    if np.isnat(days).any():
        raise ClockError("A date is missing (NaT).")
    outside = (days < FIRST_DAY) | (days > LAST_DAY)
    if outside.any():
        raise DateOutOfRange(
            f"{days[outside].flat[0]} is outside the years the working-day calendars cover "
            f"({FIRST_SUPPORTED_DAY.year} to {LAST_SUPPORTED_DAY.year})."
        )


def _as_counts(n: int | DateArray) -> np.ndarray:
    counts = np.asarray(n)
    if counts.dtype == np.bool_ or not np.issubdtype(counts.dtype, np.integer):
        raise BadWorkingDayCount(f"A number of working days must be a whole number, not {counts.dtype} values.")
    bad = (counts < 0) | (counts > MAX_WORKING_DAYS)
    if bad.any():
        raise BadWorkingDayCount(
            f"A number of working days must be between 0 and {MAX_WORKING_DAYS}, not {counts[bad].flat[0]}."
        )
    return counts.astype(np.int64)


def _day_numbers(days: np.ndarray) -> np.ndarray:
    return (days - FIRST_DAY).astype(np.int64)


def _working_day_after(days: np.ndarray, counts: np.ndarray, table: WorkingDayTable) -> np.ndarray:
    """§12: roll each day forward to a working day, then step `counts` working days on."""
    positions = table.working_days_before[_day_numbers(days)] + counts
    past = positions >= table.working_days.size
    if past.any():
        raise DateOutOfRange(
            f"Counting working days from {np.broadcast_to(days, past.shape)[past].flat[0]} runs past "
            f"{LAST_SUPPORTED_DAY.isoformat()}, the last day the working-day calendars cover."
        )
    return table.working_days[positions]


def next_working_days(days: DateArray, cal: WorkingCalendar) -> np.ndarray:
    """Each day itself if a working day, otherwise the next working day (core.next_working_day_from)."""
    return add_working_days_many(days, 0, cal)


def add_working_days_many(days: DateArray, n: int | DateArray, cal: WorkingCalendar) -> np.ndarray:
    """§12: day N after each day (core.add_working_days); n is one count or one per day."""
    return _working_day_after(as_days(days), _as_counts(n), working_day_table(cal))


def working_days_between_many(starts: DateArray, ends: DateArray, cal: WorkingCalendar) -> np.ndarray:
    """The working days elapsed from each start to its end (core.working_days_between)."""
    starts, ends = as_days(starts), as_days(ends)
    backwards = ends < starts
    if backwards.any():
        position = np.flatnonzero(backwards)[0]
        start = np.broadcast_to(starts, backwards.shape).flat[position]
        end = np.broadcast_to(ends, backwards.shape).flat[position]
        raise ClockError(f"The end date {end} is before the start date {start}.")
    before = working_day_table(cal).working_days_before
    # Working days from start to end inclusive, less the one `start` counts as (itself or the next).
    working = before[_day_numbers(ends) + 1] - before[_day_numbers(starts)]
    return np.maximum(working - 1, 0)


def request_deadlines_many(arrived_on: DateArray, classification: str | DateArray, timings,
                           cal: WorkingCalendar) -> DeadlineArrays:
    """§12 for many requests (core.request_deadlines): one classification for all, or one per request."""
    arrived_on = as_days(arrived_on)
    table = working_day_table(cal)
    acknowledge_days = np.int64(check_working_day_count(timings.acknowledge_working_days))
    return DeadlineArrays(
        received_on=_working_day_after(arrived_on, np.int64(0), table),
        acknowledge_by=_working_day_after(arrived_on, acknowledge_days, table),
        provide_by=_working_day_after(arrived_on, _provide_counts(classification, timings), table),
    )


def _provide_counts(classification: str | DateArray, timings) -> np.ndarray:
    if isinstance(classification, str):
        return np.int64(provide_working_days(classification, timings))
    levels = np.asarray(classification, dtype=str)
    counts = np.full(levels.shape, -1, dtype=np.int64)
    for level, days in timings.provide_working_days.items():
        counts[levels == level] = check_working_day_count(days)
    # Spellings other than the protocol's own ('official-sensitive') are rare: normalise them one by one.
    for unusual in np.unique(levels[counts < 0]):
        counts[levels == unusual] = provide_working_days(str(unusual), timings)
    return counts
