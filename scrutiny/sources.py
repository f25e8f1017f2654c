"""Frames of stored dates for the compliance statistics: one query per frame whatever the history's size.

Each frame carries the grouping columns of its request (direction, organisation asked, classification,
personal-data category) and the calendar its request was counted on, so that every table can be grouped alike."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import polars as pl
from django.db import connection
from django.db.models import BigIntegerField, F, Func, Min, Q, TextField
from django.db.models.functions import Cast

from clock.calendar_store import get_calendar
from clock.core import DEFAULT_CALENDAR
from scrutiny.figures import StatisticsQuery

INSTANT = pl.Datetime("us", "UTC")
GROUPING_SCHEMA = {"direction": pl.Utf8, "organisation": pl.Utf8, "classification": pl.Utf8, "category": pl.Utf8,
                   "calendar": pl.Utf8}
REQUEST_SCHEMA = {
    "id": pl.Int64, **GROUPING_SCHEMA, "received_on": pl.Date, "acknowledge_by": pl.Date, "provide_by": pl.Date,
    "acknowledged_at": INSTANT, "provided_at": INSTANT, "withdrawn_at": INSTANT, "decision": pl.Utf8,
    "declined_items": pl.List(pl.Utf8),
}
STEP_SCHEMA = {"escalation_id": pl.Int64, "position": pl.Int64, "role": pl.Utf8, "outcome": pl.Utf8,
               "reached_at": INSTANT, "decided_at": INSTANT, "opened_at": INSTANT, **GROUPING_SCHEMA}
APPROVAL_SCHEMA = {"id": pl.Int64, "kind": pl.Utf8, "state": pl.Utf8, "requested_at": INSTANT,
                   "decided_at": INSTANT, **GROUPING_SCHEMA}


def _request_columns(prefix: str) -> dict:
    return {"direction": f"{prefix}direction", "organisation": f"{prefix}holder_org__name",
            "classification": f"{prefix}classification", "category": f"{prefix}personal_data_category",
            "calendar": f"{prefix}calendar_name"}


class EpochMicroseconds(Func):
    """An instant as microseconds since 1970 (PostgreSQL): read as a number, not parsed row by row."""

    output_field = BigIntegerField()
    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"


def _frame(queryset, fields: dict, schema: dict) -> pl.DataFrame:
    """The queryset's `fields` as a frame of `schema`. On PostgreSQL through COPY … TO STDOUT read by Polars' CSV
    reader (a tenth of the time of building Python objects row by row: bench/scrutiny.py); elsewhere through
    values_list. Text never null (an empty string), the calendar never empty."""
    if connection.vendor == "postgresql":
        frame = _copied_frame(queryset, fields, schema)
    else:
        rows = queryset.values_list(*fields.values())
        frame = pl.DataFrame(list(rows), schema=list(schema), orient="row", schema_overrides=schema)
    text = [name for name, dtype in schema.items() if dtype == pl.Utf8]
    return frame.with_columns(pl.col(text).fill_null("")).with_columns(
        pl.col("calendar").replace("", DEFAULT_CALENDAR))


def _copied_frame(queryset, fields: dict, schema: dict) -> pl.DataFrame:
    import psycopg

    columns, read_as = {}, {}
    for name, path in fields.items():
        dtype = schema[name]
        if dtype == INSTANT:
            columns[f"copied_{name}"], read_as[name] = EpochMicroseconds(F(path)), pl.Int64
        elif isinstance(dtype, pl.List):
            columns[f"copied_{name}"], read_as[name] = Cast(F(path), TextField()), pl.Utf8
        else:
            columns[f"copied_{name}"], read_as[name] = F(path), dtype
    sql, params = queryset.annotate(**columns).values_list(*columns).query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    statement = psycopg.ClientCursor(raw).mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
    buffer = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for block in copy:
            buffer.write(block)
    frame = pl.read_csv(buffer.getvalue(), has_header=False, new_columns=list(fields), schema=read_as) \
        if buffer.tell() else pl.DataFrame(schema=read_as)
    return frame.with_columns(
        *[pl.from_epoch(name, time_unit="us").dt.replace_time_zone("UTC")
          for name, dtype in schema.items() if dtype == INSTANT],
        *[pl.col(name).str.json_decode(dtype) for name, dtype in schema.items() if isinstance(dtype, pl.List)])


def _instants(query: StatisticsQuery) -> tuple[datetime, datetime]:
    """The period as instants: from midnight UTC of the first day to midnight after the last (a London day starts
    an hour earlier in summer: the hour is within a day of the period's edge, as received_on itself)."""
    return (datetime.combine(query.start, time.min, UTC),
            datetime.combine(query.end + timedelta(days=1), time.min, UTC))


def requests_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every request received in the period (its stored day of receipt), with its first provision."""
    from sharing.models import Request

    # The first delivery as an aggregate over a join (grouped by the request's key): on PostgreSQL a third of the
    # time of a subquery per request (bench/scrutiny.py).
    received = (Request.objects.filter(received_on__gte=query.start, received_on__lte=query.end)
                .annotate(provided_at=Min("deliveries__delivered_at")).order_by())
    fields = {"id": "id", **_request_columns(""), "received_on": "received_on", "acknowledge_by": "acknowledge_by",
              "provide_by": "provide_by", "acknowledged_at": "acknowledged_at", "provided_at": "provided_at",
              "withdrawn_at": "withdrawn_at", "decision": "decision", "declined_items": "declined_items"}
    return _frame(received, fields, REQUEST_SCHEMA)


def escalation_steps_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every rung reached by the escalations opened in the period."""
    from escalations.models import EscalationStep

    start, end = _instants(query)
    steps = EscalationStep.objects.filter(escalation__opened_at__gte=start, escalation__opened_at__lt=end).order_by()
    fields = {"escalation_id": "escalation_id", "position": "position", "role": "role", "outcome": "outcome",
              "reached_at": "reached_at", "decided_at": "decided_at", "opened_at": "escalation__opened_at",
              **_request_columns("escalation__request__")}
    return _frame(steps, fields, STEP_SCHEMA)


def approvals_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every approval asked in the period (those not about a request have no request's columns)."""
    from approvals.models import Approval

    start, end = _instants(query)
    asked = Approval.objects.filter(requested_at__gte=start, requested_at__lt=end).order_by()
    fields = {"id": "id", "kind": "kind", "state": "state", "requested_at": "requested_at",
              "decided_at": "decided_at", **_request_columns("request__")}
    return _frame(asked, fields, APPROVAL_SCHEMA)


def calendars_for(*frames: pl.DataFrame) -> dict:
    """The working calendars the frames name, with the database's closures (one small query each)."""
    names = set().union(*(set(frame["calendar"].unique().to_list()) for frame in frames)) or {DEFAULT_CALENDAR}
    return {name: get_calendar(name) for name in names}


# --- the case types that landed after issue 13: holds, research projects, releases (scrutiny.casework) ------------
# Hundreds of cases, not the requests' hundreds of thousands: read through values_list, one query per frame.

HOLD_SCHEMA = {"id": pl.Int64, **GROUPING_SCHEMA, "state": pl.Utf8, "began_on": pl.Date, "next_review_on": pl.Date,
               "lifted_at": INSTANT}
HOLD_REVIEW_SCHEMA = {"hold_id": pl.Int64, "occurred_at": INSTANT, "late": pl.Boolean}
PROJECT_SCHEMA = {"id": pl.Int64, **GROUPING_SCHEMA, "state": pl.Utf8, "proposed_at": INSTANT, "decided_at": INSTANT}
PROJECT_EVENT_SCHEMA = {"project_id": pl.Int64, "action": pl.Utf8, "occurred_at": INSTANT}
RELEASE_SCHEMA = {"id": pl.Int64, **GROUPING_SCHEMA, "state": pl.Utf8, "created_at": INSTANT}
RELEASE_EVENT_SCHEMA = {"release_id": pl.Int64, "action": pl.Utf8, "occurred_at": INSTANT}
CHECK_SCHEMA = {"release_id": pl.Int64, "round": pl.Int64, "verdict": pl.Utf8}


def _listed(queryset, fields: list[str], schema: dict, constants: dict | None = None) -> pl.DataFrame:
    """The queryset's `fields` (in the schema's order, less the `constants`) as a frame of `schema`; text never
    null, the calendar never empty."""
    constants = constants or {}
    names = [name for name in schema if name not in constants]
    rows = list(queryset.values_list(*fields))
    frame = pl.DataFrame(rows, schema=names, orient="row", schema_overrides={n: schema[n] for n in names}) \
        if rows else pl.DataFrame(schema={n: schema[n] for n in names})
    frame = frame.with_columns(*[pl.lit(value, schema[name]).alias(name) for name, value in constants.items()])
    text = [name for name, dtype in schema.items() if dtype == pl.Utf8]
    frame = frame.select(list(schema)).with_columns(pl.col(text).fill_null(""))
    if "calendar" in schema:
        frame = frame.with_columns(pl.col("calendar").replace("", DEFAULT_CALENDAR))
    return frame


# Holds and research projects are not about one request: only their organisation groups them (the others read
# "none recorded"), and they are counted on England and Wales' calendar.
NOT_A_REQUEST = {"direction": "", "classification": "", "category": "", "calendar": DEFAULT_CALENDAR}


def holds_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every processing hold placed in the period (by the day it began), grouped by the department that placed it."""
    from holds.models import Hold

    placed = Hold.objects.filter(began_on__gte=query.start, began_on__lte=query.end).order_by()
    return _listed(placed, ["id", "department__name", "state", "began_on", "next_review_on", "lifted_at"],
                   HOLD_SCHEMA, NOT_A_REQUEST)


def hold_reviews_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every review of those holds, and whether it was made after its review date had passed."""
    from holds.models import HoldEvent
    from holds.states import HoldAction

    reviews = HoldEvent.objects.filter(hold__began_on__gte=query.start, hold__began_on__lte=query.end,
                                       action=HoldAction.REVIEW).order_by()
    frame = _listed(reviews, ["hold_id", "occurred_at", "details__overdue"], HOLD_REVIEW_SCHEMA)
    return frame.with_columns(pl.col("late").fill_null(False))


def projects_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every research project proposed in the period, by the institution proposing it, with its first decision."""
    from research.models import ResearchProject
    from research.states import ProjectAction

    start, end = _instants(query)
    decided = Min("events__occurred_at", filter=Q(events__action__in=[ProjectAction.APPROVE, ProjectAction.CANCEL]))
    proposed = (ResearchProject.objects.filter(proposed_at__gte=start, proposed_at__lt=end)
                .annotate(decided_at=decided).order_by())
    return _listed(proposed, ["id", "institution__name", "state", "proposed_at", "decided_at"], PROJECT_SCHEMA,
                   NOT_A_REQUEST)


def project_suspension_events_frame(query: StatisticsQuery) -> pl.DataFrame:
    """The events that suspend those projects or move them out of "suspended" (scrutiny.casework.suspensions)."""
    from research.models import ProjectEvent
    from research.states import ProjectAction

    start, end = _instants(query)
    events = ProjectEvent.objects.filter(
        project__proposed_at__gte=start, project__proposed_at__lt=end,
        action__in=[ProjectAction.SUSPEND, ProjectAction.RESUME, ProjectAction.CANCEL]).order_by()
    return _listed(events, ["project_id", "action", "occurred_at"], PROJECT_EVENT_SCHEMA)


def releases_frame(query: StatisticsQuery) -> pl.DataFrame:
    """Every release drafted in the period, with its request's grouping columns."""
    from releases.models import Release

    start, end = _instants(query)
    drafted = Release.objects.filter(created_at__gte=start, created_at__lt=end).order_by()
    columns = _request_columns("request__")
    return _listed(drafted, ["id", *(columns[name] for name in GROUPING_SCHEMA), "state", "created_at"],
                   RELEASE_SCHEMA)


def release_events_frame(query: StatisticsQuery) -> pl.DataFrame:
    """The submissions, consolidations and withdrawals of those releases (scrutiny.casework.checking_rounds)."""
    from releases.models import ReleaseEvent
    from releases.states import ReleaseAction

    start, end = _instants(query)
    events = ReleaseEvent.objects.filter(
        release__created_at__gte=start, release__created_at__lt=end,
        action__in=[ReleaseAction.SUBMIT, ReleaseAction.CONSOLIDATE, ReleaseAction.WITHDRAW]).order_by()
    return _listed(events, ["release_id", "action", "occurred_at"], RELEASE_EVENT_SCHEMA)


def release_checks_frame(query: StatisticsQuery) -> pl.DataFrame:
    from releases.models import ReleaseCheck

    start, end = _instants(query)
    checks = ReleaseCheck.objects.filter(release__created_at__gte=start, release__created_at__lt=end).order_by()
    return _listed(checks, ["release_id", "round", "verdict"], CHECK_SCHEMA)
