"""Background work for every case type, on Celery (inline when there is no broker: concordat/celery.py)."""

from __future__ import annotations

from celery import shared_task

from workflow import registry


@shared_task
def notify_entry(kind: str, entry_id: int) -> int:
    """Tell the people concerned about one timeline entry of a case."""
    case_type = registry.case_type(kind)
    entry = case_type.timeline.objects.filter(pk=entry_id).first()
    return case_type.send_notifications(entry) if entry is not None else 0
