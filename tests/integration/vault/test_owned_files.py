"""DeliveryFile and PublicationFile on one abstract base (vault.models.VaultBackedFile, ADR 48): the same fields and
the same store and look-up code (vault.services.store_checked, owned_file), each its own table and constraints."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from publications.models import PublicationFile
from sharing import files as file_checks
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.support.requests import draft, walk
from vault import services as vault
from vault.crypto import VaultError
from vault.models import StoredFile, VaultBackedFile

SHARED = ["original_name", "content_type", "size", "sha256", "uploaded_at"]


@pytest.mark.parametrize("model, table, parent, constraint", [
    (DeliveryFile, "sharing_deliveryfile", "delivery", "delivery_file_not_empty"),
    (PublicationFile, "publications_publicationfile", "proposal", "publication_file_not_empty"),
])
def test_each_keeps_its_table_its_parent_and_its_constraint_on_the_shared_fields(model, table, parent, constraint):
    assert issubclass(model, VaultBackedFile) and model._meta.db_table == table
    assert {field.name for field in model._meta.concrete_fields} == {"id", parent, *SHARED}
    assert [c.name for c in model._meta.constraints] == [constraint] and model._meta.ordering == ["id"]
    assert StoredFile._meta.get_field(model.OWNER_FIELD).related_model is model


def delivery(cast):
    return walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED).deliveries.get()


@pytest.mark.django_db(transaction=True)
def test_a_checked_upload_is_recorded_and_stored_for_its_row_and_read_back_whole(cast):
    upload = SimpleUploadedFile("counts.csv", b"region,count\nWales,31\n")
    facts = file_checks.check_upload(upload, 1024 * 1024)
    with transaction.atomic():
        row, stored = vault.store_checked(DeliveryFile, upload, facts, marking="OFFICIAL", by=cast.msu_assessor,
                                          uploaded_at=timezone.now(), delivery=delivery(cast))
    assert stored.delivery_file == row and (row.sha256, row.size) == (stored.sha256, stored.size) == (facts.sha256,
                                                                                                      facts.size)
    assert b"".join(vault.open_chunks(stored)) == b"region,count\nWales,31\n"
    assert vault.owned_file(DeliveryFile, row.pk).vault_file == stored
    assert row.reference == row.delivery.request.reference


@pytest.mark.django_db(transaction=True)
def test_an_upload_changed_after_its_check_leaves_no_row_and_no_ciphertext(cast):
    upload = SimpleUploadedFile("counts.csv", b"region,count\nWales,31\n")
    facts = file_checks.check_upload(upload, 1024 * 1024)
    upload.file.write(b"Powys,7\n")  # swapped between the check and the store
    target = delivery(cast)
    rows, stored = DeliveryFile.objects.count(), StoredFile.objects.count()
    with pytest.raises(VaultError, match="changed"), transaction.atomic():
        vault.store_checked(DeliveryFile, upload, facts, marking="OFFICIAL", by=cast.msu_assessor,
                            uploaded_at=timezone.now(), delivery=target)
    assert (DeliveryFile.objects.count(), StoredFile.objects.count()) == (rows, stored)


@pytest.mark.django_db
def test_a_row_without_its_parent_is_refused_by_the_database(cast):
    upload = SimpleUploadedFile("counts.csv", b"region,count\nWales,31\n")
    facts = file_checks.check_upload(upload, 1024 * 1024)
    with pytest.raises(IntegrityError), transaction.atomic():
        vault.store_checked(DeliveryFile, upload, facts, marking="OFFICIAL", by=cast.msu_assessor,
                            uploaded_at=timezone.now())


@pytest.mark.parametrize("asked_for", ["", "abc", "1.5", "99999999999999999999999", -3, 0, None, True])
@pytest.mark.django_db
def test_a_malformed_id_finds_nothing_without_asking_the_database(asked_for, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert vault.owned_file(PublicationFile, asked_for) is None


@pytest.mark.django_db
def test_a_file_and_everything_its_visibility_reads_come_in_one_query(cast, django_assert_num_queries):
    row = delivery(cast).files.first()
    with django_assert_num_queries(1):
        found = vault.owned_file(DeliveryFile, row.pk, related=["delivery__request"])
        assert found.vault_file.sha256 == found.sha256 and found.reference
