"""Background work for the audit chain, on Celery: each party signs a checkpoint on a schedule (CELERY_BEAT_SCHEDULE
in concordat/settings.py, hourly), as well as on demand (ADR 17)."""

from __future__ import annotations

import logging

from celery import shared_task

from audit import keys
from audit.checkpointing import CheckpointRefused, sign_checkpoint

log = logging.getLogger(__name__)


@shared_task
def sign_checkpoints() -> dict[str, int]:
    """Each party whose signing key this host holds signs the head; a refusal is logged, never signed over."""
    signed = {}
    for party in keys.parties():
        try:
            signed[party] = sign_checkpoint(party, signed_by="schedule").count
        except keys.MissingAuditKey:
            continue  # that party signs on its own host
        except CheckpointRefused as error:
            log.error("audit checkpoint refused for %s: %s", party, error)
    return signed
