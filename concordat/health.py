"""Liveness and readiness (ADR 39). `/healthz` answers while the process can serve at all, touching nothing else;
`/readyz` answers 200 only when everything a request may need is reachable: the database, the broker, the vault's
storage and the keys held outside the database (the vault's key-encryption key, the audit MAC key). A check that
fails is named in the 503, never with its error text, which may carry a host, a user name or a path."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def broker() -> None:
    """The Celery broker answers; with none configured, tasks run inline and there is nothing to reach."""
    if not settings.CELERY_BROKER_URL:
        return
    from concordat.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def vault_storage() -> None:
    """The vault's storage can be reached: a writable directory on disk, or the bucket answering a HEAD."""
    from vault.services import storage

    store = storage()
    location = getattr(store, "location", None)
    if settings.CONCORDAT_VAULT_STORAGE == "local":
        if not (Path(location).is_dir() and os.access(location, os.W_OK | os.X_OK)):
            raise OSError("vault directory missing or not writable")
        return
    store.exists("readyz-probe")  # raises on no bucket, no credentials or no network; 404 is fine


def key_store() -> None:
    """The keys kept outside the database load: no file is stored or read, no event written, without them."""
    from audit.keys import mac_key
    from vault.keys import kek

    kek()
    mac_key()


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "broker": broker,
    "vault storage": vault_storage,
    "key store": key_store,
}


def failing_checks() -> list[str]:
    """The names of the checks that fail now, in CHECKS order."""
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure means "not ready"; its text stays in the log
            log.warning("readiness check failed", extra={"check": name, "error_type": type(error).__name__})
            failing.append(name)
    return failing
