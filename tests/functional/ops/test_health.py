"""/healthz (alive, touching nothing) and /readyz (database, broker, vault storage, key store), outside sign-in,
naming what fails and never why (ADR 39)."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.db.utils import OperationalError
from django.test import override_settings

from concordat import health

pytestmark = pytest.mark.django_db


def test_alive_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_everything_is_reachable(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_needs_no_sign_in_and_sets_no_cookie(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and not response.cookies


def test_an_unreachable_broker_is_named_without_its_address_or_password(client):
    with override_settings(CELERY_BROKER_URL="redis://:hunter2-secret@127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["broker"]}
    assert b"hunter2" not in response.content and b"127.0.0.1" not in response.content


def test_a_missing_key_is_named_without_its_path(client):
    with override_settings(VAULT_KEK="", VAULT_KEK_FILE="/nonexistent/secret-kek-path"):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["key store"]
    assert b"secret-kek-path" not in response.content


def test_a_missing_audit_key_is_named(client):
    with override_settings(AUDIT_MAC_KEY="", AUDIT_MAC_KEY_FILE=""):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["key store"]


def test_an_unreachable_vault_directory_is_named(client, monkeypatch, tmp_path):
    monkeypatch.setattr("vault.services.storage", lambda: FileSystemStorage(location=str(tmp_path / "gone")))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["vault storage"]
    assert str(tmp_path).encode() not in response.content


def test_an_unreachable_database_is_named_and_the_rest_still_checked(client, monkeypatch):
    class Down:
        def cursor(self):
            raise OperationalError("could not connect to server at db.internal:5432 as concordat")

    monkeypatch.setattr(health, "connection", Down())
    with override_settings(VAULT_KEK="", VAULT_KEK_FILE=""):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["database", "key store"]
    assert b"db.internal" not in response.content


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_change_nothing_and_never_fail(client, method):
    assert getattr(client, method)("/readyz").status_code == 200
