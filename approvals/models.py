"""Approvals: a senior official's or Minister's say before information is shared (§10, §17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from approvals.states import ApprovalAction, ApprovalKind, ApprovalState
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
# What an approval can be about: one explicit foreign key each (escalations, arrangements, research projects
# and releases will join), exactly one set. Keys, not a generic relation: the database keeps them whole.
SUBJECT_FIELDS = ("request", "research_project")


def _exactly_one(*fields: str) -> Q:
    condition = Q(pk__in=[])
    for chosen in fields:
        condition |= Q(**{f"{chosen}__isnull": False}, **{f"{other}__isnull": True for other in fields if other != chosen})
    return condition


class Approval(models.Model):
    request = models.ForeignKey("sharing.Request", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="approvals")
    # A research project reviewed case by case under the contract mechanism (issue 11): the department's contracts
    # team and each supplier involved decide, each for its own organisation (deciding_organisation).
    research_project = models.ForeignKey("research.ResearchProject", null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="reviews")
    deciding_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Whose people decide it, where it is not the request's holder (a research review: the department "
                  "or a supplier).")
    conditions = models.TextField(blank=True, help_text="The conditions the approval is given on.")
    kind = models.CharField(max_length=20, choices=ApprovalKind.choices)
    clause = models.CharField(max_length=20)
    role_required = models.CharField(max_length=40, help_text="The role that may decide it.")
    state = models.CharField(max_length=20, choices=ApprovalState.choices, default=ApprovalState.REQUESTED)
    version = models.PositiveIntegerField(default=1)

    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="Empty for approvals recorded before approvals were asked for.")
    requested_at = models.DateTimeField()
    justification = models.TextField(blank=True, help_text="What the person asking says in support.")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="Why it was refused, or what more justification is needed.")

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["state", "role_required"], name="approval_waiting")]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(*SUBJECT_FIELDS), name="approval_exactly_one_subject"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decided_by__isnull=True)
                | Q(decided_at__isnull=False, decided_by__isnull=False), name="approval_decided_paired"),
            models.CheckConstraint(
                condition=Q(state__in=[ApprovalState.REQUESTED, ApprovalState.CANCELLED]) | Q(decided_at__isnull=False),
                name="approval_decided_unless_open"),
            # Separation of duties: nobody approves what they asked for.
            models.CheckConstraint(condition=Q(requested_by__isnull=True) | Q(decided_by__isnull=True)
                                   | ~Q(decided_by=F("requested_by")), name="approval_not_by_asker"),
            models.UniqueConstraint(fields=["request", "kind"], condition=Q(state=ApprovalState.REQUESTED),
                                    name="one_open_approval_per_request_kind"),
            models.UniqueConstraint(fields=["research_project", "deciding_organisation"],
                                    condition=Q(state=ApprovalState.REQUESTED),
                                    name="one_open_review_per_project_organisation"),
            models.CheckConstraint(condition=Q(research_project__isnull=True) | Q(deciding_organisation__isnull=False),
                                   name="approval_research_review_names_decider"),
            models.CheckConstraint(condition=Q(version__gte=1), name="approval_version_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_state_display()}"

    @property
    def subject(self):
        return next(getattr(self, name) for name in SUBJECT_FIELDS if getattr(self, f"{name}_id") is not None)


class ApprovalEvent(TimelineEntry):
    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ApprovalAction.choices)
    from_state = models.CharField(max_length=40, choices=ApprovalState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=ApprovalState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.approval_id} {self.action} by {self.actor_id}"
