"""Both directions through the pages, as people use them: draft, submit, acknowledge, assess, decide,
provide, close; with the wrong person, the wrong organisation, bad input and stale pages."""

import re

import pytest

from sharing.models import Request
from sharing.states import RequestState
from tests.support.requests import COMPLETE_ELEMENTS, draft, pdf, walk

pytestmark = pytest.mark.django_db


def start_draft(client, direction: str) -> Request:
    response = client.post("/requests/new/", {"direction": direction})
    assert response["Location"] == f"/requests/new/{direction}/"
    response = client.post(response["Location"], {"title": "Untitled", "classification": "OFFICIAL",
                                                  "personal_data_category": "anonymised", "provision": "one_off",
                                                  "save": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Request.objects.order_by("-pk").first()


def draft_form_data(req, **overrides):
    req.refresh_from_db()
    data = {**COMPLETE_ELEMENTS, "classification": "OFFICIAL", "personal_data_category": "anonymised",
            "provision": "one_off", "version": req.version, "frequency": "", "legal_basis": ""}
    data.update(overrides)
    return data


def act(client, req, action: str, **data):
    req.refresh_from_db()
    return client.post(f"/requests/{req.reference}/{action}/", {"version": req.version, **data})


def checklist_data(req, satisfied=True):
    items = req.protocol.spec.direction(req.direction).assessment_checklist
    data = {}
    for item in items:
        data[item.key] = "yes" if satisfied else "no"
        data[f"{item.key}_note"] = "" if satisfied else "Not shown."
    return data


def test_iasc_to_ho_from_draft_to_closed_through_the_pages(cast, signed_in):
    requester, spoc, assessor = signed_in(cast.iasc_requester), signed_in(cast.spoc), signed_in(cast.msu_assessor)
    req = start_draft(requester, "iasc_to_ho")
    page = requester.get(f"/requests/{req.reference}/edit/").content.decode()
    assert "§6(a)" in page and "§6(g)" in page  # the clause beside each of the seven elements
    response = requester.post(f"/requests/{req.reference}/edit/", {**draft_form_data(req), "submit": "1"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.SUBMITTED and req.acknowledge_by and req.provide_by

    page = spoc.get(f"/requests/{req.reference}/").content.decode()
    assert "How was" in page and "Acknowledge" in page
    assert act(spoc, req, "acknowledge", note="Being considered.").status_code == 302
    assert act(spoc, req, "reassign", to_org=cast.ho_assessor.organisation.pk, to_user=cast.ho_assessor.pk,
               reason="Analysis and Insight hold NRM data.").status_code == 302
    assessor = signed_in(cast.ho_assessor)
    assert act(assessor, req, "start_assessment").status_code == 302
    assert act(assessor, req, "record_checklist", **checklist_data(req)).status_code == 302
    assert act(assessor, req, "decide", decision="agreed", reasons="Necessary and lawful.").status_code == 302
    assert act(assessor, req, "deliver", description="Tables of referrals", marking="OFFICIAL",
               files=pdf()).status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.PROVIDED
    page = requester.get(f"/requests/{req.reference}/").content.decode()
    assert "tables.pdf" in page and "SHA-256" in page
    assert act(requester, req, "close", note="Received, thank you.").status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.CLOSED
    timeline = requester.get(f"/requests/{req.reference}/").content.decode()
    for step in ("Submit", "Acknowledge", "Reassign", "Start assessment", "Decide", "Deliver", "Close"):
        assert step in timeline


def test_ho_to_iasc_is_decided_finally_by_the_commissioner(cast, signed_in):
    requester = signed_in(cast.ho_requester)
    req = start_draft(requester, "ho_to_iasc")
    requester.post(f"/requests/{req.reference}/edit/", {**draft_form_data(req), "submit": "1"})
    req.refresh_from_db()
    assert req.state == RequestState.SUBMITTED
    page = requester.get(f"/requests/{req.reference}/").content.decode()
    assert "§8(a)" in page and "§14" in page  # the IASC's decision is final, and the page says so
    case_officer, commissioner = signed_in(cast.iasc_case_officer), signed_in(cast.commissioner)
    assert act(case_officer, req, "acknowledge").status_code == 302
    assert act(signed_in(cast.iasc_assessor), req, "start_assessment").status_code == 302
    assert act(commissioner, req, "record_checklist", **checklist_data(req, satisfied=False)).status_code == 302
    assert act(commissioner, req, "decide", decision="declined", reasons="Would undermine independence.").status_code == 302
    req.refresh_from_db()
    assert req.decision == "declined"
    assert "escalate" not in requester.get(f"/requests/{req.reference}/").content.decode().lower()
    # Nothing can be provided on a declined request.
    response = act(commissioner, req, "deliver", description="x", marking="OFFICIAL")
    assert response.status_code in (400, 403)


def test_submitting_without_the_seven_elements_names_each_missing_element_and_clause(cast, signed_in):
    requester = signed_in(cast.iasc_requester)
    req = start_draft(requester, "iasc_to_ho")
    data = draft_form_data(req, necessity="", disposal="", submit="1")
    response = requester.post(f"/requests/{req.reference}/edit/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "§6(a)" in page and "§6(g)" in page
    assert 'href="#id_necessity"' in page and 'href="#id_disposal"' in page
    req.refresh_from_db()
    assert req.state == RequestState.DRAFT


def test_a_classification_above_the_ceiling_is_refused_with_the_section_10_words(cast, signed_in):
    requester = signed_in(cast.iasc_requester)
    req = start_draft(requester, "iasc_to_ho")
    response = requester.post(f"/requests/{req.reference}/edit/", draft_form_data(req, classification="SECRET"))
    assert response.status_code == 400, response.content.decode()[:3000]
    page = response.content.decode()
    assert "§10" in page and "separate arrangements" in page.lower()
    req.refresh_from_db()
    assert req.classification == "OFFICIAL"


def test_a_stale_page_is_told_the_request_changed_and_nothing_is_lost(cast, signed_in):
    req = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    spoc = signed_in(cast.spoc)
    stale_version = req.version
    assert act(spoc, req, "acknowledge").status_code == 302
    response = spoc.post(f"/requests/{req.reference}/acknowledge/", {"version": stale_version})
    assert response.status_code in (400, 409)
    assert "changed" in response.content.decode() or "cannot" in response.content.decode()


def test_the_wrong_person_cannot_act(cast, signed_in):
    req = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    # The requester may not acknowledge their own request; an outsider may not even see it.
    assert act(signed_in(cast.iasc_requester), req, "acknowledge").status_code == 403
    assert signed_in(cast.dwp_officer).get(f"/requests/{req.reference}/").status_code == 404
    assert act(signed_in(cast.dwp_officer), req, "acknowledge").status_code == 404
    assert signed_in(cast.researcher).get("/requests/").content.decode().count(req.reference) == 0


def test_official_sensitive_requests_are_need_to_know(cast, signed_in):
    req = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    page = signed_in(cast.spoc).get(f"/requests/{req.reference}/")
    assert page.status_code == 200
    assert re.search(r'data-testid="marking-top">OFFICIAL-SENSITIVE<', page.content.decode())
    # A case officer of the Home Office who is not on the list does not see it.
    assert signed_in(cast.ho_analyst).get(f"/requests/{req.reference}/").status_code == 404


def test_an_unknown_action_is_not_found(cast, signed_in):
    req = draft(cast.iasc_requester)
    assert signed_in(cast.iasc_requester).get(f"/requests/{req.reference}/escalate/").status_code == 404


def test_list_filters_and_search(cast, signed_in):
    first = draft(cast.iasc_requester, title="Re-trafficking evidence")
    draft(cast.iasc_requester, title="Duty to Notify statistics")
    client = signed_in(cast.iasc_requester)
    page = client.get("/requests/?q=trafficking").content.decode()
    assert first.reference in page and "Duty to Notify" not in page
    assert "Duty to Notify" in client.get("/requests/?state=draft").content.decode()
    assert first.reference not in client.get("/requests/?state=closed").content.decode()


def test_my_work_shows_what_waits_on_the_person(cast, signed_in):
    req = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    assert req.reference in signed_in(cast.spoc).get("/my-work/").content.decode()
    assert req.reference not in signed_in(cast.iasc_requester).get("/my-work/").content.decode()


def test_downloads_are_attachments_only_for_people_who_may_see_the_request(cast, signed_in):
    req = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    delivered = req.deliveries.first().files.first()
    response = signed_in(cast.iasc_requester).get(f"/files/{delivered.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # A file you may not see is no file, as in the API: the same 404 whether it exists or not
    assert signed_in(cast.dwp_officer).get(f"/files/{delivered.pk}/").status_code == 404
    assert signed_in(cast.dwp_officer).get(f"/files/{delivered.pk + 1000}/").status_code == 404


def test_pages_need_the_second_factor(cast, client):
    client.force_login(cast.iasc_requester)
    assert client.get("/requests/").status_code == 302


def test_a_complete_new_request_is_saved_and_submitted_in_one_go(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    response = client.post("/requests/new/iasc_to_ho/", {**draft_form_data_new(), "submit": "1"})
    assert response.status_code == 302
    req = Request.objects.get(title=COMPLETE_ELEMENTS["title"])
    assert req.state == RequestState.SUBMITTED


def test_a_new_request_refused_at_submission_stays_a_draft_and_shows_its_problems(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    response = client.post("/requests/new/iasc_to_ho/", {**draft_form_data_new(), "purpose": "", "submit": "1"})
    assert response.status_code == 400
    req = Request.objects.get(title=COMPLETE_ELEMENTS["title"])
    page = response.content.decode()
    assert req.state == RequestState.DRAFT and "§6(c)" in page
    assert f'action="/requests/{req.reference}/edit/"' in page  # fixing it edits this draft, not a new one


def test_a_route_not_open_to_the_person_is_not_found(cast, signed_in):
    assert signed_in(cast.iasc_requester).get("/requests/new/ho_to_iasc/").status_code == 404
    assert signed_in(cast.spoc).get("/requests/new/").status_code == 403


def draft_form_data_new():
    return {**COMPLETE_ELEMENTS, "classification": "OFFICIAL", "personal_data_category": "anonymised",
            "provision": "one_off"}
