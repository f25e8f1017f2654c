"""Receivers: when the working-day calendar changes, move the stored due dates (§12)."""

from django.dispatch import receiver

from clock.signals import calendar_changed
from sharing.tasks import recompute_due_dates


@receiver(calendar_changed, dispatch_uid="sharing.recompute_due_dates")
def recompute_due_dates_on_calendar_change(sender, calendar_name: str, **kwargs):
    """The clock sends this after its change commits; the work goes to Celery (inline without a broker)."""
    recompute_due_dates.delay(calendar_name)
