from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vault.keys import create_missing_key


class Command(BaseCommand):
    help = ("Create, where absent, the vault's key-encryption key file at VAULT_KEK_FILE (the demo's var/keys; "
            "`make migrate` runs it before the migration that encrypts existing files). Never in production: "
            "provision the key there (ADR 27).")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Production keys are provisioned outside the service (ADR 27), not created here.")
        created = create_missing_key()
        self.stdout.write("Created " + ", ".join(created) if created else "Vault key already in place")
