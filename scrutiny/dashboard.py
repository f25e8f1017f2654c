"""Each person's dashboard: panels of tables, each a Table so that it is drawn, read and exported alike.

What waits on a person comes from workflow.work ("My work", ADR 11): this module only arranges it (due this week,
overdue and by how long) and adds the counts no single case gives (open escalations by rung). Other case types
add a panel by registering one (holds and their review dates, releases awaiting checking):

    register_panel(Panel("holds", "Holds and their review dates", holds_panel, order=40))

A panel's build(user, today, items) returns a Table of the cases that person sees, in a fixed number of queries;
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
    build: Callable[[object, date, list], Table]
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
    items = work.items_for(user, today, limit=ITEMS_SHOWN)
    tables = [panel.build(user, today, items) for panel in panels()]
    return Dashboard(work.counts(user, today), tables, highest_marking(*(table.marking for table in tables)))


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


def register_main_panels() -> None:
    register_panel(Panel("overdue", "Overdue", overdue_panel, order=10))
    register_panel(Panel("due_this_week", "Due this week", due_this_week_panel, order=20))
    register_panel(Panel("open_escalations", "Open escalations by rung", escalations_panel, order=30))
    register_panel(Panel("waiting", "What waits on you", waiting_panel, order=90))
