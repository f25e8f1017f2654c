"""Key rotation (issue 10, ADR 33): `rotate_vault_kek` rewraps every held data key under a new KEK in the key store,
is on the audit record, can be run again after an interruption, and leaves nothing the old KEK opens."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction

from audit.models import AuditEvent
from sharing import services as sharing
from sharing.states import RequestState
from tests.support.requests import draft, walk
from vault import crypto
from vault import services as vault
from vault.datakeys import LocalDataKeyStore, data_key_store
from vault.keys import kek
from vault.models import StoredFile

CONTENTS = [b"region,count\nLondon,1\n", b"region,count\nLeeds,2\n", b"region,count\nYork,3\n"]


@pytest.fixture
def held(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile(f"t{n}.csv", content)
                                                 for n, content in enumerate(CONTENTS)])
    return list(StoredFile.objects.order_by("original_name"))


@pytest.fixture
def new_key(tmp_path):
    return tmp_path / "new-kek.key"


def rotate_to(settings, new_key):
    call_command("rotate_vault_kek", "--new-key-file", str(new_key), "--create")


def switch_to(settings, new_key):
    settings.VAULT_KEK = new_key.read_text().strip()


def readable(stored_files) -> list[bytes]:
    return [b"".join(vault.open_chunks(StoredFile.objects.get(pk=stored.pk))) for stored in stored_files]


def test_every_held_key_is_rewrapped_and_the_old_kek_opens_none(settings, held, new_key):
    old = kek()
    rotate_to(settings, new_key)
    switch_to(settings, new_key)
    assert {row.kek_id for row in StoredFile.objects.all()} == {kek().key_id} != {old.key_id}
    assert readable(held) == CONTENTS
    for stored in held:
        with pytest.raises(crypto.VaultIntegrityError):
            old.unwrap(data_key_store().get(stored.pk), crypto.key_context(stored.pk))
    event = AuditEvent.objects.get(action="vault.kek_rotated")
    assert (event.details["from"], event.details["to"], event.details["rewrapped"]) == (old.key_id, kek().key_id, 3)


def test_running_it_again_changes_nothing(settings, held, new_key):
    rotate_to(settings, new_key)
    keys = [data_key_store().get(stored.pk) for stored in held]
    rotate_to(settings, new_key)
    assert [data_key_store().get(stored.pk) for stored in held] == keys
    assert AuditEvent.objects.filter(action="vault.kek_rotated").last().details["already"] == 3


def test_an_interrupted_rotation_is_finished_by_running_it_again(settings, held, new_key, monkeypatch):
    real_put, calls = LocalDataKeyStore.put, []

    def put_then_fail(self, file_id, wrapped):
        calls.append(file_id)
        if len(calls) == 2:
            raise OSError("the machine went down")
        real_put(self, file_id, wrapped)

    monkeypatch.setattr(LocalDataKeyStore, "put", put_then_fail)
    with pytest.raises(OSError):
        rotate_to(settings, new_key)
    monkeypatch.setattr(LocalDataKeyStore, "put", real_put)
    rotate_to(settings, new_key)
    switch_to(settings, new_key)
    assert readable(held) == CONTENTS


def test_a_key_rewrapped_before_its_record_was_updated_is_recognised(settings, held, new_key):
    rotate_to(settings, new_key)
    StoredFile.objects.filter(pk=held[0].pk).update(kek_id=held[0].kek_id)  # as if it crashed before this update
    rotate_to(settings, new_key)
    switch_to(settings, new_key)
    assert readable(held) == CONTENTS and StoredFile.objects.filter(kek_id=held[0].kek_id).count() == 0


def test_a_disposed_file_has_no_key_to_rotate(settings, cast, held, new_key):
    with transaction.atomic():
        vault.shred(held[0], by=cast.msu_assessor)
    rotate_to(settings, new_key)
    assert AuditEvent.objects.filter(action="vault.kek_rotated").last().details["disposed"] == 1
    assert held[0].pk not in data_key_store().file_ids()


def test_bad_input_is_a_plain_error(settings, held, tmp_path):
    with pytest.raises(CommandError, match="No key file"):
        call_command("rotate_vault_kek", "--new-key-file", str(tmp_path / "absent.key"))
    (tmp_path / "not-hex.key").write_text("not hex")
    with pytest.raises(CommandError, match="not hexadecimal"):
        call_command("rotate_vault_kek", "--new-key-file", str(tmp_path / "not-hex.key"))
    (tmp_path / "same.key").write_text(settings.VAULT_KEK)
    with pytest.raises(CommandError, match="nothing to rotate"):
        call_command("rotate_vault_kek", "--new-key-file", str(tmp_path / "same.key"))
