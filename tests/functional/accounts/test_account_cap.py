"""Attempts on one account are capped across all addresses, and the owner is not locked out by it (issue 8, ADR 15).

Before: django-axes locked a username-and-address pair after 5 failures, so 16 failures from 4 addresses left the
account open from a fifth. Now 10 failures on a username from any addresses pause it at every address where the
account has not completed sign-in (password and code) in the last 90 days; the owner's usual address stays open."""

import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.mfa import token_at
from accounts.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hashing")]
PASSWORD = "correct horse battery staple"
OWNER_ADDRESS = "198.51.100.7"
ATTACKERS = [f"203.0.113.{n}" for n in range(1, 5)]


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def priya(person):
    user = person("iasc", Role.REQUESTER, username="priya")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def attempt(address, password=PASSWORD, username="priya"):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def sign_in_fully(user, address, steps_ahead=0):
    """Password and one-time code; a second sign-in needs the next code, as each is accepted once."""
    client = Client(REMOTE_ADDR=address)
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert client.post("/accounts/mfa/", {"otp_token": token_at(device, time.time() + steps_ahead * device.step)}).status_code == 302
    return client


def attack(username="priya", per_address=4):
    """16 wrong passwords from 4 addresses: under the per-address limit (5) at each one."""
    for address in ATTACKERS:
        for _ in range(per_address):
            attempt(address, "wrong password", username)


def test_failures_from_many_addresses_pause_the_account_from_a_new_address(priya):
    attack()
    response = attempt("192.0.2.50")  # the right password, from a fifth address
    assert response.status_code == 429
    assert b"Sign-in to this account is paused" in response.content
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_failure_that_reaches_the_cap_is_answered_with_the_pause(priya):
    for n in range(9):
        assert attempt(ATTACKERS[n % 4], "wrong password").status_code == 200
    response = attempt(ATTACKERS[1], "wrong password")  # the tenth failure on the account
    assert response.status_code == 429
    assert b"Sign-in to this account is paused" in response.content


def test_while_paused_the_password_is_not_checked_so_guesses_learn_nothing(priya):
    attack()
    wrong, right = attempt("192.0.2.50", "wrong password"), attempt("192.0.2.51")
    assert wrong.status_code == right.status_code == 429
    assert wrong.content.replace(b"192.0.2.50", b"") == right.content.replace(b"192.0.2.51", b"")


def test_an_unknown_username_is_paused_in_the_same_way(priya):
    attack(username="nobody")
    response = attempt("192.0.2.50", username="nobody")
    assert response.status_code == 429 and b"Sign-in to this account is paused" in response.content


def test_the_owner_at_an_address_they_signed_in_from_is_not_locked_out(priya):
    sign_in_fully(priya, OWNER_ADDRESS)
    attack()
    assert attempt("192.0.2.50").status_code == 429  # the attacker, even with the password, elsewhere
    response = attempt(OWNER_ADDRESS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/")


def test_the_owners_sign_in_does_not_reopen_the_account_to_the_attacker(priya):
    sign_in_fully(priya, OWNER_ADDRESS)
    attack()
    sign_in_fully(priya, OWNER_ADDRESS, steps_ahead=1)
    assert attempt(ATTACKERS[0], "wrong password").status_code == 429


def test_a_password_step_alone_does_not_make_an_address_trusted(priya):
    """Only a completed sign-in (password and one-time code) counts: an attacker who has the password is stopped
    by the code, and their address does not become one the pause spares."""
    assert attempt("192.0.2.60").status_code == 302  # password accepted, code never given
    attack()
    assert attempt("192.0.2.60").status_code == 429


def test_an_address_last_used_long_ago_is_no_longer_trusted(priya):
    sign_in_fully(priya, OWNER_ADDRESS)
    assert throttle.is_trusted_address("priya", OWNER_ADDRESS)
    assert not throttle.is_trusted_address("priya", OWNER_ADDRESS, now=timezone.now() + timedelta(days=91))
    assert not throttle.is_trusted_address("someone-else", OWNER_ADDRESS)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_per_address_lock_still_applies_at_a_trusted_address(priya):
    sign_in_fully(priya, OWNER_ADDRESS)
    for _ in range(3):
        attempt(OWNER_ADDRESS, "wrong password")
    response = attempt(OWNER_ADDRESS)
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content
    assert b"from this address is paused" in response.content and b"Wait 15 minutes" in response.content


def test_the_pause_lifts_once_failures_stop_for_the_cool_off(priya):
    attack()
    assert attempt("192.0.2.50").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt("192.0.2.50").status_code == 302


def test_attempts_while_paused_keep_the_account_paused(priya):
    attack()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    for address in ATTACKERS:
        assert attempt(address, "wrong password").status_code == 429  # refused, and recorded
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))  # two minutes on
    assert attempt("192.0.2.50").status_code == 429


def test_the_message_says_what_is_paused_where_and_for_how_long(priya):
    attack()
    page = attempt("192.0.2.50").content.decode()
    assert "too many failed attempts to sign in with this username from different places" in page
    assert "from a network where it has been signed in to before" in page
    assert "opens again 15 minutes after the failed attempts stop" in page
    assert "tell your administrator" in page


def test_each_failure_is_logged_as_one_line_without_the_password_or_the_username(priya, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.signin"):
        attack()
        attempt("192.0.2.50", "my-secret-typo")
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.signin"]
    assert len(lines) == 17
    assert all("\n" not in line and "wrong password" not in line and "my-secret-typo" not in line for line in lines)
    assert all("priya" not in line for line in lines)
    assert lines[0] == (f"Sign-in failed for account #{priya.pk} from 203.0.113.1: 1 failures from this address, 1 for "
                        "the account from 1 addresses in the last 15 minutes")
    assert lines[-1].endswith("17 for the account from 5 addresses in the last 15 minutes; the account is paused "
                              "for addresses it has not signed in from")


def test_a_username_cannot_break_the_log_line_nor_appear_in_it(priya, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.signin"):
        attempt("192.0.2.50", "wrong password", username="priya\nFORGED entry")
        attempt("192.0.2.50", "wrong password", username="priya\nFORGED entry")
        attempt("192.0.2.50", "wrong password", username="my-password-typed-here")
    first, again, other = [r.getMessage() for r in caplog.records if r.name == "accounts.signin"]
    assert all("\n" not in line and "FORGED" not in line and "typed-here" not in line for line in (first, again, other))
    # The same unknown name gives the same keyed hash, so repeated attempts can be counted; another name differs.
    hash_of = lambda line: line.split("keyed hash ")[1][:12]  # noqa: E731
    assert hash_of(first) == hash_of(again) != hash_of(other)
