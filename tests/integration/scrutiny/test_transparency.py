"""The public transparency page's tables: small counts withheld, and any count that would give one away, across
the page's three tables at once (they share the year margin and the total)."""

import polars as pl
import pytest
from django.utils import timezone

from scrutiny import transparency

pytestmark = pytest.mark.django_db


def _records(year: str, acknowledged: list[str], direction: str = "IASC to HO") -> list[dict]:
    return [{"year": year, "direction": direction, "acknowledgement": outcome, "provision": "On time"}
            for outcome in acknowledged]


@pytest.fixture
def hand_made(monkeypatch):
    # 2021: 14 on time and 1 late; 2022: 20 on time and 12 late.
    records = _records("2021", ["On time"] * 14 + ["Late"]) + _records("2022", ["On time"] * 20 + ["Late"] * 12)
    monkeypatch.setattr(transparency, "outcomes", lambda today: pl.DataFrame(records))


def _table(key):
    return {table.key: table for table in transparency.public_tables(timezone.localdate())}[key]


def test_a_small_count_is_withheld_and_so_is_the_count_that_would_give_it_away(hand_made):
    table = _table("public_acknowledgement")
    assert [column.label for column in table.columns] == ["Year", "Late", "On time", "Total"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["2021"][0] == "[c]"  # 1 late: below 10
    assert "[c]" in (rows["2021"][1], rows["2021"][2])  # else 15 - 14 gives it away
    assert rows["Total"][2] == 47  # the grand total is published


def test_no_published_figure_lets_a_withheld_one_be_worked_out(hand_made):
    table = _table("public_acknowledgement")
    for row in table.rows:  # a row or column with one withheld cell would give it away by subtraction
        assert sum(1 for value in row[1:] if value == "[c]") != 1
    for column in zip(*(row[1:] for row in table.rows), strict=True):
        assert sum(1 for value in column if value == "[c]") != 1


def test_an_empty_history_has_no_tables(monkeypatch):
    monkeypatch.setattr(transparency, "outcomes", lambda today: pl.DataFrame())
    assert transparency.public_tables(timezone.localdate()) == []
