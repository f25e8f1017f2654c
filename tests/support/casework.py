"""Hand-worked fixtures for the figures of processing holds, research projects and releases (England and Wales,
2021; today Monday 2 August, as tests/support/scrutiny.py). Working days count the days after the first up to
and including the last (as a request's days to acknowledge); 31 May and 30 August are bank holidays.

Holds: H1 (Home Office) placed Monday 7 June, lifted Monday 21 June: 10 working days, 14 calendar days; reviewed
once on time. H2 (Home Office) placed Tuesday 1 June, in force: 44 working days, 62 calendar days to today;
reviewed once late (20 June), its next review date, 1 July, has passed with no review. H3 (DWP) placed Monday 5
July, in force: 20 working days, 28 calendar days; its review is due on 5 August.

Research projects: P1 proposed Monday 7 June, approved Monday 14 June (5 working days). P2 proposed Tuesday 1
June, suspended Friday 4 June, cancelled Thursday 10 June (7 working days to the decision; suspended 4 working
days, 6 calendar days). P3 proposed Monday 5 July, suspended Wednesday 7 July, back under review Wednesday 14
July (5 working days, 7 calendar days), suspended again Monday 26 July and still (5 working days, 7 calendar days).

Releases: L1 drafted Monday 7 June: submitted Tuesday 8 June, returned Thursday 10 June (2 working days; its
checkers split), submitted again Friday 11 June, approved Wednesday 16 June (3; both safe). L2 drafted Tuesday 1
June, submitted Wednesday 2 June, one verdict so far. L3 drafted Thursday 3 June, submitted Friday 4 June, both
checkers found it unsafe, withdrawn Monday 7 June before consolidation.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from scrutiny import sources
from tests.support.scrutiny import at

HO, DWP = "Home Office", "Department for Work and Pensions"
E_AND_W = "england-and-wales"


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    blank = {"direction": "", "classification": "", "category": "", "calendar": E_AND_W}
    return pl.DataFrame([{**blank, **row} for row in rows], schema=schema).select(list(schema))


def hand_worked_holds() -> pl.DataFrame:
    return _frame([
        {"id": 1, "organisation": HO, "state": "lifted", "began_on": date(2021, 6, 7),
         "next_review_on": date(2021, 6, 28), "lifted_at": at(2021, 6, 21, 10)},
        {"id": 2, "organisation": HO, "state": "in_force", "began_on": date(2021, 6, 1),
         "next_review_on": date(2021, 7, 1), "lifted_at": None},
        {"id": 3, "organisation": DWP, "state": "in_force", "began_on": date(2021, 7, 5),
         "next_review_on": date(2021, 8, 5), "lifted_at": None},
    ], sources.HOLD_SCHEMA)


def hand_worked_hold_reviews() -> pl.DataFrame:
    return pl.DataFrame([{"hold_id": 1, "occurred_at": at(2021, 6, 14, 9), "late": False},
                         {"hold_id": 2, "occurred_at": at(2021, 6, 20, 9), "late": True}],
                        schema=sources.HOLD_REVIEW_SCHEMA)


def hand_worked_projects() -> pl.DataFrame:
    return _frame([
        {"id": 1, "organisation": "University A", "state": "approved", "proposed_at": at(2021, 6, 7, 9),
         "decided_at": at(2021, 6, 14, 9)},
        {"id": 2, "organisation": "University A", "state": "cancelled", "proposed_at": at(2021, 6, 1, 9),
         "decided_at": at(2021, 6, 10, 9)},
        {"id": 3, "organisation": "University B", "state": "suspended", "proposed_at": at(2021, 7, 5, 9),
         "decided_at": None},
    ], sources.PROJECT_SCHEMA)


def hand_worked_project_events() -> pl.DataFrame:
    return pl.DataFrame([
        {"project_id": 3, "action": "suspend", "occurred_at": at(2021, 7, 26, 9)},  # out of order, as stored
        {"project_id": 2, "action": "suspend", "occurred_at": at(2021, 6, 4, 9)},
        {"project_id": 2, "action": "cancel", "occurred_at": at(2021, 6, 10, 9)},
        {"project_id": 3, "action": "suspend", "occurred_at": at(2021, 7, 7, 9)},
        {"project_id": 3, "action": "resume", "occurred_at": at(2021, 7, 14, 9)},
    ], schema=sources.PROJECT_EVENT_SCHEMA)


def hand_worked_releases() -> pl.DataFrame:
    return _frame([
        {"id": 1, "organisation": HO, "state": "approved", "created_at": at(2021, 6, 7, 9)},
        {"id": 2, "organisation": HO, "state": "checking", "created_at": at(2021, 6, 1, 9)},
        {"id": 3, "organisation": HO, "state": "withdrawn", "created_at": at(2021, 6, 3, 9)},
    ], sources.RELEASE_SCHEMA)


def hand_worked_release_events() -> pl.DataFrame:
    return pl.DataFrame([
        {"release_id": 1, "action": "submit", "occurred_at": at(2021, 6, 8, 9)},
        {"release_id": 1, "action": "consolidate", "occurred_at": at(2021, 6, 10, 9)},
        {"release_id": 1, "action": "submit", "occurred_at": at(2021, 6, 11, 9)},
        {"release_id": 1, "action": "consolidate", "occurred_at": at(2021, 6, 16, 9)},
        {"release_id": 2, "action": "submit", "occurred_at": at(2021, 6, 2, 9)},
        {"release_id": 3, "action": "submit", "occurred_at": at(2021, 6, 4, 9)},
        {"release_id": 3, "action": "withdraw", "occurred_at": at(2021, 6, 7, 9)},
    ], schema=sources.RELEASE_EVENT_SCHEMA)


def hand_worked_checks() -> pl.DataFrame:
    return pl.DataFrame([
        {"release_id": 1, "round": 1, "verdict": "safe"}, {"release_id": 1, "round": 1, "verdict": "unsafe"},
        {"release_id": 1, "round": 2, "verdict": "safe"}, {"release_id": 1, "round": 2, "verdict": "safe"},
        {"release_id": 2, "round": 1, "verdict": "unsafe"},
        {"release_id": 3, "round": 1, "verdict": "unsafe"}, {"release_id": 3, "round": 1, "verdict": "unsafe"},
    ], schema=sources.CHECK_SCHEMA)
