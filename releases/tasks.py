"""Background work for releases (ADR 51): a table's or extract's protection runs on a worker, on the heavy queue.

Acknowledged late (settings, ADR 40): a worker killed mid-task leaves the task to be delivered again, and
`services.save_protection` saves the result only once, and only for the version it was asked for."""

from __future__ import annotations

from celery import shared_task

from releases import services


@shared_task
def protect(release_id: int, version: int) -> str:
    saved = services.save_protection(release_id, version)
    return "ignored" if saved is None else saved.protection
