"""The key-encryption key that wraps each stored file's data key (ADR 27), held outside the database.

`KeyEncryptionKey` is the whole interface: `key_id`, `wrap(data_key, context)` and `unwrap(wrapped, context)`, the
context binding a wrapped key to its file. `LocalKeyEncryptionKey` holds a 256-bit key in this process, read from
the environment (VAULT_KEK, hex) or a key file (VAULT_KEK_FILE), and wraps with AES-256-GCM; a cloud KMS implements
the same three names (AWS KMS Encrypt/Decrypt with the context as EncryptionContext, or GCP KMS with it as
additional authenticated data), so the database never holds a key that opens a file. This mirrors audit/keys.py,
which does the same for the audit MAC key.

Only `kek()` and `create_missing_key()` read settings.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vault.crypto import VaultIntegrityError

KEK_BYTES = 32
WRAP_NONCE_BYTES = 12
WRAP_LABEL = b"concordat-vault-kek-wrap\0"


class MissingVaultKey(ImproperlyConfigured):
    """No key-encryption key where the settings say one is: nothing is stored or read without it (fail closed)."""


class KeyEncryptionKey(Protocol):
    key_id: str

    def wrap(self, data_key: bytes, context: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes: ...


class LocalKeyEncryptionKey:
    """An AES-256 key-encryption key held in this process (from the environment or a key file)."""

    def __init__(self, secret: bytes):
        if len(secret) != KEK_BYTES:
            raise MissingVaultKey(f"The vault's key-encryption key must be {KEK_BYTES} bytes ({KEK_BYTES * 2} hex "
                                  "digits).")
        self._aead = AESGCM(secret)
        # Names the key without revealing it: each stored file records which key wrapped its data key.
        self.key_id = "local:" + hashlib.sha256(b"concordat-vault-kek-id\0" + secret).hexdigest()[:16]

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        wrap_nonce = os.urandom(WRAP_NONCE_BYTES)
        return wrap_nonce + self._aead.encrypt(wrap_nonce, data_key, WRAP_LABEL + context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:WRAP_NONCE_BYTES], wrapped[WRAP_NONCE_BYTES:], WRAP_LABEL + context)
        except (InvalidTag, ValueError):
            raise VaultIntegrityError("The file's data key cannot be unwrapped: it was wrapped by another "
                                      "key-encryption key, or its record has been altered. It is not served.") from None


def _read_hex_key(text: str, where: str) -> bytes:
    try:
        return bytes.fromhex(text.strip())
    except ValueError as error:
        raise MissingVaultKey(f"The vault's key-encryption key in {where} is not hexadecimal.") from error


def kek() -> KeyEncryptionKey:
    """The configured key-encryption key; MissingVaultKey when there is none."""
    return _load(getattr(settings, "VAULT_KEK", ""), str(getattr(settings, "VAULT_KEK_FILE", "") or ""))


@functools.lru_cache(maxsize=4)
def _load(value: str, path: str) -> LocalKeyEncryptionKey:
    if value:
        return LocalKeyEncryptionKey(_read_hex_key(value, "VAULT_KEK"))
    if not path:
        raise MissingVaultKey("No key-encryption key for the vault: set VAULT_KEK (hex) or VAULT_KEK_FILE (ADR 27).")
    try:
        return LocalKeyEncryptionKey(_read_hex_key(Path(path).read_text(), path))
    except FileNotFoundError as error:
        raise MissingVaultKey(f"No key-encryption key at VAULT_KEK_FILE ({path}).") from error


def kek_problem() -> str:
    """Why no key-encryption key can be had, or '' when one can (for the system check)."""
    try:
        kek()
    except MissingVaultKey as error:
        return str(error)
    return ""


def create_missing_key() -> list[str]:
    """Create the key file where VAULT_KEK_FILE names one that is absent (the demo's var/keys; a deployment
    provisions its own). Returns what was created."""
    path = getattr(settings, "VAULT_KEK_FILE", "")
    if not path or getattr(settings, "VAULT_KEK", "") or Path(path).exists():
        return []
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(os.urandom(KEK_BYTES).hex().encode() + b"\n")
    return [str(path)]
