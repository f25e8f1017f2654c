"""Receivers: when the working-day calendar changes, move the stored due dates (§12)."""

from django.dispatch import receiver

from clock.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="sharing.recompute_due_dates")
def recompute_due_dates_on_calendar_change(sender, calendar_name: str, **kwargs):
    from sharing.services import recompute_due_dates

    recompute_due_dates(calendar_name)
