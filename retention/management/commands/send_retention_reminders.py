"""For cron, where there is no Celery beat: `python manage.py send_retention_reminders` once each morning."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from retention.tasks import send_retention_reminders


class Command(BaseCommand):
    help = ("Remind the people who hold each delivery that its element (f) date is near or past (each email once, "
            "ADR 33).")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        on = options.get("date")
        if on:
            try:
                date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        sent = send_retention_reminders.apply(args=[on]).get()  # in this process, whatever the broker
        self.stdout.write(f"Sent {sent} retention reminder(s).")
