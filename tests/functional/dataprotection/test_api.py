"""The personal-data record through the API (§15–17, Annex B): /api/requests/<id>/personal-data/ and .../confirm/."""

from __future__ import annotations

import pytest

from dataprotection import rules
from dataprotection.examples import ITEMS, example_fields
from tests.support.requests import draft, fresh, walk

pytestmark = pytest.mark.django_db


def url(request) -> str:
    return f"/api/requests/{request.pk}/personal-data/"


def test_the_requester_puts_the_record_and_reads_what_is_missing(cast, api):
    client = api(cast.iasc_requester)
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    empty = client.get(url(request)).json()
    assert empty["version"] == 0 and empty["needed"] is True and empty["data_items"] == []
    assert {"field": "article6_basis", "clause": "§17; UK GDPR Art 6(1)",
            "message": "Choose the UK GDPR Article 6 lawful basis for sharing."} in empty["problems"]
    answer = client.put(url(request), {"version": 0, **example_fields("special_category"), "data_items": ITEMS},
                        format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["version"] == 1 and body["problems"] == [] and len(body["data_items"]) == 2
    answer = client.put(url(request), {"version": 1, "retention": "One year."}, format="json")
    assert answer.json()["retention"] == "One year." and len(answer.json()["data_items"]) == 2  # items kept
    assert client.post(f"/api/requests/{request.pk}/submit/", {"version": fresh(request).version},
                       format="json").status_code == 200


def test_submitting_through_the_api_names_each_missing_piece(cast, api):
    request = draft(cast.iasc_requester, personal_data_category="criminal_offence", personal_data_record=False)
    answer = api(cast.iasc_requester).post(f"/api/requests/{request.pk}/submit/", {"version": request.version},
                                           format="json")
    assert answer.status_code == 400
    assert {"field": "article10_authority", "clause": "§17; UK GDPR Art 10",
            "message": "Choose the UK GDPR Article 10 authority for criminal offence data."} in answer.json()["errors"]


@pytest.mark.parametrize(("body", "field"), [
    ({"article6_basis": "g"}, "article6_basis"),
    ({"necessity": "x" * 10_001}, "necessity"),
    ({"dpia_reference": "x" * 501}, "dpia_reference"),
    ({"data_items": [{"item": "Name", "reason": "Why"}] * 1_000}, "data_items"),
    ({"data_items": "Name"}, "data_items"),
    ({"data_items": [{"item": "Name", "reason": ""}]}, "data_items"),
    ({"version": -1}, "version"),
    ({"version": "one"}, "version"),
])
def test_malformed_input_is_refused_naming_the_field(cast, api, body, field):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    answer = api(cast.iasc_requester).put(url(request), {"version": 0, **body}, format="json")
    assert answer.status_code == 400
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert rules.record_of(fresh(request)) is None


def test_the_other_organisation_gets_404_and_a_colleague_without_the_role_403(cast, api):
    request = draft(cast.iasc_requester, personal_data_category="personal")
    for outsider in (cast.spoc, cast.ho_requester, cast.ho_dpo):
        assert api(outsider).get(url(request)).status_code == 404
        assert api(outsider).put(url(request), {"version": 1, "retention": "x"}, format="json").status_code == 404
    assert api(cast.iasc_approver).get(url(request)).status_code == 200  # sees the request: reads the record
    answer = api(cast.iasc_approver).put(url(request), {"version": 1, "retention": "x"}, format="json")
    assert answer.status_code == 403
    assert api(cast.iasc_requester).put(url(request), {"version": 0, "retention": "x"},
                                        format="json").status_code == 409
    assert api(cast.iasc_requester).get("/api/requests/99999999/personal-data/").status_code == 404


def test_the_holder_confirms_through_the_api(cast, api):
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast, "under_assessment")
    confirm = url(request) + "confirm/"
    assert api(cast.iasc_requester).post(confirm, {"version": 1}, format="json").status_code == 403
    assert api(cast.ho_dpo).post(confirm, {}, format="json").status_code == 400
    answer = api(cast.ho_dpo).post(confirm, {"version": 1, "note": "Compliant."}, format="json")
    assert answer.status_code == 200 and answer.json()["confirmed"] is True
    assert answer.json()["confirmed_by"]["id"] == cast.ho_dpo.pk


def test_the_openapi_document_describes_the_record(cast, api):
    schema = api(cast.iasc_requester).get("/api/schema/?format=json").json()
    record = schema["paths"]["/api/requests/{id}/personal-data/"]
    assert set(record) >= {"get", "put"} and {"400", "403", "404", "409"} <= set(record["put"]["responses"])
    assert "/api/requests/{id}/personal-data/confirm/" in schema["paths"]


def test_the_hostile_text_sweep_reaches_the_records_forms_and_serializers(db):
    from tests.functional.security import hostile

    assert {"PersonalDataForm", "ConfirmPersonalDataForm"} <= {cls.__name__ for cls in hostile.project_forms()}
    assert {"PersonalDataWriteSerializer", "DataItemSerializer", "ConfirmSerializer"} <= {
        cls.__name__ for cls in hostile.project_serializers()}
