"""Properties that hold for every date and every calendar, tried on random dates (hypothesis)."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clock.core import (
    CALENDAR_NAMES,
    WorkingCalendar,
    add_working_days,
    explain,
    next_working_day_from,
    working_days_between,
)
from clock.vectorised import (
    add_working_days_many,
    next_working_days,
    working_day_table,
    working_days_between_many,
)

modest = settings(max_examples=150, deadline=None, database=None)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
working_day_counts = st.integers(min_value=0, max_value=60)
calendars = st.sampled_from(CALENDAR_NAMES).map(WorkingCalendar.named)


@st.composite
def adjusted_calendars(draw, names=CALENDAR_NAMES):
    """A calendar with a few random closures (on weekdays) and openings (of its bank holidays)."""
    base = WorkingCalendar.named(draw(st.sampled_from(names)))
    closures = {day: "Closed" for day in draw(st.lists(days, max_size=8)) if day.weekday() < 5}
    holidays = sorted(day for day in base.bank_holidays if date(2015, 1, 1) <= day <= date(2035, 12, 31))
    openings = {day: "Open" for day in draw(st.lists(st.sampled_from(holidays), max_size=4))}
    return WorkingCalendar.named(base.name, closures=closures, openings=openings)


@modest
@given(day=days, n=st.integers(min_value=1, max_value=60), cal=calendars)
def test_a_deadline_never_falls_on_a_weekend_or_a_bank_holiday(day, n, cal):
    due = add_working_days(day, n, cal)
    assert due.weekday() < 5
    assert due not in cal.bank_holidays or due in cal.openings
    assert due > day


@modest
@given(day=days, n=working_day_counts, cal=adjusted_calendars())
def test_counting_the_working_days_to_a_deadline_gives_back_the_number_added(day, n, cal):
    assert working_days_between(day, add_working_days(day, n, cal), cal) == n


@modest
@given(day=days, n=working_day_counts, cal=adjusted_calendars())
def test_every_day_from_receipt_to_deadline_is_either_counted_or_explained(day, n, cal):
    received_on = next_working_day_from(day, cal)
    due = add_working_days(day, n, cal)
    skipped = explain(received_on, due, cal)
    assert len(skipped) == (due - received_on).days + 1 - (n + 1)
    assert all(not cal.is_working_day(item.day) and item.reason for item in skipped)


@modest
@given(day=days, extra=st.integers(min_value=0, max_value=40), cal=calendars)
def test_a_later_receipt_is_never_due_earlier(day, extra, cal):
    later = date.fromordinal(min(day.toordinal() + extra, date(2035, 12, 31).toordinal()))
    assert add_working_days(later, 10, cal) >= add_working_days(day, 10, cal)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@settings(max_examples=60, deadline=None, database=None)
@given(received=st.lists(days, min_size=1, max_size=40), data=st.data())
def test_the_vectorised_and_scalar_paths_agree_for_every_calendar(name, received, data):
    cal = data.draw(adjusted_calendars(names=(name,)))
    counts = data.draw(st.lists(working_day_counts, min_size=len(received), max_size=len(received)))
    expected = [add_working_days(day, n, cal) for day, n in zip(received, counts, strict=True)]
    assert add_working_days_many(received, np.array(counts), cal).tolist() == expected
    assert next_working_days(received, cal).tolist() == [next_working_day_from(day, cal) for day in received]
    ends = [max(day, other) for day, other in zip(received, data.draw(st.lists(
        days, min_size=len(received), max_size=len(received))), strict=True)]
    assert working_days_between_many(received, ends, cal).tolist() == [
        working_days_between(day, end, cal) for day, end in zip(received, ends, strict=True)]


@modest
@given(received=st.lists(days, min_size=1, max_size=40), n=working_day_counts, cal=adjusted_calendars())
def test_the_vectorised_path_gives_what_numpy_busday_offset_gives(received, n, cal):
    table = working_day_table(cal)
    expected = np.busday_offset(np.array(received, dtype="datetime64[D]"), n, roll="forward",
                                busdaycal=table.busdaycalendar)
    assert (add_working_days_many(received, n, cal) == expected).all()
