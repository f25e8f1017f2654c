"""API tokens under races (ADR 16): two revocations of one token at once, and a revocation while systems use the
token from new addresses; neither gives a server error or a half-written record, and the audit chain holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from rest_framework.test import APIClient

from accounts import tokens
from accounts.roles import Role
from accounts.token_models import ApiToken, ApiTokenAddress
from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from tests.integration.sharing.test_concurrency import run_together
from tests.support.tokens import api_token_for, as_verified

THREADS = 12


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")


@pytest.fixture
def priya(person):
    return person("iasc", Role.REQUESTER, username="priya")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_revocations_revoke_once_and_the_rest_find_nothing(priya):
    needs_postgresql()
    api_token_for(priya)
    token = ApiToken.objects.get(user=priya)

    outcomes = run_together([lambda: tokens.revoke_token(as_verified(priya), token.pk) for _ in range(THREADS)])

    assert sum(outcome == "test system" for outcome in outcomes) == 1, outcomes
    assert all(isinstance(o, Http404) for o in outcomes if o != "test system"), outcomes
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_revocation_during_use_refuses_or_serves_but_never_fails(priya):
    needs_postgresql()
    secret = api_token_for(priya)
    token = ApiToken.objects.get(user=priya)

    def use(n):
        client = APIClient(REMOTE_ADDR=f"198.51.100.{n + 1}")  # each a new address: each use writes and audits
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client.get("/api/protocols/").status_code

    calls = [lambda n=n: use(n) for n in range(THREADS)]
    calls.append(lambda: tokens.revoke_token(as_verified(priya), token.pk))
    outcomes = run_together(calls)

    assert outcomes[-1] == "test system", outcomes
    assert set(outcomes[:-1]) <= {200, 401}, outcomes
    assert not ApiToken.objects.exists() and not ApiTokenAddress.objects.exists()
    served = outcomes[:-1].count(200)
    assert AuditEvent.objects.filter(action="api_token.used_from_new_address").count() == served
    assert verify_stored_chain().ok
    assert use(0) == 401
