"""What else than its state stops an action on a research project (issue 11): a processing hold in force over its
scope; the contract mechanism's reviews (the contracts team's and each supplier's) not all approved; what a project
processing personal data must state first (§15–17: a lawful basis and the DPIA)."""

from __future__ import annotations

from approvals.states import ApprovalKind, ApprovalState
from concordat.errors import Problem
from protocols.scope import DataSource
from research import holds_link
from research.states import ProjectAction

PERSONAL_CLAUSE = "§17"  # ad hoc personal data: a legal basis and compliance checked (§15–17)
HOLD_BLOCKED = (ProjectAction.APPROVE, ProjectAction.RESUME, ProjectAction.RECORD_CONSENT)
REVIEW_KINDS = (ApprovalKind.RESEARCH_CONTRACTS, ApprovalKind.RESEARCH_SUPPLIER)


def hold_problem(project) -> Problem | None:
    answer = holds_link.verdict(project)
    if not answer.blocked:
        return None
    names = ", ".join(f"{hold.reference} ({hold.get_state_display().lower()}, next review "
                      f"{hold.next_review_on:%-d %B %Y})" for hold in answer.holds)
    return Problem(f"Blocked by hold: {names}. {answer.reasons[0]} The project cannot proceed until the hold is "
                   "lifted.", field="state")


def review_problem(project) -> Problem | None:
    """Both sides of the contract mechanism approve: the contracts team and every supplier involved."""
    if not project.processes_contract_personal_data:
        return None
    reviews = [r for r in project.reviews.all() if r.kind in REVIEW_KINDS]
    latest: dict[int, object] = {}
    for review in sorted(reviews, key=lambda r: (r.requested_at, r.pk)):
        latest[review.deciding_organisation_id] = review
    needed = {project.department_id: str(project.department), **{s.pk: str(s) for s in project.suppliers.all()}}
    missing = [name for pk, name in needed.items()
               if pk not in latest or latest[pk].state != ApprovalState.APPROVED]
    if missing:
        return Problem("The contract mechanism needs every review approved first: still awaited from "
                       f"{', '.join(missing)}. A project processing contract personal data proceeds only when the "
                       "contracts team and the supplier both approve it.", field="reviews")
    return None


def scope_problems(project) -> list[Problem]:
    """What a project must state before it is put forward."""
    problems = []
    if not project.data_sources:
        problems.append(Problem("Choose the data sources the project needs.", field="data_sources"))
    uses_contract = DataSource.MSVC_CONTRACT in (project.data_sources or [])
    personal = any(c not in ("none", "anonymised") for c in project.personal_data_categories or [])
    if uses_contract and personal and not project.processes_contract_personal_data:
        problems.append(Problem("The project draws personal data from the MSVC contract: say that it processes "
                                "contract personal data, so that the contract mechanism reviews it.",
                                field="processes_contract_personal_data"))
    if project.processes_contract_personal_data and not uses_contract:
        problems.append(Problem("A project processing contract personal data draws on the MSVC contract's data: "
                                "choose that data source.", field="data_sources"))
    if project.processes_contract_personal_data and (not project.pk or not project.suppliers.exists()):
        problems.append(Problem("Name the suppliers involved (the prime supplier and any sub-contractors): each "
                                "reviews the project.", field="suppliers"))
    if personal and not project.lawful_basis:
        problems.append(Problem("A project processing personal data states its lawful basis (UK GDPR Article 6).",
                                field="lawful_basis", clause=PERSONAL_CLAUSE))
    if personal and not project.dpia_reference:
        problems.append(Problem("A project processing personal data records its data protection impact assessment.",
                                field="dpia_reference", clause="§16"))
    return problems


def problem(action, project) -> Problem | None:
    if action in HOLD_BLOCKED:
        found = hold_problem(project)
        if found:
            return found
    if action == ProjectAction.SUBMIT:
        problems = scope_problems(project)
        return problems[0] if problems else None
    if action == ProjectAction.APPROVE:
        return review_problem(project)
    return None
