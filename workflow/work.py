"""'My work': the union of what each person owns across every case type, overdue first, then soonest due,
drafts last. Each case type says which of its cases wait on a person (CaseType.waiting_on, held in agreement
with the actions the person can take by a test); this module merges them and counts them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Q

from workflow import registry


@dataclass(frozen=True)
class WorkItem:
    kind: str  # the case type
    reference: str
    title: str
    what: str  # what is waited for, in words
    marking: str
    due_on: date | None
    is_overdue: bool
    is_draft: bool
    link: str
    case: object

    def sort_key(self):
        """Soonest due first (so the overdue, whose dates are past, come first of all), the undated last; ties
        in the order each case type gives (its key), so that merging each type's first N is exact."""
        return (self.due_on is None, self.due_on or date.min, self.is_draft, self.kind, self.case.pk)


@dataclass(frozen=True)
class WorkCounts:
    total: int = 0
    overdue: int = 0
    due_this_week: int = 0
    drafts: int = 0

    def __add__(self, other: WorkCounts) -> WorkCounts:
        return WorkCounts(self.total + other.total, self.overdue + other.overdue,
                          self.due_this_week + other.due_this_week, self.drafts + other.drafts)


# One page ("My work", a dashboard) asks every case type the same things of the same person: what is built from
# the person alone (the visibility filter) or read once (the calendar) is built once for the page (ADR 45).
_PAGE: ContextVar[dict | None] = ContextVar("workflow_work_page", default=None)


@contextlib.contextmanager
def one_page() -> Iterator[None]:
    token = _PAGE.set({})
    try:
        yield
    finally:
        _PAGE.reset(token)


def for_the_page(key: tuple, build: Callable):
    """build(), once per key within one_page(); every call outside a page builds afresh."""
    memo = _PAGE.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


WEEK = timedelta(days=7)
# Counts stop here: "more than 1,000" says as much as the exact number, and counting a pile of tens of thousands
# on every page load would cost more than the page.
COUNT_CAP = 1000


def capped_counts(waiting, due_field: str, today: date, drafts=None) -> WorkCounts:
    """WorkCounts of a queryset of waiting cases, each count stopping at COUNT_CAP + 1 (read on its index).

    One query, and the waiting queryset (its visibility rules are most of a page's Python) compiled once (ADR 50):
    its SQL, with the due date and the draft flag as columns, is the FROM of four capped counts. The overdue are
    the soonest due, so capping their own count equals counting them among the first COUNT_CAP + 1 in due order."""
    columns = {"work_due": F(due_field)}
    if drafts is not None:
        columns["work_draft"] = ExpressionWrapper(drafts, output_field=BooleanField())
    rows = waiting.order_by().annotate(**columns).values(*columns)
    try:
        sql, params = rows.query.get_compiler(waiting.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (e.g. pk__in=[]): nothing to ask the database
        return WorkCounts()
    connection = connections[waiting.db]
    week_end = connection.ops.adapt_datefield_value(today + WEEK)
    today_value = connection.ops.adapt_datefield_value(today)
    wheres = [("", []), ("WHERE w.work_due < %s", [today_value]),
              ("WHERE w.work_due >= %s AND w.work_due <= %s", [today_value, week_end])]
    if drafts is not None:
        wheres.append(("WHERE w.work_draft", []))
    selects, all_params = [], []
    for where, where_params in wheres:
        selects.append(f"(SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) w {where} LIMIT {COUNT_CAP + 1}) capped)")
        all_params.extend([*params, *where_params])
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), all_params)
        total, overdue, due_this_week, *rest = cursor.fetchone()
    return WorkCounts(total=total, overdue=overdue, due_this_week=due_this_week, drafts=rest[0] if rest else 0)


def matches_nothing(q: Q) -> bool:
    """Whether a filter can match no row whatever the data: `pk__in=[]` (how waiting_on says "nothing", having no
    role for it), or an AND holding one, or an OR of nothing but those. Read off the Q, without compiling it."""
    if q.negated:
        return False
    if not q.children:
        return False  # Q(): everything
    empty = [child == ("pk__in", []) or (isinstance(child, Q) and matches_nothing(child)) for child in q.children]
    return any(empty) if q.connector == Q.AND else all(empty)


def _waits_on(case_type, user) -> bool:
    """False when nothing of this case type can wait on the person (waiting_on matches nothing): then it has no
    items and no counts, and its visibility rules need not be built, compiled and sent (ADR 58). Every case
    type's work_items are among its waiting_on cases."""
    return not matches_nothing(case_type.waiting_on(user))


def items_for(user, today: date, limit: int = 500) -> list[WorkItem]:
    """Everything waiting on this person (at most `limit` of each case type), in the order to do it."""
    items = [item for case_type in registry.case_types() if _waits_on(case_type, user)
             for item in case_type.work_items(user, today, limit)]
    return sorted(items, key=WorkItem.sort_key)


def items_and_counts(user, today: date, limit: int) -> tuple[list[WorkItem], WorkCounts]:
    """items_for() and counts() at once (ADR 50): a case type whose items are its waiting cases one for one
    (counts_follow_items) and that gave fewer than `limit` gave them all, so they are counted in Python, and its
    waiting queryset is not built, compiled and run a second time for the counts."""
    items, total = [], WorkCounts()
    for case_type in registry.case_types():
        if not _waits_on(case_type, user):
            continue
        mine = case_type.work_items(user, today, limit)
        items.extend(mine)
        complete = case_type.counts_follow_items and len(mine) < limit
        total += counts_of(mine, today) if complete else case_type.work_counts(user, today)
    return sorted(items, key=WorkItem.sort_key), total


def counts_of(items: list[WorkItem], today: date) -> WorkCounts:
    """The counts of a list of items (a case type with few cases); case types with many count in SQL."""
    return WorkCounts(
        total=len(items), overdue=sum(i.is_overdue for i in items),
        due_this_week=sum(1 for i in items if not i.is_overdue and i.due_on and i.due_on <= today + WEEK),
        drafts=sum(i.is_draft for i in items))


def counts(user, today: date) -> WorkCounts:
    """How much waits on this person, how much of it is overdue, due within a week, or a draft."""
    return sum((case_type.work_counts(user, today) for case_type in registry.case_types()
                if _waits_on(case_type, user)), WorkCounts())
