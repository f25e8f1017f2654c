from django.core.management.base import BaseCommand, CommandError

from audit.management.commands.verify_audit import parse_head
from audit.restores import RestoreRefused, record_restore


class Command(BaseCommand):
    help = ("Record on the audit chain that it was just restored from a backup (deploy/restore.sh runs it, ADR 46):"
            " after checking that the chain verifies and extends the head recorded at backup time, append one"
            " authenticated audit.restored event naming that head and the dump's SHA-256. Checkpoints signed after"
            " the backup are then reported by verify_audit as not in this restored chain, not as tampering.")

    def add_arguments(self, parser):
        parser.add_argument("--head", required=True, help="COUNT:HASH, the backup's audit-head.txt")
        parser.add_argument("--dump-sha256", required=True, help="the SHA-256 of the backup's database.dump")
        parser.add_argument("--backup", default="", help="the backup's name, for the record")

    def handle(self, *args, **options):
        try:
            event = record_restore(head_at_backup=parse_head(options["head"]), dump_sha256=options["dump_sha256"],
                                   backup=options["backup"])
        except RestoreRefused as refused:
            raise CommandError(f"No restore recorded: {refused}") from None
        self.stdout.write(f"Restore recorded as event {event.sequence}: the chain restored ends at event"
                          f" {event.sequence - 1}, dump SHA-256 {options['dump_sha256']}")
