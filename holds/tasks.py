"""Background work for holds, on Celery (inline when there is no broker: concordat/celery.py)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from holds import reminders


@shared_task
def send_review_reminders(on: str | None = None) -> int:
    """The daily run (CELERY_BEAT_SCHEDULE): holds whose review is due soon, or passed with no review. `on`: ISO date."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return reminders.send_review_reminders(today)
