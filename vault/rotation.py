"""Key rotation (ADR 33): every held file's data key is rewrapped under a new key-encryption key, in the data key
store, so that the old KEK can then be destroyed.

Rotation is idempotent, so an interrupted run is finished by running it again: a file whose `kek_id` already names
the new KEK is skipped, and one whose key was rewrapped in the store but whose record was not yet updated (a crash
between the two) is recognised by its key unwrapping under the new KEK, and only its record is put right. The data
keys themselves never change (the ciphertexts are not touched), and each rewrapped key replaces the old one in the
store, which keeps no old versions (ADR 32). One audit event records the run: both key ids and the counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from audit.services import record_standalone
from vault import crypto
from vault.crypto import VaultIntegrityError
from vault.datakeys import data_key_store
from vault.keys import KeyEncryptionKey
from vault.models import StoredFile


@dataclass
class Rotation:
    rewrapped: int = 0
    already: int = 0
    disposed: int = 0


def rotate(old: KeyEncryptionKey, new: KeyEncryptionKey, *, by=None) -> Rotation:
    """Rewrap every held file's data key from `old` to `new`. VaultIntegrityError, naming the file, for a key that
    opens under neither (nothing after it is touched; the run can be repeated once it is dealt with)."""
    if old.key_id == new.key_id:
        raise ValueError("The new key-encryption key is the one in use: nothing to rotate.")
    store = data_key_store()
    result = Rotation()
    result.disposed = StoredFile.objects.filter(disposed_at__isnull=False).count()
    for stored in StoredFile.objects.filter(disposed_at__isnull=True).only("id", "kek_id").iterator():
        if stored.kek_id == new.key_id:
            result.already += 1
            continue
        context = crypto.key_context(stored.pk)
        wrapped = store.get(stored.pk)
        try:
            data_key = old.unwrap(wrapped, context)
            store.put(stored.pk, new.wrap(data_key, context))
            result.rewrapped += 1
        except VaultIntegrityError:
            _check_rewrapped(new, wrapped, stored)  # by a run that was interrupted before updating the record
            result.already += 1
        StoredFile.objects.filter(pk=stored.pk).update(kek_id=new.key_id)
    with transaction.atomic():
        record_standalone("vault.kek_rotated", by=by, details={
            "from": old.key_id, "to": new.key_id, "rewrapped": result.rewrapped, "already": result.already,
            "disposed": result.disposed})
    return result


def _check_rewrapped(new: KeyEncryptionKey, wrapped: bytes, stored: StoredFile) -> None:
    try:
        new.unwrap(wrapped, crypto.key_context(stored.pk))
    except VaultIntegrityError:
        raise VaultIntegrityError(f"Stored file {stored.pk}: its data key opens under neither the key-encryption key "
                                  "in use nor the new one. Rotation stopped there; nothing after it was touched.") from None
