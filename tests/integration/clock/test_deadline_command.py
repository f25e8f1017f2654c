"""python manage.py deadline 2021-06-15 --classification official-sensitive [--calendar NAME]"""

import sys
from datetime import date
from io import StringIO
from types import ModuleType, SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from clock.core import ProtocolTimings
from clock.services import add_adjustment

pytestmark = pytest.mark.django_db


def deadline(*args) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_protocol(monkeypatch):
    services = ModuleType("protocols.services")
    services.current_protocol = lambda slug="ho-iasc": None
    monkeypatch.setitem(sys.modules, "protocols.services", services)


@pytest.fixture
def protocol_allowing_eight_working_days(monkeypatch):
    timings = ProtocolTimings(clause="§12", calendar="scotland", acknowledge_working_days=2,
                              provide_working_days={"OFFICIAL": 8, "OFFICIAL-SENSITIVE": 12})
    protocol = SimpleNamespace(slug="ho-iasc", version="2021-06-01", spec=SimpleNamespace(timings=timings))
    services = ModuleType("protocols.services")
    services.current_protocol = lambda slug="ho-iasc": protocol
    monkeypatch.setitem(sys.modules, "protocols.services", services)


def test_the_command_prints_the_receipt_the_due_dates_and_how_they_were_worked_out(no_protocol):
    out = deadline("2021-12-23", "--classification", "official-sensitive")
    assert "Timings: §12 defaults (no protocol loaded)" in out
    assert "Date of receipt: Thursday 23 December 2021" in out
    assert "Acknowledge by: Thursday 30 December 2021 (3 working days)" in out
    assert "Provide OFFICIAL-SENSITIVE by: Tuesday 18 January 2022 (15 working days)" in out
    assert "Monday 27 December 2021: Bank holiday: Christmas Day (observed)" in out


def test_the_command_accepts_an_iso_datetime_with_an_offset_and_takes_the_london_date(no_protocol):
    out = deadline("2021-06-15T23:30:00+00:00", "--classification", "official")
    assert "Date of receipt: Wednesday 16 June 2021" in out
    assert "Provide OFFICIAL by: Wednesday 30 June 2021 (10 working days)" in out


def test_the_command_says_when_a_request_arrived_on_a_day_that_is_not_a_working_day(no_protocol):
    out = deadline("2021-06-20", "--classification", "official")
    assert "Date of receipt: Monday 21 June 2021" in out
    assert "arrived Sunday 20 June 2021, not a working day" in out


def test_the_command_counts_in_the_calendar_asked_for(no_protocol):
    out = deadline("2022-11-29", "--classification", "official", "--calendar", "scotland")
    assert "Calendar: Scotland (scotland)" in out
    assert "Acknowledge by: Monday 5 December 2022" in out
    assert "Wednesday 30 November 2022: Bank holiday: Saint Andrew's Day" in out


def test_the_command_uses_the_newest_loaded_protocols_timings_and_calendar(protocol_allowing_eight_working_days):
    out = deadline("2022-11-29", "--classification", "official")
    assert "Timings: §12 of protocol ho-iasc 2021-06-01" in out
    assert "Calendar: Scotland (scotland)" in out
    assert "Acknowledge by: Friday 2 December 2022 (2 working days)" in out
    assert "Provide OFFICIAL by: Monday 12 December 2022 (8 working days)" in out


def test_the_command_sees_a_closure_added_in_the_database(no_protocol, person):
    add_adjustment("england-and-wales", date(2021, 6, 16), "closure", "Office move",
                   by=person("home-office", Role.ADMINISTRATOR))
    out = deadline("2021-06-15", "--classification", "official")
    assert "Acknowledge by: Monday 21 June 2021" in out
    assert "Wednesday 16 June 2021: Closure: Office move" in out


@pytest.mark.parametrize(("args", "message"), [
    (["2021-06-15T23:30:00", "--classification", "official"], "has no time zone"),
    (["15/06/2021", "--classification", "official"], "is not a date"),
    (["1999-06-15", "--classification", "official"], r"outside the years .* \(2000 to 2050\)"),
    (["2050-12-20", "--classification", "official-sensitive"], "runs past 2050-12-31"),
    (["2021-06-15", "--classification", "secret"], "Unknown classification 'secret'"),
    (["2021-06-15", "--classification", "official", "--calendar", "wales"], "invalid choice: 'wales'"),
])
def test_bad_input_is_a_command_error_that_names_the_problem(no_protocol, args, message):
    with pytest.raises(CommandError, match=message):
        deadline(*args)


def test_asking_for_a_protocol_that_is_not_loaded_is_a_command_error(no_protocol):
    with pytest.raises(CommandError, match="No protocol 'other' has been loaded"):
        deadline("2021-06-15", "--classification", "official", "--protocol", "other")


def test_the_command_reads_the_timings_of_the_shipped_protocol_once_loaded():
    from protocols.services import load_default_protocols

    load_default_protocols()
    out = deadline("2021-06-15", "--classification", "official-sensitive")
    assert "Timings: §12 of protocol ho-iasc" in out
    assert "Provide OFFICIAL-SENSITIVE by: Tuesday 6 July 2021 (15 working days)" in out
