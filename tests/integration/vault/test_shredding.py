"""Crypto-shredding against backups (issue 10 item 5, ADR 32): a backup of the database taken before a file is
disposed of, restored after, with the ciphertext's bytes put back, still cannot decrypt it, because the wrapped data
key was never in the database and the key store keeps no old keys. On PostgreSQL the backup is a real `pg_dump`
restored into a fresh database; on SQLite, the database's own SQL dump restored into a fresh one. And a store that
fails leaves neither a key nor a ciphertext behind."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from sharing import services as sharing
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.support.requests import draft, walk
from vault import services as vault
from vault.datakeys import DataKeyDestroyed, LocalDataKeyStore, data_key_store
from vault.models import StoredFile

CONTENT = b"region,count\n" + b"".join(f"Region {n},{n}\n".encode() for n in range(5000))


def delivered(cast) -> StoredFile:
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", CONTENT, content_type="text/csv")])
    return DeliveryFile.objects.select_related("vault_file").get().vault_file


def files_under(location) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(location) for name in names]


class Backup:
    """A copy of the whole database as an operator would take one, restored into a fresh database to be read."""

    def __init__(self):
        self.vendor = connection.vendor
        self.settings = connection.settings_dict
        self.text = self._pg_dump() if self.vendor == "postgresql" else "\n".join(connection.connection.iterdump())

    def _pg_args(self) -> list[str]:
        return ["-h", self.settings["HOST"] or "127.0.0.1", "-p", str(self.settings["PORT"] or 5432),
                "-U", self.settings["USER"] or "postgres"]

    def _pg_dump(self) -> str:
        return subprocess.run(["pg_dump", *self._pg_args(), "--no-owner", "--no-privileges", self.settings["NAME"]],
                              check=True, capture_output=True, text=True).stdout

    def stored_file_row(self, file_id: uuid.UUID) -> dict:
        """The file's row as the restored backup has it."""
        if self.vendor != "postgresql":
            restored = sqlite3.connect(":memory:")
            restored.executescript(self.text)
            restored.row_factory = sqlite3.Row
            return dict(restored.execute("SELECT * FROM vault_storedfile WHERE id = ?", [file_id.hex]).fetchone())
        import psycopg
        from psycopg.rows import dict_row

        name = f"{self.settings['NAME']}_restored_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", *self._pg_args(), name], check=True)
        try:
            subprocess.run(["psql", *self._pg_args(), "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
                           input=self.text, text=True, check=True, capture_output=True)
            conninfo = (f"host={self.settings['HOST'] or '127.0.0.1'} port={self.settings['PORT'] or 5432} "
                        f"user={self.settings['USER'] or 'postgres'} dbname={name}")
            with psycopg.connect(conninfo, row_factory=dict_row) as restored:
                return restored.execute("SELECT * FROM vault_storedfile WHERE id = %s", [file_id]).fetchone()
        finally:
            subprocess.run(["dropdb", *self._pg_args(), name], check=True)


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_disposal_cannot_decrypt_the_file_after_disposal(cast):
    stored = delivered(cast)
    wrapped = data_key_store().get(stored.pk)
    backup = Backup()  # the database, taken while the file is held
    ciphertext = vault.storage().open(stored.storage_name).read()  # and a copy of the ciphertext's bytes
    assert wrapped.hex() not in backup.text and wrapped not in backup.text.encode("latin-1", "ignore")
    assert b"".join(vault.open_chunks(stored)) == CONTENT  # readable before disposal, through the key store

    with transaction.atomic():
        vault.shred(StoredFile.objects.select_for_update().get(pk=stored.pk), by=cast.msu_assessor)
    assert not vault.storage().exists(stored.storage_name)
    assert stored.pk not in data_key_store().file_ids()

    # Restore: the row as the backup had it (held, not disposed) and the ciphertext's bytes where they were.
    row = backup.stored_file_row(stored.pk)
    assert row["disposed_at"] is None
    restored = StoredFile(**{field.attname: row[field.column] for field in StoredFile._meta.concrete_fields})
    restored.id = uuid.UUID(str(row["id"]))
    with vault.storage().open(stored.storage_name, "wb") as handle:
        handle.write(ciphertext)
    with pytest.raises(DataKeyDestroyed, match="disposed of"):
        b"".join(vault.open_chunks(restored))


def test_a_key_store_that_fails_leaves_no_key_and_no_ciphertext(cast, settings, tmp_path, monkeypatch):
    def failing_put(self, file_id, wrapped):
        raise OSError("the key store is full")

    monkeypatch.setattr(LocalDataKeyStore, "put", failing_put)
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    with pytest.raises(OSError, match="key store is full"):
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                        marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", CONTENT)])
    assert files_under(tmp_path / "vault") == [] and files_under(tmp_path / "data-keys") == []
    assert not StoredFile.objects.exists()


def test_a_transaction_that_fails_after_storing_leaves_no_key_and_no_ciphertext(cast, tmp_path, monkeypatch):
    from sharing.cases import REQUESTS

    def failing_advance(*args, **kwargs):
        raise RuntimeError("the database went away")

    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    monkeypatch.setattr(REQUESTS, "advance", failing_advance)
    with pytest.raises(RuntimeError):
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                        marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", CONTENT)])
    assert files_under(tmp_path / "vault") == [] and files_under(tmp_path / "data-keys") == []


def test_keys_are_written_owner_only_and_a_destroyed_key_is_gone(tmp_path):
    store = LocalDataKeyStore(tmp_path / "keys")
    file_id = uuid.uuid4()
    store.put(file_id, b"w" * 60)
    [path] = files_under(tmp_path / "keys")
    assert os.stat(path).st_mode & 0o777 == 0o600 and os.stat(tmp_path / "keys").st_mode & 0o777 == 0o700
    store.put(file_id, b"x" * 60)  # a rewrap replaces the key: the old one is not kept
    assert store.get(file_id) == b"x" * 60 and len(files_under(tmp_path / "keys")) == 1
    store.destroy(file_id)
    store.destroy(file_id)  # idempotent: a retried disposal fails on nothing
    assert files_under(tmp_path / "keys") == []
    with pytest.raises(DataKeyDestroyed):
        store.get(file_id)
    with pytest.raises(ValueError):
        store.put(file_id, b"")
