"""Publication agreement (§7(b)) and the §18 contacts in a real browser: the requester proposes what to publish
from the request page, the holder's approver agrees it with changes, and the request page shows the agreed text;
the Sponsorship Unit checks a contact, and the §18 draft page offers the chosen department's contacts without
JavaScript. Each page passes WCAG 2.2 AA and does not scroll sideways, on a desktop and at 320 px."""

import pytest

from contacts import services as contact_services
from sharing.states import RequestState
from tests.functional.browser.test_request_walkthrough import submit_action
from tests.support.requests import draft, walk
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
def test_publication_is_proposed_and_agreed_with_changes(page, viewport, cast, sign_in, page_passes, screenshot):
    reference = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED).reference
    sign_in(cast.iasc_requester)
    page.goto(f"/requests/{reference}/")
    page.get_by_role("link", name="Propose what to publish").click()
    page.wait_for_load_state()
    page.get_by_label("What do you propose to publish?").fill("Table 3: referrals by region, 2016 to 2021.")
    assert page_passes()
    screenshot("60-publication-proposed")
    submit_action(page, "Send to the holder")
    assert page.get_by_test_id("publication-state").inner_text() == "Awaiting the holder's agreement"

    page.context.clear_cookies()
    sign_in(cast.ho_approver)
    page.goto("/my-work/")
    page.get_by_role("link", name=reference).first.click()
    page.wait_for_load_state()
    page.get_by_label("Agree it with changes").check()
    page.get_by_label("The text as agreed").fill("Table 3: referrals by region, counts under 10 suppressed.")
    page.get_by_label("Reasons").fill("Small numbers would identify people.")
    assert page_passes()
    screenshot("61-publication-decision")
    submit_action(page, "Record decision")
    assert page.get_by_test_id("publication-state").inner_text() == "Agreed with changes"
    page.goto(f"/requests/{reference}/")
    assert "counts under 10 suppressed" in page.get_by_test_id("agreed-publication").inner_text()
    assert page_passes()
    screenshot("62-request-shows-agreed-publication")


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_contacts_are_checked_and_offered_on_the_section_18_draft(page, viewport, cast, orgs, sign_in, page_passes,
                                                                   screenshot):
    contact_services.add_contact(by=cast.spoc, organisation=orgs["dwp"], fields={
        "name": "Nadia Hussain", "role_title": "Head of Fraud and Error Statistics",
        "email": "nadia.hussain@dwp.example", "phone": "020 7946 0101"})
    sign_in(cast.sponsorship_officer)
    page.goto("/contacts/")
    assert page_passes()
    screenshot("63-contacts-directory")
    page.get_by_test_id("contact").get_by_role("button", name="Still right").click()
    page.wait_for_load_state()
    assert "checked today" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(cast.iasc_requester)
    page.goto("/requests/new/other_government_departments/")
    page.get_by_label("Which department do you want to ask? (§18)").select_option(label="Department for Work and Pensions")
    page.get_by_role("button", name="Show its contacts").click()
    page.wait_for_load_state()
    assert "Nadia Hussain" in page.get_by_test_id("offered-contacts").inner_text()
    assert page_passes()
    screenshot("64-section-18-draft-offers-contacts")
