"""Every change to a research project, its reviews, its NDAs and survivors' choices (issue 11, items 2–4).

Each runs in one transaction through the workflow core (PROJECTS.acting + advance: lock, version check, who may
act, what the state and the holds allow, one timeline entry and one audit event). Participant references are
keyed hashes under the supplier's own key (research/keys.py); the case identifier they are made from is never
stored, never on the timeline and never on the audit record."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind, Role
from approvals import services as approval_services
from approvals.cases import APPROVALS
from approvals.models import Approval
from approvals.states import ApprovalAction, ApprovalKind, ApprovalState
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from dataprotection.legislation import Article6Basis
from protocols.scope import DataSource, Purpose
from research import cases, keys, rules
from research.cases import PROJECTS
from research.models import (
    DPIA_REFERENCE_MAX,
    ETHICS_MAX,
    FUNDER_MAX,
    TITLE_MAX,
    NonDisclosureAgreement,
    Participation,
    ResearchProject,
)
from research.states import SUSPENDABLE, ConsentScope, ProjectAction
from sharing import files as file_checks
from vault import services as vault

TEXT_MAX = limits.NOTE_MAX
REVIEW_CLAUSE = "§17"  # personal data shared only with its approvals (§17); the contract mechanism of the letters
SUPPLIERS_MAX = 20
REQUESTS_MAX = 50
COUNTS_HIDDEN = "Researchers see counts of survivors' choices, never participant references."


# --- proposing ---------------------------------------------------------------------------------------------------

def propose(*, by: User, fields: dict, suppliers=(), requests=()) -> ResearchProject:
    """A researcher proposes a project for their institution. `fields`: title, funder, ethics_reference, summary,
    data_sources, personal_data_categories, processes_contract_personal_data, lawful_basis, lawful_basis_detail,
    dpia_reference, dpia_completed_on, partner (Organisation or None), department (Organisation),
    principal_investigator (User, default `by`), arrangement (or None)."""
    if not (is_active_member(by) and by.has_role(Role.RESEARCHER)
            and by.organisation.department.kind == OrganisationKind.RESEARCH_INSTITUTION):
        raise NotAllowed("Only a researcher of a research institution can propose a research project.")
    values = _checked_fields(fields, by)
    supplier_list, request_list = _suppliers(suppliers), list(requests)[:REQUESTS_MAX + 1]
    if len(request_list) > REQUESTS_MAX:
        raise RuleViolation(Problem(f"Link at most {REQUESTS_MAX} requests.", field="requests"))
    with transaction.atomic():
        project = ResearchProject.objects.create(**values, institution=by.organisation.department, proposed_by=by,
                                                 proposed_at=timezone.now())
        project.suppliers.set(supplier_list)
        project.requests.set(request_list)
        PROJECTS.record(project, by, ProjectAction.PROPOSE, "", "",
                        details={"suppliers": [s.pk for s in supplier_list], "requests": [r.pk for r in request_list]})
    return project


def _checked_fields(fields: dict, by: User) -> dict:
    text = {name: str(fields.get(name) or "").strip() for name in
            ("title", "funder", "ethics_reference", "summary", "lawful_basis", "lawful_basis_detail", "dpia_reference")}
    problems = [p for p in (
        limits.text_problem(text["title"], "title", TITLE_MAX), limits.text_problem(text["funder"], "funder", FUNDER_MAX),
        limits.text_problem(text["ethics_reference"], "ethics_reference", ETHICS_MAX),
        limits.text_problem(text["summary"], "summary", TEXT_MAX),
        limits.text_problem(text["lawful_basis_detail"], "lawful_basis_detail", TEXT_MAX),
        limits.text_problem(text["dpia_reference"], "dpia_reference", DPIA_REFERENCE_MAX)) if p]
    for name, words in (("title", "Give the project's title."), ("funder", "Say who funds it (e.g. UKRI, ESRC)."),
                        ("ethics_reference", "Give the research ethics approval reference."),
                        ("summary", "Say what the research is for and what it will do.")):
        if not text[name]:
            problems.append(Problem(words, field=name))
    sources = _choices(fields.get("data_sources"), DataSource, "data_sources", problems)
    categories = _categories(fields.get("personal_data_categories"), problems)
    if text["lawful_basis"] and text["lawful_basis"] not in Article6Basis.values:
        problems.append(Problem("Choose a UK GDPR Article 6 basis.", field="lawful_basis", clause=rules.PERSONAL_CLAUSE))
    completed = fields.get("dpia_completed_on")
    if bool(text["dpia_reference"]) != bool(completed):
        problems.append(Problem("Give the DPIA's reference and the date it was completed, or neither.",
                                field="dpia_reference", clause="§16"))
    department = fields.get("department") or Organisation.objects.filter(slug="home-office").first()
    if department is None or department.kind != OrganisationKind.GOVERNMENT_DEPARTMENT:
        problems.append(Problem("Choose the government department whose data it needs.", field="department"))
    investigator = fields.get("principal_investigator") or by
    if investigator.organisation_id is None or investigator.organisation.department != by.organisation.department:
        problems.append(Problem("The principal investigator is a person of your institution.",
                                field="principal_investigator"))
    if problems:
        raise RuleViolation(*problems)
    return {**{k: text[k] for k in ("title", "funder", "ethics_reference", "summary", "lawful_basis",
                                     "lawful_basis_detail", "dpia_reference")},
            "dpia_completed_on": completed or None, "data_sources": sources,
            "personal_data_categories": categories, "purpose": Purpose.RESEARCH,
            "processes_contract_personal_data": bool(fields.get("processes_contract_personal_data")),
            "partner": fields.get("partner"), "department": department, "principal_investigator": investigator,
            "arrangement": fields.get("arrangement")}


def _choices(values, choices, field: str, problems: list) -> list[str]:
    values = [str(v) for v in (values or [])][:20]
    wrong = [v for v in values if v not in choices.values]
    if wrong:
        problems.append(Problem(f"Choose from the list ({', '.join(choices.values)}).", field=field))
    return sorted(set(values) - set(wrong))


def _categories(values, problems: list) -> list[str]:
    from holds.coverage import category_labels

    known = category_labels()
    values = [str(v) for v in (values or [])][:20]
    if any(v not in known for v in values):
        problems.append(Problem(f"Choose personal-data categories from the protocol's ({', '.join(known)}).",
                                field="personal_data_categories", clause="§15"))
    return sorted({v for v in values if v in known})


def _suppliers(suppliers) -> list[Organisation]:
    found = list(suppliers)[:SUPPLIERS_MAX + 1]
    if len(found) > SUPPLIERS_MAX or any(s.kind != OrganisationKind.VICTIM_CARE_SUPPLIER for s in found):
        raise RuleViolation(Problem("Choose victim care suppliers (the prime supplier and sub-contractors).",
                                    field="suppliers"))
    return found


# --- the lifecycle ---------------------------------------------------------------------------------------------

def submit(project, *, by: User, expected_version) -> ResearchProject:
    """Put forward for review: a project processing contract personal data is reviewed case by case by the
    department's contracts team and by each supplier involved (approvals, ADR 10). Inside a hold in force it is
    put forward and suspended at once, naming the hold (as a request can be sent but not provided)."""
    from research import holds_link

    with PROJECTS.acting(project, by=by, action=ProjectAction.SUBMIT, expected_version=expected_version) as locked:
        problems = rules.scope_problems(locked)
        if problems:
            raise RuleViolation(*problems)
        answer = holds_link.verdict(locked)
        asked = [] if answer.blocked else _ask_reviews(locked, by)
        PROJECTS.advance(locked, by, ProjectAction.SUBMIT, details={"reviews": [a.pk for a in asked]})
        if answer.blocked:
            _suspend(locked, by, answer)
    return locked


def _suspend(locked: ResearchProject, by: User | None, answer) -> None:
    hold = answer.holds[0]
    locked.suspended_by_hold = hold
    _cancel_reviews(locked, by, f"Suspended by {hold.reference}.")
    PROJECTS.advance(locked, by, ProjectAction.SUSPEND, answer.reasons[0],
                     details={"holds": [h.pk for h in answer.holds]})


def _ask_reviews(project: ResearchProject, by: User) -> list[Approval]:
    """One review for the department's contracts team and one for each supplier involved, asked in the name of the
    researcher who proposed the project (so that no reviewer ever decides a review they asked for)."""
    if not project.processes_contract_personal_data:
        return []
    now, asked = timezone.now(), []
    deciders = [(project.department, ApprovalKind.RESEARCH_CONTRACTS, Role.CONTRACTS_TEAM),
                *[(s, ApprovalKind.RESEARCH_SUPPLIER, Role.SUPPLIER_REVIEWER) for s in project.suppliers.all()]]
    for organisation, kind, role in deciders:
        approval = Approval.objects.create(research_project=project, deciding_organisation=organisation, kind=kind,
                                           clause=REVIEW_CLAUSE, role_required=role,
                                           requested_by=project.proposed_by,
                                           requested_at=now)
        APPROVALS.record(approval, by, ApprovalAction.ASK, "", "",
                         details={"kind": kind, "deciding_organisation": organisation.pk})
        asked.append(approval)
    return asked


def _cancel_reviews(project: ResearchProject, by: User | None, reason: str) -> int:
    cancelled = 0
    for approval in Approval.objects.select_for_update().filter(research_project=project,
                                                                state=ApprovalState.REQUESTED):
        approval.research_project = project
        APPROVALS.advance(approval, by, ApprovalAction.CANCEL, reason, details={"kind": approval.kind})
        cancelled += 1
    return cancelled


def review(approval, *, by: User, expected_version, outcome: str, conditions: str = "", reasons: str = ""):
    """The contracts team's or a supplier's review: approve (with its conditions) or refuse (with reasons)."""
    limits.check_texts(TEXT_MAX, conditions=conditions, reasons=reasons)
    if outcome == ApprovalAction.APPROVE:
        return approval_services.approve(approval, by=by, expected_version=expected_version, conditions=conditions)
    if outcome == ApprovalAction.REFUSE:
        return approval_services.refuse(approval, by=by, expected_version=expected_version, reasons=reasons)
    raise RuleViolation(Problem("Choose approve or refuse.", field="outcome"))


def approve(project, *, by: User, expected_version, note: str = "") -> ResearchProject:
    """The contracts team approves: only when both sides of the contract mechanism approved and no hold applies."""
    limits.check_texts(TEXT_MAX, note=note)
    with PROJECTS.acting(project, by=by, action=ProjectAction.APPROVE, expected_version=expected_version) as locked:
        locked.approved_by, locked.approved_at = by, timezone.now()
        PROJECTS.advance(locked, by, ProjectAction.APPROVE, note)
    return locked


def resume(project, *, by: User, expected_version, note: str = "") -> ResearchProject:
    """Back under review once no hold applies: the contract mechanism reviews it afresh."""
    limits.check_texts(TEXT_MAX, note=note)
    with PROJECTS.acting(project, by=by, action=ProjectAction.RESUME, expected_version=expected_version) as locked:
        locked.suspended_by_hold = None
        locked.approved_by = locked.approved_at = None
        asked = _ask_reviews(locked, by)
        PROJECTS.advance(locked, by, ProjectAction.RESUME, note, details={"reviews": [a.pk for a in asked]})
    return locked


def cancel(project, *, by: User, expected_version, reason: str) -> ResearchProject:
    if not (reason or "").strip():
        raise RuleViolation(Problem("Say why the project is cancelled.", field="reason"))
    limits.check_texts(TEXT_MAX, reason=reason)
    with PROJECTS.acting(project, by=by, action=ProjectAction.CANCEL, expected_version=expected_version) as locked:
        _cancel_reviews(locked, by, "The project was cancelled.")
        PROJECTS.advance(locked, by, ProjectAction.CANCEL, reason)
    return locked


def complete(project, *, by: User, expected_version, note: str = "") -> ResearchProject:
    limits.check_texts(TEXT_MAX, note=note)
    with PROJECTS.acting(project, by=by, action=ProjectAction.COMPLETE, expected_version=expected_version) as locked:
        PROJECTS.advance(locked, by, ProjectAction.COMPLETE, note)
    return locked


def apply_holds(*, by: User | None = None) -> list[ResearchProject]:
    """Suspend every project under review or approved that a hold in force now covers (on the hold's authority:
    run when a hold is placed, and daily). Each suspension names the hold; open reviews are cancelled."""
    from research import holds_link

    suspended = []
    for candidate in ResearchProject.objects.filter(state__in=SUSPENDABLE).order_by("pk"):
        answer = holds_link.verdict(candidate)
        if not answer.blocked:
            continue
        with transaction.atomic():
            locked = PROJECTS.model.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
            if locked.state not in SUSPENDABLE:
                continue
            _suspend(locked, by, answer)
        suspended.append(locked)
    return suspended


def link_request(project, *, by: User, expected_version, reference: str) -> ResearchProject:
    """Link a request made for the project; only a request the person can see (need-to-know, ADR 3)."""
    from sharing import permissions as request_permissions

    reference = (reference or "").strip()[:40]
    with PROJECTS.acting(project, by=by, action=ProjectAction.LINK_REQUEST,
                         expected_version=expected_version) as locked:
        found = request_permissions.visible_requests(by).filter(reference=reference).first() if reference else None
        if found is None:
            raise RuleViolation(Problem("No such request, or you cannot see it.", field="reference"))
        if locked.requests.filter(pk=found.pk).exists():
            raise RuleViolation(Problem(f"{found.reference} is already linked to this project.", field="reference"))
        if locked.requests.count() >= REQUESTS_MAX:
            raise RuleViolation(Problem(f"Link at most {REQUESTS_MAX} requests.", field="reference"))
        locked.requests.add(found)
        PROJECTS.advance(locked, by, ProjectAction.LINK_REQUEST, details={"request": found.pk})
    return locked


# --- NDAs ---------------------------------------------------------------------------------------------------------

def record_nda(project, *, by: User, expected_version, signatory: User, signed_on: date, expires_on: date,
               upload) -> NonDisclosureAgreement:
    """An NDA signed by a person of the institution, its signed copy checked (vault/checks.py) and stored
    encrypted in the vault (ADR 27)."""
    problems = []
    if signed_on is None or expires_on is None:
        problems.append(Problem("Give the date it was signed and the date it expires.", field="signed_on"))
    elif expires_on <= signed_on:
        problems.append(Problem("It expires after the date it was signed.", field="expires_on"))
    if upload is None:
        problems.append(Problem("Attach the signed copy.", field=file_checks.FILE_FIELD))
    if problems:
        raise RuleViolation(*problems)
    checked = file_checks.check_upload(upload, settings.CONCORDAT_MAX_FILE_BYTES)
    saved = []
    try:
        with PROJECTS.acting(project, by=by, action=ProjectAction.RECORD_NDA,
                             expected_version=expected_version) as locked:
            if signatory is None or signatory.organisation_id is None or \
                    signatory.organisation.department.pk != locked.institution_id:
                raise RuleViolation(Problem("The signatory is a person of the project's institution.",
                                            field="signatory"))
            nda = NonDisclosureAgreement.objects.create(
                project=locked, signatory=signatory, signed_on=signed_on, expires_on=expires_on,
                original_name=checked.original_name, content_type=checked.content_type, size=checked.size,
                sha256=checked.sha256, recorded_by=by, recorded_at=timezone.now())
            sealed = vault.store(upload, owner={"research_nda": nda}, original_name=checked.original_name,
                                 content_type=checked.content_type, marking="OFFICIAL-SENSITIVE", by=by,
                                 expected_sha256=checked.sha256)
            saved.append(sealed.storage_name)
            PROJECTS.advance(locked, by, ProjectAction.RECORD_NDA, details={
                "nda": nda.pk, "signatory": signatory.pk, "signed_on": signed_on, "expires_on": expires_on,
                "sha256": checked.sha256})
    except BaseException:
        for name in saved:
            vault.discard(name)
        raise
    return nda


def nda_for_download(nda_id, *, by: User) -> NonDisclosureAgreement:
    found = (NonDisclosureAgreement.objects.select_related("vault_file", "project").filter(pk=nda_id).first()
             if limits.is_id(nda_id) else None)
    if found is None or not PROJECTS.can_view(by, found.project):
        raise NotAllowed("No such agreement, or you cannot see it.")
    return found


# --- survivors' choices ----------------------------------------------------------------------------------------

def _reference(locked: ResearchProject, by: User, case_identifier: str) -> tuple[Organisation, str, str]:
    identifier = keys.check_case_identifier(case_identifier)
    supplier = cases.supplier_of(by, locked)
    try:
        key = keys.participant_key(supplier)
    except keys.MissingParticipantKey as missing:
        raise RuleViolation(Problem(str(missing), field=keys.FIELD)) from None
    return supplier, key.reference(locked.pk, identifier), key.key_id


def record_choice(project, *, by: User, expected_version, case_identifier: str, told_on: date, agreed: bool,
                  scope: str = "") -> Participation:
    """A service provider records that a survivor was told of the project, whether they agreed, and to what."""
    problem = keys.case_identifier_problem(case_identifier)
    problems = [problem] if problem else []
    if told_on is None:
        problems.append(Problem("Give the date the survivor was told of the project.", field="told_on"))
    elif told_on > timezone.localdate():
        problems.append(Problem("The date they were told cannot be in the future.", field="told_on"))
    if agreed and scope not in ConsentScope.values:
        problems.append(Problem("Say what they agreed to.", field="scope"))
    if problems:
        raise RuleViolation(*problems)
    with PROJECTS.acting(project, by=by, action=ProjectAction.RECORD_CONSENT,
                         expected_version=expected_version) as locked:
        supplier, reference, key_id = _reference(locked, by, case_identifier)
        if Participation.objects.filter(project=locked, supplier=supplier, participant_ref=reference).exists():
            raise RuleViolation(Problem("This survivor's choice is already recorded for this project: record a "
                                        "withdrawal if they have changed their mind.", field=keys.FIELD))
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    project=locked, supplier=supplier, participant_ref=reference, key_id=key_id, told_on=told_on,
                    agreed=bool(agreed), scope=scope if agreed else "", recorded_by=by, recorded_at=timezone.now())
        except IntegrityError:
            raise RuleViolation(Problem("This survivor's choice is already recorded for this project.",
                                        field=keys.FIELD)) from None
        PROJECTS.advance(locked, by, ProjectAction.RECORD_CONSENT, details={
            "participation": participation.pk, "supplier": supplier.pk, "agreed": bool(agreed),
            "scope": participation.scope})
    return participation


def record_withdrawal(project, *, by: User, expected_version, case_identifier: str,
                      withdrawn_on: date | None = None) -> Participation:
    """A survivor withdraws: what is held about them for the project is flagged for deletion, and shown on the
    project until the deletion is recorded."""
    problem = keys.case_identifier_problem(case_identifier)
    if problem:
        raise RuleViolation(problem)
    withdrawn_on = withdrawn_on or timezone.localdate()
    with PROJECTS.acting(project, by=by, action=ProjectAction.RECORD_WITHDRAWAL,
                         expected_version=expected_version) as locked:
        supplier, reference, _ = _reference(locked, by, case_identifier)
        found = (Participation.objects.select_for_update()
                 .filter(project=locked, supplier=supplier, participant_ref=reference).first())
        if found is None or not found.agreed:
            raise RuleViolation(Problem("No consent is recorded for this participant on this project, so there is "
                                        "nothing to withdraw. Check the case identifier.", field=keys.FIELD))
        if found.withdrawn_on is not None:
            raise RuleViolation(Problem("This participant's withdrawal is already recorded.", field=keys.FIELD))
        if withdrawn_on < found.told_on or withdrawn_on > timezone.localdate():
            raise RuleViolation(Problem("The withdrawal date is between the day they were told and today.",
                                        field="withdrawn_on"))
        found.withdrawn_on, found.withdrawal_recorded_by = withdrawn_on, by
        found.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
        PROJECTS.advance(locked, by, ProjectAction.RECORD_WITHDRAWAL,
                         details={"participation": found.pk, "flagged_for_deletion": True})
    return found


def record_deletion(project, *, by: User, expected_version, participation_id) -> Participation:
    """The institution records that what it held about a withdrawn participant for the project is deleted."""
    with PROJECTS.acting(project, by=by, action=ProjectAction.RECORD_DELETION,
                         expected_version=expected_version) as locked:
        found = (Participation.objects.select_for_update().filter(project=locked, pk=participation_id).first()
                 if limits.is_id(participation_id) else None)
        if found is None or not found.awaiting_deletion:
            raise RuleViolation(Problem("Choose a withdrawal awaiting deletion on this project.",
                                        field="participation"))
        found.deletion_recorded_at, found.deletion_recorded_by = timezone.now(), by
        found.save(update_fields=["deletion_recorded_at", "deletion_recorded_by"])
        PROJECTS.advance(locked, by, ProjectAction.RECORD_DELETION, details={"participation": found.pk})
    return found


def consent_counts(project: ResearchProject) -> dict:
    """What everyone who sees the project sees: counts, never references."""
    rows = list(project.participations.all())
    return {"told": len(rows), "agreed": sum(r.agreed for r in rows),
            "declined": sum(not r.agreed for r in rows),
            "withdrawn": sum(r.withdrawn_on is not None for r in rows),
            "awaiting_deletion": sum(r.awaiting_deletion for r in rows)}


def participations_for(project: ResearchProject, *, by: User) -> list[Participation]:
    """Participant references: only for the service providers of the supplier that recorded them; a researcher
    (or anyone else) is refused."""
    if not PROJECTS.can_view(by, project):
        raise NotAllowed("You cannot see this research project.")
    supplier = cases.supplier_of(by, project) if by.has_role(Role.SERVICE_PROVIDER) else None
    if supplier is None:
        raise NotAllowed(Problem(COUNTS_HIDDEN + " Only the service provider who recorded a choice sees its "
                                 "reference.", field="participant_ref"))
    return list(project.participations.filter(supplier=supplier).order_by("recorded_at", "pk"))


def awaiting_deletion(project: ResearchProject) -> list[Participation]:
    return [p for p in project.participations.all() if p.awaiting_deletion]
