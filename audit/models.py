from django.conf import settings
from django.db import models

from audit.chain import EventContent


class AppendOnlyError(Exception):
    """Audit events are never changed or removed (ASVS 16.4.2)."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened. Written only by audit.services.record_event."""

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(help_text="UTC")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    actor_label = models.CharField(max_length=200, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 (hex) of `hash` under the audit key held outside the database (ADR 17); empty (NULL) only for
    # events written before MACs, which the first authenticated event after them vouches for. Nullable so that
    # adding it is an ALTER TABLE on SQLite too, which keeps the append-only triggers.
    mac = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (NULL: written before MACs)
    mac_key_id = models.CharField(max_length=40, null=True, blank=True,  # noqa: DJ001 (as mac)
                                  help_text="Which key wrote the MAC.")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id", "sequence"])]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def content(self) -> EventContent:
        return EventContent(
            sequence=self.sequence, occurred_at=self.occurred_at, actor_id=self.actor_id,
            actor_label=self.actor_label, organisation_id=self.organisation_id, action=self.action,
            object_type=self.object_type, object_id=self.object_id, ip_address=self.ip_address,
            details=self.details,
        )


class AuditHead(models.Model):
    """The single row that serialises writers: each new event locks it, so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64, null=True, blank=True,  # noqa: DJ001 (NULL: never moved with a key)
                           help_text="HMAC of COUNT:HASH under the audit key (audit.chain.head_mac_message).")

    def __str__(self):
        return f"{self.count}:{self.hash}"


class AuditCheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit checkpoints cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")


class AuditCheckpoint(models.Model):
    """A party's signature over the head of the chain (count, hash, time), as a certificate transparency
    witness signs a tree head (RFC 9162 §4.10): the party vouches that the chain held these events then.
    Each is also appended to the party's witness file outside the database (audit.keys.witness_path), and
    is verified with the party's public key from settings, never from this table. Append-only."""

    party = models.CharField(max_length=50, help_text="The signing organisation's slug (home-office, iasc).")
    count = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=40, help_text="SHA-256 of the raw public key, first 16 hex digits.")
    signature = models.CharField(max_length=128, help_text="Ed25519, hex, over audit.checkpoints.statement.")
    signed_by = models.CharField(max_length=200, help_text="Who asked for it: a username or 'schedule'.")

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["party", "-count"], name="checkpoint_latest")]

    def __str__(self):
        return f"{self.party} {self.count}:{self.head_hash[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")
