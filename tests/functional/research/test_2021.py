"""2021 replayed (issue 11, "Done when"): the hold on MSVC-contract personal victim data begins in March 2021; the
ESRC project is suspended and the UKRI project cancelled; a request for anonymised statistics goes through
untouched; the review date passes and is flagged; the June 2021 joint request shows which of its parts are blocked;
the Contract Change Notice lifts the hold; the suspended project is reviewed by the contracts team and the
suppliers and approved; survivors are told, consent, and one withdraws. Through the pages where people act."""

from __future__ import annotations

from datetime import date

import pytest

from approvals.models import Approval
from holds import services as hold_services
from research import services
from research.models import ResearchProject
from research.states import ProjectState
from sharing import hold_scope
from sharing.states import RequestState
from tests.support.holds import ANONYMISED_STATISTICS, JUNE_2021_PARTS, PERSONAL_RESEARCH, overdue, placed
from tests.support.requests import draft, walk
from tests.support.research import contract_fields, fresh, suppliers, today

pytestmark = pytest.mark.django_db
MARCH_2021 = date(2021, 3, 15)


def _submitted(rc, by, **overrides):
    project = services.propose(by=by, fields=contract_fields(**overrides), suppliers=suppliers())
    return services.submit(project, by=by, expected_version=project.version)


def test_2021_replayed(rc, cast, signed_in, django_capture_on_commit_callbacks):
    # Before March 2021: the ESRC and UKRI projects are under review by the contract mechanism
    esrc = _submitted(rc, rc.researcher)
    ukri = _submitted(rc, rc.other_researcher, title="Improving outcomes for survivors", funder="UKRI")
    assert esrc.state == ukri.state == ProjectState.UNDER_REVIEW

    # March 2021: the ICO's advice; the Home Office places the hold, and both projects are suspended
    hold = placed(cast, began_on=MARCH_2021)
    suspended = services.apply_holds(by=cast.ho_dpo)
    assert {p.pk for p in suspended} == {esrc.pk, ukri.pk}
    assert not Approval.objects.filter(research_project__in=[esrc, ukri], state="requested").exists()
    researcher = signed_in(rc.researcher)
    page = researcher.get(f"/research/{esrc.pk}/").content.decode()
    assert 'data-status="blocked"' in page and hold.reference in page and "Suspended by a processing hold" in page
    assert "15 March 2021" in page

    # The UKRI project is cancelled: no date could be had for the end of the review
    response = signed_in(rc.other_researcher).post(f"/research/{ukri.pk}/act/cancel/", {
        "version": fresh(ukri).version, "text": "The funder withdrew: no end date for the review."})
    assert response.status_code == 302 and fresh(ukri).state == ProjectState.CANCELLED

    # A request for anonymised statistics goes through untouched, and says why
    statistics = walk(draft(cast.iasc_requester, **ANONYMISED_STATISTICS), cast, RequestState.PROVIDED)
    [scope] = hold_scope.verdicts(statistics)
    assert statistics.state == RequestState.PROVIDED and not scope.verdict.blocked
    assert "no hold in force covers" in scope.verdict.reason

    # The review date passes with no review: flagged on "My work" and on the project's page
    hold = overdue(hold)
    from workflow import work

    owner_work = [item for item in work.items_for(cast.ho_approver, today()) if item.kind == "hold"]
    assert [item.reference for item in owner_work] == [hold.reference]
    assert "Review overdue" in researcher.get(f"/research/{esrc.pk}/").content.decode()

    # June 2021: the IASC and Rights Lab's joint request shows which of its parts are blocked
    joint = walk(draft(cast.iasc_requester, parts=JUNE_2021_PARTS, **PERSONAL_RESEARCH), cast,
                 RequestState.SUBMITTED)
    first, second = hold_scope.verdicts(joint)
    assert not first.verdict.blocked and second.verdict.blocked and second.verdict.holds == [hold]
    page = signed_in(cast.iasc_requester).get(f"/requests/{joint.reference}/").content.decode()
    holds_panel = page.split('data-testid="request-holds"')[1].split("</dl>")[0]
    part_one, part_two = holds_panel.split("Part 2")
    assert "Part 1" in part_one and "Not blocked" in part_one and "Blocked by hold" not in part_one
    assert "Blocked by hold" in part_two and hold.reference in part_two

    # The Contract Change Notice lifts the hold; the suspended project is put back under review
    hold_services.lift(hold, by=cast.ho_approver, expected_version=hold.version,
                       lifted_because="The Contract Change Notice in the MSVC contract (research mechanism)")
    page = researcher.get(f"/research/{esrc.pk}/").content.decode()
    assert 'data-status="not-blocked"' in page and 'data-testid="suspended-by"' in page
    contracts = signed_in(rc.contracts)
    assert contracts.post(f"/research/{esrc.pk}/act/resume/", {"version": fresh(esrc).version}).status_code == 302
    assert fresh(esrc).state == ProjectState.UNDER_REVIEW

    # Reviewed case by case by the contracts team and each supplier, on the project's page; approved only then
    reviews = list(Approval.objects.filter(research_project=esrc, state="requested").order_by("pk"))
    assert len(reviews) == 3
    refused = contracts.post(f"/research/{esrc.pk}/act/approve/", {"version": fresh(esrc).version})
    assert refused.status_code == 400 and "still awaited" in refused.content.decode()
    for review in reviews:
        who = {"home-office": rc.contracts, "salvation-army": rc.tsa_reviewer,
               "survivor-support": rc.ssp_provider}[review.deciding_organisation.slug]
        response = signed_in(who).post(f"/research/reviews/{review.pk}/", {
            f"r{review.pk}-version": review.version, f"r{review.pk}-outcome": "approve",
            f"r{review.pk}-conditions": "Under the Contract Change Notice's research schedule."})
        assert response.status_code == 302
    assert contracts.post(f"/research/{esrc.pk}/act/approve/", {"version": fresh(esrc).version}).status_code == 302
    assert fresh(esrc).state == ProjectState.APPROVED

    # Service providers tell survivors; three agree, one declines; one later withdraws
    for provider, identifier, agreed in ((rc.tsa_reviewer, "TSA-2021-0101", "yes"),
                                         (rc.tsa_reviewer, "TSA-2021-0102", "yes"),
                                         (rc.ssp_provider, "SSP-0007", "yes"), (rc.ssp_provider, "SSP-0008", "no")):
        response = signed_in(provider).post(f"/research/{esrc.pk}/choices/", {
            "version": fresh(esrc).version, "case_identifier": identifier, "told_on_0": str(today().day),
            "told_on_1": str(today().month), "told_on_2": str(today().year), "agreed": agreed,
            "scope": "interview" if agreed == "yes" else ""})
        assert response.status_code == 302, response.content.decode()[:2000]
    response = signed_in(rc.tsa_reviewer).post(f"/research/{esrc.pk}/withdrawals/", {
        "version": fresh(esrc).version, "case_identifier": "TSA-2021-0102"})
    assert response.status_code == 302
    counts = services.consent_counts(fresh(esrc))
    assert counts == {"told": 4, "agreed": 3, "declined": 1, "withdrawn": 1, "awaiting_deletion": 1}
    page = researcher.get(f"/research/{esrc.pk}/").content.decode()
    assert 'data-testid="awaiting-deletion"' in page and "TSA-2021-0102" not in page
    assert ResearchProject.objects.filter(state=ProjectState.APPROVED).count() == 1
