"""Print the request lifecycle as a Mermaid state diagram (the same as `case_diagram request`)."""

from django.core.management.base import BaseCommand

from sharing.cases import REQUESTS
from workflow import diagrams


class Command(BaseCommand):
    help = "Print the request state diagram (Mermaid) and the owner of each state."

    def handle(self, *args, **options):
        self.stdout.write(diagrams.render(REQUESTS))
