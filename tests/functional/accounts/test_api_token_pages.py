"""A person's API tokens on their profile page (ADR 16): made with bounded input, the secret shown once, listed
without it, revoked by their owner only, every form protected against cross-site requests."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.roles import Role
from accounts.token_models import ApiToken
from audit.models import AuditEvent
from tests.support.tokens import api_token_for

pytestmark = pytest.mark.django_db

NEW = "/profile/tokens/new/"
GOOD = {"name": "Case management system", "scope": "read", "days": "90"}


def revoke_url(token) -> str:
    return f"/profile/tokens/{token.pk}/revoke/"


@pytest.fixture
def priya(person):
    return person("iasc", Role.REQUESTER, username="priya")


def secret_in(html: str) -> str:
    return re.search(r"concordat_[0-9a-f]{64}", html).group(0)


def test_a_token_is_made_and_its_secret_shown_once(priya, signed_in):
    client = signed_in(priya)
    assert client.get(NEW).status_code == 200
    made = client.post(NEW, GOOD)
    assert made.status_code == 200
    html = made.content.decode()
    secret = secret_in(html)
    assert "Copy your API token now" in html and "only time you will see this token" in html
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=priya)
    assert (token.name, token.scope) == ("Case management system", "read")
    profile = client.get("/profile/").content.decode()
    assert "Case management system" in profile and "Read only" in profile and "Never" in profile
    assert secret not in profile and secret[15:] not in profile and token.digest not in profile
    assert not re.search(r"concordat_[0-9a-f]{64}", client.get(NEW).content.decode())


def test_the_list_shows_when_and_where_a_token_was_last_used(priya, signed_in, cast_api_client):
    secret = api_token_for(priya, "act", name="Nightly export")
    assert cast_api_client(secret, "203.0.113.9").get("/api/requests/").status_code == 200
    profile = signed_in(priya).get("/profile/").content.decode()
    assert "Nightly export" in profile and "Act" in profile and "from 203.0.113.9" in profile


@pytest.fixture
def cast_api_client():
    from rest_framework.test import APIClient

    def client_for(secret, address):
        client = APIClient(REMOTE_ADDR=address)
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return client_for


@pytest.mark.parametrize(("days", "words"), [
    ("0", "from 1 to 365"), ("366", "from 1 to 365"), ("-1", "from 1 to 365"), ("ninety", "from 1 to 365"),
    (str(10**30), "from 1 to 365"), ("9" * 5000, "from 1 to 365"), ("1e3", "from 1 to 365"), ("٣", "from 1 to 365"),
    ("3.5", "from 1 to 365"), ("", "Enter when the token expires"),
])
def test_an_expiry_out_of_bounds_is_refused_naming_the_field_and_the_limit(priya, signed_in, days, words):
    refused = signed_in(priya).post(NEW, {**GOOD, "days": days})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert words in html and "expir" in html.lower()
    assert 'href="#id_days"' in html and 'id="id_days-error"' in html
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "words"), [
    ("", "Enter a name for the token"), ("   ", "Enter a name for the token"),
    ("x" * 101, "The name must be 100 characters or fewer"),
])
def test_a_name_out_of_bounds_is_refused(priya, signed_in, name, words):
    refused = signed_in(priya).post(NEW, {**GOOD, "name": name})
    assert refused.status_code == 400
    assert words in refused.content.decode() and 'href="#id_name"' in refused.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scope", ["", "admin", "read\x00"])
def test_a_scope_not_offered_is_refused(priya, signed_in, scope):
    refused = signed_in(priya).post(NEW, {**GOOD, "scope": scope})
    assert refused.status_code == 400 and "read only or act" in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_the_longest_name_and_expiry_are_allowed(priya, signed_in):
    assert signed_in(priya).post(NEW, {**GOOD, "name": "n" * 100, "days": "365"}).status_code == 200
    assert ApiToken.objects.get(user=priya).name == "n" * 100


def test_a_session_without_the_second_factor_makes_no_token(priya):
    client = Client()
    client.force_login(priya)  # password only
    refused = client.post(NEW, GOOD)
    assert refused.status_code == 302 and refused["Location"] == "/accounts/mfa/"
    assert not ApiToken.objects.exists()


def test_a_person_with_no_organisation_sees_no_tokens_and_may_not_make_one(person, signed_in):
    client = signed_in(person(None, Role.REQUESTER))
    assert client.get("/profile/").status_code == 200 and b"API tokens" not in client.get("/profile/").content
    assert client.post(NEW, GOOD).status_code == 403
    assert not ApiToken.objects.exists()


def test_only_the_owner_sees_and_revokes_a_token(priya, person, signed_in):
    api_token_for(priya, name="Priya's export")
    token = ApiToken.objects.get(user=priya)
    for other in (person("iasc", Role.REQUESTER), person("home-office", Role.ADMINISTRATOR)):
        client = signed_in(other)
        assert b"Priya&#x27;s export" not in client.get("/profile/").content
        assert client.post(revoke_url(token)).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    owner = signed_in(priya)
    done = owner.post(revoke_url(token), follow=True)
    assert done.status_code == 200 and "revoked" in done.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert owner.post(revoke_url(token)).status_code == 404  # twice: gone already
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).count() == 1


def test_revoking_is_a_post_and_an_impossible_id_is_not_found(priya, signed_in):
    api_token_for(priya)
    token = ApiToken.objects.get(user=priya)
    client = signed_in(priya)
    assert client.get(revoke_url(token)).status_code == 405
    assert client.post("/profile/tokens/" + "9" * 40 + "/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_forms_need_the_csrf_token(priya, signed_in):
    api_token_for(priya)
    token = ApiToken.objects.get(user=priya)
    client = signed_in(priya, Client(enforce_csrf_checks=True))
    assert client.post(NEW, GOOD).status_code == 403
    assert client.post(revoke_url(token)).status_code == 403
    assert ApiToken.objects.count() == 1
    form = client.get(NEW).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post(NEW, {**GOOD, "csrfmiddlewaretoken": csrf}).status_code == 200
    assert client.post(revoke_url(token), {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert list(ApiToken.objects.values_list("name", flat=True)) == [GOOD["name"]]


def test_the_admin_neither_lists_nor_mints_tokens(person, signed_in):
    from django.contrib import admin
    from knox.models import AuthToken

    superuser = person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    api_token_for(superuser)
    client = signed_in(superuser)
    assert client.get("/admin/").status_code == 200
    assert not admin.site.is_registered(ApiToken) and not admin.site.is_registered(AuthToken)
    for path in ("/admin/accounts/apitoken/", "/admin/accounts/apitoken/add/", "/admin/knox/authtoken/",
                 "/admin/authtoken/tokenproxy/"):
        assert client.get(path).status_code == 404, path
    index = client.get("/admin/").content.lower()
    assert b"api token" not in index and b"auth token" not in index
