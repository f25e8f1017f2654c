"""What a request's state and content allow, whoever is asking, beyond what the transition table says
(sharing.states). Each rule comes as a Problem or None; `permissions.py` says who may act."""

from __future__ import annotations

from approvals.models import Approval
from approvals.states import ApprovalKind, ApprovalState
from concordat.errors import Problem, RuleViolation
from escalations.models import Escalation
from escalations.states import OPEN_STATES as ESCALATION_OPEN_STATES
from sharing import hold_scope, rules
from sharing.models import Request
from sharing.states import ESCALATABLE, Action, Decision, RequestState


def _delivery_problem(request: Request) -> Problem | None:
    if request.is_regular and not _open_occasions(request):
        return Problem("Every scheduled delivery of this regular request has been made.", field="occasion")
    return hold_scope.delivery_problem(request)  # processing holds (issue 11): assessed, decided, not provided


def _open_occasions(request: Request) -> list:
    return [occasion for occasion in request.occasions.all() if not _has_delivery(occasion)]


def _has_delivery(occasion) -> bool:
    return hasattr(occasion, "delivery")  # the reverse one-to-one raises an AttributeError when absent


def _checklist_problem(request: Request) -> Problem | None:
    if not rules.checklist_of(request):
        return Problem("Requests outside the protocol have no assessment checklist.", field="answers",
                       clause=rules.route_clause(request))
    return None


def _approval_request_problem(request: Request) -> Problem | None:
    if not approvals_to_ask(request):
        return Problem("This request needs no further approval.", field="kind")
    return None


def _open_escalation_problem(request: Request) -> Problem | None:
    """§13: while the IASC has the request on the ladder, it is neither closed nor withdrawn; the escalation is
    closed or withdrawn first (escalations.services)."""
    direction = rules.direction_of(request)
    if direction is None or not direction.escalation.available or request.state not in ESCALATABLE:
        return None
    if Escalation.objects.filter(request=request, state__in=[s.value for s in ESCALATION_OPEN_STATES]).exists():
        return Problem(f"This request is being escalated ({direction.escalation.clause}): close or withdraw the "
                       "escalation first.", field="state", clause=direction.escalation.clause)
    return None


def _escalation_problem(request: Request) -> Problem | None:
    """§14: where the holder's decision is final there is no ladder; §13: one escalation at a time."""
    direction = rules.direction_of(request)
    if direction is None or not direction.escalation.available:
        clause = direction.escalation.clause if direction else rules.route_clause(request)
        note = direction.escalation.final_decision_note if direction else ""
        return Problem(note or "Requests outside the protocol have no escalation process.", field="request",
                       clause=clause)
    if Escalation.objects.filter(request=request, state__in=[s.value for s in ESCALATION_OPEN_STATES]).exists():
        return Problem("This request is already being escalated.", field="request", clause=direction.escalation.clause)
    return None


EXTRA_RULES = {
    Action.ESCALATE: _escalation_problem,
    Action.CLOSE: _open_escalation_problem,
    Action.WITHDRAW: _open_escalation_problem,
    Action.DELIVER: _delivery_problem,
    Action.RECORD_CHECKLIST: _checklist_problem,
    Action.REQUEST_APPROVAL: _approval_request_problem,
}


def extra_problem(action: str, request: Request) -> Problem | None:
    rule = EXTRA_RULES.get(action)
    return rule(request) if rule else None


# --- approvals (§10, §17) ------------------------------------------------------------------------

def approvals_by_kind(request: Request) -> dict[str, list[Approval]]:
    """Each required kind's approvals, oldest first (prefetched on the request page)."""
    found: dict[str, list[Approval]] = {kind: [] for kind in rules.approvals_required(request)}
    for approval in request.approvals.all():
        found.setdefault(approval.kind, []).append(approval)
    return found


def _latest(approvals: list[Approval]) -> Approval | None:
    live = [a for a in approvals if a.state != ApprovalState.CANCELLED]
    return live[-1] if live else None


def outstanding_approvals(request: Request) -> list:
    """The required kinds not yet approved (asked for or not)."""
    return [kind for kind, given in approvals_by_kind(request).items()
            if kind in rules.approvals_required(request)
            and not any(a.state == ApprovalState.APPROVED for a in given)]


def approvals_to_ask(request: Request) -> list:
    """Required kinds neither approved nor waiting on an approver."""
    by_kind = approvals_by_kind(request)
    return [kind for kind in outstanding_approvals(request)
            if not any(a.state == ApprovalState.REQUESTED for a in by_kind[kind])]


def approval_problems(request: Request) -> list[Problem]:
    """§10, §17: what stands between the holder and agreeing: refused, awaited or never asked."""
    spec = rules.spec_of(request)
    by_kind = approvals_by_kind(request)
    problems = []
    for kind in outstanding_approvals(request):
        # The clause goes beside the message (Problem.clause), so the kind is named without its own.
        label, clause = ApprovalKind(kind).label.rsplit(" (§", 1)[0], rules.approval_clause(spec, kind)
        latest = _latest(by_kind[kind])
        if latest is None:
            message = f"Ask an approver first: {label}."
        elif latest.state == ApprovalState.REFUSED:
            message = (f"Approval was refused ({label}) by {latest.decided_by} on {latest.decided_at:%d %B %Y}: "
                       f"{latest.reasons} Decline, or ask again once the request has changed.")
        elif latest.state == ApprovalState.REQUESTED:
            message = f"Waiting for an approver: {label}, asked on {latest.requested_at:%d %B %Y}."
        else:
            message = f"The approver asked for more justification: {label}. Ask again once it is given."
        problems.append(Problem(message, field="approvals", clause=clause))
    return problems


# --- decisions (§7, §9, §10, §17) ----------------------------------------------------------------

def checklist_problems(request: Request) -> list[Problem]:
    """§7/§9: every point of the holder's checklist is answered before a decision."""
    answered = {answer.item_key for answer in request.checklist_answers.all()}
    return [Problem(f"Record whether you are satisfied: {item.label}", field=f"checklist.{item.key}",
                    clause=item.clause)
            for item in rules.checklist_of(request) if item.key not in answered]


def unsatisfied_items(request: Request) -> list:
    not_satisfied = {answer.item_key for answer in request.checklist_answers.all() if not answer.satisfied}
    return [item for item in rules.checklist_of(request) if item.key in not_satisfied]


def decision_problems(request: Request, decision: str, *, reasons: str, provided_scope: str,
                      withheld_scope: str) -> list[Problem]:
    if decision not in Decision.values:
        return [Problem(f"Choose one of: {', '.join(Decision.labels)}.", field="decision")]
    problems = checklist_problems(request)
    if decision == Decision.DECLINED:
        problems += _decline_problems(request, reasons)
    else:
        problems += _agreement_problems(request, decision, provided_scope, withheld_scope)
    return problems


def missing_before_decision(request: Request) -> list[Problem]:
    """What the decide page lists first: checklist points unanswered and approvals not given."""
    if request.state != RequestState.UNDER_ASSESSMENT:
        return []
    return checklist_problems(request) + approval_problems(request)


def _decline_problems(request: Request, reasons: str) -> list[Problem]:
    problems = []
    if not reasons.strip():
        problems.append(Problem("Give the reasons for declining.", field="reasons"))
    checklist = rules.checklist_of(request)
    if checklist and not checklist_problems(request) and not unsatisfied_items(request):
        clause = rules.direction_of(request).clause
        problems.append(Problem("A decline names the checklist points not satisfied: record which of them "
                                "you are not satisfied of.", field="checklist", clause=clause))
    return problems


def _agreement_problems(request: Request, decision: str, provided_scope: str, withheld_scope: str) -> list[Problem]:
    problems = []
    unsatisfied = unsatisfied_items(request)
    if decision == Decision.AGREED and unsatisfied:
        problems += [Problem(f"Not satisfied: {item.label}. Agree in part or decline instead.",
                             field=f"checklist.{item.key}", clause=item.clause) for item in unsatisfied]
    if decision == Decision.AGREED_IN_PART:
        if not provided_scope.strip():
            problems.append(Problem("Say what will be provided.", field="provided_scope"))
        if not withheld_scope.strip():
            problems.append(Problem("Say what will not be provided.", field="withheld_scope"))
    problems += approval_problems(request)
    spec = rules.spec_of(request)
    # §17: the legal basis is the personal-data record's UK GDPR Article 6 basis (or, for a request recorded before
    # the record existed, its free-text legal basis); the holder confirms the record complies (ADR 21).
    from dataprotection import rules as personal_data  # it imports sharing

    if rules.legal_basis_required(request) and not personal_data.has_legal_basis(request):
        problems.append(Problem("Record the legal basis for sharing this personal data (the UK GDPR Article 6 "
                                "basis in the personal-data record).", field="legal_basis",
                                clause=spec.personal_data.clause))
    problems += personal_data.confirmation_problems(request)
    return problems


def check_decision(request: Request, decision: str, **texts: str) -> None:
    problems = decision_problems(request, decision, **texts)
    if problems:
        raise RuleViolation(*problems)


def open_occasions(request: Request) -> list:
    return _open_occasions(request)
