"""A request walked from draft to provided in a real browser, each page checked against WCAG 2.2 AA."""

import pytest

from tests.sharing.conftest import Cast, files_in_tmp, protocol  # noqa: F401
from tests.sharing.helpers import COMPLETE_ELEMENTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


def fill_draft(page):
    page.get_by_label("Short title").fill(COMPLETE_ELEMENTS["title"])
    for field in ("necessity", "information_requested", "purpose", "access", "storage_retention", "disposal"):
        page.locator(f"#id_{field}").fill(COMPLETE_ELEMENTS[field])
    page.get_by_label("Yes, it will be published").check()
    page.locator("#id_publication_detail").fill(COMPLETE_ELEMENTS["publication_detail"])


def choose_action(page, name):
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def submit_action(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_a_request_goes_from_draft_to_provided(page, cast, sign_in, accessibility, screenshot, tmp_path):
    sign_in(cast.iasc_requester)
    page.goto("/requests/new/")
    assert accessibility() == []
    page.get_by_label("Ask the Home Office", exact=False).check()
    page.get_by_role("button", name="Start the request").click()
    page.wait_for_load_state()

    # The empty draft refused: each missing element is named, with its clause.
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "§6(a)" in summary.inner_text() and "§6(g)" in summary.inner_text()
    assert accessibility() == []
    screenshot("01-draft-refused")

    fill_draft(page)
    screenshot("02-draft-filled")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").inner_text() == "Submitted"
    assert page.get_by_test_id("milestones").is_visible()
    page.get_by_text("How was", exact=False).first.click()
    assert accessibility() == []
    screenshot("03-submitted-with-due-dates")
    reference = page.locator(".govuk-caption-l").inner_text().split(" ")[0]

    page.context.clear_cookies()
    sign_in(cast.spoc)
    page.goto("/my-work/")
    assert page.get_by_role("link", name=reference).is_visible()
    assert accessibility() == []
    page.get_by_role("link", name=reference).click()
    choose_action(page, "Acknowledge")
    assert accessibility() == []
    submit_action(page, "Acknowledge")
    # §11: the Modern Slavery Unit passes it to the team that holds the data.
    choose_action(page, "Reassign")
    page.locator("#id_to_org").select_option(value=str(cast.ho_assessor.organisation_id))
    page.get_by_label("Assessor (optional)").select_option(value=str(cast.ho_assessor.pk))
    page.locator("#id_reason").fill("Analysis and Insight hold the NRM data.")
    submit_action(page, "Reassign")

    page.context.clear_cookies()
    sign_in(cast.ho_assessor)
    page.goto(f"/requests/{reference}/")
    choose_action(page, "Start assessment")
    submit_action(page, "Start assessment")
    choose_action(page, "Record checklist answers")
    for radio in page.get_by_label("Satisfied", exact=True).all():
        radio.check()  # one per point of the §7 checklist
    assert accessibility() == []
    screenshot("04-checklist")
    submit_action(page, "Record checklist answers")
    choose_action(page, "Decide")
    page.get_by_label("Agreed", exact=True).check()
    page.get_by_label("Reasons").fill("Necessary for the Commissioner's functions; lawful; anonymised.")
    submit_action(page, "Decide")
    choose_action(page, "Deliver")
    page.get_by_label("What is being provided").fill("Tables of repeat NRM referrals, 2016–2021")
    tables = tmp_path / "referrals.csv"
    tables.write_text("region,referrals\nLondon,120\nNorth West,85\n")
    page.get_by_label("Files").set_input_files(str(tables))
    assert accessibility() == []
    screenshot("05-deliver")
    submit_action(page, "Deliver")
    assert page.get_by_test_id("state").inner_text() == "Provided"
    assert page.get_by_role("link", name="referrals.csv").is_visible()
    assert accessibility() == []
    screenshot("06-provided")

    page.goto("/requests/")
    assert page.get_by_role("link", name=reference).is_visible()
    assert accessibility() == []
    screenshot("07-list")
