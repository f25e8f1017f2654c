"""Races on the vault (ADR 27), on PostgreSQL: several people deliver the same request at once with files; one
delivery wins, the others are told the request changed, and none of the losers' ciphertexts outlives its
transaction; and many people read one file at once, each read whole and each on the record."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import StaleObject
from sharing import services as sharing
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.requests import draft, walk
from vault import services as vault
from vault.models import StoredFile

RACERS = 8


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")


@pytest.fixture
def vault_dir(settings, tmp_path):
    location = tmp_path / "vault"
    settings.STORAGES = {**settings.STORAGES, "vault": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    return location


def stored_files(location) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(location) for name in names]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_deliveries_leave_exactly_one_set_of_ciphertexts(cast, vault_dir):
    needs_postgres()
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    version = request.version

    def deliver(n):
        return lambda: sharing.deliver(
            request.pk, by=cast.msu_assessor, expected_version=version, description=f"Tables {n}",
            marking="OFFICIAL", uploads=[SimpleUploadedFile(f"t{n}.csv", f"n,v\n{n},1\n".encode() * 5000)])

    outcomes = run_together([deliver(n) for n in range(RACERS)])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    [stored] = StoredFile.objects.all()
    assert stored_files(vault_dir) == [os.path.join(str(vault_dir), stored.storage_name)]
    assert DeliveryFile.objects.get().vault_file == stored
    assert b"".join(vault.open_chunks(stored)).startswith(b"n,v\n")
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_reads_at_once_are_each_whole_and_each_audited(cast, vault_dir):
    needs_postgres()
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    content = b"region,count\n" + b"".join(f"Region {n},{n}\n".encode() for n in range(200_000))  # 3 chunks
    sharing.deliver(request.pk, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("t.csv", content)])
    stored = StoredFile.objects.get()

    def read():
        return b"".join(vault.read(stored, by=cast.iasc_requester, via_token=True).chunks)

    outcomes = run_together([read for _ in range(RACERS)])
    assert all(outcome == content for outcome in outcomes), [type(o) for o in outcomes]
    assert AuditEvent.objects.filter(action="vault.file_read").count() == RACERS
    assert verify_stored_chain().ok
