"""The register of data sharing arrangements and their impact assessments (§16): "In the event that it is
considered appropriate to share personal data routinely, the parties will prepare the necessary data sharing
arrangements and impact assessments to ensure compliance with the data protection legislation." """

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from arrangements.states import ArrangementAction, ArrangementState, DpiaOutcome
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
DPIA_REFERENCE_MAX = 100


class Arrangement(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    parties = models.ManyToManyField("accounts.Organisation", related_name="arrangements",
                                     help_text="The departments party to it (§16: 'the parties'), two or more.")
    purpose = models.TextField(help_text="Why the data is shared, and for which statutory functions.")
    data_items = models.TextField(help_text="The data items shared, and why each is needed (minimisation).")
    personal_data_categories = models.JSONField(
        default=list, blank=True, help_text="The protocol's personal-data categories it covers (§15–17).")
    lawful_basis = models.TextField(help_text="UK GDPR Article 6 basis (and Article 9/10 conditions), the "
                                              "statutory power relied on.")
    # The data protection impact assessment (§16: "impact assessments"): recorded whole or not at all.
    dpia_reference = models.CharField(max_length=DPIA_REFERENCE_MAX, blank=True)
    dpia_completed_on = models.DateField(null=True, blank=True)
    dpia_outcome = models.CharField(max_length=30, choices=DpiaOutcome.choices, blank=True)

    starts_on = models.DateField()
    review_on = models.DateField(help_text="When it is next reviewed.")
    ends_on = models.DateField()

    state = models.CharField(max_length=20, choices=ArrangementState.choices, default=ArrangementState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["state", "review_on"], name="arrangement_review")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="arrangement_ends_after_start"),
            models.CheckConstraint(condition=Q(review_on__lte=F("ends_on")), name="arrangement_review_before_end"),
            models.CheckConstraint(
                condition=Q(dpia_reference="", dpia_completed_on__isnull=True, dpia_outcome="")
                | (~Q(dpia_reference="") & Q(dpia_completed_on__isnull=False) & ~Q(dpia_outcome="")),
                name="arrangement_dpia_whole"),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True, signed_off_by__isnull=True)
                | Q(signed_off_at__isnull=False, signed_off_by__isnull=False), name="arrangement_signed_off_paired"),
            models.CheckConstraint(
                condition=Q(last_reviewed_at__isnull=True, last_reviewed_by__isnull=True)
                | Q(last_reviewed_at__isnull=False, last_reviewed_by__isnull=False),
                name="arrangement_reviewed_paired"),
            # Separation of duties: nobody signs off what they drafted.
            models.CheckConstraint(condition=Q(signed_off_by__isnull=True) | ~Q(signed_off_by=F("drafted_by")),
                                   name="arrangement_not_signed_off_by_drafter"),
            # Nothing is active without a sign-off and its DPIA (§16).
            models.CheckConstraint(condition=Q(state=ArrangementState.DRAFT)
                                   | Q(signed_off_at__isnull=False, dpia_completed_on__isnull=False)
                                   | Q(state=ArrangementState.ENDED, signed_off_at__isnull=True),
                                   name="arrangement_signed_off_unless_draft"),
            models.CheckConstraint(condition=Q(version__gte=1), name="arrangement_version_positive"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"DSA-{self.pk:04d}" if self.pk else "DSA (new)"

    @property
    def dpia_recorded(self) -> bool:
        return bool(self.dpia_reference and self.dpia_completed_on and self.dpia_outcome)


class ArrangementEvent(TimelineEntry):
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ArrangementAction.choices)
    from_state = models.CharField(max_length=40, choices=ArrangementState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=ArrangementState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.arrangement_id} {self.action} by {self.actor_id}"
