"""What every case type shares: a timeline people read, and notifications addressed to any case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

USER = settings.AUTH_USER_MODEL


class TimelineEntry(models.Model):
    """One step on a case's timeline, as people read it. A case type subclasses this with a foreign key
    to its case (RequestEvent.request, ApprovalEvent.approval): real keys, cascades and per-case indexes.
    The tamper-evident record of the same step is the audit event written beside it."""

    action = models.CharField(max_length=40)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="Empty when the service itself acted (a calendar change).")
    occurred_at = models.DateTimeField()
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The audit event written with this entry, whose details carry a keyed digest of it (ADR 17): empty only for
    # entries written before entries were bound to events.
    audit_sequence = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]


class NotificationQuerySet(models.QuerySet):
    def for_case(self, case_kind: str, case_id: int):
        return self.filter(case_kind=case_kind, case_id=case_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened to one of a person's cases: the list in the service, and the log that makes
    every email go once (unique per case, kind, milestone and recipient). Never the content: the marking,
    the reference and what happened."""

    case_kind = models.CharField(max_length=40, blank=True, help_text="The case type; empty for a digest.")
    case_id = models.BigIntegerField(null=True, blank=True)
    case_reference = models.CharField(max_length=60, blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="The path of the case in the service.")
    kind = models.CharField(max_length=60)
    milestone = models.CharField(max_length=60, help_text="The event, due date or digest day it is about.")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    marking = models.CharField(max_length=40, default="OFFICIAL")
    subject = models.CharField(max_length=250)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-sent_at", "-id"], name="notification_inbox"),
                   models.Index(fields=["case_kind", "case_id"], name="notification_case")]
        constraints = [
            models.UniqueConstraint(fields=["case_kind", "case_id", "kind", "milestone", "recipient"],
                                    condition=Q(case_id__isnull=False), name="notification_once_per_case"),
            models.UniqueConstraint(fields=["kind", "milestone", "recipient"], condition=Q(case_id__isnull=True),
                                    name="notification_once_without_case"),
            models.CheckConstraint(condition=Q(case_id__isnull=True, case_kind="")
                                   | Q(case_id__isnull=False) & ~Q(case_kind=""), name="notification_case_whole"),
        ]

    def __str__(self):
        return f"{self.kind} {self.milestone} to {self.recipient_id}"
