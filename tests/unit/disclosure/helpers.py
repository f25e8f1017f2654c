"""Helpers for the disclosure tests that share no code with the engine: frames from counts, plain checks."""

from __future__ import annotations

import itertools

import polars as pl
from hypothesis import strategies as st

from disclosure import lp_audit


def frame(counts: dict[tuple, int], dims=("a", "b"), values: dict[tuple, list[float]] | None = None) -> pl.DataFrame:
    """One record per unit of each count (or per listed contribution, for magnitudes)."""
    rows = []
    for cats, n in counts.items():
        contributions = (values or {}).get(cats, [1.0] * n)
        for v in contributions:
            rows.append({**dict(zip(dims, cats, strict=True)), "v": float(v)})
    return pl.DataFrame(rows)


def cell(**coords) -> tuple:
    """The key of a cell of a flat table: ``cell(a="A", b="x")``; missing dimensions are totals."""
    return tuple(sorted((d, d, str(v)) for d, v in coords.items()))


def flat_parents(df: pl.DataFrame, dims) -> dict:
    return {d: {(d, str(v)): None for v in df[d].unique().to_list()} for d in dims}


def true_counts(df: pl.DataFrame, dims) -> dict:
    """Every cell's count by plain group-bys, one per subset of the dimensions (the margins)."""
    import itertools

    out = {(): float(df.height)}
    for r in range(1, len(dims) + 1):
        for subset in itertools.combinations(dims, r):
            for row in df.group_by(list(subset)).len().iter_rows(named=True):
                out[tuple(sorted((d, d, str(row[d])) for d in subset))] = float(row["len"])
    return out


def audit(published_releases, parents, tolerance=0.0):
    """Intervals of every suppressed cell, with relations rebuilt from the cells and the parent maps."""
    known = lp_audit.combine(*published_releases)
    relations = lp_audit.relations_from_margins(known, parents)
    return lp_audit.intervals(known, relations, tolerance)


def suppressed(release) -> set:
    """The keys a release withholds."""
    return {k for k, v in release.published().items() if v is None}


def assert_protected(releases, parents):
    """Every primary of every release has an interval at least its protection level, from all published."""
    iv = audit([r.published() for r in releases], parents)
    checked = 0
    for release in releases:
        for t in release.tables:
            for k, c in t.cells.items():
                if c.primary:
                    assert iv[k][1] - iv[k][0] >= c.required - 1e-6, c.label
                    checked += 1
    assert checked


def three_way(first: str = "ABC") -> pl.DataFrame:
    """A small three-way frame (first × xyz × pq) whose counts straddle the threshold: the shared-margin tests'."""
    counts = {}
    for i, a in enumerate(first):
        for j, b in enumerate("xyz"):
            for k, c in enumerate("pq"):
                counts[(a, b, c)] = (i * 7 + j * 5 + k * 11 + 3) % 23 + 1
    return frame(counts, dims=("a", "b", "c"))


@st.composite
def small_tables(draw):
    """A frame of two or three dimensions of 2-4 categories each, counts drawn around the threshold of 10, and
    its dimension names: the property tests' tables."""
    ndims = draw(st.integers(2, 3))
    sizes = [draw(st.integers(2, 4)) for _ in range(ndims)]
    dims = ["a", "b", "c"][:ndims]
    rows = []
    for combo in itertools.product(*[range(s) for s in sizes]):
        n = draw(st.sampled_from([0, 1, 2, 3, 5, 8, 9, 10, 12, 20, 35]))
        rows.extend([{d: f"{d}{v}" for d, v in zip(dims, combo, strict=True)}] * n)
    if not rows:
        rows = [{d: f"{d}0" for d in dims}] * 11
    return pl.DataFrame(rows), dims
