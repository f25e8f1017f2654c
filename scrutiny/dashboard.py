"""Each person's dashboard: panels of tables, each a Table so that it is drawn, read and exported alike.

What waits on a person comes from workflow.work ("My work", ADR 11): this module only arranges it (due this week,
overdue and by how long) and adds the counts no single case gives (open escalations by rung). Other case types
add a panel by registering one (holds and their review dates, releases awaiting checking):

    register_panel(Panel("holds", "Holds and their review dates", holds_panel, order=40))

A panel's build(user, today, items) returns a Table of the cases that person sees, in a fixed number of queries,
or None when the panel is not for this person (releases awaiting checking: output checkers only);
`items` are the person's work items (workflow.work), read once for every panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db.models import Count

from clock.calendar_store import get_calendar
from clock.vectorised import working_days_between_many
from protocols.markings import highest_marking
from scrutiny.durations import about
from scrutiny.tables import Chart, Column, Table
from workflow import registry, work

WEEK = timedelta(days=7)
ITEMS_SHOWN = 50  # of each case type: a dashboard is a glance, "My work" pages through the rest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    build: Callable[[object, date, list], Table | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    _PANELS[panel.key] = panel
    return panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


@dataclass(frozen=True)
class Dashboard:
    counts: work.WorkCounts
    tables: list[Table]
    marking: str


def dashboard(user, today: date) -> Dashboard:
    with work.one_page():
        items, counts = work.items_and_counts(user, today, limit=ITEMS_SHOWN)
        tables = [table for table in (panel.build(user, today, items) for panel in panels()) if table is not None]
    return Dashboard(counts, tables, highest_marking(*(table.marking for table in tables)))


ITEM_COLUMNS = (Column("reference", "Case"), Column("title", "Title"), Column("what", "Waiting for"),
                Column("due_on", "Due"))


def _item_table(key: str, title: str, items: list, extra_columns=(), extra_values=None) -> Table:
    rows = tuple((item.reference, item.title, item.what, item.due_on, *(extra_values(item) if extra_values else ()))
                 for item in items)
    return Table(key, title, "", ITEM_COLUMNS + tuple(extra_columns), rows, links=tuple(item.link for item in items),
                 marking=highest_marking(*(item.marking for item in items)))


def waiting_panel(user, today, items) -> Table:
    return _item_table("waiting", "What waits on you", items)


def due_this_week_panel(user, today, items) -> Table:
    due = [item for item in items if item.due_on and today <= item.due_on <= today + WEEK]
    return _item_table("due_this_week", "Due in the next 7 days", due)


def overdue_panel(user, today, items) -> Table:
    """§12: overdue, and by how long in working days (England and Wales) and in calendar time."""
    overdue = [item for item in items if item.due_on and item.due_on < today]
    due = np.array([item.due_on for item in overdue], dtype="datetime64[D]")
    late = working_days_between_many(due, np.full(due.shape, today, dtype="datetime64[D]"),
                                     get_calendar()) if overdue else []
    by_item = {id(item): int(days) for item, days in zip(overdue, late, strict=True)}
    return _item_table("overdue", "Overdue, and by how long", overdue, (
        Column("working_days_late", "Working days late", True), Column("calendar_time_late", "Calendar time late")),
        lambda item: (by_item[id(item)], about((today - item.due_on).days)))


def escalations_panel(user, today, items) -> Table:
    """§13: the open escalations this person sees, by the rung each waits at."""
    from accounts.roles import Role
    from escalations.states import OPEN_STATES

    cases = registry.case_type("escalation").visible(user).filter(state__in=list(OPEN_STATES))
    counts = cases.order_by().values("position", "rung_role").annotate(open=Count("pk")).order_by("position")
    roles = dict(Role.choices)
    rows = tuple((row["position"], roles.get(row["rung_role"], row["rung_role"]).removeprefix("Escalation: "),
                  row["open"]) for row in counts)
    return Table("open_escalations", "Open escalations by rung", "§13",
                 (Column("position", "Rung", True), Column("rung", "Who decides"), Column("open", "Open", True)),
                 rows, Chart(("rung",), "open", "Open escalations"))


def releases_awaiting_checking_panel(user, today, items) -> Table | None:
    """§15: for an output checker, the releases awaiting their verdict or their consolidation (from "My work");
    no panel for anyone else."""
    from accounts.roles import Role
    from releases.states import ReleaseState

    if not user.has_role(Role.OUTPUT_CHECKER):
        return None
    waiting = [item for item in items if item.kind == "release"
               and item.case.state in (ReleaseState.CHECKING, ReleaseState.CHECKED)]
    return _item_table("releases_awaiting_checking", "Releases awaiting checking", waiting,
                       (Column("round", "Checking round", True),), lambda item: (item.case.round,))


def holds_panel(user, today, items) -> Table:
    """Issue 11: the processing holds in force that this person sees, soonest review first, with how far past its
    review date each is (working days, England and Wales) or how long until it (one query)."""
    from holds.states import HoldState

    holds = list(registry.case_type("hold").visible(user).filter(state=HoldState.IN_FORCE)
                 .select_related("department").order_by("next_review_on", "pk")[:ITEMS_SHOWN])
    review_dates = np.array([hold.next_review_on for hold in holds], dtype="datetime64[D]")
    late = working_days_between_many(np.minimum(review_dates, np.datetime64(today, "D")),
                                     np.full(review_dates.shape, today, dtype="datetime64[D]"),
                                     get_calendar()) if holds else []
    rows = tuple((hold.reference, hold.title, hold.department.name, hold.began_on, hold.next_review_on,
                  _review_words(hold.next_review_on, today, int(days)))
                 for hold, days in zip(holds, late, strict=True))
    return Table("holds", "Processing holds and their review dates", "",
                 (Column("reference", "Hold"), Column("title", "Title"), Column("department", "Placed by"),
                  Column("began_on", "In force since"), Column("next_review_on", "Next review"),
                  Column("review", "Review")), rows,
                 links=tuple(registry.case_type("hold").link(hold) for hold in holds))


def _review_words(review_on: date, today: date, working_days_late: int) -> str:
    if review_on < today:
        return f"Overdue by {working_days_late} working day{'' if working_days_late == 1 else 's'}"
    if review_on == today:
        return "Due today"
    return f"Due in {about((review_on - today).days)}"


def register_casework_panels() -> None:
    register_panel(Panel("releases_awaiting_checking", "Releases awaiting checking", releases_awaiting_checking_panel,
                         order=40))
    register_panel(Panel("holds", "Processing holds and their review dates", holds_panel, order=50))


def register_main_panels() -> None:
    register_panel(Panel("overdue", "Overdue", overdue_panel, order=10))
    register_panel(Panel("due_this_week", "Due this week", due_this_week_panel, order=20))
    register_panel(Panel("open_escalations", "Open escalations by rung", escalations_panel, order=30))
    register_panel(Panel("waiting", "What waits on you", waiting_panel, order=90))
