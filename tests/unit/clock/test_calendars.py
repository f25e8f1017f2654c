"""The four calendars: England and Wales (the default), Scotland, Northern Ireland, and any part of the UK
(FOI Act s10(6): not a working day if it is a bank holiday anywhere in the UK)."""

from datetime import date

import pytest

from clock.core import (
    CALENDAR_NAMES,
    DEFAULT_CALENDAR,
    FIRST_SUPPORTED_DAY,
    LAST_SUPPORTED_DAY,
    WorkingCalendar,
)
from tests.support.clock import calendar, deadlines


def test_there_are_four_calendars_and_england_and_wales_is_the_default():
    assert CALENDAR_NAMES == ("england-and-wales", "scotland", "northern-ireland", "any-part-of-uk")
    assert DEFAULT_CALENDAR == "england-and-wales"
    assert WorkingCalendar.named().name == "england-and-wales"


def test_the_calendars_cover_2000_to_2050():
    assert (FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY) == (date(2000, 1, 1), date(2050, 12, 31))
    for name in CALENDAR_NAMES:
        assert calendar(name).is_working_day(date(2000, 1, 5))
        assert not calendar(name).is_working_day(date(2050, 12, 26))  # Boxing Day


@pytest.mark.parametrize(("name", "acknowledge_by"), [
    ("england-and-wales", date(2024, 1, 4)),
    ("northern-ireland", date(2024, 1, 4)),
    ("scotland", date(2024, 1, 5)),
    ("any-part-of-uk", date(2024, 1, 5)),
])
def test_2_january_is_a_bank_holiday_in_scotland_only(name, acknowledge_by):
    assert deadlines(date(2023, 12, 29), calendar_name=name).acknowledge_by == acknowledge_by


@pytest.mark.parametrize(("name", "acknowledge_by"), [
    ("england-and-wales", date(2022, 12, 2)),
    ("northern-ireland", date(2022, 12, 2)),
    ("scotland", date(2022, 12, 5)),
    ("any-part-of-uk", date(2022, 12, 5)),
])
def test_st_andrews_day_is_a_bank_holiday_in_scotland_only(name, acknowledge_by):
    assert deadlines(date(2022, 11, 29), calendar_name=name).acknowledge_by == acknowledge_by


@pytest.mark.parametrize(("name", "acknowledge_by"), [
    ("england-and-wales", date(2022, 7, 14)),
    ("scotland", date(2022, 7, 14)),
    ("northern-ireland", date(2022, 7, 15)),
    ("any-part-of-uk", date(2022, 7, 15)),
])
def test_12_july_is_a_bank_holiday_in_northern_ireland_only(name, acknowledge_by):
    assert deadlines(date(2022, 7, 11), calendar_name=name).acknowledge_by == acknowledge_by


@pytest.mark.parametrize(("name", "working"), [
    ("england-and-wales", True), ("scotland", True), ("northern-ireland", False), ("any-part-of-uk", False),
])
def test_st_patricks_day_is_a_bank_holiday_in_northern_ireland_only(name, working):
    assert calendar(name).is_working_day(date(2022, 3, 17)) is working


@pytest.mark.parametrize(("name", "working"), [
    ("england-and-wales", False), ("scotland", True), ("northern-ireland", False), ("any-part-of-uk", False),
])
def test_easter_monday_is_a_bank_holiday_everywhere_but_scotland(name, working):
    assert calendar(name).is_working_day(date(2022, 4, 18)) is working


def test_scotland_has_its_summer_bank_holiday_at_the_start_of_august_not_the_end():
    assert not calendar("scotland").is_working_day(date(2021, 8, 2))
    assert calendar("scotland").is_working_day(date(2021, 8, 30))
    assert calendar("england-and-wales").is_working_day(date(2021, 8, 2))
    assert not calendar("england-and-wales").is_working_day(date(2021, 8, 30))


def test_any_part_of_uk_names_the_parts_that_keep_a_holiday_when_not_all_do():
    holidays = calendar("any-part-of-uk").bank_holidays
    assert holidays[date(2022, 12, 26)] == "Boxing Day"
    assert holidays[date(2022, 11, 30)] == "Saint Andrew's Day (Scotland)"
    assert holidays[date(2022, 7, 12)] == "Battle of the Boyne (Northern Ireland)"
    assert holidays[date(2022, 4, 18)] == "Easter Monday (not Scotland)"
    assert holidays[date(2023, 1, 2)] == "New Year's Day (observed); New Year Holiday (Scotland)"


def test_any_part_of_uk_is_never_a_working_day_when_another_calendar_says_it_is_not():
    every = [calendar(name) for name in CALENDAR_NAMES if name != "any-part-of-uk"]
    any_part = calendar("any-part-of-uk")
    for day in any_part.bank_holidays:
        if day.weekday() < 5:
            assert any(not cal.is_working_day(day) for cal in every)
    for cal in every:
        assert set(cal.non_working_weekdays) <= set(any_part.non_working_weekdays)


def test_a_closure_makes_a_working_day_a_non_working_day():
    closed = WorkingCalendar.named(closures={date(2021, 6, 16): "Office move"})
    assert not closed.is_working_day(date(2021, 6, 16))
    assert calendar().is_working_day(date(2021, 6, 16))


def test_an_opening_makes_a_bank_holiday_a_working_day_but_never_a_weekend():
    opened = WorkingCalendar.named(openings={date(2022, 9, 19): "Open after all", date(2022, 9, 17): "Saturday"})
    assert opened.is_working_day(date(2022, 9, 19))
    assert not opened.is_working_day(date(2022, 9, 17))
