"""Generated documents in a real browser (ADR 29): the request page's Documents panel lists what the request's
state has, each link downloads a file named with the marking first, and the PDF's every page carries the marking
at its top and bottom; the bundle holds the cover sheet. The page passes WCAG 2.2 AA and does not scroll
sideways, on a desktop and at 320 px (screenshot 70)."""

import io
import zipfile
from pathlib import Path

import pytest

from sharing.models import Delivery
from sharing.states import RequestState
from tests.support.pdf_pages import pages
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_the_documents_panel_downloads_marked_documents(page, viewport, cast, sign_in, accessibility,
                                                        sideways_overflow, screenshot):
    request = walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED)
    delivery = Delivery.objects.get(request=request)
    sign_in(cast.iasc_requester)
    page.goto(f"/requests/{request.reference}/")
    panel = page.get_by_test_id("documents")
    assert panel.get_by_role("link").count() == 4  # the three documents and the one delivery's bundle
    assert accessibility() == [] and sideways_overflow() == []
    panel.scroll_into_view_if_needed()
    screenshot("70-documents-panel")

    with page.expect_download() as started:
        panel.get_by_role("link", name="Decision notice (PDF)").click()
    download = started.value
    assert download.suggested_filename == f"OFFICIAL-SENSITIVE_{request.reference}_decision-notice.pdf"
    for found in pages(Path(download.path()).read_bytes()):
        assert "OFFICIAL-SENSITIVE" in found.top and "OFFICIAL-SENSITIVE" in found.bottom

    with page.expect_download() as started:
        panel.get_by_role("link", name="as one bundle").click()
    download = started.value
    assert download.suggested_filename == f"OFFICIAL-SENSITIVE_{request.reference}_delivery-{delivery.pk}.zip"
    names = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())).namelist()
    assert names[0] == "00_cover-sheet.pdf" and names[-1] == "SHA256SUMS"
