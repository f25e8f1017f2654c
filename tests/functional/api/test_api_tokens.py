"""The API with tokens (ADR 16): refused once expired, revoked or the account disabled; held to their scope; limited
per token with 429 and Retry-After; described in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tokens
from accounts.token_models import ApiToken
from audit.models import AuditEvent
from tests.support.requests import COMPLETE_ELEMENTS
from tests.support.tokens import api_token_for, as_verified

REQUESTS = "/api/requests/"
DRAFT = {"direction": "iasc_to_ho", **COMPLETE_ELEMENTS, "classification": "OFFICIAL",
         "personal_data_category": "anonymised"}


def client_with(secret: str, address: str = "192.0.2.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def only_token_of(user) -> ApiToken:
    return ApiToken.objects.get(user=user)


@pytest.fixture
def requester(cast):
    return cast.iasc_requester


def test_an_act_token_reads_and_acts(requester):
    client = client_with(api_token_for(requester, "act"))
    assert client.get(REQUESTS).status_code == 200
    created = client.post(REQUESTS, DRAFT, format="json")
    assert created.status_code == 201, created.json()


def test_a_read_only_token_reads_and_is_refused_any_change_naming_its_scope(requester):
    client = client_with(api_token_for(requester, "read"))
    assert client.get(REQUESTS).status_code == 200
    assert client.head(REQUESTS).status_code == 200
    assert client.options(REQUESTS).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(client, method)(REQUESTS, DRAFT, format="json")
        assert refused.status_code == 403, method
        [error] = refused.json()["errors"]
        assert error["field"] is None and "read only" in error["message"] and method.upper() in error["message"]
    assert not AuditEvent.objects.filter(action="sharing.created").exists()
    assert client.get(REQUESTS).json()["count"] == 0


def test_an_expired_token_is_refused(requester):
    client = client_with(api_token_for(requester))
    assert client.get(REQUESTS).status_code == 200
    ApiToken.objects.filter(user=requester).update(expiry=timezone.now() - timedelta(seconds=1))
    refused = client.get(REQUESTS)
    assert refused.status_code == 401
    assert "expired" in refused.json()["errors"][0]["message"]
    assert refused["WWW-Authenticate"] == "Token"
    assert ApiToken.objects.filter(user=requester).exists()  # kept, shown as expired to its owner


def test_a_revoked_token_is_refused_at_once(requester):
    client = client_with(api_token_for(requester))
    assert client.get(REQUESTS).status_code == 200
    tokens.revoke_token(as_verified(requester), only_token_of(requester).pk)
    assert client.get(REQUESTS).status_code == 401


def test_a_disabled_account_s_token_is_refused(requester):
    client = client_with(api_token_for(requester))
    assert client.get(REQUESTS).status_code == 200
    type(requester).objects.filter(pk=requester.pk).update(is_active=False)  # even without the revoking signal
    assert client.get(REQUESTS).status_code == 401


def test_signing_out_of_the_web_session_leaves_tokens_working(requester, signed_in):
    client = client_with(api_token_for(requester))
    browser = signed_in(requester)
    assert browser.post("/accounts/logout/").status_code == 302
    assert client.get(REQUESTS).status_code == 200


@pytest.mark.parametrize("header", [
    b"Token", b"Token a b", b"Token nonsense", b"Token concordat_" + b"0" * 64, b"Token concordat_" + b"G" * 64,
    b"Token \xff\xfe", b"Token concordat_\x00" + b"0" * 63, b"Token " + b"9" * 10_000,
])
def test_a_malformed_or_unknown_token_is_refused_in_the_error_shape(requester, header):
    api_token_for(requester)
    client = APIClient()
    refused = client.get(REQUESTS, HTTP_AUTHORIZATION=header.decode("latin-1"))
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"]


def test_uses_are_noted_and_a_new_address_audited_once(requester):
    secret = api_token_for(requester)
    for _ in range(3):
        assert client_with(secret, "198.51.100.7").get(REQUESTS).status_code == 200
    token = only_token_of(requester)
    assert token.last_used_from == "198.51.100.7" and token.last_used_at is not None
    assert client_with(secret, "198.51.100.8").get(REQUESTS).status_code == 200
    events = AuditEvent.objects.filter(action="api_token.used_from_new_address").order_by("sequence")
    assert [e.details["address"] for e in events] == ["198.51.100.7", "198.51.100.8"]
    assert not any(secret[15:] in str(e.details) for e in AuditEvent.objects.all())


def rates(token: str, session: str = "1000/minute"):
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                             "DEFAULT_THROTTLE_RATES": {"token": token, "session": session}})


@pytest.fixture
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_each_token_is_limited_with_429_and_retry_after(requester, fresh_counts):
    first, second = client_with(api_token_for(requester)), client_with(api_token_for(requester, name="other"))
    with rates("3/minute"):
        assert [first.get(REQUESTS).status_code for _ in range(3)] == [200] * 3
        refused = first.get(REQUESTS)
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        [error] = refused.json()["errors"]
        assert error["field"] is None and "Too many requests" in error["message"]
        assert second.get(REQUESTS).status_code == 200  # a token of its own, an allowance of its own


def test_a_person_s_session_is_limited_by_person(requester, signed_in, fresh_counts):
    browser = signed_in(requester)
    with rates("1000/minute", session="2/minute"):
        assert [browser.get(REQUESTS).status_code for _ in range(2)] == [200, 200]
        refused = browser.get(REQUESTS)
        assert refused.status_code == 429 and refused.has_header("Retry-After")


def test_the_openapi_document_describes_the_token_and_429_everywhere(requester):
    document = client_with(api_token_for(requester, "read")).get("/api/schema/?format=json").json()
    scheme = document["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Authorization: Token <secret>" in scheme["description"]
    operations = [(path, method, operation) for path, item in document["paths"].items()
                  for method, operation in item.items()]
    assert len(operations) > 20
    for path, method, operation in operations:
        assert {"tokenAuth": []} in operation["security"], (path, method)
        too_many = operation["responses"]["429"]
        assert too_many["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Errors"}
        assert "Retry-After" in too_many["headers"], (path, method)


def test_a_secret_sharing_only_the_key_of_a_real_token_is_refused(requester):
    """The lookup is by the key (the secret's first characters); the rest must match the stored digest."""
    secret = api_token_for(requester)
    forged = secret[:-1] + ("0" if secret[-1] != "0" else "1")
    assert client_with(forged).get(REQUESTS).status_code == 401
    assert client_with(secret).get(REQUESTS).status_code == 200


def test_a_token_its_owner_and_their_organisation_are_read_in_one_query(requester, django_assert_num_queries):
    """ADR 56: the organisation every API request reads for need-to-know comes with the token."""
    from rest_framework.test import APIRequestFactory

    from accounts.token_auth import ApiTokenAuthentication

    secret = api_token_for(requester)
    client_with(secret).get(REQUESTS)  # the first use from an address is noted (ADR 16): not counted here
    request = APIRequestFactory().get(REQUESTS, HTTP_AUTHORIZATION=f"Token {secret}", REMOTE_ADDR="192.0.2.1")
    with django_assert_num_queries(1):
        user, token = ApiTokenAuthentication().authenticate(request)
        assert user.organisation == requester.organisation
    assert token.user_id == requester.pk
