"""Background work for retention, on Celery (inline when there is no broker: concordat/celery.py)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from retention import reminders


@shared_task
def send_retention_reminders(on: str | None = None) -> int:
    """The daily run (CELERY_BEAT_SCHEDULE): retention falling due and overdue (§6(f), §8(f)). `on`: an ISO date."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return reminders.send_retention_reminders(today)
