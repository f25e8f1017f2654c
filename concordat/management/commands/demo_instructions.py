from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import demo_password
from accounts.directory import DEMO_PEOPLE
from concordat.links import absolute_url

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


class Command(BaseCommand):
    help = "Print how to sign in to the demo."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="the address the demo is served on (default: CONCORDAT_BASE_URL)")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            return
        mail = ("printed in the server's output" if settings.EMAIL_BACKEND == CONSOLE_EMAIL
                else f"sent by {settings.EMAIL_BACKEND}")
        lines = [
            "",
            f"Concordat demo: {options['url'] or absolute_url('/')}",
            f"  Password for every demo person: {demo_password()}",
            "  One-time code (second factor): CONCORDAT_DEMO=1 .venv/bin/python manage.py demo_code USERNAME",
            f"  Notification emails go to the addresses below (.example domains) and are {mail}.",
            "  People:",
            *[f"    {username:<19} {email:<39} {title} ({org})" for username, _, email, title, org, _ in DEMO_PEOPLE],
            "",
        ]
        self.stdout.write("\n".join(lines))
