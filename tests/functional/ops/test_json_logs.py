"""JSON log lines (ADR 39): each carries the request id its response was given, and none carries a secret or
personal data: no password, one-time code, session or CSRF cookie, email address or query string."""

import io
import json
import logging

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import token_at
from concordat.request_log import RequestIdFilter, SafeJsonFormatter

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def json_log():
    """Everything logged during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeJsonFormatter())
    handler.addFilter(RequestIdFilter())
    root, access = logging.getLogger(), logging.getLogger("concordat.request")
    levels = root.level, access.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    access.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(levels[0])
    access.setLevel(levels[1])


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def sign_in(client, user, password=PASSWORD):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": user.username, "password": password})
    code = token_at(device)
    client.post("/accounts/mfa/", {"otp_token": code})
    return code


def test_each_request_is_one_json_line_with_the_id_of_its_response(client, person, json_log):
    response = client.get("/healthz")
    [line] = [entry for entry in lines(json_log) if entry["logger"] == "concordat.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status_code"]) == ("GET", "/healthz", 200)
    assert set(line) >= {"timestamp", "level", "message", "duration_ms"}


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client, json_log):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}' + "a" * 500)["X-Request-ID"]
    assert len(hostile) == 32 and hostile.isalnum()


def test_sign_in_and_refusals_leave_no_secret_or_personal_data(person, json_log):
    user = person("iasc", "requester", email="priya.private@iasc.example", full_name="Priya Private")
    client = Client()
    code = sign_in(client, user)
    client.post("/accounts/login/", {"username": user.username, "password": "wrong-password-xyz"})
    client.get("/requests/?q=priya.private@iasc.example&token=concordat_" + "f" * 64)
    client.get("/requests/NO-SUCH-REF/")
    with override_settings(CELERY_BROKER_URL="redis://:broker-password@127.0.0.1:1/0"):
        client.get("/readyz")
    text = json_log.getvalue()
    assert lines(json_log), "nothing was logged"
    for secret in [PASSWORD, "wrong-password-xyz", code, "priya.private", "Priya Private", "broker-password",
                   "concordat_ffff", client.cookies["sessionid"].value, client.cookies["csrftoken"].value
                   if "csrftoken" in client.cookies else "no-csrf-cookie"]:
        assert secret not in text, secret
    assert all(entry["request_id"] != "-" for entry in lines(json_log) if entry["logger"] == "concordat.request")


def test_fields_outside_the_allow_list_are_dropped(json_log):
    logging.getLogger("concordat.test").warning("hello", extra={"username": "priya", "email": "p@x.example",
                                                                "status_code": 200})
    [line] = lines(json_log)
    assert "username" not in line and "email" not in line and line["status_code"] == 200
