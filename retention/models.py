"""A delivery's retention and disposal (§6(f)–(g), §8(f)–(g), ADR 33): one case per delivery, from the moment it is
provided, kept until the date the request's element (f) gives (`Request.retain_until`), then disposed of."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from retention.states import RetentionAction, RetentionState
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
METHOD_MAX = 2000


class Retention(models.Model):
    delivery = models.OneToOneField("sharing.Delivery", on_delete=models.CASCADE, related_name="retention")
    request = models.ForeignKey("sharing.Request", on_delete=models.CASCADE, related_name="retentions")
    keep_until = models.DateField(null=True, blank=True, help_text="Element (f): kept until this date (the "
                                  "request's retain_until when it was delivered); none when (f) gave no date.")
    state = models.CharField(max_length=20, choices=RetentionState.choices, default=RetentionState.HELD)
    version = models.PositiveIntegerField(default=1)
    disposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True)
    method = models.TextField(blank=True, help_text="How it was disposed of, in the disposer's words, beside the "
                              "vault's crypto-shredding (element (g)).")

    class Meta:
        ordering = ["keep_until", "id"]
        indexes = [models.Index(fields=["state", "keep_until"])]
        constraints = [
            models.CheckConstraint(condition=Q(state=RetentionState.HELD, disposed_at__isnull=True,
                                               disposed_by__isnull=True)
                                   | Q(state=RetentionState.DISPOSED, disposed_at__isnull=False,
                                       disposed_by__isnull=False), name="retention_disposed_with_who_and_when"),
            models.CheckConstraint(condition=Q(version__gte=1), name="retention_version_positive"),
        ]

    def __str__(self):
        return f"Retention of delivery {self.delivery_id}: {self.get_state_display()}"


class RetentionEvent(TimelineEntry):
    retention = models.ForeignKey(Retention, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=RetentionAction.choices)
    from_state = models.CharField(max_length=20, choices=RetentionState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=RetentionState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.retention_id} {self.action} by {self.actor_id}"
