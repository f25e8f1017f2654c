"""The keys that authenticate and witness the audit chain, held outside the database (ADR 17).

- The MAC key (`MacKey`): HMAC-SHA256 over each event's hash and over the head row. Whoever can write the
  database but cannot read this key cannot append, rewrite or move the head undetected. `LocalMacKey` reads
  it from the environment (AUDIT_MAC_KEY, hex) or a file (AUDIT_MAC_KEY_FILE); a cloud KMS implementing
  `mac(data) -> bytes` and `key_id` (e.g. AWS KMS GenerateMac) can stand in for it.
- Each party's Ed25519 signing key (private: AUDIT_SIGNING_KEY_DIR/<party>.ed25519, PEM) signs checkpoints;
  its public key (AUDIT_PUBLIC_KEY_DIR/<party>.ed25519.pub, PEM) verifies them. Public keys come from settings
  and files, never from the database.

Only `mac_key()`, `signing_key()`, `public_keys()` and `create_missing_keys()` read settings.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAC_KEY_BYTES = 32


class MissingAuditKey(ImproperlyConfigured):
    """No key where the settings say one is: nothing is written or signed without it (fail closed)."""


class MacKey(Protocol):
    key_id: str

    def mac(self, data: bytes) -> bytes: ...


class LocalMacKey:
    """An HMAC-SHA256 key held in this process (from the environment or a key file)."""

    def __init__(self, secret: bytes):
        if len(secret) < 16:
            raise MissingAuditKey("The audit MAC key must be at least 16 bytes.")
        self._secret = secret
        # Names the key without revealing it: a verifier says which key an event was written with.
        self.key_id = "local:" + hashlib.sha256(b"concordat-audit-key-id\0" + secret).hexdigest()[:16]

    def mac(self, data: bytes) -> bytes:
        return hmac.new(self._secret, data, hashlib.sha256).digest()


def _read_hex_key(text: str, where: str) -> bytes:
    try:
        return bytes.fromhex(text.strip())
    except ValueError as error:
        raise MissingAuditKey(f"The audit MAC key in {where} is not hexadecimal.") from error


def mac_key() -> LocalMacKey:
    """The configured MAC key; MissingAuditKey when there is none (no event is written without it)."""
    return _load_mac_key(getattr(settings, "AUDIT_MAC_KEY", ""), str(getattr(settings, "AUDIT_MAC_KEY_FILE", "")))


@functools.lru_cache(maxsize=4)
def _load_mac_key(value: str, path: str) -> LocalMacKey:
    if value:
        return LocalMacKey(_read_hex_key(value, "AUDIT_MAC_KEY"))
    if not path:
        raise MissingAuditKey("No audit MAC key: set AUDIT_MAC_KEY (hex) or AUDIT_MAC_KEY_FILE (ADR 17).")
    try:
        return LocalMacKey(_read_hex_key(Path(path).read_text(), path))
    except FileNotFoundError as error:
        raise MissingAuditKey(f"No audit MAC key at AUDIT_MAC_KEY_FILE ({path}).") from error


def mac_key_problem() -> str:
    """Why no MAC key can be had, or '' when one can (for the system check)."""
    try:
        mac_key()
    except MissingAuditKey as error:
        return str(error)
    return ""


def parties() -> list[str]:
    """The organisations that sign checkpoints: the protocol's two parties (home-office, iasc)."""
    return list(settings.AUDIT_PARTIES)


def _key_path(setting: str, party: str, suffix: str) -> Path | None:
    directory = getattr(settings, setting, "")
    return Path(directory) / f"{party}{suffix}" if directory else None


def signing_key(party: str) -> Ed25519PrivateKey:
    path = _key_path("AUDIT_SIGNING_KEY_DIR", party, ".ed25519")
    if path is None or not path.exists():
        raise MissingAuditKey(f"No checkpoint signing key for {party}: expected {path or 'AUDIT_SIGNING_KEY_DIR'}"
                              f"/{party}.ed25519.")
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Each party's public key that is configured (a party with none is reported by verify_audit)."""
    keys = {}
    for party in parties():
        path = _key_path("AUDIT_PUBLIC_KEY_DIR", party, ".ed25519.pub")
        if path is not None and path.exists():
            keys[party] = serialization.load_pem_public_key(path.read_bytes())
    return keys


def public_key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def witness_path(party: str) -> Path | None:
    """The append-only file outside the database to which each of the party's checkpoints is also written."""
    return _key_path("AUDIT_WITNESS_DIR", party, ".checkpoints.jsonl")


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def create_missing_keys() -> list[str]:
    """Create, where absent, the MAC key file and each party's key pair at the configured paths (demo and
    tests; a deployment provisions its own). Returns what was created."""
    created = []
    mac_path = getattr(settings, "AUDIT_MAC_KEY_FILE", "")
    if mac_path and not getattr(settings, "AUDIT_MAC_KEY", "") and not Path(mac_path).exists():
        _write_private(Path(mac_path), os.urandom(MAC_KEY_BYTES).hex().encode() + b"\n")
        created.append(mac_path)
    for party in parties():
        private = _key_path("AUDIT_SIGNING_KEY_DIR", party, ".ed25519")
        public = _key_path("AUDIT_PUBLIC_KEY_DIR", party, ".ed25519.pub")
        if private is None or public is None or private.exists():
            continue
        key = Ed25519PrivateKey.generate()
        _write_private(private, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
        created += [str(private), str(public)]
    return created
