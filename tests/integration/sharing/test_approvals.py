"""Approvals as cases of their own (§10, §17): asked by the holder, decided by an approver of the holder's
department who did not ask, and each outcome's effect on the request."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from approvals import services as approval_services
from approvals.models import Approval, ApprovalEvent
from approvals.states import ApprovalKind, ApprovalState
from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from sharing import permissions, rules, services
from sharing.states import Decision, RequestState
from tests.integration.sharing.test_concurrency import THREADS, run_together
from tests.support.requests import draft, fresh, walk


def answered(request, cast):
    entries = [services.ChecklistEntry(item.key, True) for item in rules.checklist_of(request)]
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=entries)
    return fresh(request)


@pytest.fixture
def sensitive(cast):
    """An OFFICIAL-SENSITIVE IASC→HO request under assessment, its checklist answered: it needs §10 approval."""
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    return answered(request, cast)


def ask(request, cast, **kwargs):
    return approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version, **kwargs)


def test_asking_records_who_asked_when_and_which_role_decides(cast, sensitive):
    [approval] = ask(sensitive, cast, justification="For the Commissioner's scrutiny.")
    assert (approval.kind, approval.clause, approval.role_required) == (ApprovalKind.CLASSIFICATION, "§10", "approver")
    assert approval.requested_by == cast.msu_assessor and approval.requested_at <= timezone.now()
    assert approval.state == ApprovalState.REQUESTED and approval.events.get().action == "ask"
    assert fresh(sensitive).events.last().action == "request_approval"
    with pytest.raises(RuleViolation, match="needs no further approval"):  # already waiting on an approver
        ask(fresh(sensitive), cast)


def test_a_request_that_needs_no_approval_cannot_ask_for_one(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    with pytest.raises(RuleViolation, match="needs no further approval"):
        ask(request, cast)
    assert not Approval.objects.exists()


def test_only_an_approver_of_the_holders_department_who_did_not_ask_may_decide(cast, sensitive):
    # The assessor who asks is an approver too: still not for what they asked (separation of duties).
    RoleGrant.objects.create(user=cast.msu_assessor, role=Role.APPROVER)
    asker = User.objects.get(pk=cast.msu_assessor.pk)
    [approval] = approval_services.ask(sensitive, by=asker, expected_version=sensitive.version)
    before = (ApprovalEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NotAllowed, match="other than the one who asked"):
        approval_services.approve(approval, by=asker, expected_version=approval.version)
    for outsider in (cast.iasc_approver, cast.ho_requester, cast.ho_assessor, cast.commissioner, cast.dwp_officer):
        with pytest.raises(NotAllowed):
            approval_services.approve(approval, by=outsider, expected_version=approval.version)
    assert (ApprovalEvent.objects.count(), AuditEvent.objects.count()) == before
    approval_services.approve(approval, by=cast.ho_approver, expected_version=approval.version)
    assert fresh_approval(approval).decided_by == cast.ho_approver


def test_the_database_refuses_an_approval_decided_by_the_person_who_asked(cast, sensitive):
    [approval] = ask(sensitive, cast)
    approval.state, approval.decided_by, approval.decided_at = ApprovalState.APPROVED, cast.msu_assessor, timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        approval.save()


def test_a_refusal_blocks_agreement_and_says_why_but_a_decline_goes_ahead(cast, sensitive):
    [approval] = ask(sensitive, cast)
    with pytest.raises(RuleViolation, match="Give the reasons"):
        approval_services.refuse(approval, by=cast.ho_approver, expected_version=approval.version, reasons="  ")
    approval_services.refuse(approval, by=cast.ho_approver, expected_version=approval.version,
                             reasons="Ministers have not agreed to share cohort data.")
    request = fresh(sensitive)
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=[
        services.ChecklistEntry("lawfulness", False, "Not approved for sharing (§10).")])
    request = fresh(request)
    [problem] = refused.value.problems
    assert problem.field == "approvals" and problem.clause == "§10"
    assert "refused" in problem.message and "Ministers have not agreed" in problem.message
    services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.DECLINED,
                    reasons="The approver refused (§10).")
    assert fresh(request).state == RequestState.DECLINED


def test_more_justification_goes_to_the_requester_as_further_information(cast, sensitive):
    [approval] = ask(sensitive, cast)
    approval_services.ask_for_justification(approval, by=cast.ho_approver, expected_version=approval.version,
                                            question="Why are regional figures not enough?")
    request = fresh(sensitive)
    assert fresh_approval(approval).state == ApprovalState.RETURNED
    assert request.state == RequestState.FURTHER_INFORMATION_REQUESTED
    assert request.events.last().note == "Why are regional figures not enough?"
    services.respond(request, by=cast.iasc_requester, expected_version=request.version,
                     answer="Repeat referrals cluster in two forces.")
    request = fresh(request)
    [again] = ask(request, cast, justification="Answered: see the reply.")
    approval_services.approve(again, by=cast.ho_approver, expected_version=again.version)
    request = fresh(request)
    services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert fresh(request).state == RequestState.AGREED


def test_withdrawing_or_declining_the_request_ends_the_approvals_still_awaited(cast, sensitive):
    [approval] = ask(sensitive, cast)
    request = fresh(sensitive)
    services.withdraw(request, by=cast.iasc_requester, expected_version=request.version, note="No longer needed.")
    approval = fresh_approval(approval)
    assert approval.state == ApprovalState.CANCELLED and approval.events.last().note == "The request was withdrawn."
    with pytest.raises(RuleViolation, match="while it is no longer needed"):
        approval_services.approve(approval, by=cast.ho_approver, expected_version=approval.version)


def fresh_approval(approval) -> Approval:
    return Approval.objects.get(pk=approval.pk)


def test_a_stale_page_and_malformed_text_are_refused_and_nothing_is_saved(cast, sensitive):
    [approval] = ask(sensitive, cast)
    before = (ApprovalEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(StaleObject):
        approval_services.approve(approval, by=cast.ho_approver, expected_version=approval.version + 1)
    with pytest.raises(StaleObject):
        approval_services.approve(approval, by=cast.ho_approver, expected_version=None)
    with pytest.raises(RuleViolation, match="10,000 characters"):
        approval_services.refuse(approval, by=cast.ho_approver, expected_version=approval.version,
                                 reasons="x" * 10_001)
    assert (ApprovalEvent.objects.count(), AuditEvent.objects.count()) == before
    assert fresh_approval(approval).state == ApprovalState.REQUESTED


def test_the_approval_api_lists_mine_and_answers_400_403_404_and_409(cast, sensitive, api):
    [approval] = ask(sensitive, cast)
    url = f"/api/approvals/{approval.pk}/"
    assert api(cast.dwp_officer).get(url).status_code == 404
    assert api(cast.ho_approver).get("/api/approvals/", {"waiting": "me"}).json()["count"] == 1
    assert api(cast.iasc_approver).get("/api/approvals/", {"waiting": "me"}).json()["count"] == 0
    assert api(cast.msu_assessor).post(url + "approve/", {"version": 1}, format="json").status_code == 403
    assert api(cast.ho_approver).post(url + "refuse/", {"version": 1, "text": ""}, format="json").status_code == 400
    assert api(cast.ho_approver).post(url + "approve/", {"version": "x"}, format="json").status_code == 400
    assert api(cast.ho_approver).post(url + "approve/", {"version": 2 ** 40}, format="json").status_code == 400
    assert api(cast.ho_approver).post(url + "approve/", {"version": 9}, format="json").status_code == 409
    done = api(cast.ho_approver).post(url + "approve/", {"version": 1, "text": "Agreed."}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "approved"
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_approvers_deciding_at_once_one_decision_stands(cast, person):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    [approval] = ask(answered(request, cast), cast)
    approvers = [cast.ho_approver] + [person("home-office", "approver") for _ in range(THREADS - 1)]

    def decide(n, who):
        if n % 2:
            return lambda: approval_services.approve(approval.pk, by=who, expected_version=1)
        return lambda: approval_services.refuse(approval.pk, by=who, expected_version=1, reasons="No.")

    outcomes = run_together([decide(n, who) for n, who in enumerate(approvers)])
    assert len([o for o in outcomes if not isinstance(o, Exception)]) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    assert fresh_approval(approval).version == 2 and ApprovalEvent.objects.filter(approval=approval).count() == 2
    assert verify_stored_chain().ok


def test_the_data_protection_officer_sees_a_sensitive_request_only_once_asked(cast):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE",
                         personal_data_category="personal", legal_basis="UK GDPR Art 6(1)(e)."), cast,
                   RequestState.UNDER_ASSESSMENT)
    request = answered(request, cast)
    assert not permissions.user_can_view(cast.ho_dpo, fresh(request))
    assert not permissions.visible_requests(cast.ho_dpo).filter(pk=request.pk).exists()
    kinds = {a.kind for a in ask(request, cast)}
    assert kinds == {ApprovalKind.CLASSIFICATION, ApprovalKind.PERSONAL_DATA, ApprovalKind.MINISTERIAL,
                     ApprovalKind.DATA_PROTECTION}
    assert permissions.user_can_view(cast.ho_dpo, fresh(request))
    assert permissions.visible_requests(cast.ho_dpo).filter(pk=request.pk).exists()
    assert not permissions.user_can_view(cast.iasc_approver, fresh(request))  # the other party's roles do not count
