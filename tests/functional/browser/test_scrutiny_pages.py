"""The scrutiny pages in a real browser (ADR 41, 42): the statistics page with its charts and tables, a
dashboard with overdue work, and the audit log browser pass WCAG 2.2 AA and do not scroll sideways, on a desktop
and at 320 px (screenshots 80 to 83); a CSV downloads from the statistics page. The statistics page on a worker
(ADR 53) in each of its states, the same way (84 to 87): being computed with its refresh links, figures as of a
time with Recompute now, newer figures being computed, and a person past their limit of recomputes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from escalations import services as esc
from escalations.states import Outcome
from scrutiny import tasks
from scrutiny.models import SnapshotState
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


def _without_its_refresh(page, seen):
    """Let the page's HTTP Refresh be seen, not obeyed: a reload mid-check would pull the page from under axe."""

    def strip(route):
        response = route.fetch()
        headers = dict(response.headers)
        seen.append(headers.pop("refresh", None))
        route.fulfill(response=response, headers=headers)

    page.route("**/scrutiny/statistics/?*", strip)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_statistics_page_on_a_worker_in_each_state(page, viewport, cast, history, sign_in, on_worker, settings,
                                                       accessibility, sideways_overflow, screenshot):
    sign_in(cast.commissioner)
    refreshes = []
    _without_its_refresh(page, refreshes)
    period = f"/scrutiny/statistics/?from={timezone.localdate() - timedelta(days=60)}&by=classification"
    page.goto(period)
    computing = page.get_by_test_id("figures-computing")
    assert "refreshes by itself every 10 seconds" in computing.inner_text()
    assert computing.get_by_role("link", name="stop refreshing this page").is_visible()
    assert refreshes[-1].startswith("10; url=") and len(on_worker) == 1
    assert page.get_by_role("button", name="Recompute now").count() == 0, "a job already runs"
    _check(page, accessibility, sideways_overflow, screenshot, "84-statistics-being-computed")

    assert tasks.recompute_statistics(on_worker[-1][0]) == SnapshotState.READY
    computing.get_by_role("link", name="Refresh now").click()
    assert "(just now)" in page.get_by_test_id("figures-as-of").inner_text()
    assert page.get_by_test_id("figure-acknowledgement").is_visible() and refreshes[-1] is None
    _check(page, accessibility, sideways_overflow, screenshot, "85-statistics-as-of")

    page.get_by_role("button", name="Recompute now").click()
    assert "The figures are being recomputed" in page.locator(".govuk-notification-banner").inner_text()
    assert "Newer figures are being computed" in page.get_by_test_id("figures-as-of").inner_text()
    assert len(on_worker) == 2 and page.get_by_role("button", name="Recompute now").count() == 0
    _check(page, accessibility, sideways_overflow, screenshot, "86-statistics-recomputing")

    settings.STATISTICS_RECOMPUTES_PER_PERSON = 1
    page.goto(period.replace("classification", "direction"))
    assert "have not been asked for" in page.get_by_test_id("figures-held-back").inner_text()
    assert len(on_worker) == 2 and refreshes[-1] is None
    _check(page, accessibility, sideways_overflow, screenshot, "87-statistics-not-asked-for")
