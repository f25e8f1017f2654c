"""`manage.py verify_vault` (ADR 44), run by deploy/restore.sh: every held file read through the vault and its
SHA-256 checked. A held file whose data key is gone was disposed of after the backup: listed, not an error. A
ciphertext changed or missing is an error naming the file. A constant number of queries, however many files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sharing import services as sharing
from sharing.states import RequestState
from tests.support.requests import draft, walk
from vault import services as vault
from vault.datakeys import data_key_store
from vault.models import StoredFile

TABLES = b"region,count\n" + b"".join(f"Region {n},{n}\n".encode() for n in range(3000))


def deliver(cast, *names: str) -> list[StoredFile]:
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking=request.classification, uploads=[SimpleUploadedFile(name, TABLES) for name in names])
    return list(StoredFile.objects.order_by("pk"))


def verify() -> str:
    out = io.StringIO()
    call_command("verify_vault", stdout=out)
    return out.getvalue()


def test_every_held_file_is_read_and_its_hash_checked_in_a_constant_number_of_queries(
        cast, django_assert_num_queries):
    deliver(cast, "a.csv", "b.csv", "c.csv")
    with django_assert_num_queries(1):
        out = verify()
    assert "Vault intact: 3 held files read, each matching its SHA-256; 0 shredded since the backup" in out


def test_a_held_file_whose_key_is_gone_is_listed_as_shredded_not_an_error(cast):
    first, second = deliver(cast, "a.csv", "b.csv")
    data_key_store().destroy(first.pk)  # as a disposal after the backup did, in the live key store
    out = verify()
    assert f"Shredded since the backup (key destroyed): {first.pk}" in out
    assert "1 held files read, each matching its SHA-256; 1 shredded" in out


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_ciphertext_changed_or_missing_is_an_error_naming_the_file(cast, damage):
    (stored,) = deliver(cast, "a.csv")
    storage = vault.storage()
    if damage == "missing":
        storage.delete(stored.storage_name)
    else:
        body = bytearray(storage.open(stored.storage_name).read())
        body[-40] ^= 1
        with storage.open(stored.storage_name, "wb") as handle:
            handle.write(bytes(body))
    with pytest.raises(CommandError, match=f"1 held file\\(s\\) cannot be read whole: {stored.pk}"):
        verify()
