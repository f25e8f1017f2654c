"""Generated documents through the pages and the API (issue 10 item 4, ADR 29): linked from the request page for
the documents its state has, downloaded as attachments named with the marking first and never cached; a person
outside need-to-know gets 404 whether or not the request exists, and the refusal is audited; a document whose
step has not happened is a 404 too; the OpenAPI document describes each as application/pdf."""

from __future__ import annotations

import io
import zipfile

import pytest

from audit.models import AuditEvent
from documents.kinds import Kind
from sharing.models import Delivery
from sharing.states import RequestState
from tests.support.pdf_pages import pages
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}


@pytest.fixture
def provided(cast, protocol):
    return walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED)


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _assert_marked_attachment(response, filename: str, content_type: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    return _content(response)


def _refusals() -> int:
    return AuditEvent.objects.filter(action="documents.download_refused").count()


def test_the_request_page_links_each_document_its_state_has(cast, signed_in, protocol):
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    page = signed_in(cast.iasc_requester).get(f"/requests/{submitted.reference}/").content.decode()
    assert 'data-testid="documents"' in page
    assert f"/requests/{submitted.reference}/documents/submitted-request/" in page
    assert "/documents/acknowledgement/" not in page and "/documents/decision-notice/" not in page
    assert "/bundle/" not in page
    unsent = draft(cast.iasc_requester)
    assert 'data-testid="documents"' not in signed_in(cast.iasc_requester).get(
        f"/requests/{unsent.reference}/").content.decode()


def test_each_document_downloads_from_the_page_marked_and_audited(cast, signed_in, provided):
    page = signed_in(cast.spoc).get(f"/requests/{provided.reference}/").content.decode()
    delivery = Delivery.objects.get(request=provided)
    for kind in Kind:
        assert f"/requests/{provided.reference}/documents/{kind.value}/" in page
    assert f"/deliveries/{delivery.pk}/bundle/" in page
    client = signed_in(cast.spoc)
    for kind in Kind:
        before = AuditEvent.objects.filter(action="documents.downloaded").count()
        response = client.get(f"/requests/{provided.reference}/documents/{kind.value}/")
        content = _assert_marked_attachment(response, f"OFFICIAL-SENSITIVE_{provided.reference}_{kind.value}.pdf",
                                            "application/pdf")
        assert all("OFFICIAL-SENSITIVE" in p.top and "OFFICIAL-SENSITIVE" in p.bottom for p in pages(content))
        event = AuditEvent.objects.filter(action="documents.downloaded").latest("sequence")
        assert AuditEvent.objects.filter(action="documents.downloaded").count() == before + 1
        assert (event.actor, event.details["document"]) == (cast.spoc, kind.value)
    response = client.get(f"/deliveries/{delivery.pk}/bundle/")
    content = _assert_marked_attachment(
        response, f"OFFICIAL-SENSITIVE_{provided.reference}_delivery-{delivery.pk}.zip", "application/zip")
    assert zipfile.ZipFile(io.BytesIO(content)).namelist()[0] == "00_cover-sheet.pdf"


def test_someone_outside_need_to_know_gets_404_and_the_refusal_is_audited(cast, signed_in, provided):
    delivery = Delivery.objects.get(request=provided)
    before = _refusals()
    for outsider in (cast.iasc_case_officer, cast.ho_analyst, cast.dwp_officer):  # not named; other unit; other org
        client = signed_in(outsider)
        assert client.get(f"/requests/{provided.reference}/documents/decision-notice/").status_code == 404
        assert client.get(f"/deliveries/{delivery.pk}/bundle/").status_code == 404
    assert signed_in(cast.dwp_officer).get("/requests/IASC-1999-9999/documents/decision-notice/").status_code == 404
    assert _refusals() == before + 7
    last = AuditEvent.objects.filter(action="documents.download_refused").latest("sequence")
    assert last.actor == cast.dwp_officer and last.details["asked_for"] == "IASC-1999-9999"
    assert not AuditEvent.objects.filter(action="documents.downloaded").exists()


def test_a_document_whose_step_has_not_happened_is_a_404(cast, signed_in, api, protocol):
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    client = signed_in(cast.iasc_requester)
    assert client.get(f"/requests/{submitted.reference}/documents/decision-notice/").status_code == 404
    assert client.get(f"/requests/{submitted.reference}/documents/disposal-certificate/").status_code == 404
    assert api(cast.iasc_requester).get(f"/api/requests/{submitted.pk}/documents/acknowledgement/").status_code == 404
    assert client.post(f"/requests/{submitted.reference}/documents/submitted-request/").status_code == 405
    assert not AuditEvent.objects.filter(action="documents.downloaded").exists()


def test_the_api_serves_the_same_documents_and_refuses_the_same_people(cast, api, provided):
    delivery = Delivery.objects.get(request=provided)
    response = api(cast.commissioner).get(f"/api/requests/{provided.pk}/documents/decision-notice/")
    content = _assert_marked_attachment(response, f"OFFICIAL-SENSITIVE_{provided.reference}_decision-notice.pdf",
                                        "application/pdf")
    assert content.startswith(b"%PDF-")
    asked_as_pdf = api(cast.commissioner).get(f"/api/requests/{provided.pk}/documents/decision-notice/",
                                              HTTP_ACCEPT="application/pdf")
    assert asked_as_pdf.status_code == 200 and _content(asked_as_pdf).startswith(b"%PDF-")
    refused = api(cast.iasc_case_officer).get(f"/api/requests/{provided.pk}/documents/decision-notice/",
                                              HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"
    response = api(cast.iasc_requester).get(f"/api/deliveries/{delivery.pk}/bundle/")
    _assert_marked_attachment(response, f"OFFICIAL-SENSITIVE_{provided.reference}_delivery-{delivery.pk}.zip",
                              "application/zip")
    before = _refusals()
    outsider = api(cast.iasc_case_officer)
    assert outsider.get(f"/api/requests/{provided.pk}/documents/decision-notice/").status_code == 404
    assert outsider.get(f"/api/deliveries/{delivery.pk}/bundle/").status_code == 404
    assert outsider.get("/api/requests/999999999/documents/decision-notice/").status_code == 404
    assert outsider.get("/api/requests/x1/documents/decision-notice/").status_code == 404  # malformed id
    assert _refusals() == before + 3  # a malformed id matches no path: nothing was looked up
    assert api(cast.commissioner).post(f"/api/requests/{provided.pk}/documents/decision-notice/").status_code == 405


def test_the_openapi_document_describes_each_document_as_pdf(cast, api):
    schema = api(cast.iasc_requester).get("/api/schema/?format=json").json()
    for kind in Kind:
        operation = schema["paths"][f"/api/requests/{{id}}/documents/{kind.value}/"]["get"]
        assert set(operation["responses"]["200"]["content"]) == {"application/pdf"}
        assert {"401", "403", "404"} <= set(operation["responses"])
    bundle = schema["paths"]["/api/deliveries/{id}/bundle/"]["get"]
    assert set(bundle["responses"]["200"]["content"]) == {"application/zip"}


def test_malformed_asks_are_404s_and_a_long_reference_is_kept_short_on_the_record(cast, signed_in, api, protocol):
    client = signed_in(cast.iasc_requester)
    long_reference = "IASC-" + "9" * 5000
    assert client.get(f"/requests/{long_reference}/documents/decision-notice/").status_code == 404
    event = AuditEvent.objects.filter(action="documents.download_refused").latest("sequence")
    assert event.details["asked_for"] == long_reference[:60]
    before = _refusals()
    for path in ("/requests/%00/documents/decision-notice/", "/deliveries/0x1/bundle/",
                 "/deliveries/9999999999999999999/bundle/", "/deliveries/-1/bundle/"):
        assert client.get(path).status_code == 404, path
    assert api(cast.iasc_requester).get("/api/deliveries/1e3/bundle/").status_code == 404
    assert _refusals() == before + 1  # the NUL reference, refused before any look-up; ids that are no id match no path
    assert AuditEvent.objects.filter(action="documents.download_refused").latest("sequence").details[
        "asked_for"] == "?"
