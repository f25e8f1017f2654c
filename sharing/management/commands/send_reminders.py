"""For cron: `python manage.py send_reminders` once each morning (every day; it does nothing on a day
that is not a working day)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sharing.tasks import send_reminders


class Command(BaseCommand):
    help = "Send due-date reminders and the daily digest of overdue requests (each email once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        on = options.get("date")
        if on:
            try:
                date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        counts = send_reminders.apply(args=[on]).get()  # in this process, whatever the broker
        self.stdout.write(f"Sent {counts['reminders']} reminder(s) and {counts['digests']} digest(s).")
