import hashlib

from django.core.management.base import BaseCommand, CommandError

from vault.crypto import VaultError
from vault.datakeys import DataKeyDestroyed
from vault.keys import MissingVaultKey
from vault.models import StoredFile
from vault.services import open_chunks


def read_digest(stored: StoredFile) -> str:
    digest = hashlib.sha256()
    for chunk in open_chunks(stored):
        digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = ("Read every held file through the vault and check its SHA-256 (after a restore, ADR 44). A held file"
            " whose data key is gone was disposed of after the backup (crypto-shredded, ADR 32): it is listed, to be"
            " disposed of again on its retention case; any other failure is an error.")

    def handle(self, *args, **options):
        intact, shredded, problems = 0, [], []
        for stored in StoredFile.objects.filter(disposed_at__isnull=True).order_by("pk").iterator():
            try:
                matches = read_digest(stored) == stored.sha256
            except DataKeyDestroyed:
                shredded.append(str(stored.pk))
                continue
            except (VaultError, MissingVaultKey, OSError) as error:
                problems.append(f"{stored.pk}: {error}")
                continue
            if matches:
                intact += 1
            else:
                problems.append(f"{stored.pk}: its plaintext does not match the SHA-256 recorded")
        for file_id in shredded:
            self.stdout.write(f"Shredded since the backup (key destroyed): {file_id}")
        if problems:
            raise CommandError(f"{len(problems)} held file(s) cannot be read whole: " + "; ".join(problems))
        self.stdout.write(f"Vault intact: {intact} held files read, each matching its SHA-256;"
                          f" {len(shredded)} shredded since the backup")
