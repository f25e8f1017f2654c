"""Closures and openings added by an administrator: effective at once, audited, announced, permitted."""

from datetime import date

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from clock.calendar_store import get_calendar
from clock.core import UnknownCalendar, add_working_days
from clock.models import CalendarAdjustment
from clock.services import add_adjustment, remove_adjustment
from clock.signals import calendar_changed
from concordat.errors import NotAllowed, RuleViolation, StaleObject

pytestmark = pytest.mark.django_db

RECEIVED = date(2021, 6, 15)  # Tuesday: acknowledgement due Friday 18 June
OFFICE_MOVE = date(2021, 6, 16)


@pytest.fixture
def administrator(person):
    return person("home-office", Role.ADMINISTRATOR)


@pytest.fixture
def announcements():
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    calendar_changed.connect(receiver)
    yield heard
    calendar_changed.disconnect(receiver)


def acknowledge_by(calendar_name="england-and-wales"):
    return add_working_days(RECEIVED, 3, get_calendar(calendar_name))


def test_a_closure_takes_effect_at_once_without_a_restart(administrator):
    assert acknowledge_by() == date(2021, 6, 18)
    add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    assert acknowledge_by() == date(2021, 6, 21)
    assert acknowledge_by("scotland") == date(2021, 6, 18)  # each calendar has its own closures


def test_adding_a_closure_is_audited(administrator):
    adjustment = add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "  Office move ", by=administrator)
    event = AuditEvent.objects.get(action="clock.adjustment_added")
    assert (event.actor, event.object_type, event.object_id) == (
        administrator, "clock.calendaradjustment", str(adjustment.pk))
    assert event.details == {"calendar": "england-and-wales", "day": "2021-06-16", "kind": "closure",
                             "reason": "Office move"}


def test_removing_a_closure_restores_the_day_at_once_and_is_audited(administrator):
    adjustment = add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    assert acknowledge_by() == date(2021, 6, 21)
    remove_adjustment(adjustment, by=administrator)
    assert acknowledge_by() == date(2021, 6, 18)
    event = AuditEvent.objects.get(action="clock.adjustment_removed")
    assert (event.actor, event.object_id, event.details["day"]) == (administrator, str(adjustment.pk), "2021-06-16")


def test_an_opening_makes_a_bank_holiday_a_working_day_at_once(administrator):
    funeral_friday = date(2022, 9, 16)
    assert add_working_days(funeral_friday, 1, get_calendar()) == date(2022, 9, 20)
    add_adjustment("england-and-wales", date(2022, 9, 19), "opening", "Office open", by=administrator)
    assert add_working_days(funeral_friday, 1, get_calendar()) == date(2022, 9, 19)


def test_a_change_is_announced_once_the_transaction_commits(administrator, announcements,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = add_adjustment("scotland", OFFICE_MOVE, "closure", "Office move", by=administrator)
        assert announcements == []
    with django_capture_on_commit_callbacks(execute=True):
        remove_adjustment(adjustment, by=administrator)
    assert announcements == [
        {"signal": calendar_changed, "calendar_name": "scotland", "day": OFFICE_MOVE, "kind": "closure",
         "change": "added"},
        {"signal": calendar_changed, "calendar_name": "scotland", "day": OFFICE_MOVE, "kind": "closure",
         "change": "removed"},
    ]


def test_a_non_administrator_may_not_add_a_closure(person):
    requester = person("iasc", Role.REQUESTER, Role.CASE_OFFICER)
    with pytest.raises(NotAllowed, match="add closures to the working-day calendar"):
        add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=requester)
    assert not CalendarAdjustment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="clock.").exists()


def test_a_non_administrator_may_not_remove_a_closure(administrator, person):
    adjustment = add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    with pytest.raises(NotAllowed):
        remove_adjustment(adjustment, by=person("home-office", Role.AUDITOR))
    assert CalendarAdjustment.objects.filter(pk=adjustment.pk).exists()


def test_an_administrator_without_an_organisation_may_not_add_a_closure(person):
    with pytest.raises(NotAllowed):
        add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move",
                       by=person(None, Role.ADMINISTRATOR))


@pytest.mark.parametrize(("calendar", "day", "kind", "reason", "field", "message"), [
    ("wales", OFFICE_MOVE, "closure", "Move", "calendar", "Choose a calendar"),
    ("england-and-wales", date(2051, 1, 2), "closure", "Move", "day", "outside the years"),
    ("england-and-wales", OFFICE_MOVE, "holiday", "Move", "kind", "Choose closure or opening"),
    ("england-and-wales", OFFICE_MOVE, "closure", "   ", "reason", "Enter the reason"),
    ("england-and-wales", OFFICE_MOVE, "closure", "x" * 201, "reason", "200 characters or fewer"),
    ("england-and-wales", date(2021, 6, 19), "closure", "Move", "day", "Saturday 19 June 2021 is a weekend"),
    ("england-and-wales", date(2021, 12, 27), "closure", "Move", "day",
     r"already a bank holiday \(Christmas Day \(observed\)\)"),
    ("england-and-wales", OFFICE_MOVE, "opening", "Open", "day", "already a working day"),
    ("england-and-wales", date(2021, 6, 19), "opening", "Open", "day", "only a bank holiday can be opened"),
])
def test_a_pointless_or_malformed_adjustment_is_refused(administrator, calendar, day, kind, reason, field,
                                                         message):
    with pytest.raises(RuleViolation, match=message) as refused:
        add_adjustment(calendar, day, kind, reason, by=administrator)
    assert refused.value.problems[0].field == field
    assert not CalendarAdjustment.objects.exists()


def test_a_second_adjustment_for_the_same_day_is_refused(administrator):
    add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    with pytest.raises(RuleViolation, match="already has a closure or opening"):
        add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Again", by=administrator)


def test_removing_an_adjustment_twice_is_refused_as_stale(administrator):
    adjustment = add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    remove_adjustment(adjustment, by=administrator)
    with pytest.raises(StaleObject, match="already been removed"):
        remove_adjustment(adjustment, by=administrator)


def test_an_unchanged_calendar_is_built_once_and_reused():
    assert get_calendar("scotland") is get_calendar("scotland")


def test_a_change_made_elsewhere_is_seen_on_the_next_call(administrator):
    """Another process (or a rolled-back id reused by SQLite) cannot leave a stale calendar behind."""
    adjustment = add_adjustment("england-and-wales", OFFICE_MOVE, "closure", "Office move", by=administrator)
    assert get_calendar().closures == {OFFICE_MOVE: "Office move"}
    CalendarAdjustment.objects.filter(pk=adjustment.pk).update(reason="Office move, rearranged")
    assert get_calendar().closures == {OFFICE_MOVE: "Office move, rearranged"}


def test_an_unknown_calendar_is_refused_by_the_store():
    with pytest.raises(UnknownCalendar, match="'wales'"):
        get_calendar("wales")
