"""Background work for sharing, on Celery (inline when there is no broker: concordat/celery.py). The emails
about each step leave through the workflow core's task (workflow.tasks.notify_entry)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from sharing import notifications, schedule
from sharing.services import recompute_due_dates as recompute


@shared_task
def recompute_due_dates(calendar_name: str) -> int:
    """After a closure or opening, move the stored due dates of open requests on that calendar (§12)."""
    return recompute(calendar_name)


@shared_task
def send_reminders(on: str | None = None) -> dict[str, int]:
    """The daily run: reminders before due dates, then the digest of overdue work. `on` is an ISO date."""
    today = date.fromisoformat(on) if on else schedule.today()
    return {
        "reminders": notifications.send_due_reminders(today),
        "digests": notifications.send_overdue_digest(today),
    }
