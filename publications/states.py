"""A publication proposal's lifecycle (§7(b), §9(b)): the requester puts forward what it proposes to publish;
the holder agrees, agrees with changes (the agreed version recorded) or refuses with reasons. A proposal refused
or changed may be revised: the revision is a new proposal that names the one it revises. No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "Awaiting the holder's agreement"
    AGREED = "agreed", "Agreed"
    AGREED_WITH_CHANGES = "agreed_with_changes", "Agreed with changes"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ProposalAction(models.TextChoices):
    PROPOSE = "propose", "Propose publication"
    AGREE = "agree", "Agree"
    AGREE_WITH_CHANGES = "agree_with_changes", "Agree with changes"
    REFUSE = "refuse", "Refuse"
    WITHDRAW = "withdraw", "Withdraw"


HOLDER = "holder"  # the holder's assessors, approvers and Commissioner who can see the request
DECISIONS = (ProposalAction.AGREE, ProposalAction.AGREE_WITH_CHANGES, ProposalAction.REFUSE)
DECISION_CHOICES = [(action.value, action.label) for action in DECISIONS]  # the API's "outcome"
DECIDED_STATES = frozenset({ProposalState.AGREED, ProposalState.AGREED_WITH_CHANGES, ProposalState.REFUSED})
AGREED_STATES = frozenset({ProposalState.AGREED, ProposalState.AGREED_WITH_CHANGES})
# What a revision may follow: a refusal, or an agreement whose changes the requester wants to discuss further.
REVISABLE_STATES = frozenset({ProposalState.REFUSED, ProposalState.AGREED_WITH_CHANGES})

PUBLICATION_MACHINE = Machine(
    name="publication",
    initial=ProposalState.PROPOSED,
    owners={ProposalState.PROPOSED: HOLDER, ProposalState.AGREED: NOBODY,
            ProposalState.AGREED_WITH_CHANGES: NOBODY, ProposalState.REFUSED: NOBODY,
            ProposalState.WITHDRAWN: NOBODY},
    transitions={
        ProposalAction.AGREE: Transition({ProposalState.PROPOSED}, ProposalState.AGREED),
        ProposalAction.AGREE_WITH_CHANGES: Transition({ProposalState.PROPOSED}, ProposalState.AGREED_WITH_CHANGES),
        ProposalAction.REFUSE: Transition({ProposalState.PROPOSED}, ProposalState.REFUSED),
        ProposalAction.WITHDRAW: Transition({ProposalState.PROPOSED}, ProposalState.WITHDRAWN, by_owner=False),
    },
)
