"""Processing holds (issue 11): "the Home Office received advice from the Information Commissioner's Office that we
should immediately halt processing of personal victim data for research until we could clarify the contractual
position" (letter of 30 November 2021). A hold is described by what it covers, in the shared vocabulary of
`protocols.scope` (a data source, one or more purposes) and the protocol's personal-data categories (§15–17), so
that "is this blocked?" is a comparison of values (holds.coverage), never a reading of free text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from holds.states import HoldAction, HoldState
from protocols.scope import DataSource
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
LIFTED_BECAUSE_MAX = 300


class Hold(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="holds",
                                   help_text="The department that placed it and answers for it.")
    # What it covers: processing of `data_source` data, for any of `purposes`, in any of `personal_data_categories`.
    data_source = models.CharField(max_length=40, choices=DataSource.choices)
    purposes = models.JSONField(default=list, help_text="protocols.scope.Purpose values, one or more.")
    personal_data_categories = models.JSONField(
        default=list, help_text="The protocol's personal-data categories it covers (§15–17), one or more.")

    reason = models.TextField(help_text="Why processing is halted.")
    advice = models.TextField(blank=True, help_text="The advice it follows (e.g. the ICO's), if any.")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="holds_owned",
                              help_text="The person of the department who answers for it.")
    began_on = models.DateField()
    next_review_on = models.DateField()
    lifting_conditions = models.TextField(help_text="What must happen for it to be lifted.")

    state = models.CharField(max_length=20, choices=HoldState.choices, default=HoldState.IN_FORCE)
    version = models.PositiveIntegerField(default=1)
    placed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    last_reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_because = models.CharField(max_length=LIFTED_BECAUSE_MAX, blank=True,
                                      help_text="What lifted it (e.g. the Contract Change Notice).")

    class Meta:
        ordering = ["state", "next_review_on", "id"]
        indexes = [models.Index(fields=["state", "data_source"], name="hold_in_force_by_source"),
                   models.Index(fields=["state", "next_review_on"], name="hold_review")]
        constraints = [
            models.CheckConstraint(condition=Q(next_review_on__gte=F("began_on")), name="hold_review_after_start"),
            models.CheckConstraint(
                condition=Q(last_reviewed_at__isnull=True, last_reviewed_by__isnull=True)
                | Q(last_reviewed_at__isnull=False, last_reviewed_by__isnull=False), name="hold_reviewed_paired"),
            # Lifted exactly when who, when and what lifted it are recorded.
            models.CheckConstraint(
                condition=Q(state=HoldState.IN_FORCE, lifted_at__isnull=True, lifted_by__isnull=True,
                            lifted_because="")
                | Q(state=HoldState.LIFTED, lifted_at__isnull=False, lifted_by__isnull=False)
                & ~Q(lifted_because=""), name="hold_lifted_recorded"),
            models.CheckConstraint(condition=~Q(reason=""), name="hold_reason_given"),
            models.CheckConstraint(condition=~Q(lifting_conditions=""), name="hold_lifting_conditions_given"),
            models.CheckConstraint(condition=Q(version__gte=1), name="hold_version_positive"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"HOLD-{self.pk:04d}" if self.pk else "HOLD (new)"

    @property
    def in_force(self) -> bool:
        return self.state == HoldState.IN_FORCE

    def covers(self, *, data_source: str, purpose: str, category: str) -> bool:
        """Whether processing of this source, for this purpose, in this category falls inside the hold."""
        return (str(data_source) == self.data_source and str(purpose) in (self.purposes or [])
                and str(category) in (self.personal_data_categories or []))


class HoldEvent(TimelineEntry):
    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=HoldAction.choices)
    from_state = models.CharField(max_length=40, choices=HoldState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=HoldState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.hold_id} {self.action} by {self.actor_id}"
