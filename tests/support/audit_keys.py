"""Checkpoint keys for the tests: each party's Ed25519 key pair and witness file under tmp_path (ADR 17). The MAC key
is fixed in tests/settings.py."""

from __future__ import annotations

import pytest

from audit.keys import create_missing_keys


@pytest.fixture
def checkpoint_keys(settings, tmp_path):
    """Both parties (home-office, iasc) hold signing keys; their public keys and witness files are configured."""
    settings.AUDIT_SIGNING_KEY_DIR = str(tmp_path / "private")
    settings.AUDIT_PUBLIC_KEY_DIR = str(tmp_path / "public")
    settings.AUDIT_WITNESS_DIR = str(tmp_path / "witness")
    create_missing_keys()
    return tmp_path
