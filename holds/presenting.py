"""How a hold reads to people, on its pages, in the API and beside each request it blocks: its status, its age,
its next review date (and whether that has passed with no review), and its scope in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.timesince import timesince

from holds import coverage
from holds.models import Hold
from holds.states import HoldState
from protocols.scope import DataSource, Purpose


@dataclass(frozen=True)
class HoldSummary:
    hold: Hold
    status: str
    age_days: int
    age: str
    review_overdue: bool
    source: str
    purposes: list[str]
    categories: list[str]


def age_days(hold: Hold, today: date | None = None) -> int:
    """Days the hold has stood: from the day it began to today, or to the day it was lifted."""
    end = timezone.localdate(hold.lifted_at) if hold.lifted_at else (today or timezone.localdate())
    return max((end - hold.began_on).days, 0)


def summary(hold: Hold, today: date | None = None, labels: dict[str, str] | None = None) -> HoldSummary:
    """`labels`: the personal-data categories' labels (coverage.category_labels), read once for many holds."""
    today = today or timezone.localdate()
    labels = coverage.category_labels() if labels is None else labels
    end = timezone.localdate(hold.lifted_at) if hold.lifted_at else today
    return HoldSummary(
        hold=hold, status=hold.get_state_display(), age_days=age_days(hold, today),
        age=timesince(hold.began_on, end, depth=2) if end > hold.began_on else "less than a day",
        review_overdue=hold.state == HoldState.IN_FORCE and hold.next_review_on < today,
        source=_label(DataSource, hold.data_source),
        purposes=[_label(Purpose, p) for p in hold.purposes or []],
        categories=[labels.get(c, c) for c in hold.personal_data_categories or []])


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value
