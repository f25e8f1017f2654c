"""The ladder of a request, read from its protocol's definition (§13): the direction's `escalation.ladder`,
less the working-level step (no role: not a deciding rung). Nothing here knows how many rungs there are, what
they are called or who holds them: a protocol with another ladder gets another ladder.

    rungs = ladder_of(request)      # [Rung(position=1, key="policy_lead", ...), ...]
    rung_at(request, 2).title       # "Director for Tackling Slavery and Exploitation"
"""

from __future__ import annotations

from dataclasses import dataclass

from protocols.schema import Escalation as EscalationSpec
from sharing import rules


@dataclass(frozen=True)
class Rung:
    position: int  # 1 for the first deciding rung
    key: str
    title: str
    role: str
    clause: str
    gate: str  # the condition a rung may refuse at ("satisfied that the request is reasonable…", §13)
    description: str
    must_record: tuple[str, ...]
    last_resort: bool  # "a last resort in exceptional circumstances" (§13): needs them stated
    target_working_days: int | None  # the protocol's target for this rung, if it sets one


def escalation_spec(request) -> EscalationSpec | None:
    """The direction's escalation (§13), or its absence (§14); None outside the protocol."""
    direction = rules.direction_of(request)
    return direction.escalation if direction else None


def is_available(request) -> bool:
    spec = escalation_spec(request)
    return bool(spec and spec.available and ladder_of(request))


def final_decision_note(request) -> str:
    """§14's words where the holder's decision is final."""
    spec = escalation_spec(request)
    return spec.final_decision_note if spec else ""


def clause_of(request) -> str:
    spec = escalation_spec(request)
    return spec.clause if spec else rules.route_clause(request)


def working_level(request):
    """The steps before the first deciding rung (negotiation at working level), as the protocol words them."""
    spec = escalation_spec(request)
    return [step for step in (spec.ladder if spec else []) if step.role is None]


def ladder_of(request) -> list[Rung]:
    spec = escalation_spec(request)
    if spec is None or not spec.available:
        return []
    deciding = [step for step in spec.ladder if step.role is not None]
    return [Rung(position, step.key, step.title, step.role, step.clause, step.gate, step.description,
                 tuple(step.must_record), step.last_resort, step.target_working_days)
            for position, step in enumerate(deciding, start=1)]


def has_targets(protocol) -> bool:
    """Whether any rung of any of the protocol's ladders sets a target in working days (§13)."""
    return any(step.target_working_days is not None for direction in protocol.spec.directions
               for step in direction.escalation.ladder)


def rung_at(request, position: int) -> Rung:
    rungs = ladder_of(request)
    if not 1 <= position <= len(rungs):
        raise KeyError(f"The ladder has no rung {position}")
    return rungs[position - 1]


def next_rung(request, position: int) -> Rung | None:
    rungs = ladder_of(request)
    return rungs[position] if position < len(rungs) else None


def must_record(request) -> tuple[str, ...]:
    """What the IASC sets out when it escalates: the must_record of the ladder's steps, in order."""
    spec = escalation_spec(request)
    items: list[str] = []
    for step in (spec.ladder if spec else []):
        items += [item for item in step.must_record if item not in items]
    return tuple(items)


def gate_rung(request) -> Rung | None:
    return next((rung for rung in ladder_of(request) if rung.gate), None)


def roles(request) -> frozenset[str]:
    return frozenset(rung.role for rung in ladder_of(request))
