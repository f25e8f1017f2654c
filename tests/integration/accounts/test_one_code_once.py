"""One TOTP code opens one session, even when it is submitted from many sessions at the same instant (issue 8).

django-otp reads the device's last used step, checks the code against it and saves the new step; without a row
lock two sessions could both read the old step and both be let in. accounts.mfa.verify locks the device row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.roles import Role
from audit.models import AuditEvent
from tests.integration.sharing.test_concurrency import run_together

THREADS = 12
PASSWORD = "correct horse battery staple"


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")


@pytest.fixture
def priya(settings, person):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = person("iasc", Role.REQUESTER, username="priya")
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_code_from_many_sessions_at_once_opens_exactly_one(priya):
    needs_postgresql()
    user, device = priya
    clients = []
    for n in range(THREADS):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert client.post("/accounts/login/", {"username": "priya", "password": PASSWORD}).status_code == 302
        clients.append(client)
    token = mfa.token_at(device)

    outcomes = run_together([lambda c=c: c.post("/accounts/mfa/", {"otp_token": token}) for c in clients])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.status_code for o in outcomes) == [200] * (THREADS - 1) + [302]
    assert sum(b"has been used" in o.content for o in outcomes) == THREADS - 1
    assert sum(c.get("/profile/").status_code == 200 for c in clients) == 1
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verify_accepts_a_code_once_under_a_race(priya):
    needs_postgresql()
    _, device = priya
    token = mfa.token_at(device)

    def verify():
        return mfa.verify(TOTPDevice.objects.get(pk=device.pk), token)

    outcomes = run_together([verify for _ in range(THREADS * 2)])

    assert outcomes.count(True) == 1, outcomes
    assert outcomes.count(False) == THREADS * 2 - 1, outcomes
