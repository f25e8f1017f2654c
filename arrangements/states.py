"""A data sharing arrangement's lifecycle (§16): drafted by a party, signed off by an approver or data protection
officer of a party who did not draft it (its DPIA recorded), reviewed while active, suspended or ended.
No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class ArrangementState(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"


class ArrangementAction(models.TextChoices):
    CREATE = "create", "Drafted"
    UPDATE = "update", "Draft changed"
    SIGN_OFF = "sign_off", "Signed off"
    REVIEW = "review", "Reviewed"
    SUSPEND = "suspend", "Suspended"
    RESUME = "resume", "Resumed"
    END = "end", "Ended"


class DpiaOutcome(models.TextChoices):
    """What the data protection impact assessment concluded (UK GDPR Art. 35–36)."""

    ACCEPTABLE = "acceptable", "No high risk: the sharing may go ahead"
    MITIGATED = "mitigated", "High risks mitigated by the measures recorded: the sharing may go ahead"
    PRIOR_CONSULTATION = "prior_consultation", "High residual risk: the ICO must be consulted first (Art. 36)"


# The outcomes under which personal data may be shared routinely (§16).
DPIA_ALLOWS_SHARING = frozenset({DpiaOutcome.ACCEPTABLE.value, DpiaOutcome.MITIGATED.value})

DRAFTER = "drafter"  # the drafting roles of a party
SIGNATORY = "signatory"  # an approver or data protection officer of a party, other than the drafter

ARRANGEMENT_MACHINE = Machine(
    name="arrangement",
    initial=ArrangementState.DRAFT,
    owners={ArrangementState.DRAFT: SIGNATORY, ArrangementState.ACTIVE: SIGNATORY,
            ArrangementState.SUSPENDED: SIGNATORY, ArrangementState.ENDED: NOBODY},
    transitions={
        ArrangementAction.UPDATE: Transition({ArrangementState.DRAFT}, by_owner=False),
        ArrangementAction.SIGN_OFF: Transition({ArrangementState.DRAFT}, ArrangementState.ACTIVE),
        ArrangementAction.REVIEW: Transition({ArrangementState.ACTIVE}),
        ArrangementAction.SUSPEND: Transition({ArrangementState.ACTIVE}, ArrangementState.SUSPENDED, by_owner=False),
        ArrangementAction.RESUME: Transition({ArrangementState.SUSPENDED}, ArrangementState.ACTIVE),
        ArrangementAction.END: Transition({ArrangementState.DRAFT, ArrangementState.ACTIVE,
                                           ArrangementState.SUSPENDED}, ArrangementState.ENDED, by_owner=False),
    },
)
