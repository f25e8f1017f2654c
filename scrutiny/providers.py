"""The figures of the case types on main: requests (§12, §7/§9 declines), escalations (§13), approvals (§10, §17);
and of those that landed after issue 13: processing holds, research projects, safe-output releases (ADR 41).
Registered in ScrutinyConfig.ready(); other case types register their own (scrutiny.figures)."""

from __future__ import annotations

import polars as pl

from scrutiny import casework, compliance, sources
from scrutiny.figures import FigureProvider, StatisticsQuery, register

STILL_WAITING = "Still waiting"


def _labels(frame: pl.DataFrame, column: str, labels: dict) -> pl.DataFrame:
    return frame.with_columns(pl.col(column).replace_strict(labels, default=pl.col(column)))


def protocol_labels() -> tuple[dict, dict]:
    """Direction titles and checklist item labels from every loaded protocol (one query)."""
    from protocols.models import Protocol

    directions, items = {}, {}
    for protocol in Protocol.objects.order_by("loaded_at"):
        for direction in protocol.spec.directions:
            directions[direction.key] = direction.title
            items.update({item.key: f"{item.label} ({item.clause})" for item in direction.assessment_checklist})
    return directions, items


def request_tables(query: StatisticsQuery) -> list:
    frame = sources.requests_frame(query)
    directions, items = protocol_labels()
    frame = _labels(frame, "direction", directions)
    calendars = sources.calendars_for(frame)
    return [*compliance.request_timeliness(frame, query.grouping, query.today, calendars),
            compliance.declines_by_item(frame, query.grouping, items)]


def escalation_tables(query: StatisticsQuery) -> list:
    from accounts.roles import Role
    from escalations.states import Outcome

    steps = sources.escalation_steps_frame(query)
    directions, _ = protocol_labels()
    outcomes = {value: label.split(":")[0] for value, label in Outcome.choices} | {"": STILL_WAITING}
    roles = {value: label.removeprefix("Escalation: ") for value, label in Role.choices}
    steps = _labels(_labels(_labels(steps, "direction", directions), "outcome", outcomes), "role", roles)
    steps = steps.rename({"role": "rung"})
    calendars = sources.calendars_for(steps)
    return [compliance.escalations_by_rung(steps, query.grouping, calendars),
            compliance.escalations_by_highest_rung(steps, query.grouping)]


def approval_tables(query: StatisticsQuery) -> list:
    from approvals.states import ApprovalKind, ApprovalState

    asked = sources.approvals_frame(query)
    directions, _ = protocol_labels()
    asked = _labels(_labels(_labels(asked, "direction", directions), "kind", dict(ApprovalKind.choices)),
                    "state", dict(ApprovalState.choices))
    return [compliance.approvals_table(asked, query.grouping, sources.calendars_for(asked))]


def hold_tables(query: StatisticsQuery) -> list:
    """Processing holds (issue 11): by state and how long in force; reviews made and missed."""
    from holds.states import HoldState

    holds = sources.holds_frame(query)
    reviews = sources.hold_reviews_frame(query)
    durations = casework.hold_durations(_labels(holds, "state", dict(HoldState.choices)), query.grouping,
                                        query.today, sources.calendars_for(holds))
    return [durations, casework.hold_reviews(holds, reviews, query.grouping, query.today)]


def research_tables(query: StatisticsQuery) -> list:
    """Research projects (issue 11): by state and time to decision; suspensions by a processing hold."""
    from research.states import ProjectState

    projects = sources.projects_frame(query)
    events = sources.project_suspension_events_frame(query)
    calendars = sources.calendars_for(projects)
    return [casework.research_decisions(_labels(projects, "state", dict(ProjectState.choices)), query.grouping,
                                        calendars),
            casework.research_suspensions(projects, events, query.grouping, query.today, calendars)]


def release_tables(query: StatisticsQuery) -> list:
    """Safe-output releases (§15, issue 12): by state, submission to consolidation, checkers' agreement."""
    from releases.states import ReleaseState

    releases = sources.releases_frame(query)
    directions, _ = protocol_labels()
    releases = _labels(releases, "direction", directions)
    calendars = sources.calendars_for(releases)
    return [casework.release_states(_labels(releases, "state", {value: label.split(":")[0] for value, label
                                                                in ReleaseState.choices}), query.grouping),
            casework.release_checking_times(releases, sources.release_events_frame(query), query.grouping,
                                            calendars),
            casework.checker_agreement(releases, sources.release_checks_frame(query), query.grouping)]


def register_casework_providers() -> None:
    register(FigureProvider("holds", "Processing holds", hold_tables, order=40))
    register(FigureProvider("research", "Research projects", research_tables, order=50))
    register(FigureProvider("releases", "Safe-output releases", release_tables, order=60))


def register_main_providers() -> None:
    register(FigureProvider("requests", "Requests", request_tables, order=10))
    register(FigureProvider("escalations", "Escalations", escalation_tables, order=20))
    register(FigureProvider("approvals", "Approvals", approval_tables, order=30))
