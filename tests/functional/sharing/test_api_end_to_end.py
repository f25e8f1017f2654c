"""Both directions of the protocol, and a request outside it, from draft to closed through the API only."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from dataprotection.examples import ITEMS, example_fields
from tests.support.requests import COMPLETE_ELEMENTS

REQUESTS = "/api/requests/"


def url(request_id: int, action: str = "") -> str:
    return f"{REQUESTS}{request_id}/" + (f"{action}/" if action else "")


def post(client, request_id: int, action: str, version: int, **data):
    response = client.post(url(request_id, action), {"version": version, **data}, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_iasc_request_to_the_home_office_from_draft_to_closed(cast, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_id = _iasc_request_from_draft_to_closed(cast, api)
    assert verify_stored_chain().ok
    on_the_request = AuditEvent.objects.filter(object_type="sharing.request", object_id=str(request_id))
    assert on_the_request.exclude(action="sharing.viewed").count() == 13  # one per step
    assert on_the_request.filter(action="sharing.viewed").count() == 1  # the assessor read it once (OFFICIAL-SENSITIVE)
    # Four approvals (§10; §17 senior officials and Ministers; data protection), each asked and approved: their own
    # cases, on the same chain.
    assert AuditEvent.objects.filter(object_type="approvals.approval").count() == 8
    subjects = sorted(message.subject for message in mail.outbox)
    assert all(subject.startswith("OFFICIAL-SENSITIVE: ") for subject in subjects)
    assert {m.to[0] for m in mail.outbox if m.subject.endswith("submitted")} == {"spoc@example.org"}
    assert {m.subject.split(" ", 2)[-1] for m in mail.outbox if m.to == ["iasc.requester@example.org"]} == {
        "acknowledged", "needs further information", "decided", "provided"}


def _iasc_request_from_draft_to_closed(cast, api) -> int:
    requester, spoc, approver = api(cast.iasc_requester), api(cast.spoc), api(cast.ho_approver)
    assessor = api(cast.ho_assessor)

    created = requester.post(REQUESTS, {
        "direction": "iasc_to_ho", **COMPLETE_ELEMENTS, "classification": "OFFICIAL-SENSITIVE",
        "personal_data_category": "pseudonymised", "named_people": [cast.iasc_case_officer.pk]}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert re.fullmatch(rf"IASC-{timezone.localdate().year}-\d{{4}}", body["reference"])
    assert body["state"] == "draft" and body["version"] == 1
    assert [e["clause"] for e in body["elements"]] == [f"§6({letter})" for letter in "abcdefg"]
    request_id = body["id"]

    patched = requester.patch(url(request_id), {"version": 1, "legal_basis": "UK GDPR Art 6(1)(e); MSA 2015 s41."},
                              format="json")
    assert patched.status_code == 200, patched.json()
    refused = requester.post(url(request_id, "submit"), {"version": 2}, format="json")
    assert refused.status_code == 400 and "article6_basis" in {e["field"] for e in refused.json()["errors"]}
    record = requester.put(url(request_id, "personal-data"), {"version": 0, **example_fields("pseudonymised"),
                                                              "data_items": ITEMS}, format="json")
    assert record.status_code == 200 and record.json()["problems"] == [], record.json()  # §15–17, Annex B
    body = post(requester, request_id, "submit", 2)
    assert body["state"] == "submitted" and body["protocol_version"] == "2020-05-13"
    assert body["received_on"] and body["acknowledge_by"] and body["provide_by"]
    assert [m["key"] for m in body["milestones"]] == ["acknowledgement", "provision"]
    assert body["routed_to"]["slug"] == "msu" and body["owner"] == "recipient"

    body = post(spoc, request_id, "acknowledge", body["version"], note="Being considered.")
    body = post(spoc, request_id, "reassign", body["version"], to_org="ho-analysis", to_user=cast.ho_assessor.pk,
                reason="The NRM data is held by Analysis and Insight.")
    assert body["assigned_org"]["slug"] == "ho-analysis"
    assert body["reassignments"][0]["reason"].startswith("The NRM data")
    body = post(assessor, request_id, "start_assessment", body["version"])
    body = post(assessor, request_id, "request_further_information", body["version"],
                question="Why is pseudonymised data needed rather than anonymised?")
    assert body["state"] == "further_information_requested"
    body = post(requester, request_id, "respond", body["version"], answer="To link repeat referrals.",
                changes={"storage_retention": "Encrypted store, one year."})
    assert body["state"] == "under_assessment" and body["storage_retention"] == "Encrypted store, one year."

    answers = [{"item": row["key"], "satisfied": True, "note": ""} for row in body["checklist"]]
    body = post(assessor, request_id, "record_checklist", body["version"], answers=answers)
    refused = assessor.post(url(request_id, "decide"), {"version": body["version"], "decision": "agreed"},
                            format="json")
    assert refused.status_code == 400
    assert {e["clause"] for e in refused.json()["errors"]} == {"§10", "§15–17", "§17"}
    confirmed = assessor.post(url(request_id, "personal-data/confirm"), {"version": 1}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True  # §17, the holder's check
    assert set(body["approvals_required"]) == {"classification", "personal_data", "ministerial", "data_protection"}
    body = post(assessor, request_id, "request_approval", body["version"], justification="Repeat referrals.")
    assert {(a["kind"], a["role_required"], a["state"]) for a in body["approvals"]} == {
        ("classification", "approver", "requested"), ("personal_data", "approver", "requested"),
        ("ministerial", "minister", "requested"), ("data_protection", "dpo", "requested")}
    assert assessor.get("/api/approvals/", {"waiting": "me"}).json()["count"] == 0  # not the one who asked
    dpo, ministers_office = api(cast.ho_dpo), api(cast.ho_minister)
    for who, kinds in ((approver, {"classification", "personal_data"}), (dpo, {"data_protection"}),
                       (ministers_office, {"ministerial"})):
        mine = who.get("/api/approvals/", {"waiting": "me"}).json()["results"]
        assert {a["kind"] for a in mine} == kinds
        for approval in mine:
            decided = who.post(f"/api/approvals/{approval['id']}/approve/",
                               {"version": approval["version"], "text": "Approved."}, format="json")
            assert decided.status_code == 200 and decided.json()["state"] == "approved", decided.json()
    body = assessor.get(url(request_id)).json()
    body = post(assessor, request_id, "decide", body["version"], decision="agreed")
    assert body["state"] == "agreed"
    assert body["decision"] == "agreed" and body["decided_by"]["id"] == cast.ho_assessor.pk

    csv = SimpleUploadedFile("re-trafficking.csv", b"region,referrals\nNorth East,12\n", content_type="text/html")
    delivered = assessor.post(url(request_id, "deliver"), {"version": body["version"], "description": "Tables",
                                                           "marking": "OFFICIAL-SENSITIVE", "files": [csv]},
                              format="multipart")
    assert delivered.status_code == 201, delivered.json()
    body = delivered.json()
    stored = body["deliveries"][0]["files"][0]
    assert stored["content_type"] == "text/csv" and stored["size"] == 31 and len(stored["sha256"]) == 64

    download = requester.get(stored["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "text/csv"
    assert b"".join(download.streaming_content) == b"region,referrals\nNorth East,12\n"

    body = post(requester, request_id, "close", body["version"], note="Received, thank you.")
    assert body["state"] == "closed" and body["available_actions"] == []
    assert [event["action"] for event in body["events"]] == [
        "create", "update", "submit", "acknowledge", "reassign", "start_assessment", "request_further_information",
        "respond", "record_checklist", "request_approval", "decide", "deliver", "close"]
    return request_id


def test_home_office_request_to_the_iasc_is_decided_by_the_commissioner(cast, api):
    requester, case_officer = api(cast.ho_requester), api(cast.iasc_case_officer)
    assessor, commissioner = api(cast.iasc_assessor), api(cast.commissioner)

    created = requester.post(REQUESTS, {"direction": "ho_to_iasc", **COMPLETE_ELEMENTS}, format="json").json()
    assert created["reference"].startswith("HO-")
    assert [e["clause"] for e in created["elements"]][0] == "§8(a)"
    request_id = created["id"]
    body = post(requester, request_id, "submit", created["version"])
    assert body["routed_to"]["slug"] == "iasc" and body["routed_role"] == "case_officer"
    body = post(case_officer, request_id, "acknowledge", body["version"])
    body = post(assessor, request_id, "start_assessment", body["version"])
    answers = [{"item": row["key"], "satisfied": True} for row in body["checklist"]]
    assert [row["clause"] for row in body["checklist"]][-1] == "§9(e)"
    body = post(assessor, request_id, "record_checklist", body["version"], answers=answers)

    by_assessor = assessor.post(url(request_id, "decide"), {"version": body["version"], "decision": "agreed"},
                                format="json")
    assert by_assessor.status_code == 403
    body = post(commissioner, request_id, "decide", body["version"], decision="agreed_in_part",
                provided_scope="Survey themes.", withheld_scope="Individual responses.")
    assert body["provided_scope"] == "Survey themes." and body["approvals_required"] == []
    nothing = assessor.post(url(request_id, "deliver"), {"version": body["version"], "description": "Themes",
                                                         "marking": "OFFICIAL"}, format="multipart")
    assert nothing.status_code == 400 and nothing.json()["errors"][0]["field"] == "files"
    delivered = assessor.post(url(request_id, "deliver"), {"version": body["version"], "description": "Themes",
                                                           "answer": "Three themes: access, continuity, trust.",
                                                           "marking": "OFFICIAL"}, format="multipart")
    assert delivered.status_code == 201, delivered.json()
    body = post(requester, request_id, "close", delivered.json()["version"])
    assert body["state"] == "closed"
    assert verify_stored_chain().ok


def test_request_to_another_department_uses_the_requesters_target_dates(cast, api):
    requester, dwp = api(cast.iasc_requester), api(cast.dwp_officer)
    today = timezone.localdate()
    created = requester.post(REQUESTS, {
        "direction": "other_government_departments", "holder_org": "dwp", **COMPLETE_ELEMENTS,
        "acknowledge_by": str(today + timedelta(days=7)), "provide_by": str(today + timedelta(days=28))},
        format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["route"] == "ogd" and body["holder_org"]["slug"] == "dwp"
    assert {e["clause"] for e in body["elements"]} == {"§18"}
    request_id = body["id"]
    body = post(requester, request_id, "submit", body["version"])
    assert body["acknowledge_by"] == str(today + timedelta(days=7))
    assert body["provide_by"] == str(today + timedelta(days=28))
    assert body["checklist"] == []

    body = post(dwp, request_id, "acknowledge", body["version"])
    # DWP does not work in this service: the IASC case officer records its replies.
    recorder = api(cast.iasc_case_officer)
    for action in ("start_assessment",):
        body = post(recorder, request_id, action, body["version"])
    body = post(recorder, request_id, "decide", body["version"], decision="agreed")
    delivered = recorder.post(url(request_id, "deliver"), {"version": body["version"], "description": "Benefit data",
                                                           "answer": "DWP holds no such data.", "marking": "OFFICIAL"},
                              format="multipart")
    body = post(requester, request_id, "close", delivered.json()["version"])
    assert body["state"] == "closed"


def test_the_api_lists_only_what_the_person_may_see_and_filters_it(cast, api):
    mine = api(cast.iasc_requester).post(REQUESTS, {"direction": "iasc_to_ho", **COMPLETE_ELEMENTS},
                                         format="json").json()
    theirs = api(cast.ho_requester).post(REQUESTS, {"direction": "ho_to_iasc", **COMPLETE_ELEMENTS},
                                         format="json").json()
    assert api(cast.iasc_requester).get(REQUESTS).json()["count"] == 1  # the HO's draft stays with the HO
    post(api(cast.ho_requester), theirs["id"], "submit", theirs["version"])

    listed = api(cast.iasc_requester).get(REQUESTS).json()
    assert {row["direction"] for row in listed["results"]} == {"iasc_to_ho", "ho_to_iasc"}
    only_mine = api(cast.iasc_requester).get(REQUESTS, {"direction": "iasc_to_ho", "state": ["draft", "closed"]}).json()
    assert [row["id"] for row in only_mine["results"]] == [mine["id"]]
    searched = api(cast.iasc_requester).get(REQUESTS, {"search": mine["reference"]}).json()
    assert [row["id"] for row in searched["results"]] == [mine["id"]]
    by_org = api(cast.iasc_requester).get(REQUESTS, {"organisation": "msu"}).json()  # routed there; asked from there
    assert {row["id"] for row in by_org["results"]} == {mine["id"], theirs["id"]}
    assert api(cast.iasc_requester).get(REQUESTS, {"organisation": "ho-analysis"}).json()["count"] == 0
    assert api(cast.iasc_requester).get(REQUESTS, {"owner": "me"}).json()["count"] == 1
    assert api(cast.iasc_requester).get(REQUESTS, {"overdue": "true"}).json()["count"] == 0
    assert api(cast.dwp_officer).get(REQUESTS).json()["count"] == 0
    assert api(cast.dwp_officer).get(url(mine["id"])).status_code == 404


def test_the_schema_documents_every_action(cast, api):
    schema = api(cast.iasc_requester).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for action in ("submit", "acknowledge", "reassign", "start_assessment", "request_further_information",
                   "respond", "record_checklist", "request_approval", "decide", "deliver", "close", "withdraw"):
        assert f"/api/requests/{{id}}/{action}/" in paths
    for outcome in ("approve", "refuse", "return"):
        assert f"/api/approvals/{{id}}/{outcome}/" in paths
    assert "/api/files/{id}/download/" in paths
