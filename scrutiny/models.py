"""Statistics snapshots (ADR 53): the computed tables of one query (period and grouping), kept with when they were
computed, so the statistics page, its exports and the annual report read stored figures instead of recomputing
every provider's tables on each request.

A row is written when a recompute is asked for (`computing`) and filled by the worker (`ready`); it is never
changed after that, so an export names the very snapshot the page showed. At most one row per query is computing
(a partial unique constraint): two clicks, or a beat tick during a running job, find the running one instead of
starting another. Counts only, as every figure is (ADR 41): no request's content."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SnapshotState(models.TextChoices):
    COMPUTING = "computing", "Being computed"
    READY = "ready", "Computed"
    FAILED = "failed", "Failed"


class Trigger(models.TextChoices):
    BUTTON = "button", "Recompute now"
    PAGE = "page", "A page found no fresh figures"
    SCHEDULE = "schedule", "The schedule"


class StatisticsSnapshot(models.Model):
    start = models.DateField()
    end = models.DateField()
    grouping = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=SnapshotState.choices, default=SnapshotState.COMPUTING)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField()
    computed_at = models.DateTimeField(null=True, blank=True)
    as_of_day = models.DateField(null=True, blank=True, help_text="The day the figures count open cases up to.")
    tables = models.JSONField(default=list, blank=True, help_text="The tables, aggregate counts only.")
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "grouping"], condition=models.Q(state="computing"),
                                    name="scrutiny_one_recompute_per_query"),
        ]
        indexes = [models.Index(fields=["start", "end", "grouping", "state", "computed_at"],
                                name="scrutiny_snapshot_latest")]

    def __str__(self):
        return f"Statistics {self.start} to {self.end} by {self.grouping} ({self.state})"
