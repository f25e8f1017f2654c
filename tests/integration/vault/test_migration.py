"""The data migration (vault 0002, ADR 27): delivered and proposed files kept in plain form are encrypted into the
vault, each under its own data key, and their plaintext is removed once the migration has committed."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from publications import services as publications
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.support.requests import draft, pdf, walk
from vault import services as vault
from vault.datakeys import data_key_store
from vault.models import StoredFile

BEFORE = [("vault", None), ("sharing", "0010_escalation_actions"), ("publications", "0002_publicationfile")]
DELIVERED = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"  # several chunks
PROPOSED = b"%PDF-1.7\n% a draft page\n%%EOF\n"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def storages_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "files")}},
                         "vault": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                   "OPTIONS": {"location": str(tmp_path / "vault")}}}
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_plaintext_files_move_into_the_vault_and_the_plaintext_is_removed(cast, storages_in_tmp):
    request = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    publications.propose(request, by=cast.iasc_requester, text="Table 3.", uploads=[pdf("draft.pdf", PROPOSED)])
    delivery_file = DeliveryFile.objects.get()
    proposal_file = request.publication_proposals.get().files.get()
    for ciphertext in StoredFile.objects.values_list("storage_name", flat=True):
        vault.storage().delete(ciphertext)  # as before the vault: only plain files, in the default storage
    plain = storages["default"]
    try:
        old = migrate(BEFORE)
        old_delivery_file = old.get_model("sharing", "DeliveryFile").objects.get(pk=delivery_file.pk)
        old_delivery_file.stored_file = plain.save("deliveries/d1", ContentFile(DELIVERED))
        old_delivery_file.size, old_delivery_file.sha256 = len(DELIVERED), hashlib.sha256(DELIVERED).hexdigest()
        old_delivery_file.save()
        old_proposal_file = old.get_model("publications", "PublicationFile").objects.get(pk=proposal_file.pk)
        old_proposal_file.stored_file = plain.save("publications/p1", ContentFile(PROPOSED))
        old_proposal_file.save()
        assert plain.exists("deliveries/d1") and plain.exists("publications/p1")
    finally:
        migrate(latest())

    assert not plain.exists("deliveries/d1") and not plain.exists("publications/p1")  # the plaintext is gone
    moved = StoredFile.objects.get(delivery_file_id=delivery_file.pk)
    assert (moved.size, moved.sha256, moved.marking) == (len(DELIVERED), hashlib.sha256(DELIVERED).hexdigest(),
                                                         "OFFICIAL")
    assert moved.created_by_id == cast.msu_assessor.pk
    ciphertext = storages["vault"].open(moved.storage_name).read()
    assert DELIVERED[:4096] not in ciphertext
    assert b"".join(vault.open_chunks(moved)) == DELIVERED
    proposed = StoredFile.objects.get(publication_file_id=proposal_file.pk)
    assert b"".join(vault.open_chunks(proposed)) == PROPOSED and proposed.marking == request.classification
    keys = data_key_store()  # the wrapped keys are outside the database (vault 0003, ADR 32)
    assert keys.get(proposed.pk) != keys.get(moved.pk)
    assert not any(field.name == "wrapped_key" for field in StoredFile._meta.get_fields())


@pytest.mark.django_db(transaction=True)
def test_a_plaintext_that_is_not_the_file_recorded_stops_the_migration_and_keeps_the_plaintext(cast,
                                                                                               storages_in_tmp):
    walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    delivery_file = DeliveryFile.objects.get()
    vault.storage().delete(delivery_file.vault_file.storage_name)
    plain = storages["default"]
    old = migrate(BEFORE)
    try:
        row = old.get_model("sharing", "DeliveryFile").objects.get(pk=delivery_file.pk)
        row.stored_file = plain.save("deliveries/altered", ContentFile(b"%PDF-1.7 not what was delivered"))
        row.save()
        with pytest.raises(Exception, match="not the file recorded"):
            migrate(latest())
        assert plain.exists("deliveries/altered")  # nothing lost
        assert not any(files for _, _, files in os.walk(storages_in_tmp / "vault"))  # nothing half-stored
    finally:
        row = migrate(BEFORE).get_model("sharing", "DeliveryFile").objects.get(pk=delivery_file.pk)
        row.stored_file = ""
        row.save()
        migrate(latest())
