"""Loading protocol versions: the only code that writes Protocol records."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.permissions import Action, check
from audit.services import record_event
from concordat.errors import RuleViolation
from protocols.loader import load_definition
from protocols.models import Protocol
from protocols.schema import ProtocolDefinition


class LoadResult(NamedTuple):
    protocol: Protocol
    created: bool  # False: the identical file was already loaded


def load_protocol(path: Path | str, *, by=None) -> Protocol:
    """Validate and store a protocol definition file. `by=None` is the system or the command line.

    Raises protocols.loader.ProtocolDefinitionError for a malformed file, NotAllowed for a person who may
    not load protocols, and RuleViolation for a different file claiming a version already loaded.
    """
    return load_protocol_file(path, by=by).protocol


def load_protocol_file(path: Path | str, *, by=None) -> LoadResult:
    if by is not None:
        check(by, Action.LOAD_PROTOCOL)
    definition, digest = load_definition(Path(path))
    with transaction.atomic():
        existing = Protocol.objects.filter(slug=definition.slug, version=definition.version).first()
        if existing is not None:
            return LoadResult(_same_file_or_refuse(existing, digest), created=False)
        try:
            with transaction.atomic():
                protocol = _create(definition, digest, by)
        except IntegrityError:  # loaded by someone else a moment ago
            existing = Protocol.objects.get(slug=definition.slug, version=definition.version)
            return LoadResult(_same_file_or_refuse(existing, digest), created=False)
        record_event("protocol.loaded", by=by, obj=protocol,
                     details={"slug": protocol.slug, "version": protocol.version, "sha256": digest})
    return LoadResult(protocol, created=True)


def _create(definition: ProtocolDefinition, digest: str, by) -> Protocol:
    return Protocol.objects.create(
        slug=definition.slug, version=definition.version, title=definition.title,
        last_updated=definition.last_updated, definition=definition.model_dump(mode="json"),
        sha256=digest, loaded_by=by,
    )


def _same_file_or_refuse(existing: Protocol, digest: str) -> Protocol:
    if existing.sha256 != digest:
        raise RuleViolation(
            f"Protocol {existing.slug} version {existing.version} is already loaded from a different file "
            f"(SHA-256 {existing.sha256[:12]}…). A loaded version never changes: give the changed protocol "
            "a new version.", field="version")
    return existing


def default_protocol_paths() -> list[Path]:
    directory = Path(settings.CONCORDAT_PROTOCOL_DIR)
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def load_default_protocols(*, by=None) -> list[Protocol]:
    """Load every definition in settings.CONCORDAT_PROTOCOL_DIR; those already loaded are left as they are."""
    return [load_protocol(path, by=by) for path in default_protocol_paths()]


def current_protocol(slug: str = "ho-iasc") -> Protocol | None:
    """The newest loaded version: latest `last_updated`, then latest loaded."""
    return Protocol.objects.filter(slug=slug).order_by("-last_updated", "-loaded_at", "-pk").first()
