"""Compliance statistics (§12, §13, §10/§17) from frames of stored dates, with no Django in it.

Every frame has one row per case (or per escalation rung), its dates as stored, and the columns a grouping may
use (direction, organisation, classification, category). Working days are counted by the clock's vectorised
path (clock.vectorised, ADR 5), one call per calendar, never a loop over rows; grouping and percentiles are
Polars'. The rules, in one place:

- a request's acknowledgement is due once it is given or its §12 date has passed (unless it was withdrawn first);
  it is on time when given on or before the stored `acknowledge_by` (the deadline day itself counts as on time);
- provision is due, likewise, for a request not declined; on time when first provided on or before `provide_by`;
- working days to acknowledge or provide count from the stored day of receipt (a request received on a
  non-working day counts as received on the next working day) to the London date of the act;
- the median and 90th percentile are linear interpolations over the acts done (`quantile(…, "linear")`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import polars as pl

from clock.core import WorkingCalendar
from clock.vectorised import working_days_between_many
from scrutiny.tables import Chart, Column, Table

LONDON = "Europe/London"
GROUPINGS: Mapping[str, str] = {
    "all": "All",
    "quarter": "Quarter",
    "year": "Year",
    "direction": "Direction",
    "organisation": "Organisation asked",
    "classification": "Classification",
    "category": "Personal-data category",
}
GROUP = "group"
NOT_RECORDED = "none recorded"


def london_date(column: str) -> pl.Expr:
    """The Europe/London date of a UTC instant column (§12 counts London dates)."""
    return pl.col(column).dt.convert_time_zone(LONDON).dt.date()


def with_group(frame: pl.DataFrame, grouping: str, when: str) -> pl.DataFrame:
    """The frame with a `group` column: the grouping's value of each row; `when` is the date a period reads."""
    if grouping not in GROUPINGS:
        raise ValueError(f"Unknown grouping {grouping!r}")
    if grouping == "all":
        expression = pl.lit("All")
    elif grouping == "quarter":
        expression = pl.format("{} Q{}", pl.col(when).dt.year(), pl.col(when).dt.quarter())
    elif grouping == "year":
        expression = pl.col(when).dt.year().cast(pl.Utf8)
    else:
        expression = pl.col(grouping).fill_null(NOT_RECORDED).replace("", NOT_RECORDED)
    return frame.with_columns(expression.alias(GROUP))


def working_days(frame: pl.DataFrame, start: str, end: str, calendars: Mapping[str, WorkingCalendar]) -> pl.Series:
    """Working days from each row's `start` date to its `end` date (null where `end` is), by the row's calendar.
    An act before the day of receipt (on the bank holiday it arrived) counts as 0."""
    counts = np.zeros(frame.height, dtype=np.int64)
    has_end = frame[end].is_not_null().to_numpy()
    names = frame["calendar"].to_numpy()
    starts = frame[start].to_numpy().astype("datetime64[D]")
    ends = frame[end].to_numpy().astype("datetime64[D]")
    for name in np.unique(names[has_end]) if has_end.any() else ():
        rows = has_end & (names == name)
        first = starts[rows]
        counts[rows] = working_days_between_many(first, np.maximum(ends[rows], first), calendars[name])
    return pl.Series(end + "_working_days", counts).scatter(np.flatnonzero(~has_end), None)


def _share(on_time: str, due: str) -> pl.Expr:
    return pl.when(pl.col(due) > 0).then((100 * pl.col(on_time) / pl.col(due)).round(1)).otherwise(None)


def _quantile(column: str, q: float) -> pl.Expr:
    return pl.col(column).quantile(q, interpolation="linear").round(1)


def request_outcomes(requests: pl.DataFrame, today: date,
                     calendars: Mapping[str, WorkingCalendar]) -> pl.DataFrame:
    """Each request with its working days to acknowledge and provide, and whether each was due and on time (§12)."""
    frame = requests.with_columns(acknowledged_on=london_date("acknowledged_at"),
                                  provided_on=london_date("provided_at"),
                                  withdrawn_on=london_date("withdrawn_at"))
    frame = frame.with_columns(
        working_days(frame, "received_on", "acknowledged_on", calendars).alias("ack_days"),
        working_days(frame, "received_on", "provided_on", calendars).alias("provide_days"))
    not_withdrawn_by = lambda deadline: pl.col("withdrawn_on").is_null() | (pl.col("withdrawn_on") > pl.col(deadline))  # noqa: E731
    frame = frame.with_columns(
        ack_due=pl.col("acknowledged_on").is_not_null()
        | ((pl.col("acknowledge_by") < today) & not_withdrawn_by("acknowledge_by")),
        ack_on_time=pl.col("acknowledged_on").is_not_null() & (pl.col("acknowledged_on") <= pl.col("acknowledge_by")),
        provide_due=pl.col("provided_on").is_not_null()
        | ((pl.col("decision") != "declined") & (pl.col("provide_by") < today) & not_withdrawn_by("provide_by")),
        provide_on_time=pl.col("provided_on").is_not_null() & (pl.col("provided_on") <= pl.col("provide_by")),
    )
    return frame


ACKNOWLEDGEMENT = "acknowledgement"
PROVISION = "provision"


def outcome_categories(frame: pl.DataFrame) -> pl.DataFrame:
    """Each request's acknowledgement and provision in words, for tables of counts (the transparency page)."""
    return frame.with_columns(
        pl.when(pl.col("ack_on_time")).then(pl.lit("On time")).when(pl.col("ack_due")).then(pl.lit("Late"))
        .otherwise(pl.lit("Not yet due")).alias(ACKNOWLEDGEMENT),
        pl.when(pl.col("decision") == "declined").then(pl.lit("Declined"))
        .when(pl.col("provide_on_time")).then(pl.lit("On time")).when(pl.col("provide_due")).then(pl.lit("Late"))
        .otherwise(pl.lit("Not yet due")).alias(PROVISION))


def request_timeliness(requests: pl.DataFrame, grouping: str, today: date,
                       calendars: Mapping[str, WorkingCalendar]) -> list[Table]:
    """§12: received; share acknowledged within 3 working days and provided within 10 or 15; median and 90th
    percentile working days to acknowledge and to provide."""
    frame = request_outcomes(requests, today, calendars)
    grouped = (with_group(frame, grouping, "received_on").group_by(GROUP).agg(
        received=pl.len(),
        ack_due=pl.col("ack_due").sum(), ack_on_time=pl.col("ack_on_time").sum(),
        ack_median=_quantile("ack_days", 0.5), ack_p90=_quantile("ack_days", 0.9),
        provide_due=pl.col("provide_due").sum(), provide_on_time=pl.col("provide_on_time").sum(),
        provide_median=_quantile("provide_days", 0.5), provide_p90=_quantile("provide_days", 0.9),
    ).with_columns(ack_share=_share("ack_on_time", "ack_due"), provide_share=_share("provide_on_time", "provide_due"))
        .sort(GROUP))
    return [_timeliness_table(grouped, grouping, "acknowledgement", "ack",
                              "Requests acknowledged within 3 working days", "Acknowledgements due",
                              "Acknowledged on time", "acknowledge",
                              "Acknowledgement is due within 3 working days of receipt (§12); a deadline met on its "
                              "last day is on time."),
            _timeliness_table(grouped, grouping, "provision", "provide",
                              "Requests provided within 10 or 15 working days", "Provisions due",
                              "Provided on time", "provide",
                              "Provision is due within 10 working days for OFFICIAL and 15 for OFFICIAL-SENSITIVE "
                              "information (§12), from the first delivery. Declined requests owe no provision.")]


def _timeliness_table(grouped: pl.DataFrame, grouping: str, key: str, prefix: str, title: str, due_label: str,
                      on_time_label: str, verb: str, note: str) -> Table:
    columns = (
        Column(GROUP, GROUPINGS[grouping]), Column("received", "Requests received", True),
        Column(f"{prefix}_due", due_label, True), Column(f"{prefix}_on_time", on_time_label, True),
        Column(f"{prefix}_share", "% on time", True),
        Column(f"{prefix}_median", f"Median working days to {verb}", True),
        Column(f"{prefix}_p90", f"90th percentile working days to {verb}", True),
    )
    return Table(key, title, "§12", columns, _rows(grouped, columns),
                 Chart((GROUP,), f"{prefix}_share", f"% {on_time_label.lower()}"), notes=(note,))


def declines_by_item(requests: pl.DataFrame, grouping: str, item_labels: Mapping[str, str]) -> Table:
    """Declined requests by the checklist item not satisfied (§7, §9): a request declining on two counts twice."""
    declined = requests.filter(pl.col("decision") == "declined").explode("declined_items", empty_as_null=True)
    declined = declined.with_columns(item=pl.col("declined_items").replace_strict(
        dict(item_labels), default=pl.col("declined_items")).fill_null(NOT_RECORDED))
    grouped = (with_group(declined, grouping, "received_on").group_by(GROUP, "item").agg(declined=pl.len())
               .sort(GROUP, "declined", "item", descending=[False, True, False]))
    columns = (Column(GROUP, GROUPINGS[grouping]), Column("item", "Checklist item not satisfied"),
               Column("declined", "Declined requests", True))
    return Table("declines", "Declines by checklist item", "§7, §9", columns, _rows(grouped, columns),
                 Chart((GROUP, "item"), "declined", "Declined requests"))


def escalations_by_rung(steps: pl.DataFrame, grouping: str, calendars: Mapping[str, WorkingCalendar]) -> Table:
    """§13: each rung an escalation reached, what it decided, and the working days it waited there."""
    frame = steps.with_columns(reached_on=london_date("reached_at"), decided_on=london_date("decided_at"),
                               opened_on=london_date("opened_at"))
    frame = frame.with_columns(working_days(frame, "reached_on", "decided_on", calendars).alias("days_at_rung"))
    grouped = (with_group(frame, grouping, "opened_on").group_by(GROUP, "position", "rung", "outcome").agg(
        escalations=pl.len(), median_days=_quantile("days_at_rung", 0.5), p90_days=_quantile("days_at_rung", 0.9))
        .sort(GROUP, "position", "outcome"))
    columns = (Column(GROUP, GROUPINGS[grouping]), Column("position", "Rung", True), Column("rung", "Who decides"),
               Column("outcome", "Outcome"), Column("escalations", "Escalations", True),
               Column("median_days", "Median working days at the rung", True),
               Column("p90_days", "90th percentile working days at the rung", True))
    return Table("escalation_rungs", "Escalations by rung and outcome", "§13", columns, _rows(grouped, columns),
                 Chart((GROUP, "rung", "outcome"), "escalations", "Escalations"),
                 notes=("Working days at a rung run from the day it reached the rung to the day the rung decided; "
                        "escalations still waiting are counted but not timed.",))


def escalations_by_highest_rung(steps: pl.DataFrame, grouping: str) -> Table:
    """§13: how far up the ladder each escalation went."""
    frame = steps.with_columns(opened_on=london_date("opened_at"))
    highest = frame.sort("position").group_by("escalation_id").last()
    grouped = (with_group(highest, grouping, "opened_on").group_by(GROUP, "position", "rung")
               .agg(escalations=pl.len()).sort(GROUP, "position"))
    columns = (Column(GROUP, GROUPINGS[grouping]), Column("position", "Highest rung reached", True),
               Column("rung", "Who decides there"), Column("escalations", "Escalations", True))
    return Table("escalation_heights", "Escalations by the highest rung reached", "§13", columns,
                 _rows(grouped, columns), Chart((GROUP, "rung"), "escalations", "Escalations"))


def approvals_table(approvals: pl.DataFrame, grouping: str, calendars: Mapping[str, WorkingCalendar]) -> Table:
    """§10, §17: approvals asked, how each ended, and the working days from asking to the decision."""
    frame = approvals.with_columns(requested_on=london_date("requested_at"), decided_on=london_date("decided_at"))
    frame = frame.with_columns(working_days(frame, "requested_on", "decided_on", calendars).alias("days"))
    grouped = (with_group(frame, grouping, "requested_on").group_by(GROUP, "kind", "state").agg(
        approvals=pl.len(), median_days=_quantile("days", 0.5), p90_days=_quantile("days", 0.9))
        .sort(GROUP, "kind", "state"))
    columns = (Column(GROUP, GROUPINGS[grouping]), Column("kind", "Approval"), Column("state", "State"),
               Column("approvals", "Approvals", True), Column("median_days", "Median working days to decide", True),
               Column("p90_days", "90th percentile working days to decide", True))
    return Table("approvals", "Approvals and how long they took", "§10, §17", columns, _rows(grouped, columns),
                 Chart((GROUP, "kind", "state"), "approvals", "Approvals"))


def _rows(frame: pl.DataFrame, columns: tuple[Column, ...]) -> tuple[tuple, ...]:
    if frame.is_empty():
        return ()
    return tuple(frame.select([column.key for column in columns]).iter_rows())
