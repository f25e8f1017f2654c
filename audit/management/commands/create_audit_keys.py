from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.keys import create_missing_keys


class Command(BaseCommand):
    help = ("Create, where absent, the audit MAC key file and each party's checkpoint key pair at the configured"
            " paths (the demo's var/keys; `make run` runs it). Never in production: provision keys there.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Production keys are provisioned outside the service (ADR 17), not created here.")
        created = create_missing_keys()
        self.stdout.write("Created " + ", ".join(created) if created else "Audit keys already in place")
