"""Checks on the way in (ADR 28) through the deliver page and the API: each refusal named on the files field and
nothing stored (no row, no event, no new file in the storage directory); formula-like cells flagged to the uploader
and shown to the recipient beside the file, the bytes kept as sent; the size limit stated on the form; the scanning
note for administrators only; the wrong person or organisation still refused before any check."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import RoleGrant
from accounts.roles import Role
from audit.models import AuditEvent
from concordat.errors import RuleViolation
from sharing import services
from sharing.models import Delivery, DeliveryFile, RequestEvent
from sharing.states import RequestState
from tests.support.requests import draft, fresh, walk
from vault import checks
from vault import services as vault_services

pytestmark = pytest.mark.django_db

FORMULAS = b"region,link,count\nNorth East,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",12\n" \
           b"Wales,=cmd|' /C calc'!A0,-3\n"


def stored_files() -> list[str]:
    root = Path(vault_services.storage().location)  # deliveries are stored in the vault (ADR 27)
    return sorted(str(path) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def counts() -> tuple[int, ...]:
    return (Delivery.objects.count(), DeliveryFile.objects.count(), RequestEvent.objects.count(),
            AuditEvent.objects.exclude(action__startswith="api_token.").count())


def lying_xlsx() -> bytes:
    """An XLSX whose zip directory claims 10 bytes for a 50 MB sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (50 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    for signature, name_at, size_at, header in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack("<H", data[at + name_at:at + name_at + 2])[0]
            if data[at + header:at + header + length] == b"xl/worksheets/sheet1.xml":
                data[at + size_at:at + size_at + 4] = struct.pack("<L", 10)
            at = data.find(signature, at + 4)
    return bytes(data)


REFUSED = [
    ("eicar.txt", checks.EICAR, "contains a virus (the EICAR test signature)"),
    ("tables.xlsx", lying_xlsx(), "unpacks to more than its directory says"),
    ("report.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "is not a PDF: it holds HTML"),
    ("empty.csv", b"", "is empty"),
    ("big.csv", b"a,b\n" * 50_000, "larger than the limit"),
    ("report.exe", b"%PDF-1.4\n%%EOF", "name must end .pdf"),
]


@pytest.fixture
def agreed(cast):
    return walk(draft(cast.iasc_requester), cast, RequestState.AGREED)


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_each_refusal_on_the_page_names_the_field_and_stores_nothing(cast, signed_in, settings, agreed, name,
                                                                     content, message):
    settings.CONCORDAT_MAX_FILE_BYTES = 100_000
    assessor = signed_in(cast.msu_assessor)  # signing in is on the record: count after it
    before, files_before = counts(), stored_files()
    upload = SimpleUploadedFile("placeholder.txt", content)
    upload._name = name  # as a client may send it
    response = assessor.post(f"/requests/{agreed.reference}/deliver/", {
        "version": agreed.version, "description": "Tables", "marking": "OFFICIAL", "files": [upload]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_files"' in page and message in page
    assert counts() == before, list(AuditEvent.objects.values_list("action", flat=True))
    assert stored_files() == files_before
    assert fresh(agreed).state == RequestState.AGREED


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_each_refusal_through_the_api_is_a_400_naming_the_field_and_stores_nothing(cast, api, settings, agreed, name,
                                                                                   content, message):
    settings.CONCORDAT_MAX_FILE_BYTES = 100_000
    before, files_before = counts(), stored_files()
    good = SimpleUploadedFile("first.csv", b"a,b\n1,2\n")  # accepted alone: refused with its neighbour
    upload = SimpleUploadedFile("placeholder.txt", content)
    upload._name = name
    response = api(cast.msu_assessor).post(f"/api/requests/{agreed.pk}/deliver/", {
        "version": agreed.version, "description": "Tables", "marking": "OFFICIAL", "files": [good, upload]},
        format="multipart")
    assert response.status_code == 400, response.content[:500]
    error = response.json()["errors"][0]
    assert error["field"] == "files" and message in error["message"]
    assert counts() == before and stored_files() == files_before


def test_formula_cells_are_flagged_to_the_uploader_and_beside_the_file_for_the_recipient(cast, signed_in, agreed):
    assessor = signed_in(cast.msu_assessor)
    response = assessor.post(f"/requests/{agreed.reference}/deliver/", {
        "version": agreed.version, "description": "Tables", "marking": "OFFICIAL",
        "files": [SimpleUploadedFile("tables.csv", FORMULAS)]}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "tables.csv: 2 cells start with =, +, -, @, a tab or a carriage return" in page  # the uploader's banner
    stored = DeliveryFile.objects.get()
    assert b"".join(vault_services.open_chunks(stored.vault_file)) == FORMULAS  # flagged, never altered
    event = AuditEvent.objects.get(action="sharing.deliver")
    flagged = event.details["files"][0]["flagged"]
    assert event.details["files"][0]["file"] == stored.pk
    assert flagged == {"total": 2, "cells": [
        {"sheet": "", "row": 2, "column": "B", "starts": '=HYPERLINK("http://e'},
        {"sheet": "", "row": 3, "column": "B", "starts": "=cmd|' /C calc'!A0"}]}
    recipient_page = signed_in(cast.iasc_requester).get(f"/requests/{agreed.reference}/").content.decode()
    assert 'data-testid="flagged-cells"' in recipient_page
    assert "2 cells start with =, +, -, @, a tab or a carriage return" in recipient_page
    assert "cell B3: <code>=cmd|&#x27; /C calc&#x27;!A0</code>" in recipient_page


def test_a_clean_file_shows_no_flag(cast, signed_in, agreed):
    signed_in(cast.msu_assessor).post(f"/requests/{agreed.reference}/deliver/", {
        "version": agreed.version, "description": "Tables", "marking": "OFFICIAL",
        "files": [SimpleUploadedFile("tables.csv", b"region,count\nWales,-3\n")]})
    assert DeliveryFile.objects.count() == 1
    assert "flagged" not in AuditEvent.objects.get(action="sharing.deliver").details["files"][0]
    assert 'data-testid="flagged-cells"' not in signed_in(cast.iasc_requester).get(
        f"/requests/{agreed.reference}/").content.decode()


def test_the_form_states_the_size_limit(cast, signed_in, settings, agreed):
    settings.CONCORDAT_MAX_FILE_BYTES = 20 * 1024 * 1024
    page = signed_in(cast.msu_assessor).get(f"/requests/{agreed.reference}/deliver/").content.decode()
    assert "Up to 20 MB each." in page and "OpenDocument (.ods, .odt)" in page


def test_only_administrators_are_told_scanning_is_not_configured(cast, signed_in, settings, agreed):
    settings.CONCORDAT_CLAMD_SOCKET = ""
    path = f"/requests/{agreed.reference}/deliver/"
    assert 'data-testid="scanning-note"' not in signed_in(cast.msu_assessor).get(path).content.decode()
    RoleGrant.objects.create(user=cast.msu_assessor, role=Role.ADMINISTRATOR)
    page = signed_in(cast.msu_assessor).get(path).content.decode()
    assert 'data-testid="scanning-note"' in page and "Virus scanning is not configured" in page
    settings.CONCORDAT_CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert 'data-testid="scanning-note"' not in signed_in(cast.msu_assessor).get(path).content.decode()


@pytest.mark.parametrize(("name", "message"), [
    ("C:\\Users\\me\\tables.csv", "path separators"), ("../tables.csv", "path separators"),
    ("tab\x07les.csv", "control characters"), ("report\u202etxt.csv", "control characters"),
])
def test_a_name_with_path_separators_or_controls_is_refused_by_the_service(cast, agreed, name, message):
    """Django's multipart parsing already drops a path and some characters from the name; the service does not
    rely on it."""
    before, files_before = counts(), stored_files()
    upload = SimpleUploadedFile("placeholder.csv", b"a,b\n")
    upload._name = name
    with pytest.raises(RuleViolation) as refused:
        services.deliver(agreed, by=cast.msu_assessor, expected_version=agreed.version, description="Tables",
                         marking="OFFICIAL", uploads=[upload])
    assert refused.value.problems[0].field == "files" and message in refused.value.problems[0].message
    assert counts() == before and stored_files() == files_before


@pytest.mark.parametrize("who", ["iasc_requester", "dwp_officer"])
def test_the_wrong_person_or_organisation_is_refused_before_any_file_is_read(cast, api, agreed, who):
    before, files_before = counts(), stored_files()
    response = api(getattr(cast, who)).post(f"/api/requests/{agreed.pk}/deliver/", {
        "version": agreed.version, "description": "Tables", "marking": "OFFICIAL",
        "files": [SimpleUploadedFile("eicar.txt", checks.EICAR)]}, format="multipart")
    assert response.status_code in (403, 404)
    assert counts()[:3] == before[:3] and stored_files() == files_before  # the refusal itself is audited


def test_a_publication_draft_with_formula_cells_is_flagged_to_the_holder(cast, signed_in):
    from publications.models import PublicationProposal

    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    response = signed_in(cast.iasc_requester).post(f"/publications/new/{provided.reference}/", {
        "text": "Table 3: referrals by region.", "files": [SimpleUploadedFile("table.csv", FORMULAS)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = PublicationProposal.objects.get()
    page = signed_in(cast.msu_assessor).get(f"/publications/{proposal.pk}/").content.decode()
    assert 'data-testid="flagged-cells"' in page and "2 cells start with" in page
    assert b"".join(vault_services.open_chunks(proposal.files.get().vault_file)) == FORMULAS
