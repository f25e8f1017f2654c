"""Closures and openings an administrator adds to a working-day calendar."""

from django.conf import settings
from django.db import models

from clock.core import CALENDAR_LABELS


class CalendarAdjustment(models.Model):
    """One day a calendar treats differently from the bank holidays: never edited, only added or removed
    (through clock.services), so that every change is permitted, audited and announced."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", "Closure: not a working day"
        OPENING = "opening", "Opening: a working day although a bank holiday"

    calendar = models.CharField(max_length=32, choices=list(CALENDAR_LABELS.items()))
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calendar", "day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="clock_one_adjustment_per_calendar_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day.isoformat()} ({self.calendar}): {self.reason}"
