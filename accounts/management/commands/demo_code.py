from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoRefused, current_code


class Command(BaseCommand):
    help = "Print a demo person's current one-time code (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        try:
            self.stdout.write(current_code(options["username"]))
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except Exception as missing:  # noqa: BLE001 — any lookup failure is the same answer for a person
            raise CommandError(f"No demo authenticator for {options['username']!r}.") from missing
