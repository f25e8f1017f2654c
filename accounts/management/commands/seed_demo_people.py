from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoRefused, demo_password, seed_demo_people


class Command(BaseCommand):
    help = "Create the demo organisations and people (demo mode only) and print how to sign in."

    def handle(self, *args, **options):
        try:
            people = seed_demo_people()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Demo people ready ({len(people)}). Password for every demo person: {demo_password()}")
        for user in people:
            self.stdout.write(f"  {user.username:<20} {user.full_name} <{user.email}>, {user.organisation}")
