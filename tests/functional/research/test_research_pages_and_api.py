"""Research projects through the pages and the API (issue 11): proposed, reviewed by both sides and approved;
a hold shown as "blocked by hold" with its status, and approval refused while it applies; survivors' choices as
counts for researchers, references for the recording provider only; the wrong person 403/404; a stale page 409;
malformed input 400 naming the field."""

from __future__ import annotations

import pytest

from approvals.models import Approval
from research import services
from research.models import Participation, ResearchProject
from research.states import ProjectState
from tests.support.holds import placed
from tests.support.research import (
    approved,
    contract_fields,
    fresh,
    proposed,
    reviewed,
    signed_pdf,
    suppliers,
    today,
    under_review,
)

pytestmark = pytest.mark.django_db
API = "/api/research-projects/"


def test_a_researcher_proposes_on_the_page_and_both_sides_review_it(rc, signed_in):
    researcher = signed_in(rc.researcher)
    assert researcher.get("/research/new/").status_code == 200
    fields = contract_fields()
    sa, ssp = suppliers()
    response = researcher.post("/research/new/", {
        "title": fields["title"], "funder": "ESRC", "ethics_reference": "RL-1", "summary": "Interviews.",
        "data_sources": ["msvc_contract"], "personal_data_categories": ["personal"],
        "processes_contract_personal_data": "on", "suppliers": [sa.pk, ssp.pk], "lawful_basis": "e",
        "dpia_reference": "D-1", "dpia_completed_on_0": "20", "dpia_completed_on_1": "1",
        "dpia_completed_on_2": "2021"})
    assert response.status_code == 302, response.content.decode()[:3000]
    project = ResearchProject.objects.get()
    page = researcher.get(f"/research/{project.pk}/").content.decode()
    assert 'data-status="not-blocked"' in page and 'data-testid="action-submit"' in page
    assert researcher.post(f"/research/{project.pk}/act/submit/", {"version": project.version}).status_code == 302
    project = fresh(project)
    assert project.state == ProjectState.UNDER_REVIEW
    for person in (rc.contracts, rc.tsa_reviewer, rc.ssp_provider):
        client = signed_in(person)
        review = next(a for a in Approval.objects.filter(research_project=project)
                      if person.organisation.is_part_of(a.deciding_organisation))
        page = client.get(f"/research/{project.pk}/").content.decode()
        assert "Record your review" in page
        response = client.post(f"/research/reviews/{review.pk}/", {
            f"r{review.pk}-version": review.version, f"r{review.pk}-outcome": "approve",
            f"r{review.pk}-conditions": "Secure storage."})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert signed_in(person).get(f"/approvals/{review.pk}/")["Location"] == f"/research/{project.pk}/"
    contracts = signed_in(rc.contracts)
    response = contracts.post(f"/research/{project.pk}/act/approve/", {"version": fresh(project).version})
    assert response.status_code == 302 and fresh(project).state == ProjectState.APPROVED


def test_the_hold_shows_on_the_project_and_approval_is_refused_while_it_applies(rc, cast, signed_in):
    project = reviewed(rc, under_review(rc))
    hold = placed(cast)
    researcher = signed_in(rc.researcher)
    page = researcher.get(f"/research/{project.pk}/").content.decode()
    assert 'data-status="blocked"' in page and "Blocked by hold" in page and hold.reference in page
    assert hold.next_review_on.strftime("%-d %B %Y") in page and "In force" in page
    listing = researcher.get("/research/").content.decode()
    assert "Blocked by hold" in listing
    contracts = signed_in(rc.contracts)
    page = contracts.get(f"/research/{project.pk}/").content.decode()
    assert 'data-testid="blocked-action"' in page and 'data-testid="action-approve"' not in page
    response = contracts.post(f"/research/{project.pk}/act/approve/", {"version": fresh(project).version})
    assert response.status_code == 400 and "Blocked by hold" in response.content.decode()
    api = contracts.get(f"{API}{project.pk}/").json()
    assert api["hold"]["status"] == "blocked by hold" and api["hold"]["holds"][0]["reference"] == hold.reference
    response = contracts.post(f"{API}{project.pk}/approve/", {"version": fresh(project).version},
                              content_type="application/json")
    assert response.status_code == 400 and "Blocked by hold" in response.json()["errors"][0]["message"]


def test_researchers_see_counts_never_references(rc, signed_in):
    project = approved(rc)
    services.record_choice(project, by=rc.tsa_reviewer, expected_version=fresh(project).version,
                           case_identifier="TSA-2021-00457", told_on=today(), agreed=True, scope="interview")
    reference = Participation.objects.get().participant_ref
    researcher = signed_in(rc.researcher)
    page = researcher.get(f"/research/{project.pk}/").content.decode()
    assert reference[:16] not in page and 'data-testid="consent-counts"' in page
    assert researcher.get(f"/research/{project.pk}/participants/").status_code == 403
    response = researcher.get(f"{API}{project.pk}/participants/")
    assert response.status_code == 403 and "never participant references" in response.json()["errors"][0]["message"]
    body = researcher.get(f"{API}{project.pk}/").content.decode()
    assert reference not in body and '"agreed":1' in body.replace(" ", "")
    provider = signed_in(rc.tsa_reviewer)
    assert reference[:16] in provider.get(f"/research/{project.pk}/participants/").content.decode()
    assert provider.get(f"{API}{project.pk}/participants/").json()[0]["participant_ref"] == reference
    assert signed_in(rc.ssp_provider).get(f"{API}{project.pk}/participants/").json() == []


def test_a_name_is_refused_on_the_page_and_in_the_api(rc, signed_in):
    project = approved(rc)
    provider = signed_in(rc.tsa_reviewer)
    response = provider.post(f"/research/{project.pk}/choices/", {
        "version": project.version, "case_identifier": "Jane Smith", "told_on_0": "1", "told_on_1": "3",
        "told_on_2": "2021", "agreed": "yes", "scope": "interview"})
    assert response.status_code == 400 and "looks like a name" in response.content.decode()
    response = provider.post(f"{API}{project.pk}/choices/", {
        "version": project.version, "case_identifier": "Jane Smith", "told_on": "2021-03-01", "agreed": True,
        "scope": "interview"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "case_identifier"
    assert not Participation.objects.exists()


def test_withdrawal_and_deletion_through_the_api(rc, signed_in):
    project = approved(rc)
    provider, researcher = signed_in(rc.tsa_reviewer), signed_in(rc.researcher)
    response = provider.post(f"{API}{project.pk}/withdrawals/", {"version": project.version,
                                                                  "case_identifier": "TSA-1"},
                             content_type="application/json")
    assert response.status_code == 400 and "No consent is recorded" in response.json()["errors"][0]["message"]
    assert provider.post(f"{API}{project.pk}/choices/", {
        "version": project.version, "case_identifier": "TSA-1", "told_on": str(today()), "agreed": True,
        "scope": "interview"}, content_type="application/json").status_code == 201
    assert provider.post(f"{API}{project.pk}/withdrawals/", {
        "version": fresh(project).version, "case_identifier": "TSA-1"},
        content_type="application/json").status_code == 200
    flags = researcher.get(f"{API}{project.pk}/awaiting-deletion/").json()
    assert len(flags) == 1 and set(flags[0]) == {"id", "withdrawn_on"}
    page = researcher.get(f"/research/{project.pk}/").content.decode()
    assert 'data-testid="awaiting-deletion"' in page
    response = researcher.post(f"/research/{project.pk}/deletions/", {"version": fresh(project).version,
                                                                      "participation": flags[0]["id"]})
    assert response.status_code == 302
    assert 'data-testid="awaiting-deletion"' not in researcher.get(f"/research/{project.pk}/").content.decode()


def test_wrong_people_stale_pages_and_malformed_input(rc, cast, signed_in):
    project = under_review(rc)
    assert signed_in(rc.other_researcher).get(f"/research/{project.pk}/").status_code == 404
    assert signed_in(cast.dwp_officer).get(f"{API}{project.pk}/").status_code == 404
    assert signed_in(rc.researcher).post(f"/research/{project.pk}/act/approve/",
                                         {"version": project.version}).status_code == 403
    contracts = signed_in(rc.contracts)
    assert contracts.post(f"/research/{project.pk}/act/cancel/", {"version": 99, "text": "x"}).status_code == 409
    assert contracts.post(f"/research/{project.pk}/act/cancel/", {"version": "x" * 50}).status_code == 400
    assert contracts.post(f"/research/{project.pk}/act/explode/", {"version": 1}).status_code == 404
    response = signed_in(rc.researcher).post(API, {"title": "", "data_sources": ["moon"]},
                                             content_type="application/json")
    assert response.status_code == 400
    named = {str(e["field"]).split(".")[0] for e in response.json()["errors"]}
    assert {"title", "data_sources", "summary"} <= named
    response = signed_in(rc.researcher).post(f"{API}{project.pk}/ndas/", {
        "version": project.version, "signatory": rc.colleague.pk, "signed_on": "2021-01-01",
        "expires_on": "2022-01-01", "file": signed_pdf()})
    assert response.status_code == 201, response.content.decode()[:2000]
    nda = fresh(project).ndas.get()
    assert signed_in(rc.contracts).get(f"/api/research-ndas/{nda.pk}/download/").status_code == 200
    assert signed_in(rc.other_researcher).get(f"/api/research-ndas/{nda.pk}/download/").status_code == 404
    assert signed_in(rc.contracts).get(f"/research/ndas/{nda.pk}/").status_code == 200


def test_proposing_is_for_researchers(rc, cast, signed_in):
    assert signed_in(cast.iasc_requester).get("/research/new/").status_code == 403
    assert signed_in(rc.contracts).post(API, {}, content_type="application/json").status_code in (400, 403)
    assert proposed(rc).state == ProjectState.PROPOSED
