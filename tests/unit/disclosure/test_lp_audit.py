"""The independent auditor itself, on figures worked out by hand (§15)."""

import math

import pytest

from disclosure import lp_audit

R = [("T", ("a", "b", "c")), ("a", ("a1", "a2"))]


def test_one_unknown_is_recovered_exactly():
    iv = lp_audit.intervals({"T": 10, "a": None, "b": 3, "c": 4}, [("T", ("a", "b", "c"))])
    assert iv == {"a": pytest.approx((3, 3))}


def test_two_unknowns_share_what_is_left():
    iv = lp_audit.intervals({"T": 10, "a": None, "b": None, "c": 4}, [("T", ("a", "b", "c"))])
    assert iv["a"] == pytest.approx((0, 6)) and iv["b"] == pytest.approx((0, 6))


def test_rounding_widens_the_interval_by_the_tolerance():
    iv = lp_audit.intervals({"T": 10, "a": None, "b": 3, "c": 4}, [("T", ("a", "b", "c"))], tolerance=2)
    assert iv["a"] == pytest.approx((0, 9))


def test_an_unconstrained_cell_is_unbounded_above():
    iv = lp_audit.intervals({"T": None, "a": None, "b": 3}, [("T", ("a", "b"))])
    assert iv["a"][0] == 0 and math.isinf(iv["a"][1])


def test_a_cell_published_by_any_release_is_known():
    known = lp_audit.combine({"T": 10, "a": None, "b": None, "c": 4}, {"b": 5})
    assert lp_audit.intervals(known, [("T", ("a", "b", "c"))])["a"] == pytest.approx((1, 1))


def test_inconsistent_figures_are_reported():
    with pytest.raises(ValueError, match="inconsistent"):
        lp_audit.intervals({"T": 1, "a": None, "b": 3}, [("T", ("a", "b"))])


def test_relations_from_margins_are_rebuilt_from_cells_and_parents():
    cells = [(), (("a", "a", "A"),), (("a", "a", "B"),)]
    rel = lp_audit.relations_from_margins(cells, {"a": {("a", "A"): None, ("a", "B"): None}})
    assert len(rel) == 1 and rel[0][0] == () and set(rel[0][1]) == {(("a", "a", "A"),), (("a", "a", "B"),)}
