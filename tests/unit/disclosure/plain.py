"""Plain-Python checks of an extract, sharing no code with disclosure/extracts.py: the rows are read back as
tuples and grouped with a dict."""

from __future__ import annotations

from collections import defaultdict

import polars as pl


def classes(frame: pl.DataFrame, quasi_identifiers, sensitive=()) -> dict[tuple, dict]:
    """Equivalence classes of the rows: quasi-identifier values -> {"size": n, column: set of values}."""
    groups: dict[tuple, dict] = defaultdict(lambda: {"size": 0, **{s: set() for s in sensitive}})
    names = list(frame.columns)
    q_at = [names.index(q) for q in quasi_identifiers]
    s_at = [(s, names.index(s)) for s in sensitive]
    for row in frame.iter_rows():
        group = groups[tuple(row[i] for i in q_at)]
        group["size"] += 1
        for s, i in s_at:
            group[s].add(row[i])
    return dict(groups)


def assert_safe(frame: pl.DataFrame, quasi_identifiers, sensitive, k: int, l: int) -> None:  # noqa: E741
    for key, group in classes(frame, quasi_identifiers, sensitive).items():
        assert group["size"] >= k, f"class {key} has {group['size']} records, fewer than k={k}"
        for s in sensitive:
            assert len(group[s]) >= l, f"class {key} has {len(group[s])} distinct {s}, fewer than l={l}"
