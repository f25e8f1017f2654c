"""Every change to a publication proposal (§7(b), §9(b)).

Publication follows provision (ADR 23): the requester puts forward what it proposes to publish once information
has been provided on an agreed request; the holder agrees it, agrees it with changes (the agreed text recorded)
or refuses it with reasons; a refused or changed proposal may be revised and put forward again."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from publications.cases import PUBLICATIONS, WHO_PROPOSES, publication_clause
from publications.models import PublicationFile, PublicationProposal
from publications.states import REVISABLE_STATES, ProposalAction, ProposalState
from sharing import files as file_checks
from sharing import permissions as request_permissions
from sharing import rules
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import AGREEING_DECISIONS, PublicationIntent, RequestState
from vault import services as vault
from workflow.cases import CURRENT

TEXT_MAX = limits.ELEMENT_MAX  # what is proposed, or agreed, for publication
REASONS_MAX = limits.NOTE_MAX
FILES_MAX = 10  # files put forward with one proposal
# Publication follows provision: something has been provided on an agreed request (ADR 23).
PUBLISHABLE_STATES = frozenset({RequestState.PROVISION_OWED, RequestState.PROVIDED, RequestState.CLOSED})
OUTCOMES = {ProposalAction.AGREE.value: ProposalAction.AGREE,
            ProposalAction.AGREE_WITH_CHANGES.value: ProposalAction.AGREE_WITH_CHANGES,
            ProposalAction.REFUSE.value: ProposalAction.REFUSE}


def publication_element_clause(request: Request) -> str:
    """§6(d) or §8(d): the requester says whether it intends to publish."""
    element = next((e for e in rules.request_element_fields(request) if e.key == "publication"), None)
    return element.clause if element is not None else rules.route_clause(request)


def propose(request: Request | int, *, by: User, text: str, revises: PublicationProposal | int | None = None,
            uploads: Iterable = ()) -> PublicationProposal:
    """The requester puts forward what it proposes to publish: the text (what, and where), and any files (a draft
    page or table), each checked by its content as delivered files are; `revises` names the refused or changed
    proposal this one revises."""
    uploads, saved = list(uploads), []
    try:
        return _propose(request, by=by, text=text, revises=revises, uploads=uploads, saved=saved)
    except BaseException:
        for name in saved:  # the transaction did not commit: no ciphertext outlives it
            vault.discard(name)
        raise


def _propose(request, *, by, text, revises, uploads: list, saved: list) -> PublicationProposal:
    with transaction.atomic():
        locked = REQUESTS.lock(request, by, CURRENT)  # one proposal at a time per request: the request's row
        clause = publication_clause(locked)
        if not request_permissions.is_requester_side(by, locked):
            raise NotAllowed(Problem(f"Only {WHO_PROPOSES} can propose publishing this information ({clause}).",
                                     field="request", clause=clause))
        _require(text, "text", "Say what you propose to publish.", clause, TEXT_MAX)
        if locked.state not in PUBLISHABLE_STATES or locked.decision not in AGREEING_DECISIONS:
            raise RuleViolation(Problem(
                f"The request is {locked.get_state_display().lower()}: publication follows provision, so a "
                f"proposal can be put forward once information has been provided ({clause}).",
                field="state", clause=clause))
        if locked.publication_intent == PublicationIntent.NO:
            element = publication_element_clause(locked)
            raise RuleViolation(Problem(
                f"The request says the information will not be published ({element}): a proposal to publish "
                "needs a new request saying so.", field="publication_intent", clause=element))
        checked = _checked_files(uploads)
        previous = _revised(locked, revises, clause)
        if PublicationProposal.objects.filter(request=locked, state=ProposalState.PROPOSED).exists():
            raise RuleViolation(Problem("A proposal to publish is already awaiting the holder's agreement: "
                                        f"withdraw it or wait for the decision ({clause}).",
                                        field="request", clause=clause))
        try:
            with transaction.atomic():
                proposal = PublicationProposal.objects.create(
                    request=locked, revises=previous, proposed_text=text.strip(), proposed_by=by,
                    proposed_at=timezone.now())
        except IntegrityError:  # held off by the request's lock; the database's constraints are the last word
            raise RuleViolation(Problem("That proposal has already been revised.", field="revises",
                                        clause=clause)) from None
        proposal.request = locked
        stored = _store(proposal, uploads, checked, saved)
        details = {"revises": previous.pk if previous else None, "files": [f.sha256 for f in stored]}
        flagged = {str(row.pk): facts.flags_summary() for row, facts in zip(stored, checked, strict=True)
                   if facts.flagged_total}
        if flagged:  # ADR 28: formula-like cells flagged on the event, the file kept as sent
            details["flagged"] = flagged
        PUBLICATIONS.record(proposal, by, ProposalAction.PROPOSE, "", "", details=details)
    return proposal


def _checked_files(uploads: list) -> list:
    if len(uploads) > FILES_MAX:
        raise RuleViolation(Problem(f"Attach at most {FILES_MAX} files.", field=file_checks.FILE_FIELD))
    return [file_checks.check_upload(upload, settings.CONCORDAT_MAX_FILE_BYTES) for upload in uploads]


def _store(proposal: PublicationProposal, uploads: list, checked: list, saved: list) -> list[PublicationFile]:
    """Each file encrypted at rest in the vault (ADR 27), marked with its request's classification (§7(e)); the
    caller discards those in `saved` if its transaction fails."""
    now, stored = timezone.now(), []
    for upload, facts in zip(uploads, checked, strict=True):
        record, sealed = vault.store_checked(PublicationFile, upload, facts, marking=proposal.request.classification,
                                             by=proposal.proposed_by, uploaded_at=now, proposal=proposal)
        stored.append(record)
        saved.append(sealed.storage_name)
    return stored


def file_for_download(file_id: int, *, by: User) -> PublicationFile:
    """A proposal's file, for whoever sees its request (need-to-know, ADR 3); NotAllowed for anyone else."""
    found = vault.owned_file(PublicationFile, file_id,
                             related=[f"proposal__{relation}" for relation in PUBLICATIONS.locked_relations])
    if found is None or not PUBLICATIONS.can_view(by, found.proposal):
        raise NotAllowed("No such file, or you cannot see it.")
    return found


def _revised(request: Request, revises, clause: str) -> PublicationProposal | None:
    if revises is None:
        return None
    pk = getattr(revises, "pk", revises)
    previous = PublicationProposal.objects.filter(pk=pk, request=request).first() if limits.is_id(pk) else None
    if previous is None:
        raise RuleViolation(Problem("Choose a proposal of this request to revise.", field="revises", clause=clause))
    if previous.state not in REVISABLE_STATES:
        raise RuleViolation(Problem(
            f"Only a refused proposal, or one agreed with changes, can be revised; this one is "
            f"{previous.get_state_display().lower()}.", field="revises", clause=clause))
    if PublicationProposal.objects.filter(revises=previous).exists():
        raise RuleViolation(Problem("That proposal has already been revised.", field="revises", clause=clause))
    return previous


def decide(proposal: PublicationProposal | int, *, by: User, expected_version, outcome: str,
           agreed_text: str = "", reasons: str = "") -> PublicationProposal:
    """The holder's decision (§7(b), §9(b)): agree as proposed, agree with changes (the agreed text and why),
    or refuse with reasons."""
    action = OUTCOMES.get(str(outcome))
    if action is None:
        raise RuleViolation(Problem("Choose agree, agree with changes or refuse.", field="outcome"))
    limits.check_texts(TEXT_MAX, agreed_text=agreed_text)
    limits.check_texts(REASONS_MAX, reasons=reasons)
    with PUBLICATIONS.acting(proposal, by=by, action=action, expected_version=expected_version) as locked:
        clause = publication_clause(locked.request)
        agreed, why = (agreed_text or "").strip(), (reasons or "").strip()
        if action == ProposalAction.AGREE:
            if agreed and agreed != locked.proposed_text:
                raise RuleViolation(Problem("To change what is published, agree it with changes.",
                                            field="agreed_text", clause=clause))
            agreed = locked.proposed_text
        elif action == ProposalAction.AGREE_WITH_CHANGES:
            problems = []
            if not agreed:
                problems.append(Problem("Give the text as agreed.", field="agreed_text", clause=clause))
            elif agreed == locked.proposed_text:
                problems.append(Problem("The agreed text is the proposal's: agree it as proposed.",
                                        field="agreed_text", clause=clause))
            if not why:
                problems.append(Problem("Say what was changed and why.", field="reasons", clause=clause))
            if problems:
                raise RuleViolation(*problems)
        else:
            if not why:
                raise RuleViolation(Problem("Give the reasons for refusing.", field="reasons", clause=clause))
            agreed = ""
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.agreed_text, locked.reasons = agreed, why
        PUBLICATIONS.advance(locked, by, action, why, details={"clause": clause})
    return locked


def withdraw(proposal: PublicationProposal | int, *, by: User, expected_version, note: str = "") -> PublicationProposal:
    limits.check_texts(REASONS_MAX, note=note)
    with PUBLICATIONS.acting(proposal, by=by, action=ProposalAction.WITHDRAW,
                             expected_version=expected_version) as locked:
        PUBLICATIONS.advance(locked, by, ProposalAction.WITHDRAW, note)
    return locked


def _require(text: str, field: str, message: str, clause: str, limit: int) -> None:
    if not (text or "").strip():
        raise RuleViolation(Problem(message, field=field, clause=clause))
    limits.check_texts(limit, **{field: text})


def latest(request: Request) -> PublicationProposal | None:
    """The most recent proposal on a request: what its page shows first."""
    return request.publication_proposals.order_by("-proposed_at", "-pk").first()
