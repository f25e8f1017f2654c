"""What the statistics pages, the API, the exports and the annual report ask for: a checked query and its tables.
Reading figures changes nothing, so nothing here is audited; who may read them is scrutiny.permissions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from clock.core import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY
from concordat.errors import NotAllowed, Problem, RuleViolation
from scrutiny import permissions
from scrutiny.compliance import GROUPINGS
from scrutiny.figures import StatisticsQuery, providers
from scrutiny.tables import Table

DEFAULT_GROUPING = "quarter"
MAX_PARAMETER_LENGTH = 20


def default_start(today: date) -> date:
    return date(today.year - 1, 1, 1)


def parse_query(params: Mapping[str, str], today: date) -> StatisticsQuery:
    """The period and grouping asked for, each problem named by its field; defaults: since 1 January last year,
    to today, by quarter."""
    problems = []
    grouping = str(params.get("by") or DEFAULT_GROUPING)[:MAX_PARAMETER_LENGTH]
    if grouping not in GROUPINGS:
        problems.append(Problem(f"There is no grouping called “{grouping}”: choose one of "
                                f"{', '.join(GROUPINGS)}.", field="by"))
    start = _date(params, "from", default_start(today), problems)
    end = _date(params, "to", today, problems)
    if start and end and end < start:
        problems.append(Problem(f"The period ends ({end:%-d %B %Y}) before it starts ({start:%-d %B %Y}): "
                                "give an end on or after the start.", field="to"))
    if problems:
        raise RuleViolation(*problems)
    return StatisticsQuery(start, end, grouping, today)


def _date(params: Mapping[str, str], name: str, default: date, problems: list) -> date | None:
    text = str(params.get(name) or "").strip()[:MAX_PARAMETER_LENGTH]
    if not text:
        return default
    try:
        value = date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(f"“{text}” is not a date: give it as YYYY-MM-DD.", field=name))
        return None
    if not FIRST_SUPPORTED_DAY <= value <= LAST_SUPPORTED_DAY:
        problems.append(Problem(f"Give a date from {FIRST_SUPPORTED_DAY.year} to {LAST_SUPPORTED_DAY.year}.",
                                field=name))
        return None
    return value


def statistics(user, query: StatisticsQuery) -> list[Table]:
    """Every registered provider's tables for the query, in the page's order."""
    if not permissions.may_read_statistics(user):
        raise NotAllowed("Only members of a party to a protocol can read its statistics.")
    return compute_tables(query)


def compute_tables(query: StatisticsQuery) -> list[Table]:
    """Every registered provider's tables for the query, in the page's order: the slow part (a snapshot's job,
    ADR 53, or inline)."""
    return [table for provider in providers() for table in provider.tables(query)]


def table_named(user, query: StatisticsQuery, key: str) -> Table:
    """One table, for its export; an unknown name is refused with the names there are."""
    return table_in(statistics(user, query), key)


def table_in(tables: list[Table], key: str) -> Table:
    """The table called `key` among those shown (ADR 53: a snapshot's), or a refusal naming the tables there are."""
    for table in tables:
        if table.key == key:
            return table
    raise RuleViolation(f"There is no table called “{key[:40]}”: the tables are "
                        f"{', '.join(table.key for table in tables)}.", field="table")
