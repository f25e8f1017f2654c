"""A request walked from draft to provided in a real browser, each page checked against WCAG 2.2 AA,
on a desktop and in a 320 px window (WCAG 1.4.10 Reflow: no page scrolls sideways)."""

import pytest

from accounts.roles import Role
from sharing.states import RequestState
from tests.support.requests import COMPLETE_ELEMENTS, draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.fixture
def page_passes(page, accessibility, sideways_overflow):
    """page_passes() for each page a test stops on: no WCAG 2.2 AA failure axe-core can find, no sideways
    scrolling, no template comment showing."""

    def check():
        assert accessibility() == []
        overflow = sideways_overflow()
        assert overflow == [], f"{page.url} scrolls sideways: " + "; ".join(overflow)
        assert "{#" not in page.locator("body").inner_text(), "a template comment shows on the page"
        return True

    return check


def stacked_headings(page, selector):
    """The column heading each cell of the first body row shows before its value (CSS ::before), or None."""
    contents = page.locator(selector).first.evaluate(
        "row => [...row.cells].map(cell => getComputedStyle(cell, '::before').content)")
    # Generated content with alternative text computes as '"Heading" / ""'.
    return [None if content == "none" else content.split('" / ')[0].strip('"') for content in contents]


def table_roles(page):
    """The roles of table parts in Chromium's own accessibility tree, as a screen reader is given them."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return {node["role"]["value"] for node in nodes if "role" in node} & {"table", "row", "columnheader", "cell"}


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


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_request_goes_from_draft_to_provided(page, viewport, cast, sign_in, page_passes, screenshot, tmp_path):
    sign_in(cast.iasc_requester)
    page.goto("/requests/new/")
    assert page_passes()
    page.get_by_label("Ask the Home Office", exact=False).check()
    page.get_by_role("button", name="Start the request").click()
    page.wait_for_load_state()

    # The empty draft refused: each missing element is named, with its clause.
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "§6(a)" in summary.inner_text() and "§6(g)" in summary.inner_text()
    assert page_passes()
    screenshot("01-draft-refused")

    fill_draft(page)
    screenshot("02-draft-filled")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").inner_text() == "Submitted"
    assert page.get_by_test_id("milestones").is_visible()
    page.get_by_text("How was", exact=False).first.click()
    assert page_passes()
    screenshot("03-submitted-with-due-dates")
    reference = page.locator(".govuk-caption-l").inner_text().split(" ")[0]

    page.context.clear_cookies()
    sign_in(cast.spoc)
    page.goto("/my-work/")
    assert page.get_by_role("link", name=reference).is_visible()
    assert page_passes()
    page.get_by_role("link", name=reference).click()
    choose_action(page, "Acknowledge")
    assert page_passes()
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
    assert page_passes()
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
    assert page_passes()
    screenshot("05-deliver")
    submit_action(page, "Deliver")
    assert page.get_by_test_id("state").inner_text() == "Provided"
    assert page.get_by_role("link", name="referrals.csv").is_visible()
    assert page_passes()
    screenshot("06-provided")

    page.goto("/requests/")
    assert page.get_by_role("link", name=reference).is_visible()
    assert page_passes()
    screenshot("07-list")

    page.goto("/my-work/")
    assert page_passes()
    screenshot("08-my-work")

    # In a narrow window each row of a table stacks, every value beside its column's heading; the table
    # stays a table for screen readers.
    page.goto("/requests/")
    row = "[data-testid=request-table] tbody tr"
    headings = page.locator("[data-testid=request-table] thead th").all_text_contents()
    stacks = viewport <= 960  # the request table has six columns: it stacks until the window is 960 px wide
    assert stacked_headings(page, row) == (headings if stacks else [None] * len(headings))
    assert table_roles(page) == {"table", "row", "columnheader", "cell"}

    page.context.clear_cookies()
    sign_in(cast.ho_auditor)
    page.goto("/audit/")
    assert page.get_by_role("table").get_by_role("row").count() > 2
    assert page_passes()
    screenshot("09-audit-log")
    page.goto(f"/requests/{reference}/")
    assert page_passes()
    screenshot("10-request-seen-by-auditor")


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_long_lists_and_unbroken_strings_fit_the_window(page, cast, person, sign_in, page_passes, screenshot):
    """More requests and audit events than a page holds, so the pagination shows; titles that are one long
    URL and a username that is a long email address, which must wrap rather than widen the page."""
    url = "https://data.example.gov.uk/" + "nrm-referrals-of-adults-referred-more-than-once-" * 3
    for n in range(26):
        walk(draft(cast.iasc_requester, title=url if n % 2 else COMPLETE_ELEMENTS["title"]), cast,
             RequestState.SUBMITTED)
    auditor = person("home-office", Role.AUDITOR,
                     username="an.auditor.with.a.long.address@audit-and-assurance.homeoffice.example.gov.uk")

    sign_in(cast.spoc)
    for number in (1, 2):
        page.goto(f"/requests/?page={number}")
        assert page.get_by_role("navigation", name="Pages of requests").is_visible()
        assert page_passes()
        screenshot(f"11-list-long-titles-page-{number}")
    page.goto("/my-work/")
    assert page.get_by_role("link", name="IASC-").count() > 0
    assert page_passes()
    page.get_by_role("link", name="IASC-").first.click()
    assert page_passes()

    page.context.clear_cookies()
    sign_in(auditor)
    for number in (1, 2):
        page.goto(f"/audit/?page={number}")
        assert page.get_by_role("navigation", name="Pages of events").is_visible()
        assert page_passes()
        screenshot(f"12-audit-log-page-{number}")
