"""How long, in words people read at a glance: "3 days", "about 5 weeks", "about 5½ years". No Django here."""

from __future__ import annotations

DAYS_IN_YEAR = 365.25
DAYS_IN_MONTH = DAYS_IN_YEAR / 12


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _halves(value: float) -> str:
    whole, half = divmod(round(value * 2), 2)
    return f"{whole}½" if half else str(whole)


def about(days: int) -> str:
    """A calendar duration in days, rounded as people say it: exact under a fortnight, then weeks, months, and
    years to the nearest half."""
    if days < 0:
        raise ValueError("A duration is never negative.")
    if days < 14:
        return _plural(days, "day")
    if days < 8 * 7:
        return f"about {_plural(round(days / 7), 'week')}"
    if days < DAYS_IN_YEAR - DAYS_IN_MONTH / 2:
        return f"about {_plural(max(2, round(days / DAYS_IN_MONTH)), 'month')}"
    years = _halves(days / DAYS_IN_YEAR)
    return f"about {years} year" + ("" if years == "1" else "s")
