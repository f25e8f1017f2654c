"""The holder's assessment: further information (§10), the checklist (§7/§9) and the decision, which is
final for the Commissioner (§14) and needs the approvals the protocol names to agree (§10, §17)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from approvals import services as approval_services
from concordat import limits
from concordat.errors import Problem, RuleViolation
from sharing import permissions, policies, rules
from sharing.cases import REQUESTS
from sharing.models import ChecklistAnswer, Request
from sharing.services.drafting import RESPONSE_FIELDS, _apply_fields, submission_problems
from sharing.states import DECISION_STATES, Action, Decision


@dataclass(frozen=True)
class ChecklistEntry:
    item_key: str
    satisfied: bool
    note: str = ""


def request_further_information(request: Request | int, *, by: User, expected_version: int, question: str) -> Request:
    """§10: the holder, or an approver, asks for further justification before deciding."""
    limits.check_texts(question=question)
    with REQUESTS.acting(request, by=by, action=Action.REQUEST_FURTHER_INFORMATION, expected_version=expected_version) as locked:
        if not question.strip():
            raise RuleViolation("Say what further information is needed.", field="question",
                                clause=rules.spec_of(locked).classifications.clause)
        REQUESTS.advance(locked, by, Action.REQUEST_FURTHER_INFORMATION, question)
    return locked


def respond(request: Request | int, *, by: User, expected_version: int, answer: str, fields: dict | None = None) -> Request:
    """The requester answers, and may amend the elements the question was about."""
    limits.check_texts(answer=answer)
    with REQUESTS.acting(request, by=by, action=Action.RESPOND, expected_version=expected_version) as locked:
        if not answer.strip():
            raise RuleViolation("Give your answer.", field="answer")
        changed = _apply_fields(locked, fields or {}, RESPONSE_FIELDS)
        problems = [p for p in submission_problems(locked) if p.field in changed]
        if problems:
            raise RuleViolation(*problems)
        REQUESTS.advance(locked, by, Action.RESPOND, answer, details={"changed": changed})
    return locked


def record_checklist(request: Request | int, *, by: User, expected_version: int,
                     answers: Iterable[ChecklistEntry]) -> Request:
    """§7 / §9: record whether the holder is satisfied of each point; an answer can be revised."""
    answers = list(answers)
    with REQUESTS.acting(request, by=by, action=Action.RECORD_CHECKLIST, expected_version=expected_version) as locked:
        items = {item.key: item for item in rules.checklist_of(locked)}
        problems = _checklist_entry_problems(items, answers)
        if problems:
            raise RuleViolation(*problems)
        now = timezone.now()
        for entry in answers:
            ChecklistAnswer.objects.update_or_create(
                request=locked, item_key=entry.item_key,
                defaults={"clause": items[entry.item_key].clause, "satisfied": entry.satisfied,
                          "note": entry.note.strip(), "answered_by": by, "answered_at": now})
        REQUESTS.advance(locked, by, Action.RECORD_CHECKLIST,
                 details={"answers": {entry.item_key: entry.satisfied for entry in answers}},
                )
    return locked


def _checklist_entry_problems(items: dict, answers: list[ChecklistEntry]) -> list[Problem]:
    if not answers:
        return [Problem("Answer at least one point of the checklist.", field="answers")]
    problems, seen = [], set()
    for entry in answers:
        item = items.get(entry.item_key)
        if item is None:
            problems.append(Problem(f"'{entry.item_key}' is not a point of this checklist.", field="answers"))
        elif entry.item_key in seen:
            problems.append(Problem("Answer each point once.", field=f"checklist.{entry.item_key}", clause=item.clause))
        elif limits.text_problem(entry.note, f"checklist.{entry.item_key}"):
            problems.append(limits.text_problem(entry.note, f"checklist.{entry.item_key}"))
        elif not entry.satisfied and not entry.note.strip():
            problems.append(Problem(f"Say why you are not satisfied: {item.label}", field=f"checklist.{entry.item_key}",
                                    clause=item.clause))
        seen.add(entry.item_key)
    return problems


def decide(request: Request | int, *, by: User, expected_version: int, decision: str, reasons: str = "",
           provided_scope: str = "", withheld_scope: str = "") -> Request:
    """§7 / §9: agree, agree in part or decline, once every point of the checklist is answered.
    A decline names the points not satisfied; an HO agreement on OFFICIAL-SENSITIVE or personal data
    needs its approvals first (§10, §17); for HO→IASC the Commissioner's decision is final (§14)."""
    limits.check_texts(reasons=reasons, provided_scope=provided_scope, withheld_scope=withheld_scope)
    with REQUESTS.acting(request, by=by, action=Action.DECIDE, expected_version=expected_version) as locked:
        policies.check_decision(locked, decision, reasons=reasons, provided_scope=provided_scope,
                                withheld_scope=withheld_scope)
        locked.decision, locked.decided_at, locked.decided_by = decision, timezone.now(), by
        locked.decision_reasons = reasons.strip()
        agreed_in_part = decision == Decision.AGREED_IN_PART
        locked.provided_scope = provided_scope.strip() if agreed_in_part else ""
        locked.withheld_scope = withheld_scope.strip() if agreed_in_part else ""
        locked.declined_items = ([item.key for item in policies.unsatisfied_items(locked)]
                                 if decision == Decision.DECLINED else [])
        if decision == Decision.DECLINED:
            approval_services.cancel_open(locked, by, "The request was declined.")
        details = {"decision": decision, "declined_items": locked.declined_items}
        if permissions.decides_on_behalf(by, locked):
            details["on_behalf_of_commissioner"] = True  # §14: taken by a person she named (accounts.delegation)
        REQUESTS.advance(locked, by, Action.DECIDE, reasons, to=DECISION_STATES[decision], details=details)
    return locked
