"""Delivered files go only to people who may see the request, always as attachments, on the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.support.requests import draft, walk


def delivered_file(cast, **fields) -> DeliveryFile:
    walk(draft(cast.iasc_requester, **fields), cast, RequestState.PROVIDED)
    return DeliveryFile.objects.get()


def test_a_file_is_downloaded_as_an_attachment_never_inline(cast, api):
    stored = delivered_file(cast)
    response = api(cast.iasc_requester).get(f"/api/files/{stored.pk}/download/")
    assert response.status_code == 200
    reference = stored.delivery.request.reference
    assert response["Content-Disposition"] == f'attachment; filename="OFFICIAL_{reference}_tables.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_file_is_stored_in_the_vault_under_a_name_the_server_chose(cast):
    stored = delivered_file(cast)
    assert "tables" not in stored.vault_file.storage_name and stored.vault_file.storage_name.startswith("files/")


def test_each_download_is_one_event_on_the_audit_record_with_the_facts_of_the_file_and_its_request(cast, api):
    stored = delivered_file(cast)
    client = api(cast.iasc_requester)  # its token's creation is an event of its own
    before = AuditEvent.objects.count()
    client.get(f"/api/files/{stored.pk}/download/")
    actions = AuditEvent.objects.filter(sequence__gt=before).values_list("action", flat=True)
    assert [action for action in actions if not action.startswith("api_token.")] == ["vault.file_read"]
    read = AuditEvent.objects.get(action="vault.file_read")
    assert read.actor_id == cast.iasc_requester.pk and read.details["file"] == str(stored.vault_file.pk)
    assert read.details["sha256"] == stored.sha256
    assert read.details["case"] == stored.delivery.request.reference
    assert (read.details["owner"], read.details["owner_id"]) == ("delivery_file", stored.pk)


def test_people_who_may_not_see_the_request_get_404_for_its_files(cast, api):
    stored = delivered_file(cast, classification="OFFICIAL-SENSITIVE", named_people=[])
    for outsider in (cast.dwp_officer, cast.ho_analyst, cast.iasc_case_officer, cast.researcher):
        assert api(outsider).get(f"/api/files/{stored.pk}/download/").status_code == 404
    assert api(cast.iasc_requester).get(f"/api/files/{stored.pk}/download/").status_code == 200
    assert api(cast.dwp_officer).get("/api/files/999999/download/").status_code == 404
    assert not AuditEvent.objects.filter(action="vault.file_read", actor_id=cast.dwp_officer.pk).exists()


def test_signed_in_pages_can_use_the_same_download(cast, signed_in):
    stored = delivered_file(cast)
    response = signed_in(cast.iasc_requester).get(f"/api/files/{stored.pk}/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")


# ADR 48: DeliveryFile and PublicationFile share vault.models.VaultBackedFile and the vault's store/look-up code.

def test_a_malformed_or_out_of_range_file_id_is_refused_and_audited_never_a_500(cast):
    from concordat.errors import NotAllowed
    from sharing import services

    for asked_for in ("99999999999999999999999", "1; DROP", -1, 2**63):
        with pytest.raises(NotAllowed):
            services.file_for_download(asked_for, by=cast.dwp_officer)
    refused = AuditEvent.objects.filter(action="sharing.download_refused", actor_id=cast.dwp_officer.pk)
    assert refused.count() == 4


def test_someone_who_may_not_see_the_request_gets_the_pages_404_with_its_message_and_no_read(cast, signed_in):
    stored = delivered_file(cast, classification="OFFICIAL-SENSITIVE", named_people=[])
    response = signed_in(cast.dwp_officer).get(reverse("sharing:download", args=[stored.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="vault.file_read").exists()
