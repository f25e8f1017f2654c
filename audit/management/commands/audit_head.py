from django.core.management.base import BaseCommand

from audit.chain import GENESIS_HASH
from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Print COUNT:HASH of the latest audit event, for each party to keep outside the system."

    def handle(self, *args, **options):
        latest = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        count, digest = latest if latest else (0, GENESIS_HASH)
        self.stdout.write(f"{count}:{digest}")
