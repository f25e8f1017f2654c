"""Demo accounts exist only in demo mode; production settings pass Django's deployment checks."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.demo import DemoRefused, current_code, seed_demo_people
from accounts.directory import DEMO_PEOPLE
from accounts.models import User
from audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_no_demo_people_outside_demo_mode():
    with pytest.raises(DemoRefused):
        seed_demo_people()
    with pytest.raises(DemoRefused):
        current_code("admin")


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_demo_people_are_created_once_and_can_get_a_code(tmp_path, monkeypatch):
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "pw.txt")
    first = seed_demo_people()
    again = seed_demo_people()
    assert [p.pk for p in first] == [p.pk for p in again]
    assert len(current_code("msu.spoc")) == 6


def test_every_demo_person_has_their_own_address_on_a_reserved_domain():
    emails = [email for _, _, email, _, _, _ in DEMO_PEOPLE]
    assert len(set(emails)) == len(DEMO_PEOPLE)
    # RFC 2606 reserves .example: the two parties' domains, and the research institutions' and suppliers'
    assert all(email.rpartition("@")[2].endswith(".example") for email in emails)
    assert {email.rpartition("@")[2] for email in emails} >= {"homeoffice.example", "iasc.example"}


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_demo_people_get_their_addresses_when_created_and_when_seeded_again(tmp_path, monkeypatch):
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "pw.txt")
    expected = {username: email for username, _, email, _, _, _ in DEMO_PEOPLE}
    assert {p.username: p.email for p in seed_demo_people()} == expected

    # People seeded before demo people had addresses get them on the next run; an address set since is kept.
    User.objects.filter(username__in=["msu.spoc", "auditor"]).update(email="")
    User.objects.filter(username="ho.dpo").update(email="dpo@homeoffice.example")
    seed_demo_people()
    stored = dict(User.objects.filter(username__in=expected).values_list("username", "email"))
    assert stored == expected | {"ho.dpo": "dpo@homeoffice.example"}
    filled = AuditEvent.objects.filter(action="demo.person_email_set").values_list("details", flat=True)
    assert sorted(details["username"] for details in filled) == ["auditor", "msu.spoc"]


@pytest.mark.django_db
@override_settings(DEMO_MODE=True, CONCORDAT_BASE_URL="http://127.0.0.1:8123")
def test_demo_instructions_name_the_served_address_and_the_addresses(tmp_path, monkeypatch):
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "pw.txt")
    out = io.StringIO()
    call_command("demo_instructions", stdout=out)
    text = out.getvalue()
    assert "Concordat demo: http://127.0.0.1:8123/" in text
    assert all(f"{username} " in text and email in text for username, _, email, _, _, _ in DEMO_PEOPLE)
    out = io.StringIO()
    call_command("demo_instructions", "--url", "http://localhost:9000/", stdout=out)
    assert "Concordat demo: http://localhost:9000/" in out.getvalue()


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, "CONCORDAT_PRODUCTION": "1", "SECRET_KEY": "p7Qz-2vLx9!kR4mN8wT1cY6hJ3bF0sD5gA7eU2iO9pL4zX6qW8rE1tY3uI5oP0aS",
           "ALLOWED_HOSTS": "concordat.example.org", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process; never in production
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_demo_secret_key():
    from django.conf import settings

    env = {**os.environ, "CONCORDAT_PRODUCTION": "1", "ALLOWED_HOSTS": "concordat.example.org",
           "DJANGO_SETTINGS_MODULE": "concordat.settings", "SECRET_KEY": settings.DEMO_SECRET_KEY}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
