"""Bounds on every id and text the pages and the API take: a number past any id, a page number of twenty
digits, an element of a million characters: each answered with a message naming the field (and the limit),
never a 500, and nothing stored."""

from __future__ import annotations

import pytest

from sharing.models import Request
from sharing.states import RequestState
from tests.support.requests import COMPLETE_ELEMENTS, draft, walk

HUGE = 10**20  # past a 64-bit integer


def test_ids_past_any_integer_are_refused_by_the_api(cast, api):
    request = draft(cast.iasc_requester)
    client = api(cast.iasc_requester)
    body = {"version": request.version, "named_people": [HUGE]}
    response = client.patch(f"/api/requests/{request.pk}/", body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"].startswith("named_people")
    created = client.post("/api/requests/", {"direction": "iasc_to_ho", "named_people": [-1]}, format="json")
    assert created.status_code == 400
    for path in (f"/api/requests/{HUGE}/", f"/api/approvals/{HUGE}/", f"/api/files/{HUGE}/download/",
                 f"/api/requests/{HUGE}/submit/"):
        method = client.post if path.endswith("submit/") else client.get
        assert method(path, {"version": 1}, format="json").status_code == 404, path
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    reassign = api(cast.spoc).post(f"/api/requests/{submitted.pk}/reassign/", {
        "version": submitted.version, "to_org": "ho-analysis", "to_user": HUGE, "reason": "Held there."},
        format="json")
    assert reassign.status_code == 400 and reassign.json()["errors"][0]["field"] == "to_user"
    stale = client.post(f"/api/requests/{request.pk}/submit/", {"version": HUGE}, format="json")
    assert stale.status_code == 400 and stale.json()["errors"][0]["field"] == "version"


def test_ids_past_any_integer_are_refused_by_the_pages(cast, signed_in):
    request = draft(cast.iasc_requester)
    client = signed_in(cast.iasc_requester)
    response = client.post(f"/requests/{request.reference}/edit/", {
        "version": request.version, **COMPLETE_ELEMENTS, "classification": "OFFICIAL",
        "personal_data_category": "anonymised", "provision": "one_off", "named_people": [str(HUGE)]})
    assert response.status_code == 400 and "named_people" in response.context["form"].errors
    for path in (f"/files/{HUGE}/", f"/approvals/{HUGE}/"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("field", ["necessity", "information_requested", "purpose", "access", "storage_retention",
                                   "disposal", "publication_detail", "legal_basis"])
def test_each_element_has_a_length_limit_named_in_the_message(cast, api, field):
    client = api(cast.iasc_requester)
    response = client.post("/api/requests/", {"direction": "iasc_to_ho", **COMPLETE_ELEMENTS,
                                              field: "x" * 1_000_000}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field and "20,000 characters" in error["message"]
    assert not Request.objects.exists()


def test_notes_questions_and_answers_have_a_length_limit(cast, api):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    response = api(cast.spoc).post(f"/api/requests/{request.pk}/acknowledge/",
                                   {"version": request.version, "note": "x" * 10_001}, format="json")
    assert response.status_code == 400 and "10,000 characters" in response.json()["errors"][0]["message"]


def test_the_reassign_page_refuses_a_team_or_person_past_any_id(cast, signed_in):
    request = walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    response = signed_in(cast.spoc).post(f"/requests/{request.reference}/reassign/", {
        "version": request.version, "to_org": str(HUGE), "to_user": str(HUGE), "reason": "Held there."})
    assert response.status_code == 400
    assert {"to_org", "to_user"} <= set(response.context["form"].errors)


def test_a_text_past_its_limit_is_refused_on_the_page_with_the_limit(cast, signed_in):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    response = signed_in(cast.spoc).post(f"/requests/{request.reference}/acknowledge/", {
        "version": request.version, "note": "x" * 10_001})
    assert response.status_code == 400 and "Keep this to 10,000 characters" in response.content.decode()


@pytest.mark.parametrize("reference", ["%00", "IASC-2021-0042%00", "x" * 300, "%1B%5B31m"])
def test_a_reference_with_a_control_character_or_past_any_length_is_a_404_and_audited(cast, signed_in, reference):
    """A NUL reached PostgreSQL, which refused it: a 500 (found by the documents helper). Now: no look-up at all, a
    404 like any other reference nobody may see, and the refusal on the record with the control characters written
    out."""
    from audit.models import AuditEvent

    client = signed_in(cast.iasc_requester)
    for path in (f"/requests/{reference}/", f"/requests/{reference}/edit/"):
        assert client.get(path).status_code == 404, path
    refused = AuditEvent.objects.filter(action="sharing.lookup_refused").last()
    assert refused is not None and refused.details["asked_for"].isprintable()
