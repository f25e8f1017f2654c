"""The OpenAPI document and its reference page, for signed-in people and token-holding systems only."""

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_schema_and_reference_are_served_to_a_signed_in_person(person, signed_in):
    client = signed_in(person("iasc", Role.REQUESTER))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/requests/" in schema.content
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "googleapis" not in html and "<style>" not in html
    assert "/static/drf_spectacular_sidecar/redoc/" in html
    assert "'unsafe-inline'" not in page["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_the_schema_is_not_public(client):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)
