"""Print (or, with --write, store in docs/) the lifecycle diagram of a case type, or of all of them."""

from django.core.management.base import BaseCommand, CommandError

from workflow import diagrams, registry


class Command(BaseCommand):
    help = "Print a case type's state diagram (Mermaid) and the owner of each state; --write updates docs/."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="request, approval, … (all when left out)")
        parser.add_argument("--write", action="store_true", help="rewrite the case type's file in docs/")

    def handle(self, *args, kind=None, write=False, **options):
        known = {case_type.kind: case_type for case_type in registry.case_types()}
        if kind and kind not in known:
            raise CommandError(f"Unknown case type {kind!r}: choose one of {', '.join(sorted(known))}.")
        for case_type in [known[kind]] if kind else known.values():
            if write:
                diagrams.path_of(case_type).write_text(diagrams.document(case_type))
                self.stdout.write(f"Wrote {case_type.diagram_path}\n")
            else:
                self.stdout.write(diagrams.render(case_type))
