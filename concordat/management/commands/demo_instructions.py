from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import demo_password
from accounts.directory import DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print how to sign in to the demo."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            return
        lines = [
            "",
            f"Concordat demo: {options['url']}",
            f"  Password for every demo person: {demo_password()}",
            "  One-time code (second factor): .venv/bin/python manage.py demo_code USERNAME",
            "  People:",
            *[f"    {username:<19} {title} ({org})" for username, _, title, org, _ in DEMO_PEOPLE],
            "",
        ]
        self.stdout.write("\n".join(lines))
