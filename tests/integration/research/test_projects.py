"""Research projects, the contract mechanism and survivors' consent (issue 11, items 2–4), through the services:
the happy path, the wrong person and organisation, holds, races and malformed input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Approval
from approvals.states import ApprovalKind, ApprovalState
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from holds import services as hold_services
from research import keys, services
from research.cases import PROJECTS
from research.models import Participation
from research.states import ProjectState
from tests.support.holds import placed
from tests.support.research import (
    a_year,
    approved,
    contract_fields,
    fresh,
    proposed,
    reviewed,
    signed_pdf,
    statistics_fields,
    suppliers,
    today,
    under_review,
)


def _fields(problem: RuleViolation) -> set:
    return {p.field for p in problem.problems}


# --- proposing and the contract mechanism ------------------------------------------------------------------------

def test_a_researcher_proposes_and_the_contract_mechanism_asks_both_sides(rc):
    project = proposed(rc)
    assert project.state == ProjectState.PROPOSED and project.institution.slug == "rights-lab"
    project = services.submit(project, by=rc.researcher, expected_version=project.version)
    reviews = Approval.objects.filter(research_project=project).order_by("pk")
    assert project.state == ProjectState.UNDER_REVIEW
    assert {(r.kind, r.deciding_organisation.slug) for r in reviews} == {
        (ApprovalKind.RESEARCH_CONTRACTS, "home-office"), (ApprovalKind.RESEARCH_SUPPLIER, "salvation-army"),
        (ApprovalKind.RESEARCH_SUPPLIER, "survivor-support")}
    assert {r.requested_by for r in reviews} == {rc.researcher}  # never a reviewer's own ask
    assert AuditEvent.objects.filter(action="research.submit").count() == 1


def test_approved_only_when_both_sides_approve(rc):
    project = reviewed(rc, under_review(rc), suppliers_too=False)  # the contracts team only
    project = fresh(project)
    with pytest.raises(RuleViolation) as refused:
        services.approve(project, by=rc.contracts, expected_version=project.version)
    assert "The Salvation Army" in str(refused.value) and "Survivor Support" in str(refused.value)
    reviewed(rc, project)
    project = services.approve(fresh(project), by=rc.contracts, expected_version=fresh(project).version)
    assert project.state == ProjectState.APPROVED and project.approved_by == rc.contracts
    conditions = Approval.objects.filter(research_project=project).values_list("conditions", flat=True)
    assert all("secure server" in c for c in conditions)


def test_a_refused_review_keeps_the_project_from_approval(rc):
    project = under_review(rc)
    review = Approval.objects.get(research_project=project, deciding_organisation__slug="salvation-army")
    services.review(review, by=rc.tsa_reviewer, expected_version=review.version, outcome="refuse",
                    reasons="Our survivors cannot be contacted this year.")
    reviewed(rc, project)
    with pytest.raises(RuleViolation, match="The Salvation Army"):
        services.approve(fresh(project), by=rc.contracts, expected_version=fresh(project).version)


def test_the_wrong_person_and_the_wrong_organisation_are_refused(rc):
    project = under_review(rc)
    contracts_review = Approval.objects.get(research_project=project, kind=ApprovalKind.RESEARCH_CONTRACTS)
    supplier_review = Approval.objects.get(research_project=project, deciding_organisation__slug="salvation-army")
    with pytest.raises(NotAllowed):  # a supplier cannot decide the department's review
        services.review(contracts_review, by=rc.tsa_reviewer, expected_version=1, outcome="approve")
    with pytest.raises(NotAllowed):  # another supplier's reviewer cannot decide The Salvation Army's
        services.review(supplier_review, by=rc.ssp_provider, expected_version=1, outcome="approve")
    with pytest.raises(NotAllowed):  # the researcher cannot approve their own project
        services.approve(project, by=rc.researcher, expected_version=project.version)
    with pytest.raises(NotAllowed):  # a researcher of another institution cannot even see it
        services.cancel(project, by=rc.other_researcher, expected_version=project.version, reason="No.")
    with pytest.raises(NotAllowed):  # an HO approver is not the contracts team
        services.approve(project, by=rc.ho_approver, expected_version=project.version)
    with pytest.raises(NotAllowed):
        services.propose(by=rc.contracts, fields=contract_fields(), suppliers=suppliers())


def test_a_stale_version_is_refused_and_exactly_one_of_two_approvals_wins(rc):
    project = reviewed(rc, under_review(rc))
    version = fresh(project).version
    services.approve(project, by=rc.contracts, expected_version=version)
    with pytest.raises(StaleObject):
        services.approve(project, by=rc.contracts, expected_version=version)
    assert AuditEvent.objects.filter(action="research.approve").count() == 1


def test_malformed_input_is_refused_naming_each_field(rc):
    with pytest.raises(RuleViolation) as refused:
        services.propose(by=rc.researcher, fields=contract_fields(
            title="", funder="x" * 500, data_sources=["the moon"], personal_data_categories=["gossip"],
            lawful_basis="zz", dpia_completed_on=None), suppliers=suppliers())
    assert {"title", "funder", "data_sources", "personal_data_categories", "lawful_basis",
            "dpia_reference"} <= _fields(refused.value)
    project = proposed(rc, processes_contract_personal_data=False)
    with pytest.raises(RuleViolation) as refused:  # MSVC personal data, not said to be contract personal data
        services.submit(project, by=rc.researcher, expected_version=project.version)
    assert "processes_contract_personal_data" in _fields(refused.value)


# --- holds ----------------------------------------------------------------------------------------------------

def test_a_hold_in_force_suspends_the_project_and_blocks_its_approval(rc, cast):
    project = reviewed(rc, under_review(rc))
    hold = placed(cast)
    with pytest.raises(RuleViolation, match="Blocked by hold") as refused:
        services.approve(fresh(project), by=rc.contracts, expected_version=fresh(project).version)
    assert hold.reference in str(refused.value)
    [suspended] = services.apply_holds(by=cast.ho_dpo)
    assert suspended.state == ProjectState.SUSPENDED and suspended.suspended_by_hold == hold
    assert not Approval.objects.filter(research_project=project, state=ApprovalState.REQUESTED).exists()
    with pytest.raises(RuleViolation, match="Blocked by hold"):  # cannot be put back while the hold stands
        services.resume(suspended, by=rc.contracts, expected_version=suspended.version)
    hold_services.lift(hold, by=cast.ho_approver, expected_version=hold.version,
                       lifted_because="The Contract Change Notice")
    resumed = services.resume(fresh(project), by=rc.contracts, expected_version=fresh(project).version)
    assert resumed.state == ProjectState.UNDER_REVIEW
    assert Approval.objects.filter(research_project=project, state=ApprovalState.REQUESTED).count() == 3
    reviewed(rc, resumed)
    assert services.approve(fresh(project), by=rc.contracts,
                            expected_version=fresh(project).version).state == ProjectState.APPROVED


def test_anonymised_statistics_go_through_a_hold_untouched(rc, cast):
    placed(cast)
    project = services.propose(by=rc.researcher, fields=statistics_fields())
    project = services.submit(project, by=rc.researcher, expected_version=project.version)
    assert services.apply_holds(by=cast.ho_dpo) == []
    project = services.approve(project, by=rc.contracts, expected_version=project.version)
    assert project.state == ProjectState.APPROVED


def test_the_holds_app_lists_the_projects_a_hold_blocks(rc, cast):
    from holds.coverage import blocked_work

    project = under_review(rc)
    services.propose(by=rc.researcher, fields=statistics_fields())
    hold = placed(cast)
    blocked = [b.item for b in blocked_work(hold) if b.subject.kind == "research_project"]
    assert blocked == [project]
    assert [b.item for b in blocked_work(hold, rc.other_researcher) if b.subject.kind == "research_project"] == []


# --- NDAs -------------------------------------------------------------------------------------------------------

def test_an_nda_is_recorded_with_its_signed_copy_in_the_vault(rc):
    project = proposed(rc)
    nda = services.record_nda(project, by=rc.researcher, expected_version=project.version, signatory=rc.colleague,
                              signed_on=today(), expires_on=today() + a_year(), upload=signed_pdf())
    assert nda.vault_file.sha256 == nda.sha256 and nda.vault_file.marking == "OFFICIAL-SENSITIVE"
    assert services.nda_for_download(nda.pk, by=rc.contracts) == nda
    with pytest.raises(NotAllowed):
        services.nda_for_download(nda.pk, by=rc.other_researcher)
    with pytest.raises(RuleViolation) as refused:
        services.record_nda(fresh(project), by=rc.researcher, expected_version=fresh(project).version,
                            signatory=rc.contracts, signed_on=today(), expires_on=today() - a_year(), upload=None)
    assert {"expires_on", "files"} <= _fields(refused.value)


# --- survivors' consent -----------------------------------------------------------------------------------------

def test_a_survivors_choice_is_recorded_under_a_keyed_reference_and_researchers_see_counts(rc):
    project = approved(rc)
    choice = services.record_choice(project, by=rc.tsa_reviewer, expected_version=fresh(project).version,
                                     case_identifier="TSA-2021-00457", told_on=today(), agreed=True,
                                     scope="interview")
    assert len(choice.participant_ref) == 64 and "00457" not in choice.participant_ref
    expected = keys.participant_key(choice.supplier).reference(project.pk, "TSA-2021-00457")
    assert choice.participant_ref == expected  # the supplier can recompute it; nobody else holds the key
    assert not AuditEvent.objects.filter(details__icontains="TSA-2021-00457").exists()
    services.record_choice(project, by=rc.ssp_provider, expected_version=fresh(project).version,
                           case_identifier="SSP/88", told_on=today(), agreed=False)
    assert services.consent_counts(fresh(project)) == {"told": 2, "agreed": 1, "declined": 1, "withdrawn": 0,
                                                        "awaiting_deletion": 0}
    assert [p.pk for p in services.participations_for(project, by=rc.tsa_reviewer)] == [choice.pk]
    with pytest.raises(NotAllowed, match="never participant references"):
        services.participations_for(project, by=rc.researcher)


@pytest.mark.parametrize("name", ["Jane Smith", "jane", "Mary-Ann O'Neil", "  ", "J. Smith 1"])
def test_a_name_in_the_reference_is_refused(rc, name):
    project = approved(rc)
    with pytest.raises(RuleViolation, match="name") as refused:
        services.record_choice(project, by=rc.tsa_reviewer, expected_version=project.version,
                               case_identifier=name, told_on=today(), agreed=True, scope="interview")
    assert _fields(refused.value) == {keys.FIELD}
    assert not Participation.objects.exists()


def test_a_withdrawal_flags_deletion_until_the_researcher_records_it(rc):
    project = approved(rc)
    services.record_choice(project, by=rc.tsa_reviewer, expected_version=fresh(project).version,
                           case_identifier="TSA-2021-00457", told_on=today() - timedelta(days=3), agreed=True,
                           scope="interview_and_records")
    withdrawn = services.record_withdrawal(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                                           case_identifier="tsa-2021-00457")
    assert services.awaiting_deletion(fresh(project)) == [withdrawn]
    with pytest.raises(NotAllowed):  # the supplier does not record the institution's deletion
        services.record_deletion(project, by=rc.tsa_reviewer, expected_version=fresh(project).version,
                                 participation_id=withdrawn.pk)
    services.record_deletion(project, by=rc.researcher, expected_version=fresh(project).version,
                             participation_id=withdrawn.pk)
    assert services.awaiting_deletion(fresh(project)) == []


def test_a_withdrawal_for_a_participant_with_no_consent_is_refused(rc):
    project = approved(rc)
    services.record_choice(project, by=rc.tsa_reviewer, expected_version=fresh(project).version,
                           case_identifier="TSA-9", told_on=today(), agreed=False)
    for identifier in ("TSA-10", "TSA-9"):  # never recorded; recorded as declined
        with pytest.raises(RuleViolation, match="No consent is recorded"):
            services.record_withdrawal(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                                       case_identifier=identifier)
    with pytest.raises(RuleViolation, match="No consent is recorded"):  # the same identifier at another supplier
        services.record_choice(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                               case_identifier="TSA-11", told_on=today(), agreed=True, scope="interview")
        services.record_withdrawal(fresh(project), by=rc.ssp_provider, expected_version=fresh(project).version,
                                   case_identifier="TSA-11")


def test_consent_is_not_recorded_before_approval_nor_by_a_researcher_nor_twice(rc):
    project = under_review(rc)
    with pytest.raises(RuleViolation, match="while it is under review"):
        services.record_choice(project, by=rc.tsa_reviewer, expected_version=project.version,
                               case_identifier="TSA-1", told_on=today(), agreed=True, scope="interview")
    project = approved(rc)
    with pytest.raises(NotAllowed):
        services.record_choice(project, by=rc.researcher, expected_version=project.version,
                               case_identifier="TSA-1", told_on=today(), agreed=True, scope="interview")
    loaded = project.version
    services.record_choice(project, by=rc.tsa_reviewer, expected_version=loaded, case_identifier="TSA-1",
                           told_on=today(), agreed=True, scope="interview")
    with pytest.raises(RuleViolation, match="already recorded"):
        services.record_choice(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                               case_identifier="TSA-1", told_on=today(), agreed=False)
    with pytest.raises(StaleObject):
        services.record_choice(project, by=rc.tsa_reviewer, expected_version=loaded,
                               case_identifier="TSA-2", told_on=today(), agreed=False)


def test_a_supplier_without_a_key_records_nothing(rc, settings):
    settings.RESEARCH_PARTICIPANT_KEYS = {}
    settings.RESEARCH_PARTICIPANT_KEY_DIR = "/nonexistent"
    project = approved(rc)
    with pytest.raises(RuleViolation, match="no participant key"):
        services.record_choice(project, by=rc.tsa_reviewer, expected_version=project.version,
                               case_identifier="TSA-1", told_on=today(), agreed=False)


# --- visibility, My work, queries -------------------------------------------------------------------------------

def test_who_sees_a_project_and_whose_work_it_is(rc, cast):
    project = under_review(rc)
    seers = [rc.researcher, rc.contracts, rc.tsa_reviewer, rc.ssp_provider, cast.iasc_requester, cast.ho_approver]
    assert all(PROJECTS.can_view(p, project) for p in seers)
    assert not PROJECTS.can_view(rc.other_researcher, project) and not PROJECTS.can_view(cast.dwp_officer, project)
    assert set(PROJECTS.visible(rc.other_researcher)) == set()
    from workflow import work

    # Under review, each side's work is its review; the project is the contracts team's once both approved
    assert {i.kind for i in work.items_for(rc.contracts, today())} == {"approval"}
    assert {i.kind for i in work.items_for(rc.tsa_reviewer, today())} == {"approval"}
    reviewed(rc, project)
    assert {(i.kind, i.case.pk) for i in work.items_for(rc.contracts, today())} == {("research_project", project.pk)}
    assert work.items_for(rc.tsa_reviewer, today()) == []


def test_the_project_list_query_count_does_not_grow_with_projects(rc, client):
    for _ in range(3):
        proposed(rc)
    with CaptureQueriesContext(connection) as three:
        list(PROJECTS.visible(rc.contracts).prefetch_related("suppliers"))
    for _ in range(5):
        proposed(rc)
    with CaptureQueriesContext(connection) as eight:
        list(PROJECTS.visible(rc.contracts).prefetch_related("suppliers"))
    assert len(three) == len(eight)


def test_a_project_put_forward_inside_a_hold_is_suspended_at_once_naming_it(rc, cast):
    hold = placed(cast)
    project = under_review(rc)
    assert project.state == ProjectState.SUSPENDED and project.suspended_by_hold == hold
    assert not Approval.objects.filter(research_project=project).exists()
    assert [e.action for e in project.events.order_by("pk")] == ["propose", "submit", "suspend"]


def test_people_are_told_each_step_and_never_a_reference(rc, django_capture_on_commit_callbacks):
    from django.core import mail

    project = proposed(rc)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(project, by=rc.researcher, expected_version=project.version)
    told = {m.to[0] for m in mail.outbox}
    # the contracts team and the researchers of the institution hear of it; each side's reviewers are asked
    assert {"contracts@homeoffice.example", "maya@rightslab.example", "r@tsa.example", "j@ssp.example"} <= told
    assert all(m.subject.startswith("OFFICIAL: RP-") for m in mail.outbox)
    project = reviewed(rc, fresh(project))
    services.approve(fresh(project), by=rc.contracts, expected_version=fresh(project).version)
    services.record_choice(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                           case_identifier="TSA-77", told_on=today(), agreed=True, scope="interview")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdrawal(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                                   case_identifier="TSA-77")
    assert {m.to[0] for m in mail.outbox} >= {"maya@rightslab.example"}
    assert not any("TSA-77" in m.body or Participation.objects.get().participant_ref in m.body for m in mail.outbox)


def test_placing_a_hold_suspends_the_projects_it_covers_once_committed(rc, cast, django_capture_on_commit_callbacks):
    project = approved(rc)
    with django_capture_on_commit_callbacks(execute=True):
        hold = placed(cast)
    project = fresh(project)
    assert project.state == ProjectState.SUSPENDED and project.suspended_by_hold == hold
    assert project.events.order_by("pk").last().actor == cast.ho_dpo


def test_the_partners_requester_links_a_request_they_can_see(rc, cast):
    from tests.support.requests import draft

    project = proposed(rc)
    mine = draft(cast.iasc_requester)
    theirs = draft(cast.ho_requester, direction="ho_to_iasc")
    project = services.link_request(project, by=cast.iasc_requester, expected_version=project.version,
                                    reference=mine.reference)
    assert list(project.requests.all()) == [mine]
    with pytest.raises(RuleViolation, match="cannot see it"):  # a Home Office draft the IASC cannot see
        services.link_request(project, by=cast.iasc_requester, expected_version=project.version,
                              reference=theirs.reference)
    with pytest.raises(RuleViolation, match="already linked"):
        services.link_request(project, by=cast.iasc_requester, expected_version=project.version,
                              reference=mine.reference)
    with pytest.raises(NotAllowed):  # the contracts team does not link the researchers' requests
        services.link_request(project, by=rc.contracts, expected_version=project.version, reference=mine.reference)
