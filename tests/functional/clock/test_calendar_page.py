"""The calendar page at /calendar/: everyone sees the year's days off; administrators add and remove."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from clock.calendar_store import get_calendar
from clock.models import CalendarAdjustment
from clock.services import add_adjustment

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.clock_urls")]


@pytest.fixture
def administrator(person):
    return person("home-office", Role.ADMINISTRATOR)


def closure_form(day: date, reason="Office move", calendar="england-and-wales", kind="closure") -> dict:
    return {"calendar": calendar, "day_0": str(day.day), "day_1": str(day.month), "day_2": str(day.year),
            "kind": kind, "reason": reason}


def test_the_page_lists_the_years_bank_holidays_for_the_chosen_calendar(person, signed_in):
    client = signed_in(person("iasc", Role.REQUESTER))
    page = client.get(reverse("clock:calendar"), {"calendar": "scotland", "year": 2022}).content.decode()
    assert "Working days in 2022" in page
    assert "Wednesday 30 November 2022" in page and "Saint Andrew&#x27;s Day" in page
    assert "State Funeral of Queen Elizabeth II" in page
    assert "Add a closure or opening" not in page


def test_an_administrator_adds_a_closure_through_the_form_and_it_applies_at_once(administrator, signed_in):
    client = signed_in(administrator)
    response = client.post(reverse("clock:calendar"), closure_form(date(2021, 6, 16)))
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?calendar=england-and-wales&year=2021"
    assert not get_calendar().is_working_day(date(2021, 6, 16))
    assert AuditEvent.objects.filter(action="clock.adjustment_added", actor=administrator).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Closure: Office move" in page


def test_a_pointless_closure_is_shown_as_an_error_on_the_form(administrator, signed_in):
    response = signed_in(administrator).post(reverse("clock:calendar"), closure_form(date(2021, 12, 27)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "is already a bank holiday (Christmas Day (observed))" in page
    assert not CalendarAdjustment.objects.exists()


def test_an_impossible_date_is_shown_as_an_error_on_the_form(administrator, signed_in):
    response = signed_in(administrator).post(reverse("clock:calendar"), {
        **closure_form(date(2021, 6, 16)), "day_1": "13"})
    assert "Enter a real date" in response.content.decode()


def test_a_non_administrator_may_not_add_a_closure(person, signed_in):
    client = signed_in(person("iasc", Role.CASE_OFFICER))
    assert client.post(reverse("clock:calendar"), closure_form(date(2021, 6, 16))).status_code == 403
    assert not CalendarAdjustment.objects.exists()


def test_an_administrator_removes_a_closure(administrator, signed_in):
    adjustment = add_adjustment("england-and-wales", date(2021, 6, 16), "closure", "Move", by=administrator)
    response = signed_in(administrator).post(reverse("clock:remove_adjustment", args=[adjustment.pk]))
    assert response.status_code == 302
    assert get_calendar().is_working_day(date(2021, 6, 16))


def test_a_non_administrator_may_not_remove_a_closure(administrator, person, signed_in):
    adjustment = add_adjustment("england-and-wales", date(2021, 6, 16), "closure", "Move", by=administrator)
    client = signed_in(person("home-office", Role.AUDITOR))
    assert client.post(reverse("clock:remove_adjustment", args=[adjustment.pk])).status_code == 403
    assert CalendarAdjustment.objects.filter(pk=adjustment.pk).exists()


@pytest.mark.parametrize("query", [{"calendar": "wales"}, {"year": "1999"}, {"year": "soon"}])
def test_an_unknown_calendar_or_year_is_not_found(person, signed_in, query):
    client = signed_in(person("iasc", Role.REQUESTER))
    assert client.get(reverse("clock:calendar"), query).status_code == 404


def test_the_django_admin_adds_closures_through_the_service_so_they_are_audited(person, signed_in):
    superuser = person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = signed_in(superuser)
    response = client.post("/admin/clock/calendaradjustment/add/", {
        "calendar": "england-and-wales", "day": "2021-06-16", "kind": "closure", "reason": "Office move"})
    assert response.status_code == 302, response.content.decode()[:2000]
    adjustment = CalendarAdjustment.objects.get()
    assert adjustment.created_by == superuser
    assert AuditEvent.objects.filter(action="clock.adjustment_added").exists()
    client.post(f"/admin/clock/calendaradjustment/{adjustment.pk}/delete/", {"post": "yes"})
    assert not CalendarAdjustment.objects.exists()
    assert AuditEvent.objects.filter(action="clock.adjustment_removed").exists()


def test_the_django_admin_refuses_a_pointless_closure(person, signed_in):
    client = signed_in(person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    response = client.post("/admin/clock/calendaradjustment/add/", {
        "calendar": "england-and-wales", "day": "2021-06-19", "kind": "closure", "reason": "Office move"})
    assert response.status_code == 200
    assert "is a weekend" in response.content.decode()
    assert not CalendarAdjustment.objects.exists()


def test_a_form_with_an_error_keeps_what_was_typed(administrator, signed_in):
    response = signed_in(administrator).post(reverse("clock:calendar"), closure_form(date(2021, 12, 27), reason=""))
    page = response.content.decode()
    assert "Enter the reason for the change." in page
    assert 'value="27"' in page and 'value="12"' in page and 'value="2021"' in page
