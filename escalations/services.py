"""Every change to an escalation (§13), and the refusal where there is no ladder (§14).

    escalate(request, by=iasc, grounds="declined", reasons=…, ho_objections=…, attempts=…, expected_version=7)
    decide(escalation, by=policy_lead, outcome="not_resolved", note=…, expected_version=1)
    go_up(escalation, by=iasc, expected_version=2)                    # the next rung only, never skipping one
    go_up(escalation, by=iasc, expected_version=4, exceptional_circumstances=…)  # to a last-resort rung
    close(escalation, by=iasc, expected_version=…)  /  withdraw(escalation, by=iasc, expected_version=…)

Each runs in one transaction, checks who acts and what the state allows (workflow.cases), and writes one
timeline entry and one audit event per case it changes. A rung that resolves it (the HO will provide) sends
the request back to its holder: a refusal is decided again (sharing.states.ESCALATION_RESOLVED, ADR 20).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from escalations import ladder
from escalations.cases import ESCALATIONS
from escalations.models import Escalation, EscalationStep
from escalations.states import OPEN_STATES, EscalationAction, EscalationState, Grounds, Outcome
from sharing import schedule
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import (
    AGREED_STATES,
    AWAITING_PROVISION,
    BEFORE_DECISION,
    Action,
    RequestState,
)
from workflow.cases import CURRENT

TEXT_MAX = limits.NOTE_MAX
# §13: which grounds fit which state of the request.
GROUNDS_STATES = {
    Grounds.DECLINED: frozenset({RequestState.DECLINED}),
    Grounds.DECLINED_IN_PART: frozenset({RequestState.AGREED_IN_PART}),
    Grounds.OVERDUE: AWAITING_PROVISION,  # and past its due date
    Grounds.NOT_FORTHCOMING: BEFORE_DECISION | AGREED_STATES | {RequestState.PROVISION_OWED},
}


def no_ladder_problem(request: Request) -> Problem | None:
    """§14 (or a request outside the protocol): no escalation, in the protocol's own words."""
    if ladder.is_available(request):
        return None
    note = ladder.final_decision_note(request)
    if note:
        return Problem(note, field="request", clause=ladder.clause_of(request))
    return Problem("Requests outside the protocol have no escalation process.", field="request",
                   clause=ladder.clause_of(request))


def escalate(request: Request | int, *, by: User, grounds: str, reasons: str, ho_objections: str,
             attempts: str, expected_version) -> Escalation:
    """§13: the IASC takes a request that was declined (wholly or in part), is overdue, or is not forthcoming at
    working level to the first deciding rung, recording the request, the reasons for it, the HO's objections and
    the attempts made to resolve the matter."""
    limits.check_texts(reasons=reasons, ho_objections=ho_objections, attempts_to_resolve=attempts)
    with transaction.atomic():
        locked = REQUESTS.lock(request, by, expected_version)
        problem = no_ladder_problem(locked)
        if problem is not None:
            raise RuleViolation(problem)
        REQUESTS.check_actor(by, Action.ESCALATE, locked)
        clause = ladder.clause_of(locked)
        problems = _grounds_problems(locked, grounds, clause)
        problems += [Problem(message, field=field, clause=clause) for field, value, message in (
            ("reasons", reasons, "Give the reasons for the request."),
            ("ho_objections", ho_objections, "Set out the objections the HO raised (or say it raised none)."),
            ("attempts_to_resolve", attempts, "Set out the attempts made to resolve the matter at working level."),
        ) if not (value or "").strip()]
        if Escalation.objects.filter(request=locked, state__in=[s.value for s in OPEN_STATES]).exists():
            problems.append(Problem("This request is already being escalated.", field="request", clause=clause))
        if problems:
            raise RuleViolation(*problems)
        REQUESTS.check_action(Action.ESCALATE, locked)
        first = ladder.rung_at(locked, 1)
        now = timezone.now()
        escalation = Escalation.objects.create(
            request=locked, state=EscalationState.AT_RUNG, position=1, rung_key=first.key, rung_role=first.role,
            grounds=grounds, opened_by=by, opened_at=now, reasons=reasons.strip(),
            ho_objections=ho_objections.strip(), attempts_to_resolve=attempts.strip())
        EscalationStep.objects.create(escalation=escalation, position=1, rung_key=first.key, role=first.role,
                                      reached_at=now)
        details = {"rung": first.key, "position": 1, "role": first.role, "grounds": grounds}
        ESCALATIONS.record(escalation, by, EscalationAction.ESCALATE, "", reasons, details=details)
        REQUESTS.advance(locked, by, Action.ESCALATE, "", details={"escalation": escalation.pk, **details})
    return escalation


def _grounds_problems(request: Request, grounds: str, clause: str) -> list[Problem]:
    if grounds not in Grounds.values:
        return [Problem(f"Choose one of: {', '.join(str(label) for label in Grounds.labels)}.", field="grounds",
                        clause=clause)]
    fits = request.state in GROUNDS_STATES[Grounds(grounds)]
    if fits and grounds == Grounds.OVERDUE:
        fits = bool(request.next_due_on and request.next_due_on < schedule.today())
    if fits:
        return []
    return [Problem(f"{Grounds(grounds).label}: not so for this request, which is "
                    f"{request.get_state_display().lower()}"
                    f"{'' if request.next_due_on is None else f' and due on {request.next_due_on:%d %B %Y}'}. "
                    f"The IASC may escalate a request the HO declined (wholly or in part), one overdue, or one not "
                    f"forthcoming at working level.", field="grounds", clause=clause)]


def decide(escalation: Escalation | int, *, by: User, outcome: str, note: str = "", expected_version) -> Escalation:
    """§13: the rung's people decide: resolved (the HO will provide; the request goes back to the holder), not
    resolved (the IASC may go up), or, at a rung with a gate, refused there (it ends)."""
    limits.check_texts(note=note)
    with ESCALATIONS.acting(escalation, by=by, action=EscalationAction.DECIDE,
                            expected_version=expected_version) as locked:
        rung = ladder.rung_at(locked.request, locked.position)
        problems = []
        if outcome not in Outcome.values:
            problems.append(Problem(f"Choose one of: {', '.join(str(label) for label in Outcome.labels)}.",
                                    field="outcome", clause=rung.clause))
        elif outcome == Outcome.REFUSED_AT_GATE and not rung.gate:
            gate = ladder.gate_rung(locked.request)
            where = f" only {gate.title} may refuse at the gate" if gate else " this ladder has no gate"
            problems.append(Problem(f"{rung.title} decides whether it is resolved:{where}.", field="outcome",
                                    clause=rung.clause))
        if outcome in (Outcome.NOT_RESOLVED, Outcome.REFUSED_AT_GATE) and not note.strip():
            problems.append(Problem("Give the reasons for this outcome.", field="note", clause=rung.clause))
        if problems:
            raise RuleViolation(*problems)
        step = EscalationStep.objects.select_for_update().get(escalation=locked, position=locked.position)
        now = timezone.now()
        step.decided_by, step.decided_at, step.outcome, step.note = by, now, outcome, note.strip()
        step.save()
        if outcome != Outcome.NOT_RESOLVED:
            locked.finished_at = now
        details = {"rung": rung.key, "position": rung.position, "outcome": outcome}
        if rung.gate and outcome != Outcome.REFUSED_AT_GATE:
            details["gate_passed"] = True
        ESCALATIONS.advance(locked, by, EscalationAction.DECIDE, note, to=outcome, details=details)
        if outcome == Outcome.RESOLVED:
            _back_to_holder(locked, by, note, details)
    return locked


def _back_to_holder(escalation: Escalation, by: User, note: str, details: dict) -> None:
    """The HO will provide: a refusal (declined, agreed in part) goes back under assessment for the holder to
    decide again; a request still owed stays where it is, the outcome on its timeline (ADR 20)."""
    request = REQUESTS.lock(escalation.request_id, by, CURRENT)
    details = {"escalation": escalation.pk, **details, "previous_decision": request.decision}
    if REQUESTS.machine.allows(Action.ESCALATION_RESOLVED, request.state):
        request.decision, request.decided_at, request.decided_by = "", None, None
        request.declined_items = []
        REQUESTS.advance(request, by, Action.ESCALATION_RESOLVED, note, details=details)
    else:
        request.version += 1
        request.save()
        REQUESTS.record(request, by, Action.ESCALATION_RESOLVED, request.state, note, details=details)


def go_up(escalation: Escalation | int, *, by: User, expected_version, exceptional_circumstances: str = "",
          rung: str | None = None, note: str = "") -> Escalation:
    """§13: not resolved, the IASC takes it to the next rung, never skipping one; a last-resort rung (Ministers)
    needs the exceptional circumstances stated."""
    limits.check_texts(exceptional_circumstances=exceptional_circumstances, note=note)
    with ESCALATIONS.acting(escalation, by=by, action=EscalationAction.GO_UP,
                            expected_version=expected_version) as locked:
        nxt = ladder.next_rung(locked.request, locked.position)
        problems = []
        if rung not in (None, "") and rung != nxt.key:
            problems.append(Problem(f"The next rung is {nxt.title}: an escalation goes up one rung at a time, "
                                    "never skipping one.", field="rung", clause=nxt.clause))
        if nxt.last_resort and not (exceptional_circumstances or "").strip():
            problems.append(Problem(f"{nxt.title} is a last resort in exceptional circumstances: state them.",
                                    field="exceptional_circumstances", clause=nxt.clause))
        if problems:
            raise RuleViolation(*problems)
        if nxt.last_resort:
            locked.exceptional_circumstances = exceptional_circumstances.strip()
        locked.position, locked.rung_key, locked.rung_role = nxt.position, nxt.key, nxt.role
        EscalationStep.objects.create(escalation=locked, position=nxt.position, rung_key=nxt.key, role=nxt.role,
                                      reached_at=timezone.now())
        ESCALATIONS.advance(locked, by, EscalationAction.GO_UP, note or exceptional_circumstances,
                            details={"rung": nxt.key, "position": nxt.position, "role": nxt.role,
                                     "last_resort": nxt.last_resort})
    return locked


def close(escalation: Escalation | int, *, by: User, expected_version, note: str = "") -> Escalation:
    """§13: not resolved, the IASC goes no further."""
    return _finish(escalation, by, EscalationAction.CLOSE, expected_version, note)


def withdraw(escalation: Escalation | int, *, by: User, expected_version, note: str = "") -> Escalation:
    """The IASC withdraws it while a rung considers it, or after one did not resolve it."""
    return _finish(escalation, by, EscalationAction.WITHDRAW, expected_version, note)


def _finish(escalation, by, action, expected_version, note) -> Escalation:
    limits.check_texts(note=note)
    with ESCALATIONS.acting(escalation, by=by, action=action, expected_version=expected_version) as locked:
        locked.finished_at = timezone.now()
        ESCALATIONS.advance(locked, by, action, note, details={"rung": locked.rung_key, "position": locked.position})
    return locked


def check_can_open(request: Request, by: User) -> None:
    """What the escalate page checks before showing its form: §14 first, then who may escalate."""
    problem = no_ladder_problem(request)
    if problem is not None:
        raise RuleViolation(problem)
    if not REQUESTS.may_act(by, Action.ESCALATE, request):
        raise NotAllowed("Only a requester or case officer of the requesting office, or the Commissioner, can "
                         f"escalate this request ({ladder.clause_of(request)}).")
