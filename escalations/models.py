"""Escalations of a request up the protocol's ladder (§13): what the IASC recorded, each rung reached and what
it decided, and the timeline people read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from escalations.states import OPEN_STATES, EscalationAction, EscalationState, Grounds, Outcome
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL


class Escalation(models.Model):
    request = models.ForeignKey("sharing.Request", on_delete=models.CASCADE, related_name="escalations")
    state = models.CharField(max_length=20, choices=EscalationState.choices, default=EscalationState.AT_RUNG)
    version = models.PositiveIntegerField(default=1)
    # Where it stands: the deciding rung (1 = the first above working level), its key and role as the protocol
    # named them when it got there, so "My work" and need-to-know can query them.
    position = models.PositiveSmallIntegerField(default=1)
    rung_key = models.CharField(max_length=60)
    rung_role = models.CharField(max_length=40)

    grounds = models.CharField(max_length=20, choices=Grounds.choices)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    # The §13 record: the request (above), the reasons for it, the HO's objections, the attempts to resolve it.
    reasons = models.TextField()
    ho_objections = models.TextField()
    attempts_to_resolve = models.TextField()
    # §13: Ministers are "a last resort in exceptional circumstances": stated before going to a last-resort rung.
    exceptional_circumstances = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "rung_role"], name="escalation_waiting")]
        constraints = [
            models.UniqueConstraint(fields=["request"], condition=Q(state__in=[s.value for s in OPEN_STATES]),
                                    name="one_open_escalation_per_request"),
            models.CheckConstraint(condition=Q(version__gte=1), name="escalation_version_positive"),
            models.CheckConstraint(condition=Q(position__gte=1), name="escalation_position_positive"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in OPEN_STATES], finished_at__isnull=True)
                                   | (~Q(state__in=[s.value for s in OPEN_STATES]) & Q(finished_at__isnull=False)),
                                   name="escalation_finished_when_finished"),
        ]

    def __str__(self):
        return f"Escalation {self.pk}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class EscalationStep(models.Model):
    """One rung the escalation reached: who it waited on, since when, and what they decided."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    rung_key = models.CharField(max_length=60)
    role = models.CharField(max_length=40)
    reached_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["escalation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "position"], name="escalation_step_once_per_rung"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decided_by__isnull=True, outcome="")
                | Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(outcome=""),
                name="escalation_step_decided_whole"),
        ]

    def __str__(self):
        return f"{self.escalation_id} rung {self.position} ({self.role})"


class EscalationEvent(TimelineEntry):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=EscalationAction.choices)
    from_state = models.CharField(max_length=40, choices=EscalationState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=EscalationState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.escalation_id} {self.action} by {self.actor_id}"
