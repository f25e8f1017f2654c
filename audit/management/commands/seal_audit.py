from django.core.management.base import BaseCommand

from audit.services import seal


class Command(BaseCommand):
    help = ("Write one authenticated audit event, which vouches through the hash chain for every event before it:"
            " run once after upgrading a database whose events were written before MACs (ADR 17).")

    def handle(self, *args, **options):
        event = seal()
        self.stdout.write(f"Event {event.sequence} written with a MAC: events 1 to {event.sequence} are authenticated")
