"""Research projects (issue 11), their non-disclosure agreements, and survivors' choices under pseudonymous
participant references. A project's scope (data sources, purpose, personal-data categories) uses the shared
vocabulary of protocols/scope.py, so that "does a processing hold apply?" is a comparison, not a reading."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from dataprotection.legislation import Article6Basis
from protocols.scope import DataSource, Purpose
from research.states import ConsentScope, ProjectAction, ProjectState
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
FUNDER_MAX = 120
ETHICS_MAX = 80
DPIA_REFERENCE_MAX = 80


class ResearchProject(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    funder = models.CharField(max_length=FUNDER_MAX, help_text="Who funds it, e.g. UKRI or the ESRC.")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="research_projects",
                                    help_text="The research institution whose researchers run it.")
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                   help_text="The government department that owns the contract and its data.")
    partner = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="partnered_research_projects",
                                help_text="A party working with the institution (e.g. the Commissioner's office).")
    principal_investigator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ethics_reference = models.CharField(max_length=ETHICS_MAX, help_text="The research ethics approval reference.")
    summary = models.TextField(help_text="What the research is for and what it will do.")

    # Scope (protocols/scope.py): what a processing hold is compared with
    data_sources = models.JSONField(default=list, help_text="DataSource values the project needs.")
    purpose = models.CharField(max_length=40, choices=Purpose.choices, default=Purpose.RESEARCH)
    personal_data_categories = models.JSONField(default=list,
                                                help_text="The protocol's personal-data categories (§15–17).")
    processes_contract_personal_data = models.BooleanField(
        default=False, help_text="Would it process personal data held under the MSVC contract? Then the contract "
                                 "mechanism reviews it: the contracts team and each supplier involved.")
    suppliers = models.ManyToManyField("accounts.Organisation", blank=True, related_name="reviewed_research_projects",
                                       help_text="The prime supplier and the sub-contractors involved.")

    # Lawful basis and DPIA (§15–17; the personal-data record, ADR 21, and the arrangements register, ADR 22)
    lawful_basis = models.CharField(max_length=10, choices=Article6Basis.choices, blank=True)
    lawful_basis_detail = models.TextField(blank=True)
    arrangement = models.ForeignKey("arrangements.Arrangement", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="research_projects",
                                    help_text="The data sharing arrangement it relies on, where there is one (§16).")
    dpia_reference = models.CharField(max_length=DPIA_REFERENCE_MAX, blank=True)
    dpia_completed_on = models.DateField(null=True, blank=True)

    requests = models.ManyToManyField("sharing.Request", blank=True, related_name="research_projects",
                                      help_text="Requests for information made for this project.")

    state = models.CharField(max_length=20, choices=ProjectState.choices, default=ProjectState.PROPOSED)
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    suspended_by_hold = models.ForeignKey("holds.Hold", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="suspended_projects",
                                          help_text="The hold in force that suspended it.")

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                                   | Q(approved_at__isnull=False, approved_by__isnull=False),
                                   name="research_approved_paired"),
            models.CheckConstraint(condition=~Q(state=ProjectState.SUSPENDED) | Q(suspended_by_hold__isnull=False),
                                   name="research_suspended_names_hold"),
            models.CheckConstraint(condition=Q(dpia_reference="", dpia_completed_on__isnull=True)
                                   | (~Q(dpia_reference="") & Q(dpia_completed_on__isnull=False)),
                                   name="research_dpia_whole"),
            models.CheckConstraint(condition=Q(version__gte=1), name="research_version_positive"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"RP-{self.pk:04d}" if self.pk else "RP (new)"

    @property
    def uses_contract_data(self) -> bool:
        return DataSource.MSVC_CONTRACT in (self.data_sources or [])


class ProjectEvent(TimelineEntry):
    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ProjectAction.choices)
    from_state = models.CharField(max_length=40, choices=ProjectState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=ProjectState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.project_id} {self.action} by {self.actor_id}"


class NonDisclosureAgreement(models.Model):
    """An NDA signed for a project (the letters: "an established way to share sensitive data quickly"); the
    signed copy is in the vault (StoredFile.research_nda, ADR 27)."""

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="ndas")
    signatory = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  help_text="Who signed it: a person of the project's institution.")
    signed_on = models.DateField()
    expires_on = models.DateField()
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=F("signed_on")), name="research_nda_expires_after"),
            models.CheckConstraint(condition=Q(size__gt=0), name="research_nda_not_empty"),
        ]

    def __str__(self):
        return f"NDA {self.pk} ({self.signatory})"


class Participation(models.Model):
    """A survivor's choice about a project, under a pseudonymous reference: an HMAC, under the supplier's own key
    held outside the database (research/keys.py), of the project and the supplier's own case identifier. Never a
    name; nobody but the supplier can recompute it; researchers see counts only."""

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="participations")
    supplier = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    participant_ref = models.CharField(max_length=64, help_text="HMAC-SHA256, hex: the pseudonymous reference.")
    key_id = models.CharField(max_length=40, help_text="Which of the supplier's keys made the reference.")
    told_on = models.DateField(help_text="When the survivor was told of the project.")
    agreed = models.BooleanField(help_text="Whether they agreed to take part.")
    scope = models.CharField(max_length=40, choices=ConsentScope.choices, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+")
    # A withdrawal flags what is held about the participant for the project for deletion, until deletion is recorded
    deletion_recorded_at = models.DateTimeField(null=True, blank=True)
    deletion_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "supplier", "participant_ref"],
                                    name="research_one_choice_per_participant"),
            models.CheckConstraint(condition=Q(agreed=False, scope="") | Q(agreed=True) & ~Q(scope=""),
                                   name="research_scope_when_agreed"),
            models.CheckConstraint(condition=Q(withdrawn_on__isnull=True) | Q(agreed=True),
                                   name="research_withdrawal_after_consent"),
            models.CheckConstraint(condition=Q(withdrawn_on__isnull=True, withdrawal_recorded_by__isnull=True)
                                   | Q(withdrawn_on__isnull=False, withdrawal_recorded_by__isnull=False),
                                   name="research_withdrawal_paired"),
            models.CheckConstraint(condition=Q(deletion_recorded_at__isnull=True, deletion_recorded_by__isnull=True)
                                   | Q(deletion_recorded_at__isnull=False, deletion_recorded_by__isnull=False,
                                       withdrawn_on__isnull=False), name="research_deletion_after_withdrawal"),
        ]

    def __str__(self):
        return f"Participant {self.participant_ref[:12]}"

    @property
    def awaiting_deletion(self) -> bool:
        return self.withdrawn_on is not None and self.deletion_recorded_at is None
