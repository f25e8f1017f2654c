"""Print the request lifecycle as a Mermaid state diagram, from the transition table (sharing/states.py)."""

from django.core.management.base import BaseCommand

from sharing.states import STATE_OWNERS, state_diagram


class Command(BaseCommand):
    help = "Print the request state diagram (Mermaid) and the owner of each state."

    def handle(self, *args, **options):
        self.stdout.write("```mermaid\n" + state_diagram() + "```\n")
        self.stdout.write("\n| state | owner |\n|---|---|\n")
        for state, owner in STATE_OWNERS.items():
            self.stdout.write(f"| {state.label} | {owner.label} |\n")
