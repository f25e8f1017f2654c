"""The shipped protocol, a cast of people in their organisations, and builders for requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import Role
from protocols.services import load_protocol

SHIPPED = Path(settings.CONCORDAT_PROTOCOL_DIR) / "ho-iasc-2020-05-13.yaml"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}},
        "vault": {  # each test's own vault, so that what a test finds stored is its own (ADR 27)
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "vault")}}}
    settings.VAULT_DATA_KEY_DIR = str(tmp_path / "data-keys")  # and its own key store (ADR 32)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def sharing_api_urls(settings):
    settings.ROOT_URLCONF = "tests.support.sharing_urls"


@pytest.fixture
def api():
    """api(user) -> a DRF client authenticated with an API token of the user's (scope act), as a system would be.
    One token per person per test, made by the service a person uses (tests/support/tokens.py)."""
    from rest_framework.test import APIClient

    from tests.support.tokens import api_token_for

    secrets: dict[int, str] = {}

    def client_for(user) -> APIClient:
        client = APIClient()
        if user.pk not in secrets:
            secrets[user.pk] = api_token_for(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {secrets[user.pk]}")
        return client

    return client_for


@pytest.fixture
def protocol(db):
    """The real protocol definition, loaded as the service loads it."""
    return load_protocol(SHIPPED)


class Cast:
    """The people of the HO–IASC protocol, one per role and organisation that matter."""

    def __init__(self, person):
        self.iasc_requester = person("iasc", Role.REQUESTER, email="iasc.requester@example.org")
        self.iasc_case_officer = person("iasc", Role.CASE_OFFICER, email="iasc.co@example.org")
        self.iasc_assessor = person("iasc", Role.ASSESSOR, email="iasc.assessor@example.org")
        self.commissioner = person("iasc", Role.COMMISSIONER, email="commissioner@example.org")
        self.iasc_approver = person("iasc", Role.APPROVER, email="iasc.approver@example.org")
        self.iasc_auditor = person("iasc", Role.AUDITOR, email="iasc.auditor@example.org")
        self.spoc = person("msu", Role.SPOC, email="spoc@example.org")
        self.msu_assessor = person("msu", Role.ASSESSOR, email="msu.assessor@example.org")
        self.ho_requester = person("msu", Role.REQUESTER, email="ho.requester@example.org")
        self.ho_assessor = person("ho-analysis", Role.ASSESSOR, email="ho.assessor@example.org")
        self.ho_analyst = person("ho-analysis", Role.CASE_OFFICER, email="ho.analyst@example.org")
        self.ho_approver = person("home-office", Role.APPROVER, email="ho.approver@example.org")
        self.ho_dpo = person("home-office", Role.DPO, email="ho.dpo@example.org")
        self.ho_minister = person("home-office", Role.MINISTER, email="ho.minister@example.org")
        self.ho_auditor = person("home-office", Role.AUDITOR, email="ho.auditor@example.org")
        self.sponsorship_officer = person("sponsorship-unit", Role.CASE_OFFICER, email="sponsor@example.org")
        self.dwp_officer = person("dwp", Role.CASE_OFFICER, email="dwp@example.org")
        self.dwp_assessor = person("dwp", Role.ASSESSOR, email="dwp.assessor@example.org")
        self.researcher = person("rights-lab", Role.REQUESTER, email="researcher@example.org")
        self.nobody = person(None, Role.REQUESTER, email="nobody@example.org")


@pytest.fixture
def cast(person, protocol):
    return Cast(person)


@pytest.fixture
def orgs_by_slug(orgs):
    return orgs
