"""Publication agreement (§7(b), §9(b)) through the pages and the API: proposed, agreed with changes and shown on
the request page; refused with reasons; the requester agreeing refused; the wrong person or organisation 403/404;
a stale page 409; malformed input 400 naming the field."""

from __future__ import annotations

import pytest

from publications import services
from publications.models import PublicationProposal
from publications.states import ProposalState
from sharing.states import RequestState
from tests.support.requests import draft, pdf, walk

pytestmark = pytest.mark.django_db
TEXT = "Table 3: referrals by region."
CHANGED = "Table 3: referrals by region, counts under 10 suppressed."
API = "/api/publications/"


@pytest.fixture
def provided(cast):
    return walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)


def test_proposed_agreed_with_changes_and_shown_on_the_request_page(cast, signed_in, provided):
    requester, assessor = signed_in(cast.iasc_requester), signed_in(cast.msu_assessor)
    page = requester.get(f"/requests/{provided.reference}/").content.decode()
    assert 'data-testid="publication-panel"' in page and f"/publications/new/{provided.reference}/" in page
    response = requester.post(f"/publications/new/{provided.reference}/", {"text": TEXT})
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = PublicationProposal.objects.get()
    assert response["Location"] == f"/publications/{proposal.pk}/"
    assert "Record decision" not in requester.get(response["Location"]).content.decode()  # not the requester's
    page = assessor.get(f"/publications/{proposal.pk}/").content.decode()
    assert "Record decision" in page and "(§7(b))" in page
    response = assessor.post(f"/publications/{proposal.pk}/", {
        "version": proposal.version, "outcome": "agree_with_changes", "agreed_text": CHANGED,
        "reasons": "Small numbers suppressed."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.agreed_text) == (ProposalState.AGREED_WITH_CHANGES, CHANGED)
    page = requester.get(f"/requests/{provided.reference}/").content.decode()
    assert 'data-testid="agreed-publication"' in page and CHANGED in page and "agreed with changes" in page
    assert f"?revises={proposal.pk}" in requester.get(f"/publications/{proposal.pk}/").content.decode()


def test_refusal_without_reasons_shows_the_error_summary_and_with_reasons_is_recorded(cast, signed_in, provided):
    proposal = services.propose(provided, by=cast.iasc_requester, text=TEXT)
    approver = signed_in(cast.ho_approver)
    response = approver.post(f"/publications/{proposal.pk}/", {"version": 1, "outcome": "refuse", "reasons": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Give the reasons for refusing. (§7(b))" in page
    response = approver.post(f"/publications/{proposal.pk}/", {"version": 1, "outcome": "refuse",
                                                               "reasons": "It would identify people."})
    assert response.status_code == 302
    assert PublicationProposal.objects.get().state == ProposalState.REFUSED


def test_the_requester_agreeing_and_the_wrong_person_or_organisation_are_refused(cast, signed_in, provided):
    proposal = services.propose(provided, by=cast.iasc_requester, text=TEXT)
    data = {"version": 1, "outcome": "agree"}
    assert signed_in(cast.commissioner).post(f"/publications/{proposal.pk}/", data).status_code == 403
    assert signed_in(cast.iasc_requester).post(f"/publications/{proposal.pk}/", data).status_code == 403
    assert signed_in(cast.spoc).post(f"/publications/{proposal.pk}/", data).status_code == 403
    assert signed_in(cast.dwp_officer).get(f"/publications/{proposal.pk}/").status_code == 404
    assert signed_in(cast.dwp_officer).get(f"/publications/new/{provided.reference}/").status_code == 404
    assert signed_in(cast.msu_assessor).get(f"/publications/new/{provided.reference}/").status_code == 403
    assert signed_in(cast.msu_assessor).post(f"/publications/{proposal.pk}/withdraw/",
                                             {"version": 1}).status_code == 403
    assert PublicationProposal.objects.get().state == ProposalState.PROPOSED


def test_a_stale_page_is_a_409_and_malformed_input_a_400(cast, signed_in, provided):
    proposal = services.propose(provided, by=cast.iasc_requester, text=TEXT)
    assessor = signed_in(cast.msu_assessor)
    assert assessor.post(f"/publications/{proposal.pk}/", {"version": 7, "outcome": "agree"}).status_code == 409
    for bad in ({"version": "x", "outcome": "agree"}, {"version": 1, "outcome": "publish"},
                {"version": 1, "outcome": "agree_with_changes", "agreed_text": "", "reasons": ""},
                {"version": 1, "outcome": "refuse", "reasons": "r" * 10_001}):
        assert assessor.post(f"/publications/{proposal.pk}/", bad).status_code == 400, bad
    requester = signed_in(cast.iasc_requester)
    assert requester.post(f"/publications/new/{provided.reference}/", {"text": ""}).status_code == 400
    page = requester.post(f"/publications/new/{provided.reference}/", {"text": "Another."})
    assert page.status_code == 400 and "already awaiting the holder" in page.content.decode()
    assert requester.post(f"/publications/{proposal.pk}/withdraw/", {"version": 9}).status_code == 409
    assert requester.get(f"/publications/{proposal.pk}/withdraw/").status_code == 405
    assert requester.post(f"/publications/{proposal.pk}/withdraw/", {"version": 1}).status_code == 302
    assert PublicationProposal.objects.get().state == ProposalState.WITHDRAWN


def test_the_api_proposes_decides_and_refuses_with_the_services_words(cast, api, provided):
    requester, assessor = api(cast.iasc_requester), api(cast.msu_assessor)
    created = requester.post(API, {"request": provided.reference, "text": TEXT}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["request"], body["version"]) == ("proposed", provided.reference, 1)
    decide = f"{API}{body['id']}/decide/"
    refused = api(cast.commissioner).post(decide, {"version": 1, "outcome": "agree"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "decided_by" and refused.json()["errors"][0]["clause"] == "§7(b)"
    assert assessor.post(decide, {"version": 5, "outcome": "agree"}, format="json").status_code == 409
    missing = assessor.post(decide, {"version": 1, "outcome": "agree_with_changes"}, format="json")
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} == {"agreed_text", "reasons"}
    assert assessor.post(decide, {"version": 1, "outcome": "nonsense"}, format="json").status_code == 400
    agreed = assessor.post(decide, {"version": 1, "outcome": "agree_with_changes", "agreed_text": CHANGED,
                                    "reasons": "Suppressed."}, format="json")
    assert agreed.status_code == 200 and agreed.json()["agreed_text"] == CHANGED
    assert api(cast.dwp_officer).get(f"{API}{body['id']}/").status_code == 404
    unseen = api(cast.dwp_officer).post(API, {"request": provided.reference, "text": TEXT}, format="json")
    assert unseen.status_code == 400 and unseen.json()["errors"][0]["field"] == "request"
    assert [p["id"] for p in requester.get(API).json()["results"]] == [body["id"]]
    revision = requester.post(API, {"request": provided.reference, "text": "Totals only.", "revises": body["id"]},
                              format="json")
    assert revision.status_code == 201 and revision.json()["revises"] == body["id"]
    bad = requester.post(API, {"request": provided.reference, "text": "", "revises": 2**64}, format="json")
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"text", "revises"}


def test_a_file_put_forward_on_the_page_and_the_api_is_a_download_for_who_sees_the_request(cast, signed_in, api,
                                                                                          provided):
    requester = signed_in(cast.iasc_requester)
    response = requester.post(f"/publications/new/{provided.reference}/", {"text": TEXT, "files": [pdf("t.pdf")]})
    assert response.status_code == 302
    stored = PublicationProposal.objects.get().files.get()
    page = signed_in(cast.msu_assessor).get(response["Location"]).content.decode()
    assert f"/publications/files/{stored.pk}/" in page and 'data-testid="publication-files"' in page
    download = signed_in(cast.msu_assessor).get(f"/publications/files/{stored.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert signed_in(cast.dwp_officer).get(f"/publications/files/{stored.pk}/").status_code == 404
    body = api(cast.msu_assessor).get(f"{API}{PublicationProposal.objects.get().pk}/").json()
    assert body["files"][0]["download_url"] == f"/api/publication-files/{stored.pk}/download/"
    assert api(cast.msu_assessor).get(body["files"][0]["download_url"]).status_code == 200
    assert api(cast.dwp_officer).get(body["files"][0]["download_url"]).status_code == 404
    services.withdraw(PublicationProposal.objects.get(), by=cast.iasc_requester, expected_version=1)
    sent = api(cast.iasc_requester).post(API, {"request": provided.reference, "text": TEXT,
                                               "files": [pdf("u.pdf")]}, format="multipart")
    assert sent.status_code == 201 and sent.json()["files"][0]["original_name"] == "u.pdf"
