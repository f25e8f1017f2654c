"""The project's settings, plus a toy case type that exists only for the tests (tests/toy)."""

import os

# The suite signs sessions and tokens with its own key; the demo stays off unless a test turns it on.
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)
# The API is rate-limited (concordat.throttling); the suite sends thousands of requests per person (schemathesis),
# so its limits are far off: the throttling tests set their own.
os.environ.setdefault("API_TOKEN_RATE", "1000000/hour")
os.environ.setdefault("API_SESSION_RATE", "1000000/hour")
# The session's idle expiry is renewed once a minute (ADR 50); in the suite never, unless a test says so, so that a
# renewal cannot land inside a page whose queries a test counts, however slowly the machine runs.
os.environ.setdefault("SESSION_REFRESH_SECONDS", str(10**10))

from concordat.settings import *  # noqa: E402,F403
from concordat.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
# Argon2 (production's hasher) costs about 175 ms of CPU per password, and the suite makes thousands of people; the
# tests that are about hashing set their own hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A fixed audit MAC key (ADR 17); the checkpoint keys are made per test (tests/support/audit_keys.py).
AUDIT_MAC_KEY = "7e575" + "0" * 59
# The vault (ADR 27): a fixed key-encryption key, and its storage in a directory of this run's own, never var/vault.
VAULT_KEK = "7e5700" + "ab" * 29
VAULT_DATA_KEY_DIR = __import__("tempfile").mkdtemp(prefix="concordat-data-keys-tests-")  # ADR 32; per test below
STORAGES = {**STORAGES, "vault": {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": __import__("tempfile").mkdtemp(prefix="concordat-vault-tests-")}}}
