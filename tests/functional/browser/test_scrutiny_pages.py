"""The scrutiny pages in a real browser (ADR 41, 42): the statistics page with its charts and tables, a
dashboard with overdue work, and the audit log browser pass WCAG 2.2 AA and do not scroll sideways, on a desktop
and at 320 px (screenshots 80 to 82); a CSV downloads from the statistics page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from escalations import services as esc
from escalations.states import Outcome
from sharing.models import Request
from sharing.states import RequestState
from tests.support.escalations import escalated, rungs
from tests.support.holds import overdue, placed
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.fixture
def history(cast, person):
    walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.PROVIDED)
    late = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    Request.objects.filter(pk=late.pk).update(next_due_on=timezone.localdate() - timedelta(days=2009))
    ladder = rungs(person)
    escalation = escalated(cast)
    esc.decide(escalation, by=ladder.policy_lead, outcome=Outcome.NOT_RESOLVED, note="Not mine.",
               expected_version=escalation.version)
    overdue(placed(cast))  # a processing hold whose review date has passed: its figures and panel have rows
    return late


def _check(page, accessibility, sideways_overflow, screenshot, name):
    assert accessibility() == []
    assert sideways_overflow() == []
    screenshot(name)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_statistics_page(page, viewport, cast, history, sign_in, accessibility, sideways_overflow, screenshot):
    sign_in(cast.commissioner)
    page.goto("/scrutiny/statistics/?by=classification")
    assert page.get_by_role("heading", name="Requests acknowledged within 3 working days").is_visible()
    assert page.locator("img.concordat-chart").count() >= 3
    assert page.get_by_test_id("figure-hold_reviews").is_visible()
    _check(page, accessibility, sideways_overflow, screenshot, "80-statistics")
    if viewport == 1280:
        with page.expect_download() as started:
            page.get_by_test_id("figure-acknowledgement").get_by_role("link", name="CSV").click()
        assert started.value.suggested_filename.startswith("OFFICIAL-acknowledgement-")
        page.goto("/scrutiny/statistics/?from=2021-06-30&to=2021-06-01")
        assert "before it starts" in page.get_by_test_id("problems").inner_text()
        assert accessibility() == []


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_dashboard(page, viewport, cast, history, sign_in, accessibility, sideways_overflow, screenshot):
    sign_in(cast.spoc)
    page.goto("/scrutiny/dashboard/")
    overdue = page.get_by_test_id("figure-overdue")
    assert history.reference in overdue.inner_text() and "about 5½ years" in overdue.inner_text()
    assert "Overdue by" in page.get_by_test_id("figure-holds").inner_text()
    _check(page, accessibility, sideways_overflow, screenshot, "81-dashboard")


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_audit_log_browser(page, viewport, cast, person, history, sign_in, accessibility, sideways_overflow,
                               screenshot):
    sign_in(person("iasc", Role.AUDITOR))
    page.goto(f"/audit/?case={history.reference}")
    assert page.get_by_test_id("audit-events").get_by_role("link", name=history.reference).count() >= 1
    _check(page, accessibility, sideways_overflow, screenshot, "82-audit-browser")


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_transparency_page(page, viewport, history, settings, accessibility, sideways_overflow, screenshot):
    settings.CONCORDAT_TRANSPARENCY = True
    page.goto("/scrutiny/transparency/")  # not signed in
    assert page.get_by_role("heading", name="Requests received by year and direction").is_visible()
    _check(page, accessibility, sideways_overflow, screenshot, "83-transparency")
