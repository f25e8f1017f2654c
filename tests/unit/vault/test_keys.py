"""The vault's key-encryption key from settings (ADR 27): the environment's hex, or a key file; none, fail closed."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vault import crypto, keys


@pytest.fixture(autouse=True)
def no_cached_key():
    keys._load.cache_clear()
    yield
    keys._load.cache_clear()


def test_the_key_comes_from_the_environment_first(settings, tmp_path):
    settings.VAULT_KEK, settings.VAULT_KEK_FILE = "11" * 32, str(tmp_path / "absent.key")
    assert keys.kek().key_id == keys.LocalKeyEncryptionKey(bytes.fromhex("11" * 32)).key_id


def test_the_key_file_is_read_when_the_environment_has_none(settings, tmp_path):
    path = tmp_path / "vault-kek.key"
    path.write_text("22" * 32 + "\n")
    settings.VAULT_KEK, settings.VAULT_KEK_FILE = "", str(path)
    assert keys.kek().key_id == keys.LocalKeyEncryptionKey(bytes.fromhex("22" * 32)).key_id


@pytest.mark.parametrize(("value", "file_text", "message"), [
    ("", None, "No key-encryption key for the vault"),
    ("", "", "must be 32 bytes"),
    ("zz" * 32, None, "not hexadecimal"),
    ("ab" * 16, None, "must be 32 bytes"),
])
def test_no_usable_key_fails_closed(settings, tmp_path, value, file_text, message):
    settings.VAULT_KEK = value
    settings.VAULT_KEK_FILE = ""
    if file_text is not None:
        (tmp_path / "k").write_text(file_text)
        settings.VAULT_KEK_FILE = str(tmp_path / "k")
    with pytest.raises(keys.MissingVaultKey, match=message):
        keys.kek()
    assert message.split()[0] in keys.kek_problem()


def test_a_missing_key_file_is_named(settings, tmp_path):
    settings.VAULT_KEK, settings.VAULT_KEK_FILE = "", str(tmp_path / "gone.key")
    with pytest.raises(keys.MissingVaultKey, match="gone.key"):
        keys.kek()


def test_the_command_creates_a_private_key_file_once(settings, tmp_path):
    path = tmp_path / "keys" / "vault-kek.key"
    settings.VAULT_KEK, settings.VAULT_KEK_FILE, settings.PRODUCTION = "", str(path), False
    call_command("create_vault_key")
    first = path.read_text()
    assert len(bytes.fromhex(first.strip())) == 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    call_command("create_vault_key")
    assert path.read_text() == first  # never replaced: files sealed under it would be lost
    key = keys.kek()
    assert key.unwrap(key.wrap(b"k" * 32, b"ctx"), b"ctx") == b"k" * 32


def test_the_command_refuses_in_production(settings, tmp_path):
    settings.VAULT_KEK_FILE, settings.PRODUCTION = str(tmp_path / "k"), True
    with pytest.raises(CommandError, match="provisioned"):
        call_command("create_vault_key")
    assert not (tmp_path / "k").exists()


def test_a_wrapped_key_is_bound_to_its_file():
    key = keys.LocalKeyEncryptionKey(os.urandom(32))
    import uuid

    one, other = uuid.uuid4(), uuid.uuid4()
    wrapped = key.wrap(b"d" * 32, crypto.key_context(one))
    assert key.unwrap(wrapped, crypto.key_context(one)) == b"d" * 32
    with pytest.raises(crypto.VaultIntegrityError):
        key.unwrap(wrapped, crypto.key_context(other))
    with pytest.raises(crypto.VaultIntegrityError):
        key.unwrap(wrapped[:-1], crypto.key_context(one))


def test_production_without_a_key_fails_the_system_check(settings):
    from vault.apps import vault_key_check

    settings.VAULT_KEK, settings.VAULT_KEK_FILE, settings.PRODUCTION = "", "", True
    assert [error.id for error in vault_key_check()] == ["vault.E001"]
    settings.VAULT_KEK = "33" * 32
    assert vault_key_check() == []
