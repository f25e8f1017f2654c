"""The OpenAPI document describes every answer (issue 8): errors in one shape, downloads in their real types."""

from sharing.files import ALLOWED_TYPES


def test_every_operation_documents_its_errors_and_downloads_their_types(cast, api):
    schema = api(cast.iasc_requester).get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Errors"]["required"] == ["errors"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"400", "409"} <= codes, (method, path)
    download = schema["paths"]["/api/files/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert set(download) == set(ALLOWED_TYPES) and "text/csv" in download


def test_a_refusal_matches_the_documented_shape(cast, api):
    answer = api(cast.iasc_requester).post("/api/requests/", {"direction": "nowhere"}, format="json")
    assert answer.status_code == 400
    [problem] = answer.json()["errors"]
    assert set(problem) == {"field", "clause", "message"}


def test_downloads_document_the_vaults_integrity_refusal(cast, api):
    """A stored copy that fails the vault's integrity check is a plain-text 409 (ADR 27), and the document says so."""
    schema = api(cast.iasc_requester).get("/api/schema/?format=json").json()
    for path in ("/api/files/{id}/download/", "/api/publication-files/{id}/download/"):
        answer = schema["paths"][path]["get"]["responses"]["409"]
        assert "text/plain" in answer["content"] and "integrity" in answer["description"], path
