"""The personal-data record in a real browser (§15–17, ICO data sharing code Annex B): the requester's special
category draft is refused with each missing piece named, she fills in the record (adding an item row), sends it,
and the holder reads it and confirms it (§17). Each page passes WCAG 2.2 AA and does not scroll sideways, on a
desktop and at 320 px."""

import pytest

from dataprotection import rules
from tests.functional.browser.test_request_walkthrough import submit_action
from tests.support.requests import draft, fresh, walk
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


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_record_is_filled_in_sent_and_confirmed(page, viewport, cast, sign_in, page_passes, screenshot):
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    reference = request.reference

    sign_in(cast.iasc_requester)
    page.goto(f"/requests/{reference}/edit/")
    submit_action(page, "Save and submit")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Article 6 lawful basis" in summary and "§17; UK GDPR Art 9(2)" in summary
    page.get_by_test_id("personal-data-link").click()
    page.wait_for_load_state()
    assert page_passes()
    screenshot("40-personal-data-record-form")
    page.get_by_label("UK GDPR Article 6 lawful basis").select_option("e")
    page.get_by_label("Statutory power relied on").fill("Modern Slavery Act 2015 s41")
    page.get_by_label("UK GDPR Article 9 condition").select_option("j")
    page.get_by_label("Data Protection Act 2018 Schedule 1 condition").select_option("6")  # the wrong Part
    page.get_by_label("Why sharing this personal data is necessary").fill("To link repeat referrals.")
    page.get_by_label("Data item 1", exact=True).fill("Pseudonymous referral key")
    page.get_by_label("Why data item 1 is needed").fill("To link referrals of one person.")
    submit_action(page, "Add another item")
    assert page.get_by_test_id("data-item-row").count() == 3
    page.get_by_label("Data item 3", exact=True).fill("Region")
    page.get_by_label("Why data item 3 is needed").fill("To show where.")
    page.get_by_label("How long it will be kept").fill("Two years.")
    page.get_by_label("How it will be deleted or destroyed").fill("Secure deletion, confirmed in writing.")
    page.get_by_label("Data protection impact assessment (DPIA) reference").fill("IASC DPIA 2021-03")
    page.get_by_label("How individuals' rights are met").fill("Privacy notices of both parties.")
    submit_action(page, "Save the personal-data record")
    page.get_by_test_id("personal-data-link").count()  # saved: back on the same page
    detail = page.goto(f"/requests/{reference}/")
    assert detail.status == 200
    missing = page.get_by_test_id("personal-data-missing").inner_text()
    assert "Article 9(2)(j) needs a condition in Part 1 of Schedule 1" in missing, missing
    page.goto(f"/requests/{reference}/personal-data/")
    page.get_by_label("Data Protection Act 2018 Schedule 1 condition").select_option("4")
    submit_action(page, "Save the personal-data record")
    assert rules.record_problems(fresh(request)) == []
    assert [i.item for i in rules.record_of(fresh(request)).items.all()] == ["Pseudonymous referral key", "Region"]
    page.goto(f"/requests/{reference}/")
    assert page.get_by_test_id("personal-data-missing").count() == 0
    assert page_passes()
    screenshot("41-request-page-with-the-record")

    walk(fresh(request), cast, "under_assessment")
    page.context.clear_cookies()
    sign_in(cast.msu_assessor)
    page.goto(f"/requests/{reference}/personal-data/")
    assert "Region" in page.get_by_test_id("personal-data-record").inner_text()
    assert page_passes()
    screenshot("42-holder-confirms-the-record")
    submit_action(page, "Confirm the disclosure complies")
    assert "Confirmed by" in page.get_by_test_id("personal-data-confirmation").inner_text()
    assert rules.record_of(fresh(request)).is_confirmed
