from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_all


def parse_head(value: str) -> tuple[int, str]:
    count, _, digest = value.partition(":")
    if not count.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise CommandError("--head must be COUNT:HASH as printed by `manage.py audit_head`")
    return int(count), digest


class Command(BaseCommand):
    help = ("Walk the audit chain checking each event's MAC (ADR 17), compare it with the stored head row and with"
            " every party's signed checkpoints (and with --head, kept outside the system), and name each problem;"
            " with --state, also replay the chain against every case's row and timeline.")

    def add_arguments(self, parser):
        parser.add_argument("--head", help="COUNT:HASH recorded earlier with audit_head; the chain must extend it")
        parser.add_argument("--state", action="store_true",
                            help="also compare the rows and timelines of every case with the chain's last snapshot")

    def handle(self, *args, **options):
        expected = parse_head(options["head"]) if options["head"] else None
        result = verify_all(expected, state=options["state"])
        if not result.ok:
            where = ("Audit chain broken" if result.chain.ok
                     else f"Audit chain broken at event {result.chain.first_broken_sequence}")
            raise CommandError(f"{where}: " + "; ".join(result.problems))
        self.stdout.write(self._summary(result, expected))

    def _summary(self, result, expected) -> str:
        chain, checkpoints = result.chain, result.checkpoints
        lines = [f"Audit chain intact: {chain.count} events, head {chain.head_hash}, each carrying a valid MAC,"
                 f" matching the stored head row" + (f", and it extends the recorded head {expected[0]}"
                                                      if expected else "")]
        if checkpoints.latest:
            latest = ", ".join(f"{party} at event {cp.count} ({cp.signed_at:%Y-%m-%d %H:%M} UTC)"
                               for party, cp in sorted(checkpoints.latest.items()))
            lines.append(f"Checkpoints: {checkpoints.verified} signed checkpoints verify; latest {latest}")
        else:
            lines.append("Checkpoints: none yet (manage.py sign_audit_checkpoint --party ORG)")
        lines += [f"Signed after the backup, not in this restored chain: {lost}"
                  for lost in checkpoints.lost_in_restore]
        if result.state is not None:
            lines.append(f"State: {result.state.cases} cases and {result.state.entries} timeline entries agree"
                         f" with the chain")
            lines += [f"Note: {note}" for note in result.state.notes]
        return "\n".join(lines)
