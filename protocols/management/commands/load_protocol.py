from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concordat.errors import RuleViolation
from protocols.loader import ProtocolDefinitionError
from protocols.services import default_protocol_paths, load_protocol_file


class Command(BaseCommand):
    help = "Validate and load protocol definition files (default: every file in CONCORDAT_PROTOCOL_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="YAML protocol definitions to load")

    def handle(self, *args, **options):
        paths = options["paths"] or default_protocol_paths()
        if not paths:
            raise CommandError("No protocol definitions to load.")
        for path in paths:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            protocol, created = load_protocol_file(path)
        except ProtocolDefinitionError as error:
            raise CommandError(str(error)) from None
        except RuleViolation as error:
            raise CommandError(f"{path}: {error}") from None
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(f"{verb} {protocol.slug} version {protocol.version} from {path} (SHA-256 {protocol.sha256})")
