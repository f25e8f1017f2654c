"""Generalisation hierarchies (issue 12 item 4): each level a coarsening of the one before (a chain), down to
"*"; the published categories."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from disclosure import hierarchies as h


def test_police_forces_43_in_england_and_wales_plus_three():
    assert len(h.ENGLAND_AND_WALES_FORCES) == 43
    assert len(h.POLICE_FORCES) == 46 == len(set(h.POLICE_FORCES))
    assert {"Police Scotland", "Police Service of Northern Ireland", "British Transport Police"} < set(h.POLICE_FORCES)


def test_police_force_area_to_region_to_nation():
    s = pl.Series(["Kent", "Dyfed-Powys", "Police Scotland", "Metropolitan Police", "Unheard of", None])
    assert h.POLICE_FORCE_AREA.generalise(s, 1).to_list() == [
        "South East", "Wales", "Scotland", "London", "Not specified", "Not specified"]
    assert h.POLICE_FORCE_AREA.generalise(s, 2).to_list() == [
        "England", "Wales", "Scotland", "England", "Not specified", "Not specified"]
    assert set(h.POLICE_FORCE_AREA.generalise(s, 3).to_list()) == {"*"}


def test_age_to_bands_to_adult_or_child():
    s = pl.Series([0, 11, 12, 17, 18, 24, 54, 55, 90, None])
    assert h.AGE.generalise(s, 0).to_list()[:3] == ["0", "11", "12"]
    assert h.AGE.generalise(s, 2).to_list() == [
        "0 to 11", "0 to 11", "12 to 15", "16 to 17", "18 to 24", "18 to 24", "45 to 54", "55 and over",
        "55 and over", "Not specified"]
    assert h.AGE.generalise(s, 3).to_list() == ["Child"] * 4 + ["Adult"] * 5 + ["Not specified"]


def test_dates_to_month_quarter_year():
    s = pl.Series([dt.date(2023, 4, 5), dt.date(2024, 12, 31), None])
    assert h.DATE.generalise(s, 1).to_list() == ["2023-04", "2024-12", "Not specified"]
    assert h.DATE.generalise(s, 2).to_list() == ["2023 Q2", "2024 Q4", "Not specified"]
    assert h.DATE.generalise(s, 3).to_list() == ["2023", "2024", "Not specified"]
    # Text dates (a CSV read without parsing) generalise the same way.
    assert h.DATE.generalise(pl.Series(["2023-04-05"]), 2).to_list() == ["2023 Q2"]


def test_nationality_to_world_region():
    assert h.NATIONALITIES[:5] == ("UK", "Albania", "Vietnam", "Eritrea", "Sudan")
    assert 95 <= len(h.NATIONALITIES) <= 110
    s = pl.Series(["Albania", "Vietnam", "Eritrea", "Atlantis"])
    assert h.NATIONALITY.generalise(s, 1).to_list() == ["Europe (non-EU)", "Asia", "Africa", "Not specified"]


@pytest.mark.parametrize("hierarchy,values", [
    (h.AGE, pl.Series(list(range(0, 100)) + [None])),
    (h.DATE, pl.date_range(dt.date(2019, 1, 1), dt.date(2024, 12, 31), eager=True)),
    (h.NATIONALITY, pl.Series(list(h.NATIONALITIES) + ["Not specified"])),
    (h.POLICE_FORCE_AREA, pl.Series(list(h.POLICE_FORCES))),
])
def test_each_level_coarsens_the_one_before(hierarchy, values):
    """A chain: two values together at one level are together at every level above it."""
    levels = [hierarchy.generalise(values, j).to_list() for j in range(hierarchy.height + 1)]
    for lower, upper in zip(levels, levels[1:], strict=False):
        parent = {}
        for a, b in zip(lower, upper, strict=True):
            assert parent.setdefault(a, b) == b
        assert len(set(upper)) <= len(set(lower))
    assert set(levels[-1]) == {"*"}


def test_level_out_of_range():
    with pytest.raises(ValueError, match="outside"):
        h.AGE.generalise(pl.Series([1]), 9)
