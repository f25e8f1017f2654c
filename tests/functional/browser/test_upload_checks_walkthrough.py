"""Upload checks in a real browser (ADR 28): an EICAR file refused on the deliver page with the error summary naming
the files field; a CSV with formula cells delivered, the uploader warned and the recipient shown the flagged cells
beside the file. Each page passes WCAG 2.2 AA and does not scroll sideways, on a desktop and at 320 px."""

import pytest

from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.functional.browser.test_approval_walkthrough import page_passes  # noqa: F401
from tests.functional.browser.test_request_walkthrough import submit_action
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401
from vault import checks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMULAS = "region,link\nNorth East,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\"\nWales,=cmd|' /C calc'!A0\n"


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_virus_refused_and_formula_cells_flagged(page, viewport, cast, sign_in, page_passes, screenshot,  # noqa: F811
                                                   tmp_path):
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    sign_in(cast.msu_assessor)
    page.goto(f"/requests/{request.reference}/deliver/")
    assert "Up to 50 MB each." in page.locator("#id_files_helptext").inner_text()
    eicar = tmp_path / "eicar.txt"
    eicar.write_bytes(checks.EICAR)
    page.get_by_label("What is being provided").fill("Tables")
    page.get_by_label("Files").set_input_files(str(eicar))
    submit_action(page, "Deliver")
    summary = page.locator(".govuk-error-summary")
    assert "eicar.txt contains a virus (the EICAR test signature)" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_files"
    assert page_passes()
    screenshot("70-upload-virus-refused")

    tables = tmp_path / "referrals.csv"
    tables.write_text(FORMULAS)
    page.get_by_label("What is being provided").fill("Tables")
    page.get_by_label("Files").set_input_files(str(tables))
    submit_action(page, "Deliver")
    assert "referrals.csv: 2 cells start with" in page.locator(".govuk-notification-banner").last.inner_text()
    assert page_passes()
    screenshot("71-upload-flagged-for-the-uploader")
    assert DeliveryFile.objects.count() == 1

    page.context.clear_cookies()
    sign_in(cast.iasc_requester)
    page.goto(f"/requests/{request.reference}/")
    flagged = page.get_by_test_id("flagged-cells")
    assert "2 cells start with" in flagged.inner_text()
    flagged.locator("summary").click()
    assert "cell B3: =cmd|' /C calc'!A0" in flagged.inner_text()
    assert page_passes()
    screenshot("72-upload-flagged-for-the-recipient")
