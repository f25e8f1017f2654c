"""Hand-worked fixtures for the compliance statistics (England and Wales, 2021).

R1 arrives on Monday 7 June; its acknowledgement is due on day 3, Thursday 10 June, and given that day (on the
deadline day: on time, 3 working days); OFFICIAL, provision due on day 10, Monday 21 June, and given then (10).
R2 arrives the same Monday, OFFICIAL-SENSITIVE; acknowledged at 23:30 UTC on Thursday 10 June, which is 00:30 on
Friday 11 June in London: a day late (4 working days); provision due on day 15, Monday 28 June, given on Tuesday
29 June (16 working days, late).
R3 arrives on Monday 31 May 2021, the Spring bank holiday: received on Tuesday 1 June, acknowledgement due on
Friday 4 June and given then (3 working days); declined for necessity and proportionality.
The escalation E1 went to rung 3: the Policy lead (reached Monday 5 July, not resolved Wednesday 7 July: 2 working
days), the Director (Thursday 8 July to Thursday 15 July: 5), the Senior Sponsor (reached Friday 16 July, still
waiting).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from clock.core import WorkingCalendar

CALENDARS = {"england-and-wales": WorkingCalendar.named("england-and-wales")}
TODAY = date(2021, 8, 2)


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


REQUEST_SCHEMA = {
    "id": pl.Int64, "direction": pl.Utf8, "organisation": pl.Utf8, "classification": pl.Utf8, "category": pl.Utf8,
    "calendar": pl.Utf8, "received_on": pl.Date, "acknowledge_by": pl.Date, "provide_by": pl.Date,
    "acknowledged_at": pl.Datetime("us", "UTC"), "provided_at": pl.Datetime("us", "UTC"),
    "withdrawn_at": pl.Datetime("us", "UTC"), "decision": pl.Utf8, "declined_items": pl.List(pl.Utf8),
}


def request_row(pk, received_on, acknowledge_by, provide_by, acknowledged_at=None, provided_at=None, *,
                classification="OFFICIAL", decision="agreed", declined_items=(), withdrawn_at=None,
                direction="iasc_to_ho", organisation="Home Office", category=""):
    return {"id": pk, "direction": direction, "organisation": organisation, "classification": classification,
            "category": category, "calendar": "england-and-wales", "received_on": received_on,
            "acknowledge_by": acknowledge_by, "provide_by": provide_by, "acknowledged_at": acknowledged_at,
            "provided_at": provided_at, "withdrawn_at": withdrawn_at, "decision": decision,
            "declined_items": list(declined_items)}


def hand_worked_requests() -> pl.DataFrame:
    return pl.DataFrame([
        request_row(1, date(2021, 6, 7), date(2021, 6, 10), date(2021, 6, 21),
                    at(2021, 6, 10, 13, 0), at(2021, 6, 21, 9, 0)),
        request_row(2, date(2021, 6, 7), date(2021, 6, 10), date(2021, 6, 28),
                    at(2021, 6, 10, 23, 30), at(2021, 6, 29, 10, 0), classification="OFFICIAL-SENSITIVE"),
        request_row(3, date(2021, 6, 1), date(2021, 6, 4), date(2021, 6, 15), at(2021, 6, 4, 8, 0),
                    decision="declined", declined_items=("necessity", "proportionality")),
    ], schema=REQUEST_SCHEMA)


STEP_SCHEMA = {
    "escalation_id": pl.Int64, "position": pl.Int64, "rung": pl.Utf8, "outcome": pl.Utf8,
    "reached_at": pl.Datetime("us", "UTC"), "decided_at": pl.Datetime("us", "UTC"),
    "opened_at": pl.Datetime("us", "UTC"), "calendar": pl.Utf8, "direction": pl.Utf8, "organisation": pl.Utf8,
    "classification": pl.Utf8, "category": pl.Utf8,
}


def hand_worked_steps() -> pl.DataFrame:
    opened = at(2021, 7, 5, 8, 0)
    common = {"escalation_id": 1, "opened_at": opened, "calendar": "england-and-wales", "direction": "iasc_to_ho",
              "organisation": "Home Office", "classification": "OFFICIAL", "category": ""}
    return pl.DataFrame([
        {**common, "position": 1, "rung": "Policy lead", "outcome": "Not resolved",
         "reached_at": opened, "decided_at": at(2021, 7, 7, 15, 0)},
        {**common, "position": 2, "rung": "Director", "outcome": "Not resolved",
         "reached_at": at(2021, 7, 8, 9, 0), "decided_at": at(2021, 7, 15, 9, 0)},
        {**common, "position": 3, "rung": "Senior Sponsor", "outcome": "Still waiting",
         "reached_at": at(2021, 7, 16, 9, 0), "decided_at": None},
    ], schema=STEP_SCHEMA)
