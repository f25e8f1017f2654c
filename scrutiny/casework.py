"""Figures of the case types that landed after issue 13 (ADR 41): processing holds, research projects and
safe-output releases, from frames of stored dates, with no Django in it (the frames: scrutiny.sources).

The rules, in one place:

- a span (a hold in force, a project suspended, a release from submission to consolidation) runs from the London
  date it began to the London date it ended, or to today while it has not ended; its working days are counted by
  the clock's vectorised path on England and Wales' calendar (compliance.working_days), its calendar days plainly;
- a hold's review is *late* when it was made after the review date had passed (the service records this), and a
  review is *overdue now* when the hold is in force and its review date has passed with no review; a *missed*
  review date is either;
- a project's decision is the first approval or cancellation after it was proposed;
- a suspension runs from the project's suspension to the next event that moves it out of "suspended" (back under
  review, or cancelled), or to today;
- two checkers *agree* on a round when both gave the same verdict; a round with one verdict so far is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from clock.core import WorkingCalendar
from scrutiny.compliance import (
    GROUP,
    GROUPINGS,
    _quantile,
    _rows,
    _share,
    london_date,
    with_group,
    working_days,
)
from scrutiny.tables import Chart, Column, Table

PLACED_ON = "Grouped by the day the hold was placed"


def span_days(frame: pl.DataFrame, start: str, end: str, today: date,
              calendars: Mapping[str, WorkingCalendar]) -> pl.DataFrame:
    """The frame with `working_days` and `calendar_days` from `start` to `end` (a date, or null: until today)."""
    frame = frame.with_columns(pl.col(end).fill_null(today).alias("_until"))
    frame = frame.with_columns(working_days(frame, start, "_until", calendars).alias("working_days"),
                               (pl.col("_until") - pl.col(start)).dt.total_days().clip(0).alias("calendar_days"))
    return frame.drop("_until")


def _group_column(grouping: str) -> Column:
    return Column(GROUP, GROUPINGS[grouping])


# --- processing holds (issue 11) ----------------------------------------------------------------------------------

def hold_durations(holds: pl.DataFrame, grouping: str, today: date,
                   calendars: Mapping[str, WorkingCalendar]) -> Table:
    """Holds placed in the period by state, and how long they have been (or were) in force."""
    frame = holds.with_columns(lifted_on=london_date("lifted_at"))
    frame = span_days(frame, "began_on", "lifted_on", today, calendars)
    grouped = (with_group(frame, grouping, "began_on").group_by(GROUP, "state").agg(
        holds=pl.len(), median_working_days=_quantile("working_days", 0.5),
        longest_working_days=pl.col("working_days").max(), median_calendar_days=_quantile("calendar_days", 0.5),
        longest_calendar_days=pl.col("calendar_days").max()).sort(GROUP, "state"))
    columns = (_group_column(grouping), Column("state", "State"), Column("holds", "Holds", True),
               Column("median_working_days", "Median working days in force", True),
               Column("longest_working_days", "Longest, working days", True),
               Column("median_calendar_days", "Median calendar days in force", True),
               Column("longest_calendar_days", "Longest, calendar days", True))
    return Table("hold_durations", "Processing holds by state, and how long in force", "", columns,
                 _rows(grouped, columns), Chart((GROUP, "state"), "holds", "Holds"),
                 notes=("A hold in force is counted until today, a lifted one until the day it was lifted; working "
                        "days on the England and Wales calendar. " + PLACED_ON + ".",))


def hold_reviews(holds: pl.DataFrame, reviews: pl.DataFrame, grouping: str, today: date) -> Table:
    """Reviews made (on time and late) and review dates missed, of the holds placed in the period."""
    made = reviews.group_by("hold_id").agg(reviews_made=pl.len(), reviews_late=pl.col("late").sum())
    frame = holds.join(made, left_on="id", right_on="hold_id", how="left").with_columns(
        pl.col("reviews_made", "reviews_late").fill_null(0).cast(pl.Int64),
        overdue_now=((pl.col("state") == "in_force") & (pl.col("next_review_on") < today)).cast(pl.Int64))
    grouped = (with_group(frame, grouping, "began_on").group_by(GROUP).agg(
        holds=pl.len(), reviews_made=pl.col("reviews_made").sum(), reviews_late=pl.col("reviews_late").sum(),
        overdue_now=pl.col("overdue_now").sum())
        .with_columns(missed=pl.col("reviews_late") + pl.col("overdue_now")).sort(GROUP))
    columns = (_group_column(grouping), Column("holds", "Holds", True), Column("reviews_made", "Reviews made", True),
               Column("reviews_late", "Made after the review date", True),
               Column("overdue_now", "Review overdue now", True), Column("missed", "Review dates missed", True))
    return Table("hold_reviews", "Processing hold reviews made and missed", "", columns, _rows(grouped, columns),
                 Chart((GROUP,), "missed", "Review dates missed"),
                 notes=("A review date is missed when it passed with no review: the review was made late, or the "
                        "hold is in force and still waits for it. " + PLACED_ON + ".",))


# --- research projects (issue 11) ---------------------------------------------------------------------------------

def research_decisions(projects: pl.DataFrame, grouping: str, calendars: Mapping[str, WorkingCalendar]) -> Table:
    """Projects proposed in the period by their state now, and the working days from proposal to decision."""
    frame = projects.with_columns(proposed_on=london_date("proposed_at"), decided_on=london_date("decided_at"))
    frame = frame.with_columns(working_days(frame, "proposed_on", "decided_on", calendars).alias("days"))
    grouped = (with_group(frame, grouping, "proposed_on").group_by(GROUP, "state").agg(
        projects=pl.len(), decided=pl.col("decided_on").is_not_null().sum(),
        median_days=_quantile("days", 0.5), p90_days=_quantile("days", 0.9)).sort(GROUP, "state"))
    columns = (_group_column(grouping), Column("state", "State now"), Column("projects", "Projects", True),
               Column("decided", "Decided (approved or cancelled)", True),
               Column("median_days", "Median working days from proposal to decision", True),
               Column("p90_days", "90th percentile working days to decision", True))
    return Table("research_projects", "Research projects by state, and time to decision", "", columns,
                 _rows(grouped, columns), Chart((GROUP, "state"), "projects", "Projects"),
                 notes=("The decision is the first approval or cancellation; undecided projects are counted but "
                        "not timed. Grouped by the day the project was proposed.",))


def suspensions(events: pl.DataFrame, today: date) -> pl.DataFrame:
    """Each suspension (project_id, suspended_on, ended_on or null) from a project's suspend, resume and cancel
    events: a suspension ends at the next of them (only those move a project out of "suspended")."""
    frame = events.sort("project_id", "occurred_at").with_columns(occurred_on=london_date("occurred_at"))
    frame = frame.with_columns(ended_on=pl.col("occurred_on").shift(-1).over("project_id"))
    return frame.filter(pl.col("action") == "suspend").select(
        "project_id", pl.col("occurred_on").alias("suspended_on"), "ended_on")


def research_suspensions(projects: pl.DataFrame, events: pl.DataFrame, grouping: str, today: date,
                         calendars: Mapping[str, WorkingCalendar]) -> Table:
    """How many projects a processing hold suspended, how often, and for how long."""
    spans = suspensions(events, today).join(projects.select("id", "calendar", *_grouping_columns(projects),
                                                            "proposed_at"),
                                            left_on="project_id", right_on="id")
    spans = span_days(spans.with_columns(proposed_on=london_date("proposed_at")), "suspended_on", "ended_on",
                      today, calendars)
    grouped = (with_group(spans, grouping, "proposed_on").group_by(GROUP).agg(
        projects_suspended=pl.col("project_id").n_unique(), suspensions=pl.len(),
        still_suspended=pl.col("ended_on").is_null().sum(), median_working_days=_quantile("working_days", 0.5),
        longest_working_days=pl.col("working_days").max(), median_calendar_days=_quantile("calendar_days", 0.5))
        .sort(GROUP))
    columns = (_group_column(grouping), Column("projects_suspended", "Projects suspended", True),
               Column("suspensions", "Suspensions", True), Column("still_suspended", "Still suspended", True),
               Column("median_working_days", "Median working days suspended", True),
               Column("longest_working_days", "Longest, working days", True),
               Column("median_calendar_days", "Median calendar days suspended", True))
    return Table("research_suspensions", "Research projects suspended by a processing hold, and for how long", "",
                 columns, _rows(grouped, columns), Chart((GROUP,), "suspensions", "Suspensions"),
                 notes=("A suspension lasts until the project is back under review or cancelled, or until today. "
                        "Grouped by the day the project was proposed.",))


def _grouping_columns(frame: pl.DataFrame) -> list[str]:
    return [name for name in ("direction", "organisation", "classification", "category") if name in frame.columns]


# --- safe-output releases (§15, issue 12) -------------------------------------------------------------------------

def release_states(releases: pl.DataFrame, grouping: str) -> Table:
    frame = releases.with_columns(created_on=london_date("created_at"))
    grouped = with_group(frame, grouping, "created_on").group_by(GROUP, "state").agg(releases=pl.len()) \
        .sort(GROUP, "state")
    columns = (_group_column(grouping), Column("state", "State"), Column("releases", "Releases", True))
    return Table("release_states", "Safe-output releases by state", "§15", columns, _rows(grouped, columns),
                 Chart((GROUP, "state"), "releases", "Releases"),
                 notes=("Grouped by the day the release was drafted.",))


def checking_rounds(events: pl.DataFrame) -> pl.DataFrame:
    """Each submission for checking (release_id, submitted_on, consolidated_on or null) from a release's submit,
    consolidate and withdraw events: a round ends at the next of them after its submission."""
    frame = events.sort("release_id", "occurred_at").with_columns(occurred_on=london_date("occurred_at"))
    frame = frame.with_columns(next_action=pl.col("action").shift(-1).over("release_id"),
                               next_on=pl.col("occurred_on").shift(-1).over("release_id"))
    return frame.filter(pl.col("action") == "submit").select(
        "release_id", pl.col("occurred_on").alias("submitted_on"),
        pl.when(pl.col("next_action") == "consolidate").then(pl.col("next_on")).alias("consolidated_on"))


def release_checking_times(releases: pl.DataFrame, events: pl.DataFrame, grouping: str,
                           calendars: Mapping[str, WorkingCalendar]) -> Table:
    rounds = checking_rounds(events).join(releases, left_on="release_id", right_on="id")
    rounds = rounds.with_columns(created_on=london_date("created_at"))
    rounds = rounds.with_columns(working_days(rounds, "submitted_on", "consolidated_on", calendars).alias("days"))
    grouped = (with_group(rounds, grouping, "created_on").group_by(GROUP).agg(
        submissions=pl.len(), consolidated=pl.col("consolidated_on").is_not_null().sum(),
        median_days=_quantile("days", 0.5), p90_days=_quantile("days", 0.9)).sort(GROUP))
    columns = (_group_column(grouping), Column("submissions", "Submissions for checking", True),
               Column("consolidated", "Consolidated", True),
               Column("median_days", "Median working days from submission to consolidation", True),
               Column("p90_days", "90th percentile working days to consolidation", True))
    return Table("release_checking", "Safe-output releases: time from submission to consolidation", "§15", columns,
                 _rows(grouped, columns), Chart((GROUP,), "median_days", "Median working days"),
                 notes=("Each submission is a round: a release returned to its author and submitted again counts "
                        "twice. Rounds withdrawn or still being checked are counted but not timed.",))


def checker_agreement(releases: pl.DataFrame, checks: pl.DataFrame, grouping: str) -> Table:
    """§15: of the rounds two checkers gave verdicts on, how often they agreed."""
    rounds = checks.group_by("release_id", "round").agg(
        verdicts=pl.len(), safe=(pl.col("verdict") == "safe").sum()).filter(pl.col("verdicts") >= 2)
    rounds = rounds.join(releases, left_on="release_id", right_on="id").with_columns(
        created_on=london_date("created_at"),
        both_safe=(pl.col("safe") == pl.col("verdicts")).cast(pl.Int64),
        both_unsafe=(pl.col("safe") == 0).cast(pl.Int64))
    grouped = (with_group(rounds, grouping, "created_on").group_by(GROUP).agg(
        rounds=pl.len(), both_safe=pl.col("both_safe").sum(), both_unsafe=pl.col("both_unsafe").sum())
        .with_columns(agreed=pl.col("both_safe") + pl.col("both_unsafe"))
        .with_columns(disagreed=pl.col("rounds") - pl.col("agreed"), agreement=_share("agreed", "rounds"))
        .sort(GROUP))
    columns = (_group_column(grouping), Column("rounds", "Rounds checked by two", True),
               Column("both_safe", "Both safe", True), Column("both_unsafe", "Both not safe", True),
               Column("disagreed", "Checkers disagreed", True), Column("agreement", "% agreed", True))
    return Table("checker_agreement", "Output checkers' agreement", "§15", columns, _rows(grouped, columns),
                 Chart((GROUP,), "agreement", "% agreed"),
                 notes=("Two output checkers who are not the author check each round independently (§15).",))
