"""Orphan ciphertexts (ADR 40). `store()` writes the ciphertext before its transaction commits the row that holds
its wrapped data key, and removes it if the transaction fails; a process killed with SIGKILL between the two
removes nothing. Such a ciphertext can never be opened (its data key died with the transaction) but it is still
an object nobody accounts for: the sweep deletes every ciphertext with no StoredFile row once it is older than the
grace period, which must exceed the longest upload, so that an upload in progress is never swept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from vault.models import StoredFile
from vault.services import storage

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


def sweep(grace: timedelta = DEFAULT_GRACE) -> list[str]:
    """Delete the orphans; the names deleted."""
    store = storage()
    swept = orphans(grace)
    for name in swept:
        store.delete(name)
    return swept
