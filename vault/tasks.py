"""Background work for the vault, on Celery: the hourly sweep of orphan ciphertexts (ADR 40)."""

from __future__ import annotations

import logging

from celery import shared_task

from vault import sweep

log = logging.getLogger(__name__)


@shared_task
def sweep_orphans() -> int:
    swept = sweep.sweep()
    if swept:
        log.warning("vault sweep removed %d orphan ciphertexts", len(swept))
    return len(swept)
