"""A release's lifecycle (§15, issue 12): drafted and previewed by its author on a request; checked by two output
checkers who are not the author, independently; consolidated by one of them; delivered by its author once
approved. No Django models here but the choices."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class ReleaseState(models.TextChoices):
    DRAFT = "draft", "Draft: being prepared by its author"
    CHECKING = "checking", "Awaiting two output checkers"
    CHECKED = "checked", "Checked by two: awaiting consolidation"
    APPROVED = "approved", "Approved: ready to deliver"
    DELIVERED = "delivered", "Delivered on its request"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReleaseAction(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVISE = "revise", "Revise and preview again"
    SUBMIT = "submit", "Submit for output checking"
    CHECK = "check", "Give a verdict"
    CONSOLIDATE = "consolidate", "Consolidate the verdicts"
    DELIVER = "deliver", "Deliver on the request"
    WITHDRAW = "withdraw", "Withdraw"
    PROTECTED = "protected", "Protected on a worker"


class Verdict(models.TextChoices):
    SAFE = "safe", "Safe to release"
    UNSAFE = "unsafe", "Not safe: changes needed"


class Outcome(models.TextChoices):
    APPROVE = "approve", "Approve the release"
    RETURN = "return", "Return it to its author for changes"
    REJECT = "reject", "Reject it"


class ReleaseKind(models.TextChoices):
    TABLE = "table", "A table (counts or a magnitude)"
    EXTRACT = "extract", "An anonymised extract (k-anonymity, l-diversity)"


AUTHOR, CHECKERS = "author", "checkers"
OUTCOME_TARGETS = {Outcome.APPROVE: ReleaseState.APPROVED, Outcome.RETURN: ReleaseState.DRAFT,
                   Outcome.REJECT: ReleaseState.REJECTED}
CHECKERS_NEEDED = 2

RELEASE_MACHINE = Machine(
    name="release",
    initial=ReleaseState.DRAFT,
    owners={ReleaseState.DRAFT: AUTHOR, ReleaseState.CHECKING: CHECKERS, ReleaseState.CHECKED: CHECKERS,
            ReleaseState.APPROVED: AUTHOR, ReleaseState.DELIVERED: NOBODY, ReleaseState.REJECTED: NOBODY,
            ReleaseState.WITHDRAWN: NOBODY},
    transitions={
        ReleaseAction.REVISE: Transition({ReleaseState.DRAFT}, None, by_owner=False),
        ReleaseAction.SUBMIT: Transition({ReleaseState.DRAFT}, ReleaseState.CHECKING),
        # The first verdict keeps it awaiting checks; the second makes it checked.
        ReleaseAction.CHECK: Transition({ReleaseState.CHECKING}, (ReleaseState.CHECKING, ReleaseState.CHECKED)),
        ReleaseAction.CONSOLIDATE: Transition({ReleaseState.CHECKED}, tuple(OUTCOME_TARGETS.values())),
        ReleaseAction.DELIVER: Transition({ReleaseState.APPROVED}, ReleaseState.DELIVERED),
        ReleaseAction.WITHDRAW: Transition({ReleaseState.DRAFT, ReleaseState.CHECKING, ReleaseState.CHECKED,
                                            ReleaseState.APPROVED}, ReleaseState.WITHDRAWN, by_owner=False),
    },
)
