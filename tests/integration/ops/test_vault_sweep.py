"""The sweep of orphan ciphertexts (ADR 40): a ciphertext no stored file accounts for is removed once older than
the grace period; one a stored file holds, or one younger than the grace (an upload in progress), never is."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from sharing.states import RequestState
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401 (each test its own vault and key store)
from vault import sweep
from vault.datakeys import data_key_store
from vault.models import StoredFile
from vault.services import storage, storage_name_for


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.fixture
def held(cast):
    walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    return StoredFile.objects.get().storage_name


def orphan(name="files/ab/" + "ab" * 16) -> str:
    return storage().save(name, ContentFile(b"ciphertext of an upload whose transaction died"))


def test_an_old_orphan_is_swept_and_a_held_ciphertext_kept(held):
    name = orphan()
    assert sweep.orphans(timedelta(0)) == [name]
    assert sweep.sweep(timedelta(0)) == [name]
    assert not storage().exists(name) and storage().exists(held)
    assert sweep.orphans(timedelta(0)) == []


def test_an_orphan_younger_than_the_grace_is_an_upload_in_progress(held):
    name = orphan()
    assert sweep.sweep() == [] and storage().exists(name)


def test_the_command_lists_without_removing_on_a_dry_run(held, capsys):
    name = orphan()
    call_command("sweep_vault", "--grace-seconds", "0", "--dry-run")
    assert name in capsys.readouterr().out and storage().exists(name)
    call_command("sweep_vault", "--grace-seconds", "-5")  # a negative grace is taken as none
    assert not storage().exists(name)


@pytest.mark.django_db
def test_an_empty_vault_has_no_orphans(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "vault": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "none")}}}
    assert sweep.orphans(timedelta(0)) == []


def test_a_kill_after_the_key_was_put_leaves_a_key_the_sweep_destroys_with_its_ciphertext(held):
    stray = uuid.uuid4()
    name = orphan(storage_name_for(stray))
    data_key_store().put(stray, b"wrapped key of an upload whose transaction died")
    assert sweep.sweep() == [] and stray in data_key_store().file_ids()  # in progress: kept whole
    assert sweep.sweep(timedelta(0)) == [name]
    assert not storage().exists(name) and stray not in data_key_store().file_ids()


def test_a_key_with_neither_row_nor_ciphertext_is_destroyed_and_a_held_key_kept(held):
    stray = uuid.uuid4()
    data_key_store().put(stray, b"wrapped key left between discard's two steps")
    assert sweep.orphan_keys() == [stray]
    assert sweep.sweep(timedelta(0)) == [f"key:{stray}"]
    assert data_key_store().file_ids() == [StoredFile.objects.get().pk]
