"""A processing hold as the IASC's requester sees it (issue 11), in a real browser: the June 2021 joint request
shows which of its parts are blocked by the MSVC hold (its status, age, next review date passed, and history) and
which are not, with the reason; the hold's page and the list of holds show the same to the other side. Each page
passes WCAG 2.2 AA and does not scroll sideways, on a desktop and at 320 px; screenshots go to var/screens/."""

from pathlib import Path

import pytest

from holds.models import Hold
from sharing.states import RequestState
from tests.support.holds import JUNE_2021_PARTS, overdue, placed
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parents[3] / "var" / "screens"


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


@pytest.fixture
def screen(page, viewport):
    def save(name: str):
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}-{viewport}.png"), full_page=True)

    return save


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_iasc_requester_sees_which_parts_of_the_joint_request_the_hold_blocks(page, viewport, cast, sign_in,
                                                                                  page_passes, screen):
    hold = overdue(placed(cast))
    joint = walk(draft(cast.iasc_requester, title="Re-trafficking evidence base (joint, June 2021)",
                       parts=JUNE_2021_PARTS, data_source="msvc_contract", purpose_kind="research",
                       personal_data_category="personal", legal_basis="UK GDPR Art 6(1)(e)."),
                 cast, RequestState.SUBMITTED)
    sign_in(cast.iasc_requester)

    page.goto(f"/requests/{joint.reference}/")
    verdicts = page.get_by_test_id("hold-verdict")
    assert verdicts.count() == 2
    assert "Not blocked" in verdicts.nth(0).inner_text() and "Anonymised" in verdicts.nth(0).inner_text()
    blocked = verdicts.nth(1).inner_text()
    assert "Blocked by hold" in blocked and hold.reference in blocked and "Review overdue" in blocked
    page.get_by_text(f"History of {hold.reference}").click()
    assert "placed by" in page.get_by_test_id("request-holds").inner_text()
    assert page_passes()
    screen("holds-joint-request-as-iasc")

    page.get_by_role("link", name=hold.reference).first.click()
    page.wait_for_url(f"**/holds/{hold.pk}/")
    assert "Review overdue" in page.get_by_test_id("hold-state").locator("..").inner_text()
    assert joint.reference in page.get_by_test_id("blocked-work").inner_text()
    assert page.get_by_role("link", name="Record a review").count() == 0  # the IASC sees; the department keeps
    assert page_passes()
    screen("holds-detail-as-iasc")

    page.goto("/holds/")
    assert hold.reference in page.get_by_test_id("holds").inner_text()
    assert page_passes()
    screen("holds-list-as-iasc")
    assert Hold.objects.get(pk=hold.pk).state == "in_force"
