"""An approval asked, awaited and given in a real browser (§10): the decide page says what is missing, the
approver finds the approval in My work and in the notifications, decides it, and the holder agrees. Each page
passes WCAG 2.2 AA and does not scroll sideways, on a desktop and at 320 px."""

import pytest

from sharing import rules, services
from sharing.states import RequestState
from tests.functional.browser.test_request_walkthrough import choose_action, submit_action
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
def test_an_approval_is_asked_given_and_the_request_agreed(page, viewport, cast, sign_in, page_passes, screenshot):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=[
        services.ChecklistEntry(item.key, True) for item in rules.checklist_of(request)])
    reference = request.reference

    sign_in(cast.msu_assessor)
    page.goto(f"/requests/{reference}/decide/")
    assert "Ask an approver first" in page.get_by_test_id("missing").inner_text()
    assert page_passes()
    screenshot("20-decide-lists-what-is-missing")
    page.goto(f"/requests/{reference}/")
    choose_action(page, "Ask for approval")
    page.locator("#id_justification").fill("Needed for the Commissioner's report on re-trafficking.")
    assert page_passes()
    submit_action(page, "Ask for approval")
    assert "awaiting approval" in page.get_by_test_id("approvals").inner_text()

    page.context.clear_cookies()
    sign_in(cast.ho_approver)
    page.goto("/my-work/")
    assert page.get_by_test_id("unread").is_visible()
    assert page_passes()
    screenshot("21-approver-my-work")
    page.goto("/notifications/")
    assert page_passes()
    screenshot("24-approver-notifications")
    page.get_by_role("link", name=f"OFFICIAL-SENSITIVE: {reference} approval asked").click()
    page.wait_for_load_state()
    assert "Needed for the Commissioner's report" in page.locator("main").inner_text()
    assert page_passes()
    screenshot("22-approval-page")
    page.get_by_label("Approve sharing").check()
    page.get_by_label("Reasons, or the question for the requester").fill("Approved by the Deputy Director.")
    submit_action(page, "Record decision")
    assert page.get_by_test_id("approval-state").inner_text() == "Approved"
    assert page_passes()

    page.context.clear_cookies()
    sign_in(cast.msu_assessor)
    page.goto(f"/requests/{reference}/decide/")
    assert page.get_by_test_id("missing").count() == 0
    page.get_by_label("Agreed", exact=True).check()
    submit_action(page, "Decide")
    assert page.get_by_test_id("state").inner_text() == "Agreed"
    assert "approved by" in page.get_by_test_id("approvals").inner_text()
    # Agreed: the holder provides next; the request names the team and the person it is assigned to.
    assert page.get_by_test_id("waiting-on").inner_text() == (
        f"Waiting on: {cast.msu_assessor} ({cast.msu_assessor.organisation})")
    assert page_passes()
    screenshot("23-agreed-after-approval")
    assert fresh(request).state == RequestState.AGREED
