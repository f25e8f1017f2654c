from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_stored_chain


def parse_head(value: str) -> tuple[int, str]:
    count, _, digest = value.partition(":")
    if not count.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise CommandError("--head must be COUNT:HASH as printed by `manage.py audit_head`")
    return int(count), digest


class Command(BaseCommand):
    help = ("Walk the audit chain, compare it with the stored head row (and with --head, kept outside the"
            " system), and name the first broken event.")

    def add_arguments(self, parser):
        parser.add_argument("--head", help="COUNT:HASH recorded earlier with audit_head; the chain must extend it")

    def handle(self, *args, **options):
        expected = parse_head(options["head"]) if options["head"] else None
        report = verify_stored_chain(expected)
        if not report.ok:
            raise CommandError(f"Audit chain broken at event {report.first_broken_sequence}: {report.problem}")
        suffix = f", and it extends the recorded head {expected[0]}" if expected else ""
        self.stdout.write(f"Audit chain intact: {report.count} events, head {report.head_hash},"
                          f" matching the stored head row{suffix}")
