"""Every table and list as CSV, XLSX and ODS, with tablib. Each text cell goes through vault.checks.neutralise_cell
first (OWASP CSV injection, ADR 28): a cell that a spreadsheet would run as a formula gets a leading ' and is
shown as text; numbers are written as numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import tablib

from concordat.errors import RuleViolation
from scrutiny.tables import Table
from vault.checks import neutralise_cell


@dataclass(frozen=True)
class ExportFormat:
    key: str
    content_type: str
    label: str


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "CSV"),
    "xlsx": ExportFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "ods": ExportFormat("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (ODS)"),
}
SHEET_TITLE_LENGTH = 31  # Excel's limit


def export_format(key: str) -> ExportFormat:
    try:
        return FORMATS[key]
    except KeyError:
        raise RuleViolation(f"Tables are exported as {', '.join(FORMATS)}, not “{key[:10]}”.", field="format") from None


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise_cell(value)
    return value


def dataset(table: Table) -> tablib.Dataset:
    data = tablib.Dataset(headers=[column.label for column in table.columns],
                          title=table.title[:SHEET_TITLE_LENGTH])
    for row in table.rows:
        data.append([_cell(value) for value in row])
    return data


def export(table: Table, fmt: ExportFormat) -> bytes:
    content = dataset(table).export(fmt.key)
    return content.encode("utf-8-sig") if isinstance(content, str) else content


def filename(table: Table, fmt: ExportFormat, suffix: str = "") -> str:
    marking = table.marking.replace("-", "_")
    return f"{marking}-{table.key}{suffix}.{fmt.key}"
