"""Publication agreement (§7(b), §9(b)) as a case of its own: the requester proposes what to publish once
information is provided; the holder agrees, agrees with changes (the agreed text recorded) or refuses with
reasons; never the requesting organisation; a refused or changed proposal may be revised."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from publications import services
from publications.cases import PUBLICATIONS
from publications.models import PublicationEvent, PublicationProposal
from publications.states import ProposalState
from sharing.states import Decision, RequestState
from tests.integration.sharing.test_concurrency import THREADS, run_together
from tests.support.requests import DECIDED, draft, fresh, pdf, walk
from workflow import work

TEXT = "Table 3: NRM referrals of adults referred more than once, by region, 2016 to 2021."
CHANGED = "Table 3, with counts under 10 shown as '<10'."


@pytest.fixture
def provided(cast):
    """An IASC→HO OFFICIAL request, agreed and provided, whose requester intends to publish (§6(d))."""
    return walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)


def propose(request, cast, text=TEXT, **kwargs):
    return services.propose(request, by=cast.iasc_requester, text=text, **kwargs)


def decide(proposal, by, outcome, **kwargs):
    return services.decide(proposal, by=by, expected_version=proposal.version, outcome=outcome, **kwargs)


def test_proposed_then_agreed_with_changes_records_the_agreed_text(cast, provided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(provided, cast)
    assert proposal.state == ProposalState.PROPOSED and proposal.proposed_by == cast.iasc_requester
    # The holder's deciders hear of it (never the text); the requester's side does not.
    told = {message.to[0] for message in mail.outbox}
    assert {"msu.assessor@example.org", "ho.approver@example.org"} <= told
    assert "iasc.requester@example.org" not in told and TEXT not in mail.outbox[0].body
    assert [item.case for item in work.items_for(cast.msu_assessor, provided.provide_by)
            if item.kind == "publication"] == [proposal]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(proposal, cast.msu_assessor, "agree_with_changes", agreed_text=CHANGED,
                         reasons="Small numbers suppressed (§7(b)).")
    assert (decided.state, decided.agreed_text, decided.decided_by) == (
        ProposalState.AGREED_WITH_CHANGES, CHANGED, cast.msu_assessor)
    assert decided.proposed_text == TEXT  # what was proposed stays beside what was agreed
    assert [m.to[0] for m in mail.outbox] == ["iasc.requester@example.org"]
    assert [e.action for e in decided.events.all()] == ["propose", "agree_with_changes"]
    assert list(AuditEvent.objects.filter(action__startswith="publications.").values_list("action", flat=True)
                .order_by("sequence")) == ["publications.propose", "publications.agree_with_changes"]
    event = AuditEvent.objects.get(action="publications.agree_with_changes")
    assert CHANGED not in str(event.details) and event.details["snapshot"]["decided_by"] == cast.msu_assessor.pk
    assert work.items_for(cast.msu_assessor, provided.provide_by) == [] or all(
        item.kind != "publication" for item in work.items_for(cast.msu_assessor, provided.provide_by))
    assert verify_stored_chain().ok


def test_agreed_as_proposed_records_the_proposal_as_the_agreed_text(cast, provided):
    proposal = decide(propose(provided, cast), cast.ho_approver, "agree")
    assert (proposal.state, proposal.agreed_text) == (ProposalState.AGREED, TEXT)
    with pytest.raises(RuleViolation, match="agree it with changes") as refused:
        decide(propose(walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED), cast), cast.ho_approver,
               "agree", agreed_text="Something else")
    assert refused.value.problems[0].field == "agreed_text" and refused.value.problems[0].clause == "§7(b)"


def test_refusal_needs_reasons_and_can_be_revised_and_put_forward_again(cast, provided):
    proposal = propose(provided, cast)
    with pytest.raises(RuleViolation) as no_reasons:
        decide(proposal, cast.msu_assessor, "refuse")
    assert [(p.field, p.clause) for p in no_reasons.value.problems] == [("reasons", "§7(b)")]
    refused = decide(proposal, cast.msu_assessor, "refuse", reasons="It would identify individuals.")
    assert (refused.state, refused.reasons, refused.agreed_text) == (
        ProposalState.REFUSED, "It would identify individuals.", "")
    revision = propose(provided, cast, text="Totals only.", revises=refused)
    assert revision.revises == refused and revision.state == ProposalState.PROPOSED
    with pytest.raises(RuleViolation, match="already") as again:  # one open proposal, and one revision each
        propose(provided, cast, text="Totals, again.", revises=refused)
    assert again.value.problems[0].field in ("revises", "request")
    agreed = decide(revision, cast.ho_approver, "agree")
    with pytest.raises(RuleViolation, match="Only a refused proposal") as not_revisable:
        propose(provided, cast, text="More.", revises=agreed)
    assert not_revisable.value.problems[0].field == "revises"


def test_agreement_by_the_requester_itself_is_refused_naming_the_field_and_clause(cast, provided):
    proposal = propose(provided, cast)
    # The Commissioner is a decider's role, but of the requesting office: never the one who agrees (§7(b)).
    for person in (cast.commissioner, cast.iasc_requester, cast.iasc_case_officer):
        with pytest.raises(NotAllowed) as refused:
            decide(proposal, person, "agree")
        assert (refused.value.problems[0].field, refused.value.problems[0].clause) == ("decided_by", "§7(b)")
        assert "requesting organisation cannot agree its own publication" in str(refused.value)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version, proposal.events.count()) == (ProposalState.PROPOSED, 1, 1)
    assert not AuditEvent.objects.filter(action__startswith="publications.agree").exists()


def test_the_wrong_person_and_organisation_cannot_decide_or_propose(cast, provided):
    proposal = propose(provided, cast)
    for person in (cast.spoc, cast.ho_dpo, cast.ho_analyst):  # see it, but not an assessor, approver, Commissioner
        with pytest.raises(NotAllowed, match="Only an assessor, approver or the Commissioner of the holder"):
            decide(proposal, person, "agree")
    for person in (cast.dwp_assessor, cast.researcher, cast.nobody):  # cannot see the request at all
        with pytest.raises(NotAllowed, match="cannot see"):
            decide(proposal, person, "agree")
    with pytest.raises(NotAllowed) as wrong_side:
        services.propose(provided, by=cast.msu_assessor, text=TEXT)
    assert wrong_side.value.problems[0].clause == "§7(b)"
    with pytest.raises(NotAllowed, match="cannot see"):
        services.propose(provided, by=cast.dwp_officer, text=TEXT)
    with pytest.raises(NotAllowed, match="Only a requester or case officer"):
        services.withdraw(proposal, by=cast.msu_assessor, expected_version=proposal.version)


def test_a_stale_version_is_refused_and_nothing_is_saved(cast, provided):
    proposal = propose(provided, cast)
    with pytest.raises(StaleObject) as stale:
        services.decide(proposal, by=cast.msu_assessor, expected_version=proposal.version + 1, outcome="agree")
    assert stale.value.problems[0].field == "version"
    services.withdraw(proposal, by=cast.iasc_requester, expected_version=proposal.version, note="Not now.")
    with pytest.raises(StaleObject):
        services.decide(proposal, by=cast.msu_assessor, expected_version=proposal.version, outcome="agree")
    assert fresh_proposal(proposal).state == ProposalState.WITHDRAWN


def fresh_proposal(proposal):
    return PublicationProposal.objects.get(pk=proposal.pk)


def test_publication_follows_provision_and_the_stated_intent(cast):
    under_assessment = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    with pytest.raises(RuleViolation, match="publication follows provision") as early:
        propose(under_assessment, cast)
    assert (early.value.problems[0].field, early.value.problems[0].clause) == ("state", "§7(b)")
    declined = walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    with pytest.raises(RuleViolation, match="publication follows provision"):
        propose(declined, cast)
    not_published = walk(draft(cast.iasc_requester, publication_intent="no", publication_detail=""), cast,
                         RequestState.PROVIDED)
    with pytest.raises(RuleViolation) as intent:
        propose(not_published, cast)
    assert (intent.value.problems[0].field, intent.value.problems[0].clause) == ("publication_intent", "§6(d)")
    assert not PublicationProposal.objects.exists()


def test_ho_to_iasc_publication_is_agreed_by_the_iasc_under_9b(cast):
    request = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, RequestState.PROVIDED)
    proposal = services.propose(request, by=cast.ho_requester, text=TEXT)
    with pytest.raises(NotAllowed) as by_ho:
        decide(proposal, cast.msu_assessor, "agree")
    assert by_ho.value.problems[0].clause == "§9(b)"
    assert decide(proposal, cast.commissioner, "refuse", reasons="Not yet.").state == ProposalState.REFUSED


@pytest.mark.parametrize("bad", [
    {"outcome": "publish_anyway"}, {"outcome": "agree_with_changes", "agreed_text": ""},
    {"outcome": "agree_with_changes", "agreed_text": TEXT, "reasons": "Same."},
    {"outcome": "refuse", "reasons": "x" * (services.REASONS_MAX + 1)},
    {"outcome": "agree_with_changes", "agreed_text": "y" * (services.TEXT_MAX + 1), "reasons": "Long."},
])
def test_malformed_decisions_are_refused_naming_the_field(cast, provided, bad):
    proposal = propose(provided, cast)
    with pytest.raises(RuleViolation) as refused:
        services.decide(proposal, by=cast.msu_assessor, expected_version=proposal.version, **{
            "agreed_text": "", "reasons": "", **bad})
    assert all(problem.field for problem in refused.value.problems)
    assert fresh_proposal(proposal).state == ProposalState.PROPOSED and PublicationEvent.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "z" * (services.TEXT_MAX + 1)])
def test_a_malformed_proposal_is_refused_naming_the_text(cast, provided, text):
    with pytest.raises(RuleViolation) as refused:
        propose(provided, cast, text=text)
    assert refused.value.problems[0].field == "text"
    assert not PublicationProposal.objects.exists()


def test_the_database_keeps_one_open_proposal_per_request_and_no_self_agreement(cast, provided):
    proposal = propose(provided, cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationProposal.objects.create(request=provided, proposed_text="x", proposed_by=cast.iasc_requester,
                                           proposed_at=proposal.proposed_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationProposal.objects.filter(pk=proposal.pk).update(
            state=ProposalState.AGREED, agreed_text="x", decided_by=cast.iasc_requester,
            decided_at=proposal.proposed_at)


def test_my_work_lists_it_for_the_holders_deciders_only(cast, provided):
    proposal = propose(provided, cast)
    today = provided.provide_by
    for person in (cast.msu_assessor, cast.ho_approver):
        assert [i.case for i in work.items_for(person, today) if i.kind == "publication"] == [proposal]
        assert PUBLICATIONS.owner_actions(person, proposal)
    for person in (cast.iasc_requester, cast.commissioner, cast.spoc, cast.ho_dpo):
        assert not [i for i in work.items_for(person, today) if i.kind == "publication"]
        assert not PUBLICATIONS.owner_actions(person, proposal)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    proposal = propose(provided, cast)
    audit = AuditEvent.objects.count()

    def agree():
        return services.decide(proposal.pk, by=cast.msu_assessor, expected_version=1, outcome="agree")

    def refuse():
        return services.decide(proposal.pk, by=cast.ho_approver, expected_version=1, outcome="refuse",
                               reasons="No.")

    outcomes = run_together([agree if n % 2 else refuse for n in range(THREADS)])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    final = fresh_proposal(proposal)
    assert final.version == 2 and final.state in (ProposalState.AGREED, ProposalState.REFUSED)
    assert final.events.count() == 2 and AuditEvent.objects.count() == audit + 1
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_one_is_open(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    outcomes = run_together([lambda n=n: propose(provided, cast, text=f"Proposal {n}") for n in range(THREADS)])
    assert len([o for o in outcomes if not isinstance(o, Exception)]) == 1
    assert all(isinstance(o, RuleViolation) for o in outcomes if isinstance(o, Exception)), outcomes
    assert PublicationProposal.objects.filter(state=ProposalState.PROPOSED).count() == 1
    assert fresh(provided).state == RequestState.PROVIDED


def test_files_put_forward_are_checked_by_content_and_seen_only_by_who_sees_the_request(cast, provided):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("table.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(RuleViolation) as refused:
        propose(provided, cast, uploads=[pdf(), exe])
    assert refused.value.problems[0].field == "files" and not PublicationProposal.objects.exists()
    with pytest.raises(RuleViolation, match="at most 10 files"):
        propose(provided, cast, uploads=[pdf() for _ in range(11)])
    proposal = propose(provided, cast, uploads=[pdf("draft table.pdf")])
    [stored] = proposal.files.all()
    assert (stored.original_name, stored.content_type) == ("draft table.pdf", "application/pdf")
    event = AuditEvent.objects.get(action="publications.propose")
    assert event.details["files"] == [stored.sha256]
    assert services.file_for_download(stored.pk, by=cast.msu_assessor) == stored
    for person in (cast.dwp_officer, cast.nobody):
        with pytest.raises(NotAllowed):
            services.file_for_download(stored.pk, by=person)
    with pytest.raises(NotAllowed):
        services.file_for_download("99999999999999999999999", by=cast.msu_assessor)
