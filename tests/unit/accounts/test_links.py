"""Absolute links for emails and commands: CONCORDAT_BASE_URL joined with a path, both checked."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from concordat.links import BadBaseURL, absolute_url, normalise_base_url

ROOT = Path(__file__).resolve().parents[3]


def base_url_setting(**env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CONCORDAT_BASE_URL"} | env_changes
    return subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c",
                           "from django.conf import settings; print(settings.CONCORDAT_BASE_URL)"],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_base_url_comes_from_the_environment_with_the_local_demo_as_default():
    assert base_url_setting().stdout.strip() == "http://127.0.0.1:8000"
    assert base_url_setting(CONCORDAT_BASE_URL="https://concordat.example.org/").stdout.strip() == (
        "https://concordat.example.org")


def test_settings_refuse_a_bad_base_url_at_start():
    result = base_url_setting(CONCORDAT_BASE_URL="ftp://concordat.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CONCORDAT_BASE_URL" in result.stderr


@override_settings(CONCORDAT_BASE_URL="https://concordat.example.org")
def test_absolute_url_joins_the_base_and_the_path():
    assert absolute_url("/") == "https://concordat.example.org/"
    assert absolute_url(reverse("profile")) == "https://concordat.example.org/profile/"
    assert absolute_url("/requests/7/?tab=history#top") == "https://concordat.example.org/requests/7/?tab=history#top"


@pytest.mark.parametrize("base", ["https://concordat.example.org/", "https://concordat.example.org//",
                                  " https://concordat.example.org "])
def test_a_trailing_slash_on_the_base_makes_no_double_slash(base):
    with override_settings(CONCORDAT_BASE_URL=base):
        assert absolute_url("/profile/") == "https://concordat.example.org/profile/"


@override_settings(CONCORDAT_BASE_URL="http://127.0.0.1:8000")
@pytest.mark.parametrize("path", ["", "profile/", "https://elsewhere.example/", "//elsewhere.example/x", None])
def test_absolute_url_refuses_anything_but_a_path_from_the_root(path):
    with pytest.raises(ValueError):
        absolute_url(path)


@override_settings(CONCORDAT_BASE_URL="javascript:alert(1)")
def test_absolute_url_checks_an_overridden_base_too():
    with pytest.raises(BadBaseURL):
        absolute_url("/")


@pytest.mark.parametrize(("value", "expected"), [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("https://concordat.example.org/", "https://concordat.example.org"),
    ("HTTPS://Concordat.example.org:8443", "https://Concordat.example.org:8443"),
    ("http://[::1]:8000/", "http://[::1]:8000"),
])
def test_good_base_urls_are_normalised(value, expected):
    assert normalise_base_url(value) == expected


@pytest.mark.parametrize("value", [
    "", "127.0.0.1:8000", "concordat.example.org", "ftp://concordat.example.org", "https://",
    "https://concordat.example.org/concordat", "https://concordat.example.org?next=/",
    "https://concordat.example.org#x", "https://user:secret@concordat.example.org",
    "https://concordat.example.org:99999", "https://concordat.example.org:port",
])
def test_bad_base_urls_are_refused(value):
    with pytest.raises(BadBaseURL):
        normalise_base_url(value)

