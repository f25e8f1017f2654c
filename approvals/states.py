"""An approval's lifecycle: asked, then approved, refused with reasons, or returned for more justification
(§10: "that may lead to requests for additional justification"). No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class ApprovalState(models.TextChoices):
    REQUESTED = "requested", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    RETURNED = "returned", "More justification asked"
    CANCELLED = "cancelled", "No longer needed"


class ApprovalKind(models.TextChoices):
    """What is approved, and under which clause; the protocol says when each is needed (sharing.rules)."""

    CLASSIFICATION = "classification", "OFFICIAL-SENSITIVE information (§10)"
    PERSONAL_DATA = "personal_data", "Personal data: senior officials (§17)"
    MINISTERIAL = "ministerial", "Personal data: Ministers (§17)"
    DATA_PROTECTION = "data_protection", "Compliance with data protection legislation (§17)"
    # The contract mechanism for research on MSVC contract personal data (issue 11; the letters of November 2021)
    RESEARCH_CONTRACTS = "research_contracts", "Research on contract personal data: the contracts team"
    RESEARCH_SUPPLIER = "research_supplier", "Research on contract personal data: a supplier"


class ApprovalAction(models.TextChoices):
    ASK = "ask", "Ask for approval"
    APPROVE = "approve", "Approve"
    REFUSE = "refuse", "Refuse"
    RETURN = "return", "Ask for more justification"
    CANCEL = "cancel", "Cancel"  # by the service, when the request no longer needs it


APPROVER = "approver"  # the people holding the approval's required role in the holder's department

APPROVAL_MACHINE = Machine(
    name="approval",
    initial=ApprovalState.REQUESTED,
    owners={ApprovalState.REQUESTED: APPROVER, ApprovalState.APPROVED: NOBODY, ApprovalState.REFUSED: NOBODY,
            ApprovalState.RETURNED: NOBODY, ApprovalState.CANCELLED: NOBODY},
    transitions={
        ApprovalAction.APPROVE: Transition({ApprovalState.REQUESTED}, ApprovalState.APPROVED),
        ApprovalAction.REFUSE: Transition({ApprovalState.REQUESTED}, ApprovalState.REFUSED),
        ApprovalAction.RETURN: Transition({ApprovalState.REQUESTED}, ApprovalState.RETURNED),
        ApprovalAction.CANCEL: Transition({ApprovalState.REQUESTED}, ApprovalState.CANCELLED, by_owner=False),
    },
)
OUTCOMES = (ApprovalAction.APPROVE, ApprovalAction.REFUSE, ApprovalAction.RETURN)
