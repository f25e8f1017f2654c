"""A data sharing arrangement recorded and signed off in a real browser (§16): the IASC's case officer records
it on the form (a date out of order first, refused in the error summary naming the field and §16), the Home
Office's DPO finds it in My work and signs it off, and the register shows it active. Each page passes WCAG 2.2 AA
and does not scroll sideways, on a desktop and at 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from arrangements.models import Arrangement
from tests.functional.browser.test_request_walkthrough import choose_action, submit_action
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


def _fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_an_arrangement_is_recorded_and_signed_off(page, viewport, cast, sign_in, page_passes, screenshot):
    today = timezone.localdate()
    sign_in(cast.iasc_case_officer)
    page.goto("/arrangements/")
    assert page_passes()
    choose_action(page, "Record an arrangement")
    page.locator("#id_title").fill("Quarterly NRM extract for re-trafficking research")
    page.get_by_label("Home Office", exact=True).check()
    page.locator("#id_purpose").fill("Scrutiny of re-trafficking under s41(1).")
    page.locator("#id_data_items").fill("NRM reference (pseudonymised), referral date, region.")
    page.get_by_label("Pseudonymised (still personal data)").check()
    page.locator("#id_lawful_basis").fill("UK GDPR Art 6(1)(e); Modern Slavery Act 2015 s41.")
    _fill_date(page, "starts_on", today)
    _fill_date(page, "review_on", today + timedelta(days=90))
    _fill_date(page, "ends_on", today - timedelta(days=1))
    page.locator("#id_dpia_reference").fill("HO-DPIA-2026-017")
    _fill_date(page, "dpia_completed_on", today)
    page.get_by_label("No high risk: the sharing may go ahead").check()
    submit_action(page, "Save the draft")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The end date must be on or after the start date. (§16)" in summary
    assert page_passes()
    screenshot("40-arrangement-form-refuses-an-end-before-its-start")
    _fill_date(page, "ends_on", today + timedelta(days=365))
    submit_action(page, "Save the draft")
    assert page.get_by_test_id("arrangement-state").inner_text() == "Draft"
    assert page_passes()
    reference = Arrangement.objects.get().reference

    page.context.clear_cookies()
    sign_in(cast.ho_dpo)
    page.goto("/my-work/")
    assert reference in page.locator("main").inner_text()
    assert page_passes()
    page.goto(f"/arrangements/{Arrangement.objects.get().pk}/")
    choose_action(page, "Sign off")
    assert page_passes()
    submit_action(page, "Sign off")
    assert page.get_by_test_id("arrangement-state").inner_text() == "Active"
    assert str(cast.ho_dpo) in page.get_by_test_id("signed-off").inner_text()
    assert page_passes()
    screenshot("41-arrangement-signed-off")
    page.goto("/arrangements/?status=active")
    assert reference in page.get_by_test_id("arrangements").inner_text()
    assert page_passes()
    screenshot("42-arrangement-register")
