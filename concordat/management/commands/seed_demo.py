from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Each app that has demo data offers `<app>.demo.seed_demo(stdout)`; run in this order, each idempotent.
DEMO_STEPS = ["sharing.demo", "contacts.demo", "publications.demo", "holds.demo", "research.demo", "releases.demo"]


class Command(BaseCommand):
    help = "Load the demo organisations, people and data (demo mode only). Safe to run again."

    def handle(self, *args, **options):
        call_command("seed_demo_people", stdout=self.stdout)
        for module_name in DEMO_STEPS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError:
                continue
            module.seed_demo(self.stdout)
