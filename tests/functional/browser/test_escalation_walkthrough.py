"""The IASC escalates the demo's June 2021 request on re-trafficking (overdue, never answered) in a real browser
(§13): the request page shows the ladder, the escalate page records what §13 asks, the HO Policy lead finds it in
My work and passes the gate without resolving it, the IASC takes it up one rung, and the Director resolves it:
the HO will provide. Each page passes WCAG 2.2 AA and does not scroll sideways, on a desktop and at 320 px."""

from io import StringIO

import pytest

from accounts.demo import seed_demo_people
from accounts.models import User
from escalations.models import Escalation
from sharing import demo
from tests.functional.browser.test_request_walkthrough import submit_action
from tests.support.sharing_fixtures import files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
REFERENCE = "IASC-2021-0042"


@pytest.fixture
def demo_people(settings, tmp_path, monkeypatch, protocol):  # noqa: F811
    settings.DEMO_MODE = True
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "password.txt")
    monkeypatch.setattr(demo, "GENERATED", 0)  # the story of the letters alone
    seed_demo_people()
    demo.seed_demo(StringIO())
    people = {}
    for username in ("iasc.requester", "ho.policylead", "ho.director"):
        person = User.objects.get(username=username)
        person.set_password(PASSWORD)
        person.save()
        people[username] = person
    return people


@pytest.fixture
def page_passes(page, accessibility, sideways_overflow):
    def check():
        assert accessibility() == []
        overflow = sideways_overflow()
        assert overflow == [], f"{page.url} scrolls sideways: " + "; ".join(overflow)
        return True

    return check


def _as(page, sign_in, person):
    page.context.clear_cookies()
    sign_in(person)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_2021_request_is_escalated_through_two_rungs(page, viewport, demo_people, sign_in, page_passes,
                                                         screenshot):
    requester, lead, director = (demo_people[name] for name in ("iasc.requester", "ho.policylead", "ho.director"))

    sign_in(requester)
    page.goto(f"/requests/{REFERENCE}/")
    section = page.get_by_test_id("escalation-section")
    section.get_by_text("The ladder (4 rungs)").click()  # the ladder, folded until an escalation is open
    assert "HO Policy lead on Modern Slavery" in section.inner_text()
    assert page_passes()
    screenshot("30-request-offers-escalation")
    page.get_by_test_id("escalate").click()
    page.wait_for_load_state()
    assert "The attempts made to resolve the matter" in page.get_by_test_id("must-record").inner_text()
    submit_action(page, "Escalate to HO Policy lead on Modern Slavery")  # nothing filled in: each field named
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page_passes()
    page.get_by_label("The information is overdue (§12)").check()
    page.get_by_label("The reasons for the request").fill(
        "The Commissioner needs the counts of repeat NRM referrals to scrutinise the response to re-trafficking.")
    page.get_by_label("The objections the HO raised").fill("None given: the letters had no answer.")
    page.get_by_label("The attempts made to resolve the matter").fill(
        "Letters of June and October 2021 and March 2022; a meeting at working level in May 2022.")
    assert page_passes()
    screenshot("31-escalate-form")
    submit_action(page, "Escalate to HO Policy lead on Modern Slavery")
    assert page.get_by_test_id("escalation-state").inner_text() == "Waiting at a rung of the ladder"
    escalation = Escalation.objects.get(request__reference=REFERENCE)

    _as(page, sign_in, lead)
    page.goto("/my-work/")
    assert f"{REFERENCE} escalation {escalation.pk}" in page.locator("main").inner_text()
    assert page_passes()
    screenshot("32-policy-lead-my-work")
    page.goto(f"/escalations/{escalation.pk}/")
    assert "The gate:" in page.get_by_test_id("rung-1").inner_text()
    page.get_by_label("Satisfied that it is reasonable and clearly justified", exact=False).check()
    page.get_by_label("Your reasons").fill("Reasonable and clearly justified; the data sit with the Director's teams.")
    assert page_passes()
    screenshot("33-policy-lead-decides")
    submit_action(page, "Record decision")
    assert page.get_by_test_id("escalation-state").inner_text() == "Not resolved at this rung"

    _as(page, sign_in, requester)
    page.goto(f"/escalations/{escalation.pk}/")
    submit_action(page, "Escalate to Director for Tackling Slavery and Exploitation")
    assert page.get_by_test_id("escalation-state").inner_text() == "Waiting at a rung of the ladder"

    _as(page, sign_in, director)
    page.goto(f"/escalations/{escalation.pk}/")
    page.get_by_label("Resolved: the HO will provide the information").check()
    page.get_by_label("Your reasons").fill("The HO will provide the counts within 20 working days.")
    submit_action(page, "Record decision")
    assert page.get_by_test_id("escalation-state").inner_text() == "Resolved: the HO will provide"
    ladder = page.get_by_test_id("ladder").inner_text()
    assert "Not resolved" in ladder and "Resolved" in ladder and "Waited 0 working days" in ladder
    assert page_passes()
    screenshot("34-escalation-resolved-by-the-director")

    _as(page, sign_in, requester)
    page.goto(f"/requests/{REFERENCE}/")
    assert "Resolved on escalation (§13)" in page.get_by_test_id("timeline").inner_text()
    assert page_passes()
    screenshot("35-request-after-escalation")
