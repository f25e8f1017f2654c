from django.core.management.base import BaseCommand, CommandError

from audit import keys
from audit.checkpointing import CheckpointRefused, sign_checkpoint


class Command(BaseCommand):
    help = ("Sign the head of the audit chain (count, hash, time) with a party's Ed25519 key, store the checkpoint"
            " and append it to the party's witness file (ADR 17).")

    def add_arguments(self, parser):
        parser.add_argument("--party", required=True, help="the signing organisation's slug, e.g. home-office, iasc")

    def handle(self, *args, **options):
        try:
            row = sign_checkpoint(options["party"], signed_by="manage.py sign_audit_checkpoint")
        except (CheckpointRefused, keys.MissingAuditKey) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{row.party} signed the audit chain at event {row.count} ({row.head_hash})")
