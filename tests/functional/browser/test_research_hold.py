"""A researcher sees the processing hold on their project (issue 11): "Blocked by hold" with the hold's status, when
it began, its next review (overdue) and its history, at 1280 and 320 px, passing WCAG 2.2 AA with no sideways
scroll; screenshots in var/screens/."""

from pathlib import Path

import pytest

from accounts.roles import Role
from research import services
from tests.support.holds import overdue, placed
from tests.support.research import contract_fields, participant_keys, suppliers  # noqa: F401
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parents[3] / "var" / "screens"


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_researcher_sees_the_hold_on_their_project(page, viewport, cast, person, sign_in, accessibility,
                                                     sideways_overflow):
    researcher = person("rights-lab", Role.RESEARCHER, full_name="Maya Okafor")
    project = services.propose(by=researcher, fields=contract_fields(), suppliers=suppliers())
    project = services.submit(project, by=researcher, expected_version=project.version)
    hold = overdue(placed(cast))
    services.apply_holds(by=cast.ho_dpo)
    sign_in(researcher)
    page.goto("/research/")
    page.get_by_role("link", name=project.reference).click()
    page.wait_for_load_state()
    status = page.get_by_test_id("hold-status")
    assert "Blocked by hold" in status.inner_text() and hold.reference in status.inner_text()
    assert page.get_by_test_id("hold-state").inner_text() == "In force"
    assert "Review overdue" in page.get_by_test_id("hold-next-review").inner_text()
    assert page.get_by_test_id("project-state").inner_text() == "Suspended by a processing hold"
    assert accessibility() == []
    assert sideways_overflow() == []
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"research-hold-researcher-{viewport}.png"), full_page=True)
