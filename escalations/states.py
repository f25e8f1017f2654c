"""An escalation's lifecycle (§13): it waits at a rung of the ladder until that rung's people decide it;
not resolved, the IASC may take it up one rung (never skipping one) or close it; resolved, the HO will provide
and the request goes back to its holder; refused at the gate (only at a rung the protocol gives a gate, the
HO Policy lead's "satisfied that the request is reasonable and the IASC has provided clear justification"), it
ends. The IASC may withdraw it while it is open. No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class EscalationState(models.TextChoices):
    AT_RUNG = "at_rung", "Waiting at a rung of the ladder"
    NOT_RESOLVED = "not_resolved", "Not resolved at this rung"
    RESOLVED = "resolved", "Resolved: the HO will provide"
    REFUSED_AT_GATE = "refused_at_gate", "Refused at the gate"
    CLOSED = "closed", "Closed by the IASC"
    WITHDRAWN = "withdrawn", "Withdrawn by the IASC"


class Outcome(models.TextChoices):
    """What a rung decides (§13)."""

    RESOLVED = "resolved", "Resolved: the HO will provide the information"
    NOT_RESOLVED = "not_resolved", "Not resolved: the IASC may take it to the next rung"
    REFUSED_AT_GATE = "refused_at_gate", "Refused at the gate: not reasonable, or not clearly justified"


class Grounds(models.TextChoices):
    """Why the IASC escalates (§13: information "not forthcoming from negotiations at working level")."""

    DECLINED = "declined", "The HO declined the request"
    DECLINED_IN_PART = "declined_in_part", "The HO agreed only part of the request"
    OVERDUE = "overdue", "The information is overdue (§12)"
    NOT_FORTHCOMING = "not_forthcoming", "Not forthcoming from negotiations at working level"


class EscalationAction(models.TextChoices):
    ESCALATE = "escalate", "Escalate"  # opens it at the first deciding rung
    DECIDE = "decide", "Decide at this rung"
    GO_UP = "go_up", "Take it to the next rung"
    CLOSE = "close", "Close"
    WITHDRAW = "withdraw", "Withdraw"


RUNG = "rung"  # the active people holding the current rung's role in the holder's department
ESCALATOR = "escalator"  # the IASC's requesters and case officers of the requesting office, or the Commissioner

OPEN_STATES = (EscalationState.AT_RUNG, EscalationState.NOT_RESOLVED)

ESCALATION_MACHINE = Machine(
    name="escalation",
    initial=EscalationState.AT_RUNG,
    owners={EscalationState.AT_RUNG: RUNG, EscalationState.NOT_RESOLVED: ESCALATOR,
            EscalationState.RESOLVED: NOBODY, EscalationState.REFUSED_AT_GATE: NOBODY,
            EscalationState.CLOSED: NOBODY, EscalationState.WITHDRAWN: NOBODY},
    transitions={
        EscalationAction.DECIDE: Transition({EscalationState.AT_RUNG}, (
            EscalationState.RESOLVED, EscalationState.NOT_RESOLVED, EscalationState.REFUSED_AT_GATE)),
        EscalationAction.GO_UP: Transition({EscalationState.NOT_RESOLVED}, EscalationState.AT_RUNG),
        EscalationAction.CLOSE: Transition({EscalationState.NOT_RESOLVED}, EscalationState.CLOSED),
        EscalationAction.WITHDRAW: Transition(OPEN_STATES, EscalationState.WITHDRAWN, by_owner=False),
    },
)
