"""Orphan ciphertexts (ADR 40). `store()` writes the ciphertext before its transaction commits the row that holds
its wrapped data key, and removes it if the transaction fails; a process killed with SIGKILL between the two
removes nothing. Such a ciphertext can never be opened (its data key died with the transaction) but it is still
an object nobody accounts for: the sweep deletes every ciphertext with no StoredFile row once it is older than the
grace period, which must exceed the longest upload, so that an upload in progress is never swept, and destroys its
data key in the key store (ADR 32) if the kill came after the key was put. A key with neither a row nor a ciphertext
(a kill between `discard`'s two steps) opens nothing and is destroyed as well."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from vault.datakeys import data_key_store
from vault.models import StoredFile
from vault.services import discard, storage, storage_name_for

FILES_PREFIX = "files"
DEFAULT_GRACE = timedelta(hours=1)


def ciphertext_names() -> Iterator[str]:
    """Every name under files/ in the vault's storage (files/<2 hex>/<32 hex>)."""
    store = storage()
    try:
        shards, _ = store.listdir(FILES_PREFIX)
    except FileNotFoundError:  # a local vault that has stored nothing yet
        return
    for shard in shards:
        _, names = store.listdir(f"{FILES_PREFIX}/{shard}")
        for name in names:
            yield f"{FILES_PREFIX}/{shard}/{name}"


def orphans(grace: timedelta = DEFAULT_GRACE) -> list[str]:
    """Ciphertexts with no row, last written more than `grace` ago."""
    store = storage()
    cutoff = timezone.now() - grace
    names = list(ciphertext_names())
    known = set(StoredFile.objects.filter(storage_name__in=names).values_list("storage_name", flat=True))
    return [name for name in names if name not in known and store.get_modified_time(name) <= cutoff]


def orphan_keys() -> list:
    """Data keys in the key store with no stored file and no ciphertext: nothing can be opened with them."""
    held = data_key_store().file_ids()
    known = set(StoredFile.objects.filter(pk__in=held).values_list("pk", flat=True))
    return [file_id for file_id in held if file_id not in known and not storage().exists(storage_name_for(file_id))]


def sweep(grace: timedelta = DEFAULT_GRACE) -> list[str]:
    """Delete the orphan ciphertexts with their keys, then the keys left with neither; the names removed."""
    swept = orphans(grace)
    for name in swept:
        discard(name)
    keys = data_key_store()
    stray_keys = orphan_keys()
    for file_id in stray_keys:
        keys.destroy(file_id)
    return swept + [f"key:{file_id}" for file_id in stray_keys]
