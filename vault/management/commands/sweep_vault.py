from datetime import timedelta

from django.core.management.base import BaseCommand

from vault import sweep


class Command(BaseCommand):
    help = ("Delete ciphertexts in the vault's storage that no stored file accounts for (left by a process killed "
            "mid-upload), once older than --grace-seconds (ADR 40). --dry-run lists them.")

    def add_arguments(self, parser):
        parser.add_argument("--grace-seconds", type=int, default=int(sweep.DEFAULT_GRACE.total_seconds()))
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        grace = timedelta(seconds=max(0, options["grace_seconds"]))
        names = sweep.orphans(grace) if options["dry_run"] else sweep.sweep(grace)
        for name in names:
            self.stdout.write(name)
        self.stdout.write(f"{len(names)} orphan ciphertext(s) {'found' if options['dry_run'] else 'removed'}")
