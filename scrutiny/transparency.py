"""The public transparency page (issue 13, item 5): off unless CONCORDAT_TRANSPARENCY=1; aggregates only, never a
request's content; small counts protected by the disclosure engine (disclosure.tables.protect, ADR 30), with
secondary suppression across the page's three tables at once (they share the year margin and the total), so that
no suppressed count can be worked out from the others."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.conf import settings

from disclosure.policy import ReleasePolicy
from disclosure.tables import TableSpec, protect
from scrutiny import compliance, sources
from scrutiny.figures import StatisticsQuery
from scrutiny.providers import protocol_labels
from scrutiny.tables import Column, Table

FIRST_YEAR = 2020  # the protocol is of 13 May 2020
SUPPRESSED = "[c]"  # the ONS's mark for a confidential figure
TOTAL = "Total"
# Counts below 10 are primary cells (ONS / ACRO output checking); counts of requests have no dominance to test.
POLICY = ReleasePolicy(threshold=10, dominance_nk=None, p_percent=None)
TABLES = (
    ("received", "direction", "Requests received by year and direction", "Direction"),
    (compliance.ACKNOWLEDGEMENT, compliance.ACKNOWLEDGEMENT, "Requests by year and acknowledgement (§12: within 3 "
                                                             "working days)", "Acknowledgement"),
    (compliance.PROVISION, compliance.PROVISION, "Requests by year and provision (§12: within 10 or 15 working "
                                                 "days)", "Provision"),
)


def enabled() -> bool:
    return bool(getattr(settings, "CONCORDAT_TRANSPARENCY", False))


def outcomes(today: date) -> pl.DataFrame:
    """One row per request received since FIRST_YEAR: its year, direction and §12 outcomes, in words."""
    frame = sources.requests_frame(StatisticsQuery(date(FIRST_YEAR, 1, 1), today, "year", today))
    directions, _ = protocol_labels()
    frame = frame.with_columns(pl.col("direction").replace_strict(directions, default=pl.col("direction")))
    timed = compliance.outcome_categories(compliance.request_outcomes(frame, today, sources.calendars_for(frame)))
    return timed.select(pl.col("received_on").dt.year().cast(pl.Utf8).alias("year"), "direction",
                        compliance.ACKNOWLEDGEMENT, compliance.PROVISION)


def public_tables(today: date) -> list[Table]:
    records = outcomes(today)
    if records.is_empty():
        return []
    release = protect(records, [TableSpec(key, ("year", column)) for key, column, _, _ in TABLES], POLICY)
    return [_pivot(protected, key, column, title, label)
            for protected, (key, column, title, label) in zip(release.tables, TABLES, strict=True)]


def _pivot(protected, key: str, column: str, title: str, label: str) -> Table:
    """Years down, the categories (and their total) across; a suppressed count as [c]."""
    cells = {(row["year"], row[column]): row for row in protected.rows()}
    years = sorted({year for year, _ in cells} - {TOTAL}) + [TOTAL]
    categories = sorted({category for _, category in cells} - {TOTAL}) + [TOTAL]
    rows = tuple((year, *(_shown(cells.get((year, category))) for category in categories)) for year in years)
    columns = (Column("year", "Year"), *(Column(f"c{i}", category, True) for i, category in enumerate(categories)))
    return Table(f"public_{key}", title, "", columns, rows,
                 notes=(f"{label}: counts of requests. {SUPPRESSED} marks a count withheld to protect small numbers "
                        f"(below {POLICY.threshold}, and any count from which one could be worked out).",))


def _shown(row) -> int | str:
    if row is None:
        return 0
    return SUPPRESSED if row["value"] is None else int(row["value"])
