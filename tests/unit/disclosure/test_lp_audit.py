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


def test_the_answer_does_not_depend_on_the_order_of_the_relations():
    """A 3 x 2 table with its grand total and most cells suppressed (found by a property test): some orders of the
    relations left HiGHS warm-started into "Unknown", which the auditor took for inconsistent figures. Every order
    of the relations must give the same intervals."""
    import itertools

    a = [(("a", "a", f"a{i}"),) for i in range(3)]
    b = [(("b", "b", f"b{j}"),) for j in range(2)]
    inner = {(i, j): (("a", "a", f"a{i}"), ("b", "b", f"b{j}")) for i in range(3) for j in range(2)}
    published = {(): None, b[0]: None, b[1]: 20.0, a[0]: None, a[1]: 11.0, a[2]: None,
                 **{inner[key]: None for key in inner}, inner[2, 1]: 10.0}
    relations = ([((), tuple(a)), ((), tuple(b))]
                 + [(a[i], (inner[i, 0], inner[i, 1])) for i in range(3)]
                 + [(b[j], tuple(inner[i, j] for i in range(3))) for j in range(2)])
    orders = itertools.islice(itertools.permutations(relations), 0, None, 7)  # 103 of the 720: one in seven
    answers = {tuple(sorted(lp_audit.intervals(published, order).items(), key=repr)) for order in orders}
    assert len(answers) == 1
    (answer,) = answers
    assert dict(answer)[inner[1, 0]] == pytest.approx((1, 11))  # a1 = 11, and a1 x b1 <= 20 - 10
