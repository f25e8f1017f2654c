"""API tokens through their services (accounts.tokens, ADR 16): kept hashed, made only by their owner from a verified
session, revoked only by their owner, their uses noted and audited only from a new address."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404

from accounts import tokens
from accounts.models import User
from accounts.roles import Role
from accounts.token_models import ApiToken, ApiTokenAddress
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation
from tests.support.tokens import as_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(person):
    return as_verified(person("iasc", Role.REQUESTER, username="priya"))


def test_the_secret_is_kept_nowhere_only_its_digest(priya):
    token, secret = tokens.create_token(priya, name="Case system", scope="act", days=30)
    assert secret.startswith("concordat_") and len(secret) == len("concordat_") + 64
    row = ApiToken.objects.get(pk=token.pk)
    assert row.digest == hashlib.sha512(secret.encode()).hexdigest()
    assert row.token_key == secret[:15]  # knox's lookup key: the prefix and five characters of 64
    unseen = secret[15:]  # no column of any table holds the rest of the secret
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                assert not model.objects.filter(**{f"{field.name}__icontains": unseen}).exists(), (model, field)
            elif isinstance(field, models.JSONField):
                assert not any(unseen in str(value) for value in model.objects.values_list(field.name, flat=True))


def test_creation_is_audited_without_the_secret_or_digest(priya):
    token, secret = tokens.create_token(priya, name="Case system", scope="read", days=7)
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor_id, event.object_type, event.object_id) == (priya.pk, "accounts.apitoken", str(token.pk))
    assert event.details["name"] == "Case system" and event.details["scope"] == "read"
    assert secret not in str(event.details) and token.digest not in str(event.details)
    assert secret[15:] not in str(event.details)


def test_the_expiry_is_the_days_the_owner_chose(priya):
    token, _ = tokens.create_token(priya, name="Nightly export", scope="read", days=365)
    assert token.expiry - token.created > timedelta(days=364, hours=23)
    assert token.expiry - token.created <= timedelta(days=365, seconds=1)


def test_creation_needs_the_second_factor(person):
    unverified = person("iasc", Role.REQUESTER)
    with pytest.raises(NotAllowed, match="one-time code"):
        tokens.create_token(unverified, name="Case system", scope="act")
    unverified.is_verified = lambda: False  # what django-otp's middleware gives a session before the code
    with pytest.raises(NotAllowed, match="one-time code"):
        tokens.create_token(unverified, name="Case system", scope="act")
    assert not ApiToken.objects.exists() and not AuditEvent.objects.filter(action="api_token.created").exists()


def test_creation_needs_an_active_member_of_an_organisation(person):
    with pytest.raises(NotAllowed):
        tokens.create_token(as_verified(person(None, Role.REQUESTER)), name="Case system", scope="act")
    disabled = person("iasc", Role.REQUESTER, is_active=False)
    with pytest.raises(NotAllowed):
        tokens.create_token(as_verified(disabled), name="Case system", scope="act")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "scope", "days", "field"), [
    ("", "act", 90, "name"), ("   ", "act", 90, "name"), ("x" * 101, "act", 90, "name"),
    ("ok", "admin", 90, "scope"), ("ok", "", 90, "scope"),
    ("ok", "act", 0, "days"), ("ok", "act", 366, "days"), ("ok", "act", 10**30, "days"), ("ok", "act", -1, "days"),
    ("ok", "act", "90", "days"), ("ok", "act", 1.5, "days"), ("ok", "act", True, "days"),
])
def test_the_service_checks_its_bounds_itself(priya, name, scope, days, field):
    with pytest.raises(RuleViolation) as refused:
        tokens.create_token(priya, name=name, scope=scope, days=days)
    assert [problem.field for problem in refused.value.problems] == [field]
    assert not ApiToken.objects.exists()


def test_the_bounds_themselves_are_allowed(priya):
    tokens.create_token(priya, name="x" * 100, scope="read", days=1)
    tokens.create_token(priya, name="  padded  ", scope="act", days=365)
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["padded", "x" * 100]


def test_only_the_owner_revokes_and_anyone_else_is_told_there_is_no_such_token(priya, person):
    token, _ = tokens.create_token(priya, name="Case system", scope="act")
    colleague = as_verified(person("iasc", Role.REQUESTER))
    outsider = as_verified(person("home-office", Role.ADMINISTRATOR))
    for other in (colleague, outsider):
        with pytest.raises(Http404):
            tokens.revoke_token(other, token.pk)
        assert list(tokens.tokens_of(other)) == []
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert tokens.revoke_token(priya, token.pk) == "Case system"
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor_id, event.object_id) == (priya.pk, str(token.pk))
    with pytest.raises(Http404):  # twice: already gone, not an error of the server
        tokens.revoke_token(priya, token.pk)


def test_revoking_needs_the_second_factor(priya):
    token, _ = tokens.create_token(priya, name="Case system", scope="act")
    with pytest.raises(NotAllowed):
        tokens.revoke_token(User.objects.get(pk=priya.pk), token.pk)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_disabling_an_account_revokes_its_tokens(priya):
    tokens.create_token(priya, name="Case system", scope="act")
    tokens.create_token(priya, name="Reports", scope="read")
    priya.is_active = False
    priya.save()
    assert not ApiToken.objects.filter(user=priya).exists()
    revoked = AuditEvent.objects.filter(action="api_token.revoked")
    assert revoked.count() == 2 and all(e.details["reason"] == "account disabled" for e in revoked)


def test_a_use_from_a_new_address_is_audited_and_a_repeated_one_is_not(priya):
    token, _ = tokens.create_token(priya, name="Case system", scope="act")
    tokens.record_use(token, "192.0.2.10")
    tokens.record_use(token, "192.0.2.10")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at - timedelta(hours=1))
    token.refresh_from_db()
    tokens.record_use(token, "192.0.2.10")  # past the quiet minute: noted, not audited again
    assert AuditEvent.objects.filter(action="api_token.used_from_new_address").count() == 1
    tokens.record_use(token, "2001:db8::1")
    tokens.record_use(token, "192.0.2.10")  # seen before, though not the last
    events = AuditEvent.objects.filter(action="api_token.used_from_new_address").order_by("sequence")
    assert [e.details["address"] for e in events] == ["192.0.2.10", "2001:db8::1"]
    assert all(e.object_id == str(token.pk) and e.actor_id == priya.pk for e in events)
    token.refresh_from_db()
    assert token.last_used_from == "192.0.2.10" and token.last_used_at is not None
    assert ApiTokenAddress.objects.filter(token=token).count() == 2


def test_a_use_of_a_token_revoked_meanwhile_is_refused(priya):
    token, _ = tokens.create_token(priya, name="Case system", scope="act")
    tokens.revoke_token(priya, token.pk)
    with pytest.raises(tokens.TokenGone):
        tokens.record_use(token, "192.0.2.10")
    assert not ApiTokenAddress.objects.exists()
