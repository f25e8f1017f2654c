"""Datasets and releases through the pages and the API (§15): upload, draft with its preview, two checkers'
verdicts hidden from each other until both are in, consolidation and delivery; the wrong person or organisation
403/404; a stale page 409; malformed input 400 naming the field."""

from __future__ import annotations

import pytest

from releases import services
from releases.models import Dataset, Release
from tests.support.releases import ROLES, agreed_request, csv_upload, drafted, records

pytestmark = pytest.mark.django_db
API = "/api/releases/"


def test_a_dataset_is_uploaded_on_its_page_and_shown_with_its_columns(cast, signed_in):
    assessor = signed_in(cast.msu_assessor)
    response = assessor.post("/outputs/datasets/new/", {
        "title": "NRM referrals", "file": csv_upload(), "classification": "OFFICIAL",
        "personal_data_category": "personal", "data_source": "nrm_case_records",
        "direct_identifiers": "nrm_reference", "quasi_identifiers": "age, gender", "sensitive": "exploitation_type"})
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = Dataset.objects.get()
    page = assessor.get(response["Location"]).content.decode()
    assert "Direct identifier (always dropped)" in page and "nrm_reference" in page
    assert dataset.columns.get(name="age").role == "quasi_identifier"
    assert signed_in(cast.iasc_requester).get(f"/outputs/datasets/{dataset.pk}/").status_code == 404
    assert signed_in(cast.iasc_requester).get("/outputs/datasets/new/").status_code == 403


def test_a_file_that_is_not_what_it_says_and_an_unknown_column_are_refused_naming_the_field(cast, signed_in, api):
    assessor = signed_in(cast.msu_assessor)
    base = {"title": "NRM", "classification": "OFFICIAL", "personal_data_category": "personal",
            "data_source": "nrm_case_records"}
    liar = csv_upload(name="nrm.parquet")
    response = assessor.post("/outputs/datasets/new/", {**base, "file": liar})
    assert response.status_code == 400 and "by its content" in response.content.decode()
    response = assessor.post("/outputs/datasets/new/", {**base, "file": csv_upload(), "quasi_identifiers": "shoe_size"})
    assert response.status_code == 400 and "The file has no column" in response.content.decode()
    answer = api(cast.msu_assessor).post("/api/datasets/", {**base, "file": csv_upload(records().head(0))})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "file"
    assert Dataset.objects.count() == 0


def test_the_request_page_offers_a_safe_output_to_whoever_may_deliver_and_to_nobody_else(cast, signed_in):
    request = agreed_request(cast)
    holder_page = signed_in(cast.msu_assessor).get(f"/requests/{request.reference}/").content.decode()
    assert 'data-testid="draft-release"' in holder_page
    assert f'href="/outputs/releases/new/{request.reference}/"' in holder_page
    requester_page = signed_in(cast.iasc_requester).get(f"/requests/{request.reference}/").content.decode()
    assert 'data-testid="draft-release"' not in requester_page


def test_a_table_is_previewed_with_its_suppression_pattern_then_checked_and_delivered(cast, checkers, signed_in,
                                                                                      api, dataset):
    request = agreed_request(cast)
    author = signed_in(cast.msu_assessor)
    response = author.post(f"/outputs/releases/new/{request.reference}/", {
        "title": "Referrals by force", "dataset": dataset.pk, "kind": "table",
        "dimensions": "police_force_area, exploitation_type", "measure": "count", "hierarchies": "no",
        "threshold": 10, "zeros_disclosive": "no", "rounding": "none", "rounding_base": 5,
        "redact_at_or_below": 7, "protection_fraction": 0.3})
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get()
    page = author.get(response["Location"]).content.decode()
    assert 'data-testid="preview"' in page and "primary: threshold" in page and "secondary: protects" in page
    assert 'data-status="secondary"' in page and "Submit to two output checkers" in page
    assert author.post(f"/outputs/releases/{release.pk}/submit/", {"version": 1}).status_code == 302
    first, second = signed_in(checkers.first), signed_in(checkers.second)
    response = first.post(f"/outputs/releases/{release.pk}/check/", {"version": 2, "verdict": "unsafe",
                                                                      "note": "Too fine."})
    assert response.status_code == 302
    page = second.get(f"/outputs/releases/{release.pk}/").content.decode()
    verdicts = page.split('data-testid="verdicts"')[1].split("</ul>")[0]
    assert "Too fine." not in page and "Not safe" not in verdicts  # the other verdict is hidden
    assert api(checkers.second).get(f"{API}{release.pk}/").json()["checks"] == []
    assert second.post(f"/outputs/releases/{release.pk}/check/", {"version": 3, "verdict": "safe"}).status_code == 302
    assert "Too fine." in second.get(f"/outputs/releases/{release.pk}/").content.decode()
    assert len(api(checkers.second).get(f"{API}{release.pk}/").json()["checks"]) == 2


def test_the_author_approving_their_own_release_is_refused_and_a_stale_page_is_409(cast, checkers, signed_in,
                                                                                   api, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    author = signed_in(cast.msu_assessor)
    assert author.post(f"/outputs/releases/{release.pk}/check/", {"version": 2, "verdict": "safe"}).status_code == 403
    answer = api(cast.msu_assessor).post(f"{API}{release.pk}/check/", {"version": 2, "verdict": "safe"},
                                         format="json")
    assert answer.status_code == 403
    first = signed_in(checkers.first)
    assert first.post(f"/outputs/releases/{release.pk}/check/", {"version": 1, "verdict": "safe"}).status_code == 409
    assert signed_in(cast.iasc_requester).get(f"/outputs/releases/{release.pk}/").status_code == 404
    assert signed_in(checkers.elsewhere).get(f"/outputs/releases/{release.pk}/").status_code == 404


@pytest.mark.parametrize(("spec", "policy", "field"), [
    ({"dimensions": ["shoe_size"]}, None, "dimensions"),
    ({"dimensions": ["nrm_reference"]}, None, "dimensions"),  # a direct identifier: dropped
    ({"dimensions": ["referral_date"]}, None, "dimensions"),  # thousands of categories
    ({"dimensions": ["gender"]}, {"rounding": "redact_then_round", "threshold": 10}, "threshold"),
    ({"dimensions": ["gender"]}, {"threshold": "ten"}, "threshold"),
    ({"dimensions": ["gender"], "measure": "sum"}, None, "column"),
])
def test_bad_table_input_is_refused_naming_the_field(cast, api, dataset, spec, policy, field):
    request = agreed_request(cast)
    answer = api(cast.msu_assessor).post(API, {"request": request.reference, "dataset": dataset.pk,
                                                     "kind": "table", "title": "T", **spec,
                                                     **({"policy": policy} if policy else {})}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][0]["field"] == field


def test_a_k_larger_than_the_data_is_refused_naming_k(cast, api, dataset):
    request = agreed_request(cast)
    answer = api(cast.msu_assessor).post(API, {
        "request": request.reference, "dataset": dataset.pk, "kind": "extract", "title": "E",
        "quasi_identifiers": ["age", "gender"], "sensitive": ["exploitation_type"], "k": 50_000}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "k"


def test_the_api_uploads_a_dataset_and_refuses_the_wrong_person(cast, api):
    data = {"file": csv_upload(), "title": "NRM", "classification": "OFFICIAL", "personal_data_category": "personal",
            "data_source": "nrm_case_records"}
    assert api(cast.iasc_requester).post("/api/datasets/", data).status_code == 403
    answer = api(cast.msu_assessor).post("/api/datasets/", {**data, "file": csv_upload()})
    assert answer.status_code == 201, answer.content
    assert {c["name"] for c in answer.json()["columns"]} >= set(ROLES)
    assert api(cast.iasc_requester).get(f"/api/datasets/{answer.json()['id']}/").status_code == 404
