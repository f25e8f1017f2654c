import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vault.crypto import VaultIntegrityError
from vault.keys import KEK_BYTES, LocalKeyEncryptionKey, MissingVaultKey, _read_hex_key, kek
from vault.rotation import rotate


class Command(BaseCommand):
    help = ("Rewrap every held file's data key under a new key-encryption key (ADR 33), from the one configured "
            "now (VAULT_KEK / VAULT_KEK_FILE) to --new-key-file. Safe to run again if interrupted. Afterwards point "
            "VAULT_KEK_FILE at the new key and destroy the old one: files disposed of before stay unreadable, and "
            "no key the old KEK wraps is left in the key store.")

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", required=True, help="The new KEK (64 hex digits), a file of its own.")
        parser.add_argument("--create", action="store_true", help="Create the new key file (0600) if it is absent.")

    def handle(self, *args, new_key_file: str, create: bool, **options):
        path = Path(new_key_file)
        if create and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(os.urandom(KEK_BYTES).hex().encode() + b"\n")
        try:
            new = LocalKeyEncryptionKey(_read_hex_key(path.read_text(), str(path)))
            result = rotate(kek(), new)
        except FileNotFoundError as error:
            raise CommandError(f"No key file at {path} (use --create to make one).") from error
        except (MissingVaultKey, ValueError, VaultIntegrityError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Rotated to {new.key_id}: {result.rewrapped} rewrapped, {result.already} already under "
                          f"it, {result.disposed} disposed of (no key). Now set VAULT_KEK_FILE={path} and destroy "
                          "the old key.")
