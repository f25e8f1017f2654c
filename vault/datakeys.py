"""Where each stored file's wrapped data key is kept (ADR 32): outside the database, so that destroying it
crypto-shreds the file even against a backup of the database taken before.

`DataKeyStore` is the whole interface: `put(file_id, wrapped)` (replacing any key the file had: key rotation),
`get(file_id)` (DataKeyDestroyed when there is none) and `destroy(file_id)` (idempotent: a disposal that is retried
destroys nothing twice and fails on nothing). `LocalDataKeyStore` keeps one 0600 file per key in a 0700 directory
(VAULT_DATA_KEY_DIR, the demo's `var/keys/data-keys`), written to a temporary file, fsynced and renamed into place,
and the directory fsynced after every change, so a crash leaves the old key or the new one, never half of one. A
cloud secret store (AWS Secrets Manager, GCP Secret Manager, Vault's KV with versions purged) implements the same
three names; what it must not do is keep destroyed or replaced keys, which is what makes disposal final.

Only `data_key_store()` reads settings.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings

from vault.crypto import VaultIntegrityError
from vault.keys import MissingVaultKey

MAX_WRAPPED_BYTES = 128  # a 32-byte key, its nonce and tag, with room for a KMS's envelope


class DataKeyDestroyed(VaultIntegrityError):
    """No data key for this file: it has been disposed of (or its key was lost). The file cannot be decrypted."""


class DataKeyStore(Protocol):
    def put(self, file_id: uuid.UUID, wrapped: bytes) -> None: ...

    def get(self, file_id: uuid.UUID) -> bytes: ...

    def destroy(self, file_id: uuid.UUID) -> None: ...

    def file_ids(self) -> list[uuid.UUID]: ...


class LocalDataKeyStore:
    """One file per wrapped data key, named by the stored file's id, in a directory only the service reads."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    def _path(self, file_id: uuid.UUID) -> Path:
        return self.directory / f"{uuid.UUID(str(file_id)).hex}.key"

    def _ensure_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _sync_directory(self) -> None:
        descriptor = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def put(self, file_id: uuid.UUID, wrapped: bytes) -> None:
        if not 0 < len(wrapped) <= MAX_WRAPPED_BYTES:
            raise ValueError("A wrapped data key is between 1 and 128 bytes.")
        self._ensure_directory()
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".incoming-", suffix=".tmp")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(wrapped)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self._path(file_id))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._sync_directory()

    def get(self, file_id: uuid.UUID) -> bytes:
        try:
            return self._path(file_id).read_bytes()
        except FileNotFoundError:
            raise DataKeyDestroyed("This file's data key is not in the key store: the file has been disposed of, "
                                   "or its key was lost. It cannot be decrypted.") from None

    def destroy(self, file_id: uuid.UUID) -> None:
        path = self._path(file_id)
        if not path.exists():
            return
        # Overwrite before unlinking (a best effort: on a journalled or copy-on-write filesystem the old blocks may
        # survive, which is why ADR 32 asks for the key store's own storage not to keep old versions).
        with open(path, "r+b") as handle:
            handle.write(os.urandom(max(path.stat().st_size, 1)))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink(missing_ok=True)
        self._sync_directory()

    def file_ids(self) -> list[uuid.UUID]:
        if not self.directory.is_dir():
            return []
        return sorted(uuid.UUID(path.stem) for path in self.directory.glob("*.key"))


def data_key_store() -> DataKeyStore:
    """The configured key store; MissingVaultKey when none is configured (nothing is stored or read without it)."""
    directory = str(getattr(settings, "VAULT_DATA_KEY_DIR", "") or "")
    if not directory:
        raise MissingVaultKey("No key store for the vault's data keys: set VAULT_DATA_KEY_DIR (ADR 32).")
    return LocalDataKeyStore(directory)


def store_problem() -> str:
    """Why no data key store can be had, or '' when one can (for the system check)."""
    try:
        data_key_store()
    except MissingVaultKey as error:
        return str(error)
    return ""
