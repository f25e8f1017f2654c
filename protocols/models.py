from django.conf import settings
from django.db import models
from django.utils import timezone

from protocols.schema import ProtocolDefinition


class ProtocolRecordImmutable(Exception):
    """A loaded protocol version is never changed or removed: a changed protocol is a new version."""


class ProtocolQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ProtocolRecordImmutable("Loaded protocol versions cannot be changed.")

    def delete(self):
        raise ProtocolRecordImmutable("Loaded protocol versions cannot be deleted.")


class Protocol(models.Model):
    """One version of a protocol definition, as validated and loaded. Written only by protocols.services."""

    slug = models.SlugField(max_length=100)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    last_updated = models.DateField(help_text="The date the protocol itself was last updated.")
    definition = models.JSONField(help_text="The validated definition (protocols.schema.ProtocolDefinition).")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the definition file as loaded.")
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="Empty when loaded from the command line.")

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-last_updated", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_record_per_protocol_version")]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ProtocolRecordImmutable("Loaded protocol versions cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtocolRecordImmutable("Loaded protocol versions cannot be deleted.")

    @property
    def spec(self) -> ProtocolDefinition:
        """The parsed definition. A loaded version never changes, so it is parsed once per process and
        content hash, not on every page that reads it; a row read without its definition (`defer`, as lists of
        cases do: it is 16 kB of JSON a row) reads it only the first time this process meets its hash."""
        if getattr(self, "_spec", None) is None:
            self._spec = _PARSED.get(self.sha256) or _parsed(self.sha256, self.definition)
        return self._spec


_PARSED: dict[str, ProtocolDefinition] = {}


def _parsed(sha256: str, definition: dict) -> ProtocolDefinition:
    """The parsed (frozen) definition, cached by the file's SHA-256 (the definition cannot change under it)."""
    if sha256 not in _PARSED:
        _PARSED[sha256] = ProtocolDefinition.model_validate(definition)
    return _PARSED[sha256]
