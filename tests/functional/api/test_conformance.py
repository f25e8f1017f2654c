"""What schemathesis found (issue 8, item 8), one test each: answers the document did not list, an answer in
Django's HTML instead of the API's error shape, and path parameters the document described wrongly."""

from __future__ import annotations

import re

import pytest

from concordat.limits import ID_PATTERN

ERROR_KEYS = {"field", "clause", "message"}


@pytest.fixture
def document(cast, api):
    return api(cast.iasc_requester).get("/api/schema/?format=json").json()


def _is_error_shape(answer) -> bool:
    return (answer["Content-Type"] == "application/json"
            and all(set(problem) == ERROR_KEYS for problem in answer.json()["errors"]))


def test_a_page_a_list_does_not_have_is_a_documented_404(cast, api, document):
    for page in ("0", "99", "x"):
        answer = api(cast.iasc_requester).get(f"/api/requests/?page={page}")
        assert answer.status_code == 404 and _is_error_shape(answer), page
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if any(p["in"] == "query" and p["name"] == "page" for p in operation.get("parameters", [])):
                assert "404" in operation["responses"], (method, path)


def test_a_filter_value_a_list_cannot_take_is_a_documented_400(cast, api, document):
    answer = api(cast.iasc_requester).get("/api/requests/?state=nonsense")
    assert answer.status_code == 400 and _is_error_shape(answer)
    assert answer.json()["errors"][0]["field"] == "state"
    assert "400" in document["paths"]["/api/requests/"]["get"]["responses"]


def test_a_body_with_too_many_fields_is_refused_in_the_error_shape(cast, api):
    # Past DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) Django raises while DRF parses: it was Django's HTML 400 page.
    answer = api(cast.iasc_requester).post("/api/notifications/read/", {"ids": list(range(1, 1002))},
                                           format="multipart")
    assert answer.status_code == 400 and _is_error_shape(answer)
    assert answer.json()["errors"][0]["message"] == "The request has too many fields."


def test_every_path_parameter_is_in_its_path_with_the_pattern_its_url_takes(document):
    # The download documented a "pk" that is no parameter of /api/files/{id}/download/; protocol slugs and versions
    # were any text, though the URLs take only <slug:> and <str:>.
    patterns = {"id": f"^{ID_PATTERN}$", "slug": "^[-a-zA-Z0-9_]+$", "version": "^[^/]+$"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            in_path = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert set(in_path) == set(re.findall(r"{(\w+)}", path)), (method, path)
            for name, schema in in_path.items():
                assert schema.get("pattern") == patterns[name], (method, path, name)


def test_an_unroutable_api_path_answers_in_the_error_shape(cast, api):
    answer = api(cast.iasc_requester).get("/api/requests/not-a-number/")
    assert answer.status_code == 404
    assert _is_error_shape(answer)
