"""Need-to-know reads from the vault (issue 10 item 3, ADR 27): a delivered file round trips through upload and
download; each read, and each refused read, is on the audit record with the person, their address and the file's id;
a stored copy that fails its integrity check is refused with a plain message, never a 500; nothing is left in the
vault by a delivery that is refused."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from concordat.errors import NotAllowed
from sharing import services as sharing
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.support.requests import draft, fresh, walk
from vault import services as vault
from vault.crypto import VaultIntegrityError
from vault.models import StoredFile

CSV = b"region,count\n" + b"".join(f"Region {n},{n}\n".encode() for n in range(60_000))  # about 1 MB: one chunk+


@pytest.fixture
def vault_dir(settings, tmp_path):
    location = tmp_path / "vault"
    settings.STORAGES = {**settings.STORAGES, "vault": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    return location


def stored_files(location) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(location) for name in names]


def delivered(cast, content=CSV, name="tables.csv", **fields) -> DeliveryFile:
    request = walk(draft(cast.iasc_requester, **fields), cast, RequestState.ACKNOWLEDGED)
    request = walk(request, cast, RequestState.AGREED) if request.state != RequestState.AGREED else request
    request = fresh(request)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking=request.classification,
                    uploads=[SimpleUploadedFile(name, content, content_type="text/csv")])
    return DeliveryFile.objects.select_related("vault_file", "delivery__request").get()


def test_a_delivered_file_round_trips_through_upload_and_download(cast, api, vault_dir):
    delivered_file = delivered(cast)
    stored = delivered_file.vault_file
    assert (stored.size, stored.sha256, stored.marking) == (len(CSV), delivered_file.sha256, "OFFICIAL")
    [path] = stored_files(vault_dir)
    ciphertext = open(path, "rb").read()
    assert b"Region 1," not in ciphertext and len(ciphertext) > len(CSV)  # encrypted at rest
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    reference = delivered_file.delivery.request.reference
    assert response["Content-Disposition"] == f'attachment; filename="OFFICIAL_{reference}_tables.csv"'
    assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_download_name_starts_with_the_marking(cast, signed_in, vault_dir):
    delivered_file = delivered(cast, classification="OFFICIAL-SENSITIVE", named_people=[cast.iasc_requester.pk])
    response = signed_in(cast.iasc_requester).get(reverse("sharing:download", args=[delivered_file.pk]))
    assert response.status_code == 200, response.content[:300]
    reference = delivered_file.delivery.request.reference
    assert response["Content-Disposition"] == f'attachment; filename="OFFICIAL-SENSITIVE_{reference}_tables.csv"'
    assert b"".join(response.streaming_content) == CSV


def test_every_read_is_audited_with_person_address_and_file(cast, api, vault_dir):
    delivered_file = delivered(cast)
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/", REMOTE_ADDR="203.0.113.9")
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="vault.file_read")
    assert event.actor_id == cast.iasc_requester.pk and event.ip_address == "203.0.113.9"
    assert event.details["file"] == str(delivered_file.vault_file.pk) and event.details["via"] == "token"
    assert event.details["sha256"] == delivered_file.sha256 and event.details["marking"] == "OFFICIAL"


def test_a_person_outside_need_to_know_is_refused_and_the_refusal_audited(cast, api, vault_dir):
    delivered_file = delivered(cast, classification="OFFICIAL-SENSITIVE", named_people=[])
    for outsider in (cast.dwp_officer, cast.ho_analyst, cast.researcher):
        response = api(outsider).get(f"/api/files/{delivered_file.pk}/download/", REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 404
        refused = AuditEvent.objects.filter(action="sharing.download_refused", actor_id=outsider.pk).get()
        assert refused.details["asked_for"] == str(delivered_file.pk) and refused.ip_address == "198.51.100.7"
    assert not AuditEvent.objects.filter(action="vault.file_read").exists()


def test_a_session_without_its_second_factor_is_refused_and_audited(cast, vault_dir):
    stored = delivered(cast).vault_file
    with pytest.raises(NotAllowed, match="one-time code"):
        vault.read(stored, by=cast.iasc_requester, via_token=False)  # a bare User: never verified
    refused = AuditEvent.objects.get(action="vault.read_refused")
    assert refused.actor_id == cast.iasc_requester.pk and refused.details["reason"] == "no second factor"
    assert not AuditEvent.objects.filter(action="vault.file_read").exists()


def test_a_disposed_file_cannot_be_read(cast, api, vault_dir):
    delivered_file = delivered(cast)
    with transaction.atomic():
        vault.shred(delivered_file.vault_file, by=cast.msu_assessor)
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/")
    assert response.status_code == 410 and "disposed of" in response.content.decode()
    assert AuditEvent.objects.get(action="vault.read_refused").details["reason"] == "disposed"


def test_a_tampered_stored_copy_is_refused_with_a_plain_message(cast, api, signed_in, vault_dir):
    delivered_file = delivered(cast)
    [path] = stored_files(vault_dir)
    with open(path, "r+b") as handle:
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 0x80]))
    for response in (api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/"),
                     signed_in(cast.iasc_requester).get(reverse("sharing:download", args=[delivered_file.pk]))):
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/plain")
        assert b"integrity check" in response.content
    failed = AuditEvent.objects.filter(action="vault.read_failed")
    assert failed.count() == 2 and "Chunk 1" in failed.first().details["reason"]
    assert not AuditEvent.objects.filter(action="vault.file_read").exists()


def test_a_truncated_stored_copy_is_refused_before_anything_is_served(cast, api, vault_dir):
    delivered_file = delivered(cast)  # two chunks: cut after the first, which was sealed as "not the last"
    [path] = stored_files(vault_dir)
    with open(path, "r+b") as handle:
        handle.truncate(1024 * 1024 + 16)
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/")
    assert response.status_code == 409 and b"integrity check" in response.content
    assert AuditEvent.objects.get(action="vault.read_failed").details["reason"].startswith("Chunk 1")


def test_a_later_chunk_tampered_cuts_the_download_off_before_its_end(cast, api, vault_dir):
    delivered_file = delivered(cast)
    [path] = stored_files(vault_dir)
    with open(path, "r+b") as handle:
        handle.seek(1024 * 1024 + 16 + 5)  # inside the second chunk
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 1]))
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/")
    assert response.status_code == 200  # the first chunk checked out: the answer had begun
    given = []
    with pytest.raises(VaultIntegrityError, match="Chunk 2"):
        for piece in response.streaming_content:
            given.append(piece)
    assert len(b"".join(given)) == 1024 * 1024 < len(CSV)  # never the whole, never the altered part
    assert AuditEvent.objects.filter(action="vault.read_failed").exists()


def test_a_missing_stored_copy_is_a_plain_refusal(cast, api, vault_dir):
    delivered_file = delivered(cast)
    [path] = stored_files(vault_dir)
    os.remove(path)
    response = api(cast.iasc_requester).get(f"/api/files/{delivered_file.pk}/download/")
    assert response.status_code == 409 and b"cannot be found" in response.content


def test_a_refused_delivery_leaves_nothing_in_the_vault(cast, api, vault_dir):
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    with pytest.raises(Exception, match="marking|classification|OFFICIAL"):
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                        marking="TOP SECRET", uploads=[SimpleUploadedFile("t.csv", CSV)])
    assert stored_files(vault_dir) == [] and not StoredFile.objects.exists()


def test_a_delivery_whose_transaction_fails_late_leaves_nothing_in_the_vault(cast, vault_dir, monkeypatch):
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)

    def fail(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr("sharing.cases.REQUESTS.advance", fail)
    with pytest.raises(RuntimeError):
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                        marking="OFFICIAL", uploads=[SimpleUploadedFile("t.csv", CSV)])
    assert stored_files(vault_dir) == [] and not StoredFile.objects.exists()


def test_the_vault_refuses_a_file_that_changed_after_its_check(cast, vault_dir):
    delivered_file = delivered(cast)
    with pytest.raises(Exception, match="changed while"), transaction.atomic():
        vault.store(SimpleUploadedFile("t.csv", b"other"), owner={"delivery_file": delivered_file},
                    original_name="t.csv", content_type="text/csv", marking="OFFICIAL", expected_sha256="0" * 64)
    assert len(stored_files(vault_dir)) == 1


def test_a_stored_file_has_exactly_one_owner(cast, vault_dir):
    with pytest.raises(ValueError):
        vault.store(SimpleUploadedFile("t.csv", b"x"), owner={}, original_name="t.csv", content_type="text/csv",
                    marking="OFFICIAL")
    assert stored_files(vault_dir) == []


@pytest.mark.parametrize(("marking", "reference", "name", "expected"), [
    ("OFFICIAL-SENSITIVE", "IASC-2021-0042", "tables.csv", "OFFICIAL-SENSITIVE_IASC-2021-0042_tables.csv"),
    ("official", "HO-2024-0001", 'a"b\r\nc.pdf', "OFFICIAL_HO-2024-0001_a-b-c.pdf"),
    ("OFFICIAL", "", "../../etc/passwd", "OFFICIAL_etc-passwd"),
])
def test_download_names_are_safe(marking, reference, name, expected):
    stored = StoredFile(id=uuid.uuid4(), marking=marking, original_name=name)
    assert vault.safe_download_name(stored, reference) == expected


def test_a_proposed_publication_file_is_stored_and_read_through_the_vault(cast, api, vault_dir):
    from publications import services as publications

    request = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    proposal = publications.propose(request, by=cast.iasc_requester, text="Table 3.",
                                    uploads=[SimpleUploadedFile("draft.csv", b"region,count\nWales,31\n")])
    proposal_file = proposal.files.get()
    stored = proposal_file.vault_file
    assert stored.marking == request.classification and stored.created_by == cast.iasc_requester
    assert len(stored_files(vault_dir)) == 2  # the delivery's and the proposal's, each under its own key
    response = api(cast.msu_assessor).get(f"/api/publication-files/{proposal_file.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"region,count\nWales,31\n"
    assert response["Content-Disposition"] == (f'attachment; filename="{request.classification}_'
                                               f'{request.reference}_draft.csv"')
    read = AuditEvent.objects.get(action="vault.file_read")
    assert read.actor_id == cast.msu_assessor.pk and read.details["file"] == str(stored.pk)
    assert api(cast.dwp_officer).get(f"/api/publication-files/{proposal_file.pk}/download/").status_code == 404


def test_a_proposal_whose_transaction_fails_after_storing_leaves_nothing_in_the_vault(cast, vault_dir, monkeypatch):
    from publications import services as publications

    request = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    before = stored_files(vault_dir)

    def fail(*args, **kwargs):
        raise RuntimeError("the timeline write failed")

    monkeypatch.setattr("publications.services.PUBLICATIONS.record", fail)
    with pytest.raises(RuntimeError):
        publications.propose(request, by=cast.iasc_requester, text="Table 3.",
                             uploads=[SimpleUploadedFile("draft.csv", b"region,count\nWales,31\n")])
    assert stored_files(vault_dir) == before and not StoredFile.objects.filter(publication_file__isnull=False).exists()
