"""The register through the API and the pages (§16): the same services, the same refusals. An arrangement you
may not see is a 404; one you see but may not act on is a 403; malformed input is a 400 naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arrangements.models import Arrangement
from tests.support.arrangements import active, complete_fields, drafted, regular_personal_request, today


def _json_fields(**overrides) -> dict:
    fields = complete_fields(**overrides)
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in fields.items()}


def test_a_party_drafts_it_through_the_api_and_another_signs_it_off(cast, api):
    response = api(cast.iasc_case_officer).post("/api/arrangements/", {
        **_json_fields(), "parties": ["iasc", "home-office"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["reference"], {p["slug"] for p in body["parties"]}) == (
        "draft", f"DSA-{body['id']:04d}", {"iasc", "home-office"})
    pk = body["id"]
    refused = api(cast.iasc_case_officer).post(f"/api/arrangements/{pk}/sign-off/", {"version": 1}, format="json")
    assert refused.status_code == 403
    signed = api(cast.ho_dpo).post(f"/api/arrangements/{pk}/sign-off/", {"version": 1}, format="json")
    assert signed.status_code == 200 and signed.json()["state"] == "active"
    stale = api(cast.ho_approver).post(f"/api/arrangements/{pk}/review/", {
        "version": 1, "next_review_on": (today() + timedelta(days=30)).isoformat(), "note": "Fine."}, format="json")
    assert stale.status_code == 409
    reviewed = api(cast.ho_approver).post(f"/api/arrangements/{pk}/review/", {
        "version": 2, "next_review_on": (today() + timedelta(days=30)).isoformat(), "note": "Fine."}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["review_on"] == (today() + timedelta(days=30)).isoformat()


def test_the_api_refuses_an_end_before_the_start_naming_the_field_and_clause(cast, api):
    response = api(cast.iasc_case_officer).post("/api/arrangements/", {
        **_json_fields(starts_on="2027-01-01", review_on="2026-12-01", ends_on="2026-12-31"),
        "parties": ["iasc", "home-office"]}, format="json")
    assert response.status_code == 400
    assert {"field": "ends_on", "clause": "§16"} in [
        {"field": e["field"], "clause": e["clause"]} for e in response.json()["errors"]]
    assert not Arrangement.objects.exists()


@pytest.mark.parametrize("body", [
    {"parties": "iasc"}, {"parties": ["iasc", "no-such-body"]}, {"starts_on": "yesterday"},
    {"personal_data_categories": "personal"}, {"dpia_outcome": "fine"}, {"title": "x" * 201},
    {"parties": ["iasc"] * 21}, {"starts_on": "99999-01-01"},
])
def test_malformed_input_is_a_400_and_saves_nothing(cast, api, body):
    response = api(cast.iasc_case_officer).post("/api/arrangements/", {
        **_json_fields(), "parties": ["iasc", "home-office"], **body}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert not Arrangement.objects.exists()


def test_another_organisation_gets_a_404_and_a_member_without_the_role_a_403(cast, api):
    arrangement = drafted(cast)
    for path in (f"/api/arrangements/{arrangement.pk}/", ):
        assert api(cast.dwp_officer).get(path).status_code == 404
        assert api(cast.spoc).get(path).status_code == 200
    assert api(cast.dwp_officer).get("/api/arrangements/").json()["results"] == []
    assert api(cast.dwp_officer).post(f"/api/arrangements/{arrangement.pk}/sign-off/", {"version": 1},
                                      format="json").status_code == 404
    assert api(cast.spoc).post(f"/api/arrangements/{arrangement.pk}/sign-off/", {"version": 1},
                               format="json").status_code == 403
    assert api(cast.spoc).patch(f"/api/arrangements/{arrangement.pk}/", {"version": 1, "title": "Mine"},
                                format="json").status_code == 403
    changed = api(cast.iasc_case_officer).patch(f"/api/arrangements/{arrangement.pk}/",
                                                {"version": 1, "title": "Renamed"}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"


def test_the_list_filters_by_state(cast, api):
    active(cast)
    drafted(cast)
    states = [a["state"] for a in api(cast.spoc).get("/api/arrangements/?state=active").json()["results"]]
    assert states == ["active"]
    assert api(cast.spoc).get("/api/arrangements/?state=nonsense").status_code == 400


def test_the_register_page_lists_filters_and_marks_an_overdue_review(cast, signed_in):
    overdue = active(cast)
    Arrangement.objects.filter(pk=overdue.pk).update(review_on=today() - timedelta(days=1))
    drafted(cast, title="A draft still")
    page = signed_in(cast.spoc).get("/arrangements/")
    assert page.status_code == 200
    html = page.content.decode()
    assert overdue.reference in html and "Review overdue" in html and "A draft still" in html
    only_drafts = signed_in(cast.spoc).get("/arrangements/?status=draft").content.decode()
    assert "A draft still" in only_drafts and overdue.reference not in only_drafts
    assert overdue.reference not in signed_in(cast.dwp_officer).get("/arrangements/").content.decode()


def test_the_pages_refuse_the_wrong_person_and_the_wrong_organisation(cast, signed_in):
    arrangement = drafted(cast)
    assert signed_in(cast.dwp_officer).get(f"/arrangements/{arrangement.pk}/").status_code == 404
    assert signed_in(cast.iasc_case_officer).get(f"/arrangements/{arrangement.pk}/sign_off/").status_code == 403
    assert signed_in(cast.iasc_case_officer).post(f"/arrangements/{arrangement.pk}/sign_off/",
                                                  {"version": 1}).status_code == 403
    assert signed_in(cast.spoc).get(f"/arrangements/{arrangement.pk}/edit/").status_code == 403
    assert signed_in(cast.spoc).get("/arrangements/new/").status_code == 403
    page = signed_in(cast.ho_dpo).get(f"/arrangements/{arrangement.pk}/")
    assert page.status_code == 200 and b"Sign off" in page.content
    done = signed_in(cast.ho_dpo).post(f"/arrangements/{arrangement.pk}/sign_off/", {"version": 1, "text": ""})
    assert done.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.state == "active" and arrangement.signed_off_by == cast.ho_dpo


def _form(**overrides) -> dict:
    day = today()
    data = {"title": "Quarterly NRM extract", "parties": [], "purpose": "Scrutiny.", "data_items": "Region.",
            "personal_data_categories": ["personal"], "lawful_basis": "Art 6(1)(e).",
            "dpia_reference": "", "dpia_outcome": ""}
    for name, when in (("starts_on", day), ("review_on", day + timedelta(days=90)),
                       ("ends_on", day + timedelta(days=365))):
        data.update({f"{name}_0": when.day, f"{name}_1": when.month, f"{name}_2": when.year})
    data.update(overrides)
    return data


def test_the_form_refuses_an_end_before_the_start_in_the_error_summary(cast, signed_in, orgs):
    client = signed_in(cast.iasc_case_officer)
    data = _form(parties=[orgs["iasc"].pk, orgs["home-office"].pk], ends_on_2=today().year - 1)
    page = client.post("/arrangements/new/", data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_ends_on"' in html and "(§16)" in html
    assert not Arrangement.objects.exists()
    made = client.post("/arrangements/new/", _form(parties=[orgs["iasc"].pk, orgs["home-office"].pk]))
    assert made.status_code == 302 and Arrangement.objects.get().drafted_by == cast.iasc_case_officer


def test_the_form_refuses_parties_without_the_drafters_own(cast, signed_in, orgs):
    page = signed_in(cast.iasc_case_officer).post("/arrangements/new/", _form(
        parties=[orgs["dwp"].pk, orgs["home-office"].pk]))
    assert page.status_code == 400 and 'href="#id_parties"' in page.content.decode()
    assert not Arrangement.objects.exists()


def test_the_request_page_shows_the_covering_arrangement(cast, signed_in):
    from sharing import services

    request = regular_personal_request(cast)
    before = signed_in(cast.iasc_requester).get(f"/requests/{request.reference}/").content.decode()
    assert "No active arrangement covers this request yet" in before
    arrangement = active(cast)
    services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    page = signed_in(cast.iasc_requester).get(f"/requests/{request.reference}/").content.decode()
    assert f"Covered by <a class=\"govuk-link\" href=\"/arrangements/{arrangement.pk}/\">{arrangement.reference}</a>" in page


def test_hostile_text_is_kept_as_typed_and_shown_escaped(cast, api, signed_in):
    from django.utils.html import escape

    from tests.functional.security.hostile import HOSTILE

    markup = HOSTILE["script"]
    response = api(cast.iasc_case_officer).post("/api/arrangements/", {
        **_json_fields(title=markup[:200], purpose=markup, dpia_reference=markup[:100]),
        "parties": ["iasc", "home-office"]}, format="json")
    assert response.status_code == 201
    made = Arrangement.objects.get()
    assert (made.title, made.purpose) == (markup[:200].strip(), markup.strip())
    for path in ("/arrangements/", f"/arrangements/{made.pk}/"):
        html = signed_in(cast.spoc).get(path).content.decode()
        assert markup[:200].strip() not in html and escape(markup[:200].strip()) in html
    nul = api(cast.iasc_case_officer).post("/api/arrangements/", {
        **_json_fields(title="A\x00B"), "parties": ["iasc", "home-office"]}, format="json")
    assert nul.status_code == 400 and Arrangement.objects.count() == 1


def test_the_submit_page_says_no_arrangement_covers_the_request(cast, signed_in):
    request = regular_personal_request(cast)
    page = signed_in(cast.iasc_requester).post(f"/requests/{request.reference}/submit/",
                                               {"version": request.version})
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html and "needs an active data sharing arrangement" in html and "(§16)" in html


def test_editing_an_active_arrangement_sends_you_back_to_it(cast, signed_in):
    arrangement = active(cast)
    client = signed_in(cast.iasc_case_officer)
    for answer in (client.get(f"/arrangements/{arrangement.pk}/edit/"),
                   client.post(f"/arrangements/{arrangement.pk}/edit/", {"version": arrangement.version})):
        assert answer.status_code == 302 and answer["Location"] == f"/arrangements/{arrangement.pk}/"
    page = client.get(f"/arrangements/{arrangement.pk}/").content.decode()
    assert "You cannot change this arrangement while it is active." in page
    arrangement.refresh_from_db()
    assert arrangement.version == 2
