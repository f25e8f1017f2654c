"""Hypercube movements (ADR 0057): found by numpy, used as movements of the whole system, never trusted — every
pattern here is audited by the independent disclosure.lp_audit, and every cube's movement is checked against the
relations lp_audit rebuilds from the cells by its own code."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest

from disclosure import cubes, lp_audit, tables
from disclosure.policy import ReleasePolicy
from disclosure.tables import Hierarchy, TableSpec, protect

from .helpers import assert_protected, audit, cell, flat_parents, frame, suppressed, three_way, true_counts


def random_table(seed: int, sizes, dims) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    counts = {}
    for combo in itertools.product(*[[f"{d}{i}" for i in range(n)] for d, n in zip(dims, sizes, strict=True)]):
        counts[combo] = int(rng.choice([0, 1, 2, 5, 9, 12, 20, 35, 60]))
    return frame({k: v for k, v in counts.items() if v}, dims=dims)


GRID = {("A", "x"): 20, ("A", "y"): 30, ("A", "z"): 3, ("B", "x"): 25, ("B", "y"): 40, ("B", "z"): 50,
        ("C", "x"): 60, ("C", "y"): 15, ("C", "z"): 35}


def test_a_cube_is_the_cheapest_movement_and_needs_no_programme():
    """One primary in a 3 × 3 table: the cheapest movement is the four-cell cycle through (A,y),(C,y),(C,z), a
    cube; it is found without solving a programme, and it is the pattern the programmes find."""
    df = frame(GRID)
    spec = [TableSpec("t", ("a", "b"))]
    by_cube, by_programme = protect(df, spec), protect(df, spec, cubes=False)
    assert suppressed(by_cube) == suppressed(by_programme) == {
        cell(a="A", b="z"), cell(a="A", b="y"), cell(a="C", b="y"), cell(a="C", b="z")}
    assert by_cube.cube_movements > by_programme.cube_movements
    assert by_programme.lp_solves >= 1
    assert_protected([by_cube], flat_parents(df, ["a", "b"]))


def test_a_cell_that_can_move_down_only_partly_takes_the_rest_upward():
    """A primary of 1 needs an interval of 3: it can go down by 1 only (to 0), so it must go up by 2; each cell a
    cube moves down must hold at least that much, and the audit confirms the interval."""
    counts = {("A", "x"): 1, ("A", "y"): 40, ("A", "z"): 2, ("B", "x"): 30, ("B", "y"): 1, ("B", "z"): 45,
              ("C", "x"): 50, ("C", "y"): 35, ("C", "z"): 60}
    df = frame(counts)
    release = protect(df, [TableSpec("t", ("a", "b"))])
    assert release.lp_solves == 0
    iv = audit([release.published()], flat_parents(df, ["a", "b"]))
    lo, hi = iv[cell(a="A", b="x")]
    assert lo == pytest.approx(0) and hi >= 3 - 1e-6
    assert_protected([release], flat_parents(df, ["a", "b"]))


def test_a_margin_cell_as_primary_moves_with_its_children():
    """Row C sums to 7: its margin is a primary too, and its cubes take a child (same sign) as its partner."""
    counts = {("A", "x"): 20, ("A", "y"): 30, ("A", "z"): 25, ("B", "x"): 25, ("B", "y"): 40, ("B", "z"): 50,
              ("C", "x"): 3, ("C", "y"): 4}
    df = frame(counts)
    release = protect(df, [TableSpec("t", ("a", "b"))])
    margin = release.tables[0].cells[cell(a="C")]
    assert margin.primary and margin.suppressed
    assert release.cube_movements >= 1
    assert_protected([release], flat_parents(df, ["a", "b"]))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", [(("a", "b"), (6, 5)), (("a", "b", "c"), (5, 3, 3))])
def test_two_and_three_way_tables_by_cubes_are_protected_with_fewer_programmes(seed, shape):
    dims, sizes = shape
    df = random_table(seed, sizes, dims)
    spec = [TableSpec("t", dims)]
    by_cube, by_programme = protect(df, spec), protect(df, spec, cubes=False)
    assert by_cube.lp_solves <= by_programme.lp_solves
    assert_protected([by_cube], flat_parents(df, list(dims)))
    pruned = protect(df, spec, prune=True)
    assert suppressed(pruned) <= suppressed(by_cube)
    assert_protected([pruned], flat_parents(df, list(dims)))


PFA_REGION = {"Cleveland": "North East", "Durham": "North East", "Gwent": "Wales", "Dyfed-Powys": "Wales",
              "Kent": "South East", "Surrey": "South East"}
REGION_NATION = {"North East": "England", "South East": "England", "Wales": "Wales"}
HIER = {"pfa": Hierarchy("pfa", (("region", PFA_REGION), ("nation", REGION_NATION)))}


def hier_parents():
    pfa = {("pfa", p): ("region", r) for p, r in PFA_REGION.items()}
    pfa.update({("region", r): ("nation", n) for r, n in REGION_NATION.items()})
    pfa.update({("nation", n): None for n in set(REGION_NATION.values())})
    return {"pfa": pfa, "type": {("type", t): None for t in "LSX"}}


def hierarchy_frame(seed: int):
    rng = np.random.default_rng(seed)
    counts = {(p, t): int(rng.choice([1, 3, 8, 15, 30, 45])) for p in PFA_REGION for t in "LSX"}
    return frame(counts, dims=("pfa", "type"))


def test_every_cube_of_a_hierarchy_keeps_every_relation_the_auditor_rebuilds():
    """Along a hierarchy a cube's movement is a path to the total, or the difference of two paths: each one,
    for a leaf, a region, a nation and a margin cell, keeps every relation rebuilt by lp_audit's own code."""
    df = hierarchy_frame(1)
    release = protect(df, [TableSpec("t", ("pfa", "type"))], ReleasePolicy(threshold=1), HIER)
    t = release.tables[0]
    relations = lp_audit.relations_from_margins(t.cells, hier_parents())
    cube_table = cubes.CubeTable(("pfa", "type"), t.parents, tables._key, {k: i for i, k in enumerate(t.cells)})
    keys = list(t.cells)
    for key in [(("pfa", "pfa", "Durham"), ("type", "type", "S")), (("pfa", "region", "Wales"), ("type", "type", "L")),
                (("pfa", "nation", "England"),), (("type", "type", "X"),)]:
        per_dim = cube_table.cubes(key)
        checked = 0
        for rows in itertools.product(*(range(len(nodes)) for nodes, _ in per_dim)):
            move: dict = {}
            for entry in itertools.product(*(zip(per_dim[d][0][i], per_dim[d][1][i], strict=True)
                                             for d, i in enumerate(rows))):
                sign = int(np.prod([s for _, s in entry]))
                if sign:
                    move[keys[cube_table.grid[tuple(n for n, _ in entry)]]] = sign
            assert move[key] == 1
            for total, parts in relations:
                assert move.get(total, 0) == sum(move.get(p, 0) for p in parts), (key, move)
            checked += 1
        assert checked > 1


@pytest.mark.parametrize("seed", range(3))
def test_a_table_with_a_hierarchy_is_protected_by_cubes(seed):
    df = hierarchy_frame(seed)
    for prune in (False, True):
        release = protect(df, [TableSpec("t", ("pfa", "type"))], ReleasePolicy(), HIER, prune=prune)
        assert_protected([release], hier_parents())


def test_tables_sharing_a_margin_move_it_only_where_every_table_agrees():
    """A cube of one table must not move a margin another table shares (its relations there would break):
    such cells are left to the programmes, and both tables stay protected together."""
    counts = {(a, b, c): (i * 7 + j * 5 + k * 11) % 13 + 1
              for i, a in enumerate("ABCD") for j, b in enumerate("xyz") for k, c in enumerate("pq")}
    df = frame(counts, dims=("a", "b", "c"))
    for prune in (False, True):
        release = protect(df, [TableSpec("ab", ("a", "b")), TableSpec("ac", ("a", "c"))], prune=prune)
        assert_protected([release], flat_parents(df, ["a", "b", "c"]))


def test_a_release_against_an_earlier_one_stays_safe_from_differencing():
    df = three_way("ABCD")
    first = protect(df, [TableSpec("ab", ("a", "b"))], prune=True)
    second = protect(df, [TableSpec("abc", ("a", "b", "c"))], earlier=[first], prune=True)
    assert_protected([first, second], flat_parents(df, ["a", "b", "c"]))
    truth = true_counts(df, ["a", "b", "c"])
    for k, v in first.published().items():
        if v is not None and k in second.published():
            assert second.published()[k] == v == truth[k]


def test_a_cube_that_would_break_a_relation_is_refused(monkeypatch):
    """The engine checks each cube against the whole system: a wrong cube (here every sign flipped but the
    primary's) is refused and the programme decides, so the pattern is still protected."""
    real = cubes.CubeSearch.cheapest

    def wrong(self, *args, **kwargs):
        found = real(self, *args, **kwargs)
        if found is None:
            return None
        columns, moves, price = found
        return columns, np.concatenate([moves[:1], -moves[1:]]), price

    monkeypatch.setattr(cubes.CubeSearch, "cheapest", wrong)
    df = frame(GRID)
    release = protect(df, [TableSpec("t", ("a", "b"))])
    assert release.cube_movements == 0 and release.lp_solves >= 1
    assert_protected([release], flat_parents(df, ["a", "b"]))


def test_a_large_margin_is_left_to_the_programme(monkeypatch):
    """Row A is two cells of 1: every cube for (A,x) must take a margin (B's row, or column x and the grand
    total), each over 5% of the grand total, so the programme decides; allowed any share, a cube does it."""
    df = frame({("A", "x"): 1, ("A", "y"): 1, ("B", "x"): 50, ("B", "y"): 60, ("C", "x"): 40, ("C", "y"): 70})
    spec = [TableSpec("t", ("a", "b"))]
    by_programme = protect(df, spec)
    assert by_programme.lp_solves >= 1
    assert_protected([by_programme], flat_parents(df, ["a", "b"]))
    monkeypatch.setattr(cubes, "LARGE_SHARE", 1.0)
    by_cube = protect(df, spec)
    assert by_cube.cube_movements > by_programme.cube_movements
    assert_protected([by_cube], flat_parents(df, ["a", "b"]))


def _plain_cheapest(per_dim, strides, columns, confined, margin, cost, values, usable, share, amount, up, back):
    """Every cube priced in the order of the rows, the first of the cheapest kept: the search the kernel's branch
    and bound must agree with (ADR 0063), written as plainly as possible."""
    sentinel = len(cost)
    grand = values[columns[0]] if columns[0] != sentinel else np.inf
    large_from = share * grand if np.isfinite(grand) else np.inf
    best, best_rows = np.inf, None
    for rows in itertools.product(*(range(len(nodes)) for nodes, _ in per_dim)):
        price, fits = 0.0, True
        for entry in itertools.product(*(zip(per_dim[d][0][i], per_dim[d][1][i], strict=True)
                                         for d, i in enumerate(rows))):
            sign = int(np.prod([s for _, s in entry]))
            if not sign:
                continue
            flat = sum(int(n) * int(st) for (n, _), st in zip(entry, strides, strict=False))
            column = columns[flat]
            if column == sentinel or not (usable[column] and confined[flat]):
                fits = False
            elif cost[column] > 0 and margin[flat] and values[column] > large_from:
                fits = False
            elif (sign < 0) == up:
                fits = values[column] >= amount - 1e-9
            elif back > 0:
                fits = values[column] >= back - 1e-9
            if not fits:
                break
            price += cost[column]
        if fits and price < best:
            best, best_rows = price, rows
    return best_rows, best


@pytest.mark.parametrize("seed", range(60))
def test_the_compiled_search_finds_the_cube_a_plain_scan_finds(seed):
    """Random two- and three-way grids, costs with many ties (0, 1 or 2), cells unusable or short of room at
    random: the kernel's cube and price are the plain scan's, ties going to the first cube in the order of the rows."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 5))) + ((int(rng.integers(2, 4)),) if seed % 2 else ())
    nodes_of = [[None, *[f"n{d}{i}" for i in range(size - 1)]] for d, size in enumerate(shape)]
    own = [int(rng.integers(0, size)) for size in shape]
    per_dim = []
    for d, names in enumerate(nodes_of):
        at = {n: i for i, n in enumerate(names)}
        per_dim.append(cubes._paths_through(at, {n: None for n in names[1:]}, names[own[d]]))
    size = int(np.prod(shape))
    n_columns = size - 2
    columns = rng.permutation(np.append(np.arange(n_columns), [n_columns, n_columns])).astype(np.int64)
    cost = rng.choice([0.0, 1.0, 2.0] if seed % 3 else [0.0, 1.0], size=n_columns)
    values = rng.choice([0.0, 1.0, 3.0, 40.0, 40.0, 40.0, 40.0], size=n_columns)
    usable = rng.random(n_columns) < 0.97
    confined, margin = rng.random(size) < 0.99, rng.random(size) < 0.1
    strides = np.array([int(np.prod(shape[d + 1:])) for d in range(len(shape))] + [0] * (3 - len(shape)))
    amount, up, back = float(rng.choice([1.0, 3.0])), bool(rng.random() < 0.5), float(rng.choice([0.0, 1.0]))
    expected_rows, expected_price = _plain_cheapest(per_dim, strides, columns, confined, margin, cost, values,
                                                    usable, 0.3, amount, up, back)
    padded = [*per_dim, *[cubes._NO_DIMENSION] * (3 - len(per_dim))]
    found, signs, price = cubes._cheapest_cube(
        padded[0][0], padded[0][1], padded[1][0], padded[1][1], padded[2][0], padded[2][1],
        np.array(own + [0] * (3 - len(own)), dtype=np.int64), strides.astype(np.int64), columns, confined, margin,
        cost, values, usable, 0.3, amount, up, back, 1e-9)
    if expected_rows is None:
        assert not len(found)
        return
    assert price == expected_price
    expected = set()
    for entry in itertools.product(*(zip(per_dim[d][0][i], per_dim[d][1][i], strict=True)
                                     for d, i in enumerate(expected_rows))):
        sign = int(np.prod([s for _, s in entry]))
        if sign:
            expected.add((int(columns[sum(int(n) * int(st) for (n, _), st in zip(entry, strides, strict=False))]),
                          float(sign)))
    assert set(zip(found.tolist(), signs.tolist(), strict=True)) == expected
