"""A research project's lifecycle (issue 11; the letters of November 2021). No Django models here.

Proposed by a researcher of the institution; put under review, when the contract mechanism reviews it case by case
(the department's contracts team and each supplier involved, through approvals); approved by the contracts team
once every review has approved it and no processing hold applies; suspended while a hold in force covers it, and
put back under review when the hold no longer applies; cancelled, or completed once the research is done."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"
    SUSPENDED = "suspended", "Suspended by a processing hold"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class ProjectAction(models.TextChoices):
    PROPOSE = "propose", "Proposed"
    SUBMIT = "submit", "Put forward for review"
    APPROVE = "approve", "Approved"
    SUSPEND = "suspend", "Suspended by a processing hold"
    RESUME = "resume", "Back under review"
    CANCEL = "cancel", "Cancelled"
    COMPLETE = "complete", "Completed"
    RECORD_NDA = "record_nda", "Non-disclosure agreement recorded"
    RECORD_CONSENT = "record_consent", "Survivor's choice recorded"
    RECORD_WITHDRAWAL = "record_withdrawal", "Withdrawal recorded"
    RECORD_DELETION = "record_deletion", "Deletion recorded"
    LINK_REQUEST = "link_request", "Request linked"


RESEARCHERS = "researchers"  # researchers of the institution
REVIEWERS = "reviewers"  # the contracts team (and, through approvals, each supplier involved)
OPEN_STATES = (ProjectState.PROPOSED, ProjectState.UNDER_REVIEW, ProjectState.APPROVED, ProjectState.SUSPENDED)
# The states a hold in force moves a project out of (a project not yet put forward is only shown blocked).
SUSPENDABLE = (ProjectState.UNDER_REVIEW, ProjectState.APPROVED)

PROJECT_MACHINE = Machine(
    name="research project",
    initial=ProjectState.PROPOSED,
    owners={ProjectState.PROPOSED: RESEARCHERS, ProjectState.UNDER_REVIEW: REVIEWERS,
            ProjectState.APPROVED: RESEARCHERS, ProjectState.SUSPENDED: REVIEWERS,
            ProjectState.CANCELLED: NOBODY, ProjectState.COMPLETED: NOBODY},
    transitions={
        ProjectAction.SUBMIT: Transition({ProjectState.PROPOSED}, ProjectState.UNDER_REVIEW),
        ProjectAction.APPROVE: Transition({ProjectState.UNDER_REVIEW}, ProjectState.APPROVED),
        ProjectAction.SUSPEND: Transition(SUSPENDABLE, ProjectState.SUSPENDED, by_owner=False),
        ProjectAction.RESUME: Transition({ProjectState.SUSPENDED}, ProjectState.UNDER_REVIEW),
        ProjectAction.CANCEL: Transition(OPEN_STATES, ProjectState.CANCELLED, by_owner=False),
        ProjectAction.COMPLETE: Transition({ProjectState.APPROVED}, ProjectState.COMPLETED),
        # Records that leave the state as it is
        ProjectAction.RECORD_NDA: Transition(OPEN_STATES, by_owner=False),
        ProjectAction.LINK_REQUEST: Transition(OPEN_STATES, by_owner=False),
        ProjectAction.RECORD_CONSENT: Transition({ProjectState.APPROVED}, by_owner=False),
        ProjectAction.RECORD_WITHDRAWAL: Transition((*OPEN_STATES, ProjectState.COMPLETED, ProjectState.CANCELLED),
                                                    by_owner=False),
        ProjectAction.RECORD_DELETION: Transition((*OPEN_STATES, ProjectState.COMPLETED, ProjectState.CANCELLED),
                                                  by_owner=False),
    },
)


class ConsentScope(models.TextChoices):
    """What a survivor agreed to (their choice, recorded by the service provider who told them)."""

    INTERVIEW = "interview", "Interview only"
    INTERVIEW_AND_RECORDS = "interview_and_records", "Interview and their support records"
    RECORDS_ONLY = "records_only", "Their support records only"
