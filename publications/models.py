"""Publication proposals (§7(b), §9(b)): what the requester proposes to publish, and what the holder agreed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from publications.states import ProposalAction, ProposalState
from vault.models import VaultBackedFile
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL


class PublicationProposal(models.Model):
    request = models.ForeignKey("sharing.Request", on_delete=models.CASCADE, related_name="publication_proposals")
    revises = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="revision",
                                   help_text="The refused or changed proposal this one revises.")
    state = models.CharField(max_length=30, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    version = models.PositiveIntegerField(default=1)

    proposed_text = models.TextField(help_text="What the requester proposes to publish.")
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()

    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    agreed_text = models.TextField(blank=True, help_text="The text as agreed: the proposal's, or the holder's "
                                                         "changed version.")
    reasons = models.TextField(blank=True, help_text="Why it was refused, or why it was changed.")

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(decided_at__isnull=True, decided_by__isnull=True)
                                   | Q(decided_at__isnull=False, decided_by__isnull=False),
                                   name="publication_decided_paired"),
            models.CheckConstraint(condition=~Q(state__in=[ProposalState.AGREED, ProposalState.AGREED_WITH_CHANGES,
                                                           ProposalState.REFUSED]) | Q(decided_at__isnull=False),
                                   name="publication_decided_when_decided"),
            models.CheckConstraint(condition=~Q(state__in=[ProposalState.AGREED, ProposalState.AGREED_WITH_CHANGES])
                                   | ~Q(agreed_text=""), name="publication_agreed_text_recorded"),
            models.CheckConstraint(condition=~Q(state__in=[ProposalState.REFUSED, ProposalState.AGREED_WITH_CHANGES])
                                   | ~Q(reasons=""), name="publication_reasons_given"),
            # §7(b), §9(b): the holder agrees; the person who proposed never agrees their own proposal.
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="publication_not_by_proposer"),
            models.UniqueConstraint(fields=["request"], condition=Q(state=ProposalState.PROPOSED),
                                    name="one_open_publication_proposal_per_request"),
            models.CheckConstraint(condition=Q(version__gte=1), name="publication_version_positive"),
        ]

    def __str__(self):
        return f"Publication proposal {self.pk}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == ProposalState.PROPOSED


class PublicationFile(VaultBackedFile):
    """A file put forward with a proposal (a draft page or table), checked by its content as delivered files are
    (sharing/files.py), encrypted in the vault (vault.StoredFile, ADR 27) and only ever offered as a download."""

    OWNER_FIELD = "publication_file"

    proposal = models.ForeignKey(PublicationProposal, on_delete=models.CASCADE, related_name="files")

    class Meta(VaultBackedFile.Meta):
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="publication_file_not_empty")]

    @property
    def reference(self) -> str:
        return self.proposal.request.reference


class PublicationEvent(TimelineEntry):
    proposal = models.ForeignKey(PublicationProposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ProposalAction.choices)
    from_state = models.CharField(max_length=40, choices=ProposalState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=ProposalState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.proposal_id} {self.action} by {self.actor_id}"
