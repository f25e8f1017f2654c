"""Datasets held in the vault, and releases made from them (§15, issue 12).

A Dataset is record-level data (CSV or Parquet) the department uploaded: its bytes are in the vault (one
`vault.StoredFile` whose `dataset` key is this row), its scope is described in the shared vocabulary (a
classification, the protocol's personal-data category, a `protocols.scope.DataSource`), and each of its columns
carries a role: a direct identifier (always dropped), a quasi-identifier, a sensitive column, or other.

A Release is a case (workflow core): a table or an extract from one dataset, drafted on a request by its author,
previewed, checked by two output checkers independently (ReleaseCheck, one per checker per round), consolidated,
and delivered on the request through the vault."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from protocols.scope import DataSource
from releases.states import Outcome, ReleaseAction, ReleaseKind, ReleaseState, Verdict
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL


class ColumnRole(models.TextChoices):
    DIRECT_IDENTIFIER = "direct_identifier", "Direct identifier (always dropped)"
    QUASI_IDENTIFIER = "quasi_identifier", "Quasi-identifier"
    SENSITIVE = "sensitive", "Sensitive"
    OTHER = "other", "Other"


class Dataset(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                     help_text="The department that holds it (a unit's department).")
    protocol = models.ForeignKey("protocols.Protocol", on_delete=models.PROTECT, related_name="+",
                                 help_text="Whose classifications and personal-data categories describe it.")
    title = models.CharField(max_length=200)
    classification = models.CharField(max_length=40)
    personal_data_category = models.CharField(max_length=40)
    data_source = models.CharField(max_length=40, choices=DataSource.choices)
    file_format = models.CharField(max_length=10, choices=[("csv", "CSV"), ("parquet", "Parquet")])
    rows = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(rows__gt=0), name="dataset_has_rows")]

    def __str__(self):
        return self.title

    def columns_with(self, role: str) -> list[str]:
        return [c.name for c in self.columns.all() if c.role == role]


class DatasetColumn(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="columns")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    dtype = models.CharField(max_length=60, help_text="As Polars read it.")
    role = models.CharField(max_length=30, choices=ColumnRole.choices, default=ColumnRole.OTHER)
    distinct = models.PositiveBigIntegerField(help_text="Distinct values, nulls counted as one.")
    nulls = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["dataset", "position"]
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="dataset_column_unique"),
                       models.UniqueConstraint(fields=["dataset", "position"], name="dataset_column_position")]

    def __str__(self):
        return self.name


class Protection(models.TextChoices):
    """Where a release's preview is (ADR 51): ready, being computed on a worker, or failed (in words)."""

    READY = "ready", "Ready"
    PROTECTING = "protecting", "Protecting the table…"
    FAILED = "failed", "The protection failed"


class Release(models.Model):
    request = models.ForeignKey("sharing.Request", on_delete=models.PROTECT, related_name="releases")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="releases")
    kind = models.CharField(max_length=20, choices=ReleaseKind.choices)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=30, choices=ReleaseState.choices, default=ReleaseState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    round = models.PositiveIntegerField(default=0, help_text="How many times it has been submitted for checking.")
    spec = models.JSONField(help_text="What is released: dimensions and measure, or quasi-identifiers, k and l.")
    policy = models.JSONField(default=dict, help_text="The release policy it is protected under (tables).")
    result = models.JSONField(default=dict, help_text="The preview: every cell and why it is suppressed or "
                                                      "changed, or the extract's risk report.")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    consolidated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    delivery = models.OneToOneField("sharing.Delivery", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="release")
    # The protection job (ADR 51): who asked, when, and for which version; a worker's result is saved only while
    # the release is still at that version and still protecting, so a stale or repeated task saves nothing.
    protection = models.CharField(max_length=20, choices=Protection.choices, default=Protection.READY)
    protection_version = models.PositiveIntegerField(null=True, blank=True,
                                                     help_text="The version the running protection job is for.")
    protection_requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                                related_name="+")
    protection_requested_at = models.DateTimeField(null=True, blank=True)
    protection_error = models.TextField(blank=True, help_text="Why the protection failed, in words.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="release_version_positive"),
            # Two people: the author never consolidates their own release.
            models.CheckConstraint(condition=Q(consolidated_by__isnull=True) | ~Q(consolidated_by=F("author")),
                                   name="release_not_consolidated_by_author"),
            models.CheckConstraint(condition=~Q(state=ReleaseState.DELIVERED) | Q(delivery__isnull=False),
                                   name="release_delivered_with_delivery"),
        ]

    def __str__(self):
        return f"Release {self.pk}: {self.title}"


class ReleaseCheck(models.Model):
    """One output checker's verdict in one round: never shown to the other checker until both are given."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="checks")
    round = models.PositiveIntegerField()
    checker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    note = models.TextField(blank=True)
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [models.UniqueConstraint(fields=["release", "round", "checker"], name="one_verdict_per_checker")]

    def __str__(self):
        return f"Release {self.release_id} round {self.round}: a verdict by {self.checker_id}"


class ReleaseEvent(TimelineEntry):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ReleaseAction.choices)
    from_state = models.CharField(max_length=40, choices=ReleaseState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=ReleaseState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.release_id} {self.action} by {self.actor_id}"
