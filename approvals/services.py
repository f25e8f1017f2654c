"""Every change to an approval: asked for by the holder (§10, §17), then approved, refused with reasons, or
returned for more justification, which goes to the requester as further information (§10)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from approvals.cases import APPROVALS
from approvals.models import Approval
from approvals.states import ApprovalAction, ApprovalKind, ApprovalState
from concordat import limits
from concordat.errors import Problem, RuleViolation
from sharing import policies, rules
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import Action, RequestState
from workflow.cases import CURRENT

# Who decides each kind: senior officials or Ministers' offices hold the approver role (§10, §17); the data
# protection officer confirms that the disclosure complies with the data protection legislation (§17).
ROLE_FOR_KIND = {ApprovalKind.CLASSIFICATION: Role.APPROVER, ApprovalKind.PERSONAL_DATA: Role.APPROVER,
                 ApprovalKind.MINISTERIAL: Role.MINISTER,
                 ApprovalKind.DATA_PROTECTION: Role.DPO}
TEXT_MAX = limits.NOTE_MAX


def ask(request: Request | int, *, by: User, expected_version: int, justification: str = "") -> list[Approval]:
    """The holder asks for every approval the request still needs and is not already waiting for."""
    _check_length(justification, "justification")
    with REQUESTS.acting(request, by=by, action=Action.REQUEST_APPROVAL, expected_version=expected_version) as locked:
        spec, now = rules.spec_of(locked), timezone.now()
        asked = []
        for kind in policies.approvals_to_ask(locked):
            approval = Approval.objects.create(
                request=locked, kind=kind, clause=rules.approval_clause(spec, kind), role_required=ROLE_FOR_KIND[kind],
                requested_by=by, requested_at=now, justification=justification.strip())
            APPROVALS.record(approval, by, ApprovalAction.ASK, "", justification, details={"kind": kind})
            asked.append(approval)
        REQUESTS.advance(locked, by, Action.REQUEST_APPROVAL, justification,
                         details={"approvals": [a.pk for a in asked], "kinds": [a.kind for a in asked]})
    return asked


def approve(approval: Approval | int, *, by: User, expected_version: int, note: str = "",
            conditions: str = "") -> Approval:
    """`conditions`: what the approval is given on (a research review's conditions, issue 11)."""
    _check_length(note, "note")
    _check_length(conditions, "conditions")
    with APPROVALS.acting(approval, by=by, action=ApprovalAction.APPROVE, expected_version=expected_version) as locked:
        _decided(locked, by, "")
        locked.conditions = (conditions or "").strip()
        APPROVALS.advance(locked, by, ApprovalAction.APPROVE, note, details={"kind": locked.kind})
    return locked


def refuse(approval: Approval | int, *, by: User, expected_version: int, reasons: str) -> Approval:
    """A refusal blocks agreement and says why (policies.approval_problems)."""
    _require(reasons, "reasons", "Give the reasons for refusing.")
    with APPROVALS.acting(approval, by=by, action=ApprovalAction.REFUSE, expected_version=expected_version) as locked:
        _decided(locked, by, reasons)
        APPROVALS.advance(locked, by, ApprovalAction.REFUSE, reasons, details={"kind": locked.kind})
    return locked


def ask_for_justification(approval: Approval | int, *, by: User, expected_version: int, question: str) -> Approval:
    """§10: the approver needs more justification; the question goes to the requester as further information."""
    _require(question, "question", "Say what further justification is needed.")
    with APPROVALS.acting(approval, by=by, action=ApprovalAction.RETURN, expected_version=expected_version) as locked:
        request = REQUESTS.lock(locked.request_id, by, CURRENT)
        if request.state != RequestState.UNDER_ASSESSMENT:
            raise RuleViolation(f"The request is {request.get_state_display().lower()}: it can only be asked "
                                "for more justification while under assessment.", field="state")
        _decided(locked, by, question)
        APPROVALS.advance(locked, by, ApprovalAction.RETURN, question, details={"kind": locked.kind})
        REQUESTS.advance(request, by, Action.REQUEST_FURTHER_INFORMATION, question,
                         details={"approval": locked.pk, "kind": locked.kind})
    return locked


def cancel_open(request: Request, by: User, reason: str) -> int:
    """Inside a request action that ends the need (withdrawn, declined): the approvals still awaited end too."""
    cancelled = 0
    for approval in Approval.objects.select_for_update().filter(request=request, state=ApprovalState.REQUESTED):
        approval.request = request
        APPROVALS.advance(approval, by, ApprovalAction.CANCEL, reason, details={"kind": approval.kind})
        cancelled += 1
    return cancelled


def _decided(approval: Approval, by: User, reasons: str) -> None:
    approval.decided_by, approval.decided_at, approval.reasons = by, timezone.now(), reasons.strip()


def _require(text: str, field: str, message: str) -> None:
    if not (text or "").strip():
        raise RuleViolation(Problem(message, field=field, clause="§10"))
    _check_length(text, field)


def _check_length(text: str, field: str) -> None:
    limits.check_texts(**{field: text})
