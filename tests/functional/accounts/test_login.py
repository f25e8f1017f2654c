"""Signing in: password, then a one-time code; lockout; sessions that end."""

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import token_at
from accounts.roles import Role
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    return token_at(device, time.time() + offset_steps * device.step)


@pytest.fixture
def requester(person):
    return person("iasc", Role.REQUESTER, username="priya")


@pytest.fixture
def device(requester):
    return TOTPDevice.objects.create(user=requester, name="phone", confirmed=True)


def password_step(client, username="priya", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_login_page_is_served(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Sign in to Concordat" in response.content


def test_a_password_alone_does_not_open_the_service(client, requester, device):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/")
    for path in ["/", "/profile/", "/api/schema/"]:
        response = client.get(path)
        assert response.status_code in (302, 401, 403), path
        if response.status_code == 302:
            assert "/accounts/" in response["Location"]


def test_password_and_code_open_the_service(client, requester, device):
    password_step(client)
    response = client.post("/accounts/mfa/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=requester).exists()


def test_a_code_works_only_once(client, requester, device):
    token = code_for(device)
    password_step(client)
    client.post("/accounts/mfa/", {"otp_token": token})
    other = Client()
    password_step(other)
    response = other.post("/accounts/mfa/", {"otp_token": token})
    assert response.status_code == 200
    assert b"has been used" in response.content


def test_a_wrong_code_is_refused_with_a_message_naming_the_field(client, requester, device):
    password_step(client)
    response = client.post("/accounts/mfa/", {"otp_token": "abc123"})
    assert b"numbers only" in response.content
    assert b'href="#id_otp_token"' in response.content


def test_a_first_login_enrols_an_authenticator(client, requester):
    password_step(client)
    response = client.get("/accounts/mfa/")
    assert b"Set up your authenticator app" in response.content
    device = TOTPDevice.objects.get(user=requester, confirmed=False)
    client.post("/accounts/mfa/", {"otp_token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/profile/").status_code == 200


def test_a_new_session_is_issued_at_login(client, requester, device):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"
    password_step(client)
    assert client.cookies["sessionid"].value != "attacker-chosen"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_from_that_address(client, requester, device):
    for _ in range(3):
        password_step(client, password="wrong password")
    response = password_step(client)  # even the right password, while locked
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 3


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_from_one_address_does_not_lock_the_person_out_elsewhere(requester, device):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        password_step(attacker, password="wrong password")
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert password_step(colleague).status_code == 302


def test_failed_logins_never_record_the_password(client, requester):
    password_step(client, password="my-secret-typo")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert "my-secret-typo" not in str(event.details)
    assert event.details == {"username": "priya"}


def test_sign_out_ends_the_session_on_the_server(signed_in, requester):
    client = signed_in(requester)
    session_key = client.session.session_key
    client.post("/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/profile/").status_code == 302


def test_sign_out_needs_a_post(signed_in, requester):
    client = signed_in(requester)
    assert client.get("/accounts/logout/").status_code == 405


@override_settings(SESSION_ABSOLUTE_SECONDS=0)
def test_a_session_ends_after_its_absolute_lifetime(signed_in, requester):
    client = signed_in(requester)
    time.sleep(0.01)
    response = client.get("/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_disabled_person_is_signed_out_at_once(signed_in, requester):
    client = signed_in(requester)
    requester.is_active = False
    requester.save()
    assert client.get("/profile/").status_code == 302


def test_sensitive_pages_are_not_cached(signed_in, requester):
    response = signed_in(requester).get("/profile/")
    assert response["Cache-Control"] == "no-store"


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_the_next_parameter_cannot_send_people_elsewhere(client, requester, device):
    client.post("/accounts/login/?next=https://evil.example/", {"username": "priya", "password": PASSWORD})
    response = client.post("/accounts/mfa/", {"otp_token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@override_settings(SESSION_REFRESH_SECONDS=60)
def test_the_idle_expiry_is_renewed_at_most_once_a_minute_not_written_on_every_page(signed_in, requester):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(requester)
    client.get("/profile/")  # the first page renews the expiry (the sign-in's own save may be older)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=_expiry(client) - timedelta(minutes=5))
    lowered = _expiry(client)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/profile/").status_code == 200
    assert not any("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in captured.captured_queries)
    assert _expiry(client) == lowered  # within the minute: no write


@override_settings(SESSION_REFRESH_SECONDS=0)
def test_an_active_session_has_its_idle_expiry_pushed_forward(signed_in, requester):
    from django.contrib.sessions.models import Session

    client = signed_in(requester)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=_expiry(client) - timedelta(minutes=5))
    lowered = _expiry(client)
    assert client.get("/profile/").status_code == 200
    assert _expiry(client) > lowered


def test_an_idle_session_ends_after_the_idle_timeout(signed_in, requester):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = signed_in(requester)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()  # nothing re-created by the renewal
