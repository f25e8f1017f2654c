"""`python manage.py make_synthetic_nrm --rows N --seed S --out FILE`: synthetic NRM referrals (issue 12, item 2),
CSV or Parquet by the file's extension. A thin wrapper over disclosure.synthetic (no personal data: §15)."""

from django.core.management.base import BaseCommand, CommandError

from disclosure import synthetic


class Command(BaseCommand):
    help = "Write synthetic NRM referrals (the published statistics' fields and categories) to a CSV or Parquet file."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=None,
                            help="how many referrals (default: the published annual totals, 2019-2024)")
        parser.add_argument("--seed", type=int, default=0, help="the random seed (the same seed, the same data)")
        parser.add_argument("--out", required=True, help="the file to write: NAME.csv or NAME.parquet")

    def handle(self, *args, rows, seed, out, **options):
        if rows is not None and not 0 <= rows <= 50_000_000:
            raise CommandError("--rows must be between 0 and 50,000,000")
        if seed < 0:
            raise CommandError("--seed must be zero or more")
        if not out.lower().endswith((".csv", ".parquet")):
            raise CommandError("--out must name a .csv or .parquet file")
        frame = synthetic.generate(rows, seed=seed)
        synthetic.write(frame, out)
        self.stdout.write(f"Wrote {frame.height:,} synthetic NRM referrals to {out}")
