"""Demo accounts exist only in demo mode; production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from accounts.demo import DemoRefused, current_code, seed_demo_people

ROOT = Path(__file__).resolve().parents[2]


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


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, "CONCORDAT_PRODUCTION": "1", "SECRET_KEY": "p7Qz-2vLx9!kR4mN8wT1cY6hJ3bF0sD5gA7eU2iO9pL4zX6qW8rE1tY3uI5oP0aS",
           "ALLOWED_HOSTS": "concordat.example.org", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process; never in production
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_demo_secret_key():
    env = {**os.environ, "CONCORDAT_PRODUCTION": "1", "ALLOWED_HOSTS": "concordat.example.org"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
