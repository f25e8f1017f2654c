"""Shorthand for the clock tests."""

from datetime import date, datetime

from clock.core import SECTION_12_DEFAULT_TIMINGS, Deadlines, WorkingCalendar, request_deadlines


def calendar(name: str = "england-and-wales") -> WorkingCalendar:
    return WorkingCalendar.named(name)


def deadlines(received: date | datetime, classification: str = "OFFICIAL",
              calendar_name: str = "england-and-wales") -> Deadlines:
    return request_deadlines(received, classification, SECTION_12_DEFAULT_TIMINGS, calendar(calendar_name))
