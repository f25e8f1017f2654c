"""Bad input is refused with a ClockError (a ValueError) that names the problem: never a wrong date."""

from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest

from clock.core import (
    SECTION_12_DEFAULT_TIMINGS,
    BadWorkingDayCount,
    ClockError,
    DateOutOfRange,
    NaiveDatetime,
    UnknownCalendar,
    UnknownClassification,
    WorkingCalendar,
    add_working_days,
    explain,
    receipt_day,
    request_deadlines,
    working_days_between,
)
from clock.vectorised import add_working_days_many, request_deadlines_many, working_days_between_many
from tests.support.clock import calendar


def test_every_clock_error_is_a_value_error():
    for error in (UnknownCalendar, DateOutOfRange, BadWorkingDayCount, NaiveDatetime, UnknownClassification):
        assert issubclass(error, ClockError)
    assert issubclass(ClockError, ValueError)


def test_an_unknown_calendar_is_refused_and_the_known_ones_are_listed():
    with pytest.raises(UnknownCalendar, match="'wales'.*england-and-wales, scotland, northern-ireland"):
        WorkingCalendar.named("wales")


def test_a_date_before_2000_is_refused():
    with pytest.raises(DateOutOfRange, match="1999-12-31 is outside .* \\(2000 to 2050\\)"):
        add_working_days(date(1999, 12, 31), 3, calendar())


def test_a_date_after_2050_is_refused():
    with pytest.raises(DateOutOfRange, match="2051-01-03 is outside"):
        add_working_days(date(2051, 1, 3), 3, calendar())


def test_an_instant_at_the_end_of_time_is_refused_as_out_of_range_not_an_overflow():
    with pytest.raises(DateOutOfRange, match="9999-12-31T23:59:00-05:00 is outside"):
        receipt_day(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))), calendar())


def test_a_deadline_that_would_fall_after_2050_is_refused():
    with pytest.raises(DateOutOfRange, match="from 2050-12-20 runs past 2050-12-31"):
        add_working_days(date(2050, 12, 20), 15, calendar())


def test_a_closure_outside_the_supported_years_is_refused():
    with pytest.raises(DateOutOfRange, match="1990-01-02"):
        WorkingCalendar.named(closures={date(1990, 1, 2): "Too early"})


@pytest.mark.parametrize("n", [-1, 1001, 10**9])
def test_a_negative_or_absurd_number_of_working_days_is_refused(n):
    with pytest.raises(BadWorkingDayCount, match=f"between 0 and 1000, not {n}"):
        add_working_days(date(2021, 6, 15), n, calendar())


@pytest.mark.parametrize("n", [1.5, "3", True, None])
def test_a_number_of_working_days_must_be_a_whole_number(n):
    with pytest.raises(BadWorkingDayCount, match="whole number"):
        add_working_days(date(2021, 6, 15), n, calendar())


def test_a_datetime_without_a_time_zone_is_refused_because_the_date_of_receipt_is_unknown():
    with pytest.raises(NaiveDatetime, match="2021-06-15T23:30:00 has no time zone"):
        receipt_day(datetime(2021, 6, 15, 23, 30), calendar())


def test_an_unknown_classification_is_refused_and_the_known_ones_are_listed():
    with pytest.raises(UnknownClassification, match="'SECRET'.*OFFICIAL, OFFICIAL-SENSITIVE"):
        request_deadlines(date(2021, 6, 15), "SECRET", SECTION_12_DEFAULT_TIMINGS, calendar())


def test_counting_backwards_is_refused():
    with pytest.raises(ClockError, match="end date 2021-06-01 is before the start date 2021-06-15"):
        working_days_between(date(2021, 6, 15), date(2021, 6, 1), calendar())


def test_explaining_a_due_date_before_receipt_is_refused():
    with pytest.raises(ClockError, match="before the date of receipt"):
        explain(date(2021, 6, 15), date(2021, 6, 1), calendar())


def test_a_datetime_where_a_date_is_expected_is_refused():
    with pytest.raises(ClockError, match="Expected a date"):
        add_working_days(datetime(2021, 6, 15, 12, 0), 3, calendar())


class TestTheVectorisedPathRefusesTheSameInput:
    def test_a_date_outside_the_supported_years(self):
        with pytest.raises(DateOutOfRange, match="1999-12-31 is outside"):
            add_working_days_many([date(2021, 6, 15), date(1999, 12, 31)], 3, calendar())

    def test_a_deadline_after_2050(self):
        with pytest.raises(DateOutOfRange, match="from 2050-12-20 runs past 2050-12-31"):
            add_working_days_many([date(2021, 6, 15), date(2050, 12, 20)], 15, calendar())

    def test_a_negative_or_absurd_count(self):
        with pytest.raises(BadWorkingDayCount, match="not -1"):
            add_working_days_many([date(2021, 6, 15)] * 2, np.array([3, -1]), calendar())
        with pytest.raises(BadWorkingDayCount, match="not 1001"):
            add_working_days_many([date(2021, 6, 15)], 1001, calendar())

    def test_a_fractional_count(self):
        with pytest.raises(BadWorkingDayCount, match="whole number"):
            add_working_days_many([date(2021, 6, 15)], 1.5, calendar())

    def test_instants_that_would_be_truncated_to_a_utc_date(self):
        instants = np.array(["2021-06-15T23:30"], dtype="datetime64[m]")
        with pytest.raises(ClockError, match="not instants"):
            add_working_days_many(instants, 3, calendar())
        with pytest.raises(ClockError, match="not datetimes"):
            add_working_days_many([datetime(2021, 6, 15, 23, 30)], 3, calendar())

    def test_a_missing_date(self):
        with pytest.raises(ClockError, match="missing"):
            add_working_days_many(np.array(["NaT"], dtype="datetime64[D]"), 3, calendar())

    def test_counting_backwards(self):
        with pytest.raises(ClockError, match="end date 2021-06-01 is before the start date 2021-06-15"):
            working_days_between_many([date(2021, 6, 15)], [date(2021, 6, 1)], calendar())

    def test_an_unknown_classification(self):
        with pytest.raises(UnknownClassification, match="'TOP SECRET'"):
            request_deadlines_many([date(2021, 6, 15)] * 2, ["OFFICIAL", "TOP SECRET"],
                                   SECTION_12_DEFAULT_TIMINGS, calendar())
