"""Background work for arrangements, on Celery (inline when there is no broker: concordat/celery.py)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from arrangements import reminders


@shared_task
def send_review_reminders(on: str | None = None) -> int:
    """The daily run (CELERY_BEAT_SCHEDULE): reviews falling due and overdue (§16). `on` is an ISO date."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return reminders.send_review_reminders(today)
