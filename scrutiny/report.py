"""The annual protocol report: a year's statistics, each table with its chart, as a marked PDF (documents,
ADR 29: WeasyPrint from a template, the marking on every page). Counts only, so marked OFFICIAL."""

from __future__ import annotations

from datetime import date

from django.utils.safestring import mark_safe

from concordat.errors import RuleViolation
from documents.rendering import PageMarks, render_pdf
from protocols.markings import BASE_MARKING
from scrutiny import charts
from scrutiny.figures import StatisticsQuery

FIRST_REPORT_YEAR = 2020  # the protocol is of 13 May 2020


def report_year(text: str, today: date) -> int:
    text = str(text or "").strip()[:6]
    if not text:
        return today.year - 1
    if not text.isdigit() or not FIRST_REPORT_YEAR <= int(text) <= today.year:
        raise RuleViolation(f"Give a year from {FIRST_REPORT_YEAR} to {today.year} for the annual report.",
                            field="year")
    return int(text)


def report_query(year: int, today: date) -> StatisticsQuery:
    return StatisticsQuery(date(year, 1, 1), min(date(year, 12, 31), today), "quarter", today)


def annual_report_pdf(year: int, shown) -> bytes:
    """The year's report from `shown` (snapshots.Figures): the year's snapshot, as a page shows it (ADR 53)."""
    figures = []
    for table in shown.tables:
        drawn = charts.svg(table)
        figures.append({"table": table, "chart": mark_safe(charts.inline_svg(drawn)) if drawn else None})  # noqa: S308 (matplotlib's own SVG; its text escaped)
    marks = PageMarks(marking=BASE_MARKING, reference=f"Annual protocol report {year}",
                      protocol="ho-iasc", clause="§12, §13")
    return render_pdf("scrutiny/annual_report.html", {"year": year, "query": shown.query, "figures": figures,
                                                          "computed_at": shown.computed_at}, marks)
