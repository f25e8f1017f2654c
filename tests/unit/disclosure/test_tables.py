"""The table engine (issue 12, §15): primary and secondary suppression, hierarchies, magnitudes, rounding,
several tables and releases together — each checked by hand or by the independent LP auditor, never by the
engine's own word."""

import polars as pl
import pytest

from disclosure.policy import DisclosureError, ReleasePolicy
from disclosure.tables import Hierarchy, TableSpec, protect, protect_table

from .helpers import audit, cell, flat_parents, frame, three_way, true_counts

GRID = {("A", "x"): 20, ("A", "y"): 30, ("A", "z"): 3, ("B", "x"): 25, ("B", "y"): 40, ("B", "z"): 50,
        ("C", "x"): 60, ("C", "y"): 15, ("C", "z"): 35}


def suppressed(release):
    return {k for k, v in release.published().items() if v is None}


def test_a_table_has_every_cell_and_margin_with_true_counts():
    df = frame(GRID)
    release = protect_table(df, ["a", "b"], policy=ReleasePolicy(threshold=1))
    cells = release.tables[0].cells
    assert len(cells) == 16  # 3 × 3 inner, 3 + 3 margins, the grand total
    assert {k: c.value for k, c in cells.items()} == true_counts(df, ["a", "b"])
    assert not suppressed(release)


def test_primary_threshold_says_why():
    release = protect_table(frame(GRID), ["a", "b"])
    c = release.tables[0].cells[cell(a="A", b="z")]
    assert c.suppressed and c.primary and c.reasons == ["primary: threshold (fewer than 10)"]


def test_secondary_suppression_is_the_cheapest_cycle_by_hand():
    # A,z = 3 needs a cycle of four cells: through (A,y),(C,y),(C,z) costs 30+15+35 (+1 each), cheaper than
    # (A,x),(B,x),(B,z) = 95 or (A,x),(C,x),(C,z) = 115 or (A,y),(B,y),(B,z) = 120.
    release = protect_table(frame(GRID), ["a", "b"])
    assert suppressed(release) == {cell(a="A", b="z"), cell(a="A", b="y"), cell(a="C", b="y"), cell(a="C", b="z")}
    cells = release.tables[0].cells
    assert cells[cell(a="C", b="y")].reasons == ["secondary: protects a=A, b=z"]


def test_secondary_intervals_meet_the_protection_level_in_the_independent_audit():
    df = frame(GRID)
    release = protect_table(df, ["a", "b"])
    iv = audit([release.published()], flat_parents(df, ["a", "b"]))
    lo, hi = iv[cell(a="A", b="z")]
    assert hi - lo >= 3  # max(3, 30% of 3)
    assert lo <= 3 <= hi


def test_without_secondary_suppression_the_auditor_recovers_the_cell():
    df = frame(GRID)
    published = {k: v for k, v in true_counts(df, ["a", "b"]).items()}
    published[cell(a="A", b="z")] = None
    iv = audit([published], flat_parents(df, ["a", "b"]))
    assert iv[cell(a="A", b="z")] == pytest.approx((3, 3))


def test_zeros_are_safe_unless_the_policy_says_so():
    df = frame({**GRID, ("A", "z"): 0})  # no record for (A, z): an empty cell of the full grid
    release = protect_table(df, ["a", "b"])
    assert release.tables[0].cells[cell(a="A", b="z")].published == 0
    strict = protect_table(df, ["a", "b"], policy=ReleasePolicy(zeros_disclosive=True))
    assert cell(a="A", b="z") in suppressed(strict)
    iv = audit([strict.published()], flat_parents(df, ["a", "b"]))
    lo, hi = iv[cell(a="A", b="z")]
    assert hi - lo >= 3


def test_every_released_count_is_at_or_above_the_threshold_or_suppressed():
    release = protect_table(frame(GRID), ["a", "b"])
    for v in release.published().values():
        assert v is None or v >= 10 or v == 0


# -- hierarchies -------------------------------------------------------------------------------------------------

PFA_REGION = {"Cleveland": "North East", "Durham": "North East", "Gwent": "Wales", "Dyfed-Powys": "Wales",
              "Kent": "South East", "Surrey": "South East"}
REGION_NATION = {"North East": "England", "South East": "England", "Wales": "Wales"}
PFA_COUNTS = {("Cleveland", "L"): 30, ("Cleveland", "S"): 12, ("Durham", "L"): 25, ("Durham", "S"): 4,
              ("Gwent", "L"): 40, ("Gwent", "S"): 22, ("Dyfed-Powys", "L"): 18, ("Dyfed-Powys", "S"): 19,
              ("Kent", "L"): 50, ("Kent", "S"): 33, ("Surrey", "L"): 27, ("Surrey", "S"): 11}
HIER = {"pfa": Hierarchy("pfa", (("region", PFA_REGION), ("nation", REGION_NATION)))}


def hier_parents():
    pfa = {("pfa", p): ("region", r) for p, r in PFA_REGION.items()}
    pfa.update({("region", r): ("nation", n) for r, n in REGION_NATION.items()})
    pfa.update({("nation", n): None for n in set(REGION_NATION.values())})
    return {"pfa": pfa, "type": {("type", "L"): None, ("type", "S"): None}}


def test_hierarchy_sub_totals_are_cells_and_a_region_and_nation_of_one_name_stay_apart():
    df = frame(PFA_COUNTS, dims=("pfa", "type"))
    release = protect(df, [TableSpec("t", ("pfa", "type"))], ReleasePolicy(threshold=1), HIER)
    cells = release.tables[0].cells
    assert cells[(("pfa", "region", "North East"),)].value == 71
    assert cells[(("pfa", "region", "Wales"), ("type", "type", "S"))].value == 41
    assert cells[(("pfa", "nation", "Wales"),)].value == 99
    assert cells[(("pfa", "nation", "England"), ("type", "type", "L"))].value == 132
    assert len(cells) == (6 + 3 + 2 + 1) * 3


def test_hierarchy_primary_is_protected_through_its_sub_totals():
    df = frame(PFA_COUNTS, dims=("pfa", "type"))
    release = protect(df, [TableSpec("t", ("pfa", "type"))], ReleasePolicy(), HIER)
    durham = (("pfa", "pfa", "Durham"), ("type", "type", "S"))
    assert durham in suppressed(release)
    iv = audit([release.published()], hier_parents())
    lo, hi = iv[durham]
    assert hi - lo >= 3
    # Region → nation relations are in the audit too: without the hierarchy a sub-total would give it away.
    assert len(suppressed(release)) >= 4


def test_a_hierarchy_that_does_not_place_a_category_is_refused():
    df = frame(PFA_COUNTS, dims=("pfa", "type"))
    partial = {k: v for k, v in PFA_REGION.items() if k != "Kent"}
    with pytest.raises(DisclosureError, match="have no region") as e:
        protect(df, [TableSpec("t", ("pfa", "type"))], hierarchies={"pfa": Hierarchy("pfa", (("region", partial),))})
    assert e.value.field == "pfa"


# -- several tables, several releases ----------------------------------------------------------------------------

def test_tables_sharing_a_margin_are_protected_together():
    df = three_way()
    release = protect(df, [TableSpec("ab", ("a", "b")), TableSpec("ac", ("a", "c"))])
    ab, ac = release.tables
    assert ab.cells[cell(a="A")] is ac.cells[cell(a="A")]
    parents = flat_parents(df, ["a", "b", "c"])
    iv = audit([ab.published(), ac.published()], parents)
    for t in (ab, ac):
        for k, c in t.cells.items():
            if c.primary:
                assert iv[k][1] - iv[k][0] >= c.required - 1e-6, c.label


def test_a_second_release_is_checked_against_the_first_so_differencing_recovers_nothing():
    df = three_way()
    first = protect(df, [TableSpec("ab", ("a", "b"))])
    second = protect(df, [TableSpec("abc", ("a", "b", "c"))], earlier=[first])
    parents = flat_parents(df, ["a", "b", "c"])
    iv = audit([first.published(), second.published()], parents)
    truth = true_counts(df, ["a", "b", "c"])
    checked = 0
    for k, v in truth.items():
        if 0 < v < 10:
            lo, hi = iv[k]
            assert hi - lo >= max(3, 0.3 * v) - 1e-6, k
            checked += 1
    assert checked
    # A figure published by the first release is never hidden by the second: it is known anyway.
    for k, v in first.published().items():
        if v is not None and k in second.published():
            assert second.published()[k] == v


def test_a_cell_the_earlier_release_published_cannot_be_protected_now():
    df = frame(GRID)
    loose = protect_table(df, ["a", "b"], policy=ReleasePolicy(threshold=3))
    with pytest.raises(DisclosureError, match="published by an earlier release") as e:
        protect_table(df, ["a", "b", ], earlier=[loose])
    assert e.value.field == "earlier"


# -- magnitudes --------------------------------------------------------------------------------------------------

def magnitude_frame():
    counts = {("A", "x"): 12, ("A", "y"): 15, ("B", "x"): 14, ("B", "y"): 13, ("C", "x"): 20, ("C", "y"): 11}
    values = {k: [10.0 + i for i in range(n)] for k, n in counts.items()}
    values[("A", "x")] = [1000.0, 10.0] + [10.0] * 10  # two contributors hold 91% of the cell
    return frame(counts, values=values)


def test_dominance_nk_is_primary_with_its_protection_and_the_audit_agrees():
    df = magnitude_frame()
    release = protect_table(df, ["a", "b"], measure="sum", column="v")
    c = release.tables[0].cells[cell(a="A", b="x")]
    assert c.suppressed and "primary: dominance (2,85)" in c.reasons
    # The larger of the policy's 30% of the cell and the (n,k) rule's own 1010 × 100/85 − 1110.
    assert c.required == pytest.approx(max(0.3 * 1110, 1010 * 100 / 85 - 1110))
    iv = audit([release.published()], flat_parents(df, ["a", "b"]))
    lo, hi = iv[cell(a="A", b="x")]
    assert hi - lo >= c.required - 1e-6


def test_p_percent_rule():
    counts = {("A", "x"): 12, ("A", "y"): 12, ("B", "x"): 12, ("B", "y"): 12}
    values = {k: [50.0] * 12 for k in counts}
    values[("B", "y")] = [500.0, 495.0] + [0.1] * 10  # others hold 1, less than 10% of 500
    df = frame(counts, values=values)
    release = protect_table(df, ["a", "b"], measure="sum", column="v", policy=ReleasePolicy(dominance_nk=None))
    c = release.tables[0].cells[cell(a="B", b="y")]
    assert c.reasons[0] == "primary: dominance (p% = 10)"
    assert c.required >= 50 - 1 - 1e-9


def test_mean_is_published_for_safe_cells_only():
    df = magnitude_frame()
    release = protect_table(df, ["a", "b"], measure="mean", column="v")
    cells = release.tables[0].cells
    assert cells[cell(a="A", b="x")].published is None
    c = cells[cell(a="C", b="y")]
    assert c.published == pytest.approx(sum(10.0 + i for i in range(11)) / 11)


# -- rounding ----------------------------------------------------------------------------------------------------

def test_rounding_to_base_five_says_so_and_keeps_protection():
    df = frame(GRID)
    release = protect_table(df, ["a", "b"], policy=ReleasePolicy(rounding="base"))
    cells = release.tables[0].cells
    for c in cells.values():
        assert c.published is None or c.published % 5 == 0
    assert cells[cell(a="B", b="y")].reasons == []  # 40 needs no rounding
    assert cells[cell(a="A", b="x")].published == 20
    assert cells[cell(a="C", b="x")].reasons == []
    assert cells[cell(a="A")].published == 55 and cells[cell(a="A")].reasons == ["rounded to base 5"]  # 53
    assert cells[()].published == 280  # 278
    iv = audit([release.published()], flat_parents(df, ["a", "b"]), tolerance=2)
    lo, hi = iv[cell(a="A", b="z")]
    assert hi - lo >= 3


def test_opensafely_redacts_seven_or_fewer_then_rounds():
    counts = {**GRID, ("B", "z"): 8, ("A", "z"): 7}
    release = protect_table(frame(counts), ["a", "b"], policy=ReleasePolicy.opensafely())
    cells = release.tables[0].cells
    assert cells[cell(a="A", b="z")].reasons == ["primary: redacted (7 or fewer)"]
    b_z = cells[cell(a="B", b="z")]
    assert b_z.published in (10.0, None)


# -- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dims, words, field", [
    (["a", "nope"], "unknown column 'nope'", "nope"),
    (["a", "empty"], "column 'empty' is empty", "empty"),
    (["a", "holey"], "has 1 empty value", "holey"),
    (["a", "many"], "more than 500", "many"),
    (["a", "b", "many", "a2"], "one to three dimensions", "dimensions"),
    (["a", "a"], "named twice", "dimensions"),
])
def test_bad_dimensions_are_refused_with_the_field(dims, words, field):
    n = 2000
    df = pl.DataFrame({"a": ["A", "B"] * (n // 2), "b": ["x"] * n, "a2": ["p"] * n,
                       "empty": pl.Series([None] * n, dtype=pl.Utf8),
                       "holey": ["h"] * (n - 1) + [None], "many": [f"id{i}" for i in range(n)]})
    with pytest.raises(DisclosureError) as e:
        protect_table(df, dims)
    assert words in e.value.message and e.value.field == field


def test_bad_measures_are_refused():
    df = pl.DataFrame({"a": ["A", "B"], "v": [1.0, -2.0], "s": ["x", "y"]})
    with pytest.raises(DisclosureError, match="negative"):
        protect_table(df, ["a"], measure="sum", column="v")
    with pytest.raises(DisclosureError, match="not numeric"):
        protect_table(df, ["a"], measure="sum", column="s")
    with pytest.raises(DisclosureError, match="unknown column"):
        protect_table(df, ["a"], measure="mean", column="w")
    with pytest.raises(DisclosureError, match="takes no column"):
        protect_table(df, ["a"], column="v")


def test_no_rows_no_frame_no_tables_are_refused():
    with pytest.raises(DisclosureError, match="no rows"):
        protect_table(pl.DataFrame({"a": []}, schema={"a": pl.Utf8}), ["a"])
    with pytest.raises(DisclosureError, match="Polars DataFrame"):
        protect_table([{"a": "A"}], ["a"])
    with pytest.raises(DisclosureError, match="at least one table"):
        protect(frame(GRID), [])
    with pytest.raises(DisclosureError, match="same name"):
        protect(frame(GRID), [TableSpec("t", ("a",)), TableSpec("t", ("b",))])


def _leaky_pair():
    import random

    rnd = random.Random(23)
    counts = {(a, b, c): rnd.choice([1, 2, 4, 6, 9, 12, 15, 25, 40]) for a in "ABCD" for b in "xyz" for c in "pq"}
    return frame(counts, dims=("a", "b", "c"))


def _short(releases, df):
    iv = audit(releases, flat_parents(df, ["a", "b", "c"]))
    return [k for k, v in true_counts(df, ["a", "b", "c"]).items()
            if 0 < v < 10 and iv[k][1] - iv[k][0] < max(3, 0.3 * v) - 1e-6]


def test_two_releases_protected_apart_leak_by_differencing_and_together_do_not():
    df = _leaky_pair()
    first = protect(df, [TableSpec("ab", ("a", "b"))])
    # The programmes' patterns (cubes off, ADR 57) for this pair were found to leak when protected apart.
    alone = protect(df, [TableSpec("abc", ("a", "b", "c"))], cubes=False)
    assert _short([first.published(), alone.published()], df)  # each safe alone, not together
    together = protect(df, [TableSpec("abc", ("a", "b", "c"))], earlier=[first])
    assert not _short([first.published(), together.published()], df)
    assert not _short([first.as_earlier().published, together.published()], df)
