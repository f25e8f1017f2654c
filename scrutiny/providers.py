"""The figures of the case types on main: requests (§12, §7/§9 declines), escalations (§13), approvals (§10, §17).
Registered in ScrutinyConfig.ready(); other case types register their own (scrutiny.figures)."""

from __future__ import annotations

import polars as pl

from scrutiny import compliance, sources
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


def register_main_providers() -> None:
    register(FigureProvider("requests", "Requests", request_tables, order=10))
    register(FigureProvider("escalations", "Escalations", escalation_tables, order=20))
    register(FigureProvider("approvals", "Approvals", approval_tables, order=30))
