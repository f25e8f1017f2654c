"""The ladder as the pages show it (includes/ladder.html): every deciding rung of the protocol's ladder (§13),
where the escalation stands on it, each outcome, and how many working days each rung waited."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import Role
from escalations import ladder
from escalations.cases import waited
from escalations.models import Escalation
from escalations.states import EscalationState, Outcome
from sharing import schedule


@dataclass(frozen=True)
class LadderRow:
    rung: ladder.Rung
    role_label: str
    status: str  # "not reached", "waiting", or the outcome's words
    status_colour: str  # a govuk-tag modifier
    is_current: bool
    waited_days: int | None
    step: object | None


def _role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role.replace("_", " ")


def ladder_rows(request, escalation: Escalation | None) -> list[LadderRow]:
    today = schedule.today()
    steps = {step.position: step for step in escalation.steps.all()} if escalation else {}
    rows = []
    for rung in ladder.ladder_of(request):
        step = steps.get(rung.position)
        current = bool(escalation and escalation.position == rung.position)
        if step is None:
            status, colour, days = "Not reached", "grey", None
        elif not step.outcome:
            status = "Withdrawn before a decision" if escalation.state == EscalationState.WITHDRAWN else "Waiting"
            colour, days = ("grey" if escalation.state == EscalationState.WITHDRAWN else "yellow"), None
            days = waited(escalation, today, step).days
        else:
            status = Outcome(step.outcome).label
            colour = {"resolved": "green", "not_resolved": "orange", "refused_at_gate": "red"}[step.outcome]
            days = waited(escalation, today, step).days
        rows.append(LadderRow(rung, _role_label(rung.role), status, colour, current, days, step))
    return rows


def latest_escalation(request) -> Escalation | None:
    return (Escalation.objects.filter(request=request).prefetch_related("steps__decided_by")
            .order_by("-opened_at", "-pk").first())
