"""The escalations API (§13–14): escalating, each rung's outcome, going up; §14's refusal with the protocol's
words; 403 for who sees but may not act, 404 (or the same 400 on create) for who may not see, 409 when stale."""

from __future__ import annotations

import pytest

from escalations.models import Escalation
from sharing.states import Decision, RequestState
from tests.support.escalations import RECORD, declined_request, escalated
from tests.support.requests import DECIDED, draft, fresh, walk

pytestmark = pytest.mark.django_db

FINAL = "The IASC's decision on whether to share information with the HO is final"


def _body(target, **extra):
    return {"request": target.reference, "version": target.version, "grounds": "declined",
            "reasons": RECORD["reasons"], "ho_objections": RECORD["ho_objections"],
            "attempts_to_resolve": RECORD["attempts"], **extra}



def test_escalating_and_deciding_through_the_api(cast, api, ladder_people):
    request = declined_request(cast)
    response = api(cast.iasc_requester).post("/api/escalations/", _body(request), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["position"], body["rung_key"]) == ("at_rung", 1, "policy_lead")
    assert body["request"] == request.reference and len(body["steps"]) == 1
    pk = body["id"]
    decided = api(ladder_people.policy_lead).post(f"/api/escalations/{pk}/decide/", {
        "version": body["version"], "outcome": "not_resolved", "note": "Reasonable; not mine to resolve."},
        format="json")
    assert decided.status_code == 200 and decided.json()["state"] == "not_resolved"
    skipped = api(cast.iasc_requester).post(f"/api/escalations/{pk}/go-up/", {
        "version": decided.json()["version"], "rung": "ministers"}, format="json")
    assert skipped.status_code == 400
    assert skipped.json()["errors"][0]["field"] == "rung" and skipped.json()["errors"][0]["clause"] == "§13"
    up = api(cast.iasc_requester).post(f"/api/escalations/{pk}/go-up/", {"version": decided.json()["version"]},
                                       format="json")
    assert up.status_code == 200 and up.json()["rung_key"] == "director"
    resolved = api(ladder_people.director).post(f"/api/escalations/{pk}/decide/", {
        "version": up.json()["version"], "outcome": "resolved", "note": "The HO will provide."}, format="json")
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    assert fresh(request).state == RequestState.UNDER_ASSESSMENT
    listed = api(ladder_people.director).get("/api/escalations/").json()
    assert [e["id"] for e in listed["results"]] == [pk]


def test_an_ho_request_to_the_iasc_cannot_be_escalated(cast, api):
    """§14: 400 on the field "request", clause §14, in the protocol's own words."""
    request = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, DECIDED, decision=Decision.DECLINED)
    response = api(cast.ho_requester).post("/api/escalations/", _body(request), format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["clause"]) == ("request", "§14") and FINAL in error["message"]
    assert not Escalation.objects.exists()


def test_create_refuses_an_unseen_request_as_an_unknown_one(cast, api):
    request = declined_request(cast, classification="OFFICIAL-SENSITIVE")
    unseen = api(cast.dwp_officer).post("/api/escalations/", _body(request), format="json")
    unknown = api(cast.dwp_officer).post("/api/escalations/", {**_body(request), "request": "IASC-1999-9999"},
                                         format="json")
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json() == unknown.json()


def test_the_holder_may_not_escalate(cast, api):
    request = declined_request(cast)
    response = api(cast.msu_assessor).post("/api/escalations/", _body(request), format="json")
    assert response.status_code == 403


def test_malformed_input_names_the_field(cast, api):
    request = declined_request(cast)
    for bad in ({"grounds": "whim"}, {"version": "x"}, {"reasons": "x" * 10_001}, {"version": 0}):
        response = api(cast.iasc_requester).post("/api/escalations/", _body(request, **bad), format="json")
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] in bad
    missing = api(cast.iasc_requester).post("/api/escalations/", _body(request, reasons="", ho_objections=""),
                                            format="json")
    assert {(e["field"], e["clause"]) for e in missing.json()["errors"]} == {("reasons", "§13"),
                                                                             ("ho_objections", "§13")}
    assert not Escalation.objects.exists()


def test_wrong_person_stale_version_and_unseen_escalation(cast, api, ladder_people):
    escalation = escalated(cast, declined_request(cast, classification="OFFICIAL-SENSITIVE"))
    url = f"/api/escalations/{escalation.pk}/decide/"
    body = {"version": escalation.version, "outcome": "resolved"}
    assert api(cast.iasc_requester).post(url, body, format="json").status_code == 403  # sees, may not decide
    assert api(ladder_people.director).post(url, body, format="json").status_code == 404  # not yet its rung
    assert api(cast.dwp_officer).get(f"/api/escalations/{escalation.pk}/").status_code == 404
    stale = api(ladder_people.policy_lead).post(url, {**body, "version": escalation.version + 1}, format="json")
    assert stale.status_code == 409
    assert api(ladder_people.policy_lead).post(url, body, format="json").status_code == 200
