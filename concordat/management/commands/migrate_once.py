"""Migrate and load the protocol definitions, once, however many processes start together (ADR 39).

Every container runs it before its role (deploy/entrypoint.sh); on PostgreSQL a session advisory lock makes the
others wait until the first has finished, then find nothing to do."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

MIGRATION_LOCK = 0x436F6E63  # "Conc": an application-wide advisory lock key


class Command(BaseCommand):
    help = "Apply migrations and load the protocol definitions, holding a lock against other instances."

    def handle(self, *args, **options):
        locked = connection.vendor == "postgresql"
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("load_protocol", verbosity=0, stdout=self.stdout)
        finally:
            if locked:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
