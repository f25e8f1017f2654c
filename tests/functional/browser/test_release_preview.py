"""A table release in a real browser (§15): its author drafts it on an agreed request and previews it, every
suppressed cell saying why; a checker gives a verdict. Each page passes WCAG 2.2 AA and does not scroll sideways,
on a desktop and at 320 px."""

import pytest

from releases.models import Release
from tests.support.releases import Checkers, agreed_request, csv_upload, records, uploaded
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.fixture
def page_passes(page, accessibility, sideways_overflow):
    def check():
        assert accessibility() == []
        overflow = sideways_overflow()
        assert overflow == [], f"{page.url} scrolls sideways: " + "; ".join(overflow)
        return True

    return check


def _draft_force_by_gender_table(page, cast, sign_in):
    """The MSU assessor's new table release (police force area by gender over 1,500 records) filled in, not
    previewed yet."""
    dataset = uploaded(cast.msu_assessor, csv_upload(records(1_500)))
    reference = agreed_request(cast).reference
    sign_in(cast.msu_assessor)
    page.goto(f"/outputs/releases/new/{reference}/")
    page.get_by_label("Title").fill("Referrals by force and gender")
    page.get_by_label("Dataset").select_option(str(dataset.pk))
    page.get_by_label("A table (counts or a magnitude)").check()
    page.get_by_label("Table: dimensions").fill("police_force_area, gender")


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_table_is_previewed_with_its_suppression_pattern(page, viewport, cast, person, sign_in, page_passes,
                                                           screenshot):
    checkers = Checkers(person)
    _draft_force_by_gender_table(page, cast, sign_in)
    assert page_passes()
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.get_by_test_id("preview")
    assert preview.locator('tr[data-status="primary"]').count() > 0
    assert "primary: threshold" in preview.inner_text() and "secondary: protects" in preview.inner_text()
    assert page_passes()
    screenshot("70-release-preview")
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("release-state").inner_text() == "Awaiting two output checkers"

    page.context.clear_cookies()
    sign_in(checkers.first)
    page.goto(f"/outputs/releases/{Release.objects.get().pk}/")
    page.get_by_label("Safe to release").check()
    assert page_passes()
    page.get_by_test_id("action-check").click()
    page.wait_for_load_state()
    assert "Safe to release" in page.get_by_test_id("verdicts").inner_text()


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_table_protected_on_a_worker_says_so_then_shows_its_preview_after_refresh(
        page, viewport, cast, sign_in, page_passes, screenshot, settings, monkeypatch):
    """ADR 51: with a broker, the preview is computed by a worker; the page says so, with a Refresh button."""
    from releases import tasks

    settings.RELEASES_PROTECT_ON_WORKER = True
    enqueued = []
    monkeypatch.setattr(tasks.protect, "delay", lambda *args: enqueued.append(args))
    _draft_force_by_gender_table(page, cast, sign_in)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert "Protecting the table…" in page.get_by_test_id("protecting").inner_text()
    assert page.get_by_test_id("action-submit").count() == 0
    assert page_passes()
    screenshot("71-release-protecting")
    assert len(enqueued) == 1, "enqueued once, after the draft committed"
    tasks.protect(*enqueued[0])  # the worker's turn
    page.get_by_test_id("refresh").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("preview").locator('tr[data-status="primary"]').count() > 0
    assert page.get_by_test_id("action-submit").count() == 1
    assert page_passes()
