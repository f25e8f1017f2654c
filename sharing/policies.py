"""What a request's state and content allow, whoever is asking. Each rule comes as a raising
`check_*` and a boolean `*_allowed`, as in airlock; `permissions.py` says who may act."""

from __future__ import annotations

from concordat.errors import Problem, RuleViolation
from sharing import rules
from sharing.models import Request
from sharing.states import ACTION_PHRASES, AGREEING_DECISIONS, TRANSITIONS, Action, Decision, RequestState


def _state_problem(action: Action, request: Request) -> Problem | None:
    if RequestState(request.state) in TRANSITIONS[action].sources:
        return None
    label = RequestState(request.state).label.lower()
    return Problem(f"You cannot {ACTION_PHRASES[action]} while it is {label}.", field="state")


def _delivery_problem(request: Request) -> Problem | None:
    if request.decision == Decision.DECLINED:
        return Problem("The request was declined, so nothing can be provided on it.", field="state")
    if request.is_regular and not _open_occasions(request):
        return Problem("Every scheduled delivery of this regular request has been made.", field="occasion")
    return None


def _open_occasions(request: Request) -> list:
    return [occasion for occasion in request.occasions.all() if not _has_delivery(occasion)]


def _has_delivery(occasion) -> bool:
    return hasattr(occasion, "delivery")  # the reverse one-to-one raises an AttributeError when absent


def _close_problem(request: Request) -> Problem | None:
    if request.state == RequestState.DECIDED and request.decision in AGREEING_DECISIONS:
        return Problem("An agreed request is closed once the information is provided; withdraw it if it is "
                       "no longer needed.", field="state")
    return None


def _checklist_problem(request: Request) -> Problem | None:
    if not rules.checklist_of(request):
        return Problem("Requests outside the protocol have no assessment checklist.", field="answers",
                       clause=rules.route_clause(request))
    return None


def _approval_problem(request: Request) -> Problem | None:
    if not outstanding_approvals(request):
        return Problem("This request needs no further approval.", field="kind")
    return None


EXTRA_RULES = {
    Action.DELIVER: _delivery_problem,
    Action.CLOSE: _close_problem,
    Action.RECORD_CHECKLIST: _checklist_problem,
    Action.APPROVE: _approval_problem,
}


def action_problem(action: Action, request: Request) -> Problem | None:
    problem = _state_problem(action, request)
    if problem is None and action in EXTRA_RULES:
        problem = EXTRA_RULES[action](request)
    return problem


def action_allowed(action: Action, request: Request) -> bool:
    return action_problem(action, request) is None


def check_action(action: Action, request: Request) -> None:
    problem = action_problem(action, request)
    if problem is not None:
        raise RuleViolation(problem)


# --- approvals (§10, §17) ------------------------------------------------------------------------

def outstanding_approvals(request: Request) -> list:
    given = {approval.kind for approval in request.approvals.all()}
    return [kind for kind in rules.approvals_required(request) if kind not in given]


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
    spec = rules.spec_of(request)
    for kind in outstanding_approvals(request):
        problems.append(Problem(f"An approver must first approve sharing: {kind.label}.", field="approvals",
                                clause=rules.approval_clause(spec, kind)))
    if rules.legal_basis_required(request) and not request.legal_basis.strip():
        problems.append(Problem("Record the legal basis for sharing this personal data.", field="legal_basis",
                                clause=spec.personal_data.clause))
    return problems


def check_decision(request: Request, decision: str, **texts: str) -> None:
    problems = decision_problems(request, decision, **texts)
    if problems:
        raise RuleViolation(*problems)


def open_occasions(request: Request) -> list:
    return _open_occasions(request)
