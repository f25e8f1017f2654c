"""Exports neutralise every formula-like text cell (OWASP CSV injection, ADR 28) and keep numbers as numbers."""

import csv
import io
from datetime import date

import openpyxl
import pytest
import tablib

from concordat.errors import RuleViolation
from scrutiny import exports
from scrutiny.tables import Column, Table

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"]


def _as_stored(text: str) -> str:
    """Spreadsheet files keep a carriage return as a line feed: the cell is still marked."""
    return text.replace("\r", "\n")


def _table():
    rows = tuple((text, 7, date(2021, 6, 7), None) for text in HOSTILE)
    return Table("t", "Hostile", "", (Column("text", "Text"), Column("n", "N", True), Column("d", "Day"),
                                      Column("e", "Empty")), rows)


def test_csv_cells_are_neutralised():
    text = exports.export(_table(), exports.FORMATS["csv"]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [row[0] for row in rows] == ["'" + text for text in HOSTILE]
    assert rows[0][1:] == ["7", "2021-06-07", ""]


def test_xlsx_cells_are_text_with_their_mark_and_numbers_stay_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export(_table(), exports.FORMATS["xlsx"]))).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [_as_stored("'" + text) for text in HOSTILE]
    assert sheet.cell(2, 2).value == 7 and sheet.cell(2, 3).value == "2021-06-07"


def test_ods_cells_are_neutralised():
    data = tablib.Dataset().load(exports.export(_table(), exports.FORMATS["ods"]), format="ods")
    assert [row[0] for row in data] == [_as_stored("'" + text) for text in HOSTILE]


def test_an_unknown_format_is_refused_naming_the_field():
    with pytest.raises(RuleViolation) as refused:
        exports.export_format("exe")
    assert refused.value.problems[0].field == "format"
