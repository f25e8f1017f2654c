"""Tables from record-level data, protected by primary and secondary cell suppression (issue 12, §15).

A table has one to three dimensions of a Polars DataFrame, counts or a magnitude (the sum or mean of a column), all
its margins, and any hierarchy given for a dimension (police force area → region → nation), so that every sub-total
is a cell and every "total = sum of its parts" is a linear relation.

Cells are named by a :data:`Key`: the sorted tuple of ``(dimension, level, category)`` for every dimension that is
not at its grand total (the grand total of a table is ``()``). Two tables, or two releases, that share a margin
therefore share its cells by construction, and all of their relations form one linear system.

Protection, in :func:`protect`:

1. Primary suppression (the policy's rules): a count below the threshold (zeros only if the policy says they are
   disclosive); for magnitudes, fewer contributors than the threshold, the (n, k) dominance rule and the p% rule.
2. Secondary suppression: for each primary cell, a linear programme (HiGHS) finds the cheapest way to let the cell
   move by its protection level, up and down, while every relation still holds, every cell stays ≥ 0 and every
   figure already published (in this release's other cells or any earlier release from the dataset) stays fixed.
   Cells the movement touches are suppressed too (cost 0 once suppressed, so later primaries reuse them). Because
   the movement exists, an attacker solving the same relations cannot narrow the cell below its protection level:
   the pattern is safe by construction, and tests check it with the independent :mod:`disclosure.lp_audit`.
3. Rounding, if the policy asks, of every published count (suppression is computed as if the exact figures were
   published, which is the stronger attacker).

Every suppressed or changed cell carries its reasons: "primary: threshold", "primary: dominance",
"secondary: protects <cell>", "rounded to base 5".
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import highspy
import numpy as np
import polars as pl

from .highs import QuietHighs
from .policy import MAX_CELLS, DisclosureError, ReleasePolicy

if TYPE_CHECKING:  # imported where used: their compiled kernels bring Numba (ADR 0063), which a process needs only
    # once it protects a table, not on importing this module (every web process does, through releases.engine).
    from .bounds import Refuter
    from .cubes import CubeSearch, CubeTable

Part = tuple[str, str, str]  # (dimension, level, category)
Key = tuple[Part, ...]
Node = tuple[str, str] | None  # (level, category); None is the dimension's grand total
Measure = Literal["count", "sum", "mean"]

TOTAL = None
_EPS = 1e-7
# A mended witness's entries this small against its largest are rounding left by a cancellation (ADR 0060): zero.
_TINY = 1e-12
# Restricted programmes (``protect(..., local=True)``, ADR 0047): a dimension with fewer nodes than this is taken whole;
# along a larger one, this many of the cheapest siblings (and children) of the primary's node to start with.
SMALL_DIMENSION = 16
PARTNERS = 4
# Below this many free cells the whole system is small: restricted programmes and their pricing rounds cost more
# than they save (on the bench, two-way tables took several times longer with them).
LOCAL_FROM_CELLS = 2000


def label(key: Key) -> str:
    """A person's name for a cell: ``pfa=Cleveland, type=Labour``; ``region`` levels shown as ``pfa[region]``."""
    if not key:
        return "Total"
    return ", ".join(f"{d}={n}" if lvl == d else f"{d}[{lvl}]={n}" for d, lvl, n in key)


@dataclass(frozen=True)
class Hierarchy:
    """Levels above a dimension's categories: ``Hierarchy("pfa", (("region", pfa_to_region), ("nation", ...)))``.

    Each mapping sends every category of the level below to its parent; the top level's parents make the total.
    """

    dimension: str
    levels: tuple[tuple[str, Mapping[str, str]], ...]

    def parents(self, categories: Sequence[str]) -> dict[tuple[str, str], Node]:
        """Parent of every node from the categories up; refuses a category or parent the mappings do not place."""
        parent: dict[tuple[str, str], Node] = {}
        below_level, below = self.dimension, sorted(set(categories))
        names = {self.dimension}
        for level, mapping in self.levels:
            if level in names:
                raise DisclosureError(f"hierarchy of {self.dimension}: level {level!r} named twice", field=self.dimension)
            names.add(level)
            missing = [c for c in below if c not in mapping]
            if missing:
                raise DisclosureError(
                    f"hierarchy of {self.dimension}: {len(missing)} {below_level} value(s) have no {level}, "
                    f"e.g. {', '.join(map(repr, missing[:3]))}", field=self.dimension)
            for c in below:
                parent[(below_level, c)] = (level, str(mapping[c]))
            below_level, below = level, sorted({str(mapping[c]) for c in below})
        for c in below:
            parent[(below_level, c)] = TOTAL
        return parent


def _flat(dimension: str, categories: Sequence[str]) -> dict[tuple[str, str], Node]:
    return {(dimension, c): TOTAL for c in sorted(categories)}


@dataclass(frozen=True)
class TableSpec:
    """One table of a release: its dimensions (1 to 3), and ``count`` or the ``sum``/``mean`` of ``column``."""

    name: str
    dimensions: tuple[str, ...]
    measure: Measure = "count"
    column: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "dimensions", tuple(self.dimensions))


@dataclass
class Cell:
    key: Key
    value: float  # the true figure (a sum for magnitude tables); never published when suppressed
    contributors: int
    top: tuple[float, ...] = ()  # the largest contributions, largest first (magnitude tables)
    published: float | None = None
    reasons: list[str] = field(default_factory=list)
    required: float = 0.0  # protection level, for primary cells
    primary: bool = False

    @property
    def suppressed(self) -> bool:
        return self.published is None

    @property
    def label(self) -> str:
        return label(self.key)


@dataclass
class ProtectedTable:
    spec: TableSpec
    parents: dict[str, dict[tuple[str, str], Node]]  # per dimension: node → parent
    cells: dict[Key, Cell]
    # Every combination of the dimensions' nodes → its key: built once by build_table, reused by relations_of and
    # the cube grid (sorting each key's parts was a third of building a large table's system).
    keys: dict[tuple[Node, ...], Key] | None = field(default=None, repr=False, compare=False)

    def published(self) -> dict[Key, float | None]:
        return {k: c.published for k, c in self.cells.items()}

    def rows(self) -> list[dict]:
        """One row per cell for a page or a file: the dimensions (``Total`` where summed), figure, status, why."""
        out = []
        for key, c in self.cells.items():
            parts = {d: (lvl, n) for d, lvl, n in key}
            row = {d: (parts[d][1] if d in parts else "Total") for d in self.spec.dimensions}
            row.update(value=c.published, status="suppressed" if c.suppressed else "published",
                       reasons="; ".join(c.reasons))
            out.append(row)
        return out


@dataclass
class EarlierRelease:
    """What an earlier release from the same dataset published: its tables, hierarchies and figures."""

    tables: Sequence[TableSpec]
    published: Mapping[Key, float | None]
    hierarchies: Mapping[str, Hierarchy] = field(default_factory=dict)


@dataclass
class ProtectedRelease:
    tables: list[ProtectedTable]
    relations: list[tuple[Key, tuple[Key, ...]]]
    policy: ReleasePolicy
    hierarchies: Mapping[str, Hierarchy]
    seconds: float = 0.0
    lp_solves: int = 0
    cube_movements: int = 0  # movements found as cubes by the heuristic, no programme solved (ADR 0057)

    def published(self) -> dict[Key, float | None]:
        """Every published figure of the release, suppressed cells as None (shared margins appear once)."""
        out: dict[Key, float | None] = {}
        for t in self.tables:
            out.update(t.published())
        return out

    def as_earlier(self) -> EarlierRelease:
        return EarlierRelease([t.spec for t in self.tables], self.published(), self.hierarchies)

    def suppressed(self, kind: str | None = None) -> set[Key]:
        keys = set()
        for t in self.tables:
            for k, c in t.cells.items():
                if c.suppressed and (kind is None or any(r.startswith(kind) for r in c.reasons)):
                    keys.add(k)
        return keys


# -- building tables ---------------------------------------------------------------------------------------------


def _check_frame(df: pl.DataFrame, spec: TableSpec, policy: ReleasePolicy) -> None:
    if not isinstance(df, pl.DataFrame):
        raise DisclosureError("the data must be a Polars DataFrame", field="data")
    if df.height == 0:
        raise DisclosureError("the data has no rows", field="data")
    dims = spec.dimensions
    if not 1 <= len(dims) <= 3:
        raise DisclosureError(f"table {spec.name}: a table has one to three dimensions, not {len(dims)}",
                              field="dimensions")
    if len(set(dims)) != len(dims):
        raise DisclosureError(f"table {spec.name}: a dimension is named twice", field="dimensions")
    for d in dims:
        if d not in df.columns:
            raise DisclosureError(f"table {spec.name}: unknown column {d!r}", field=d)
        empty = df[d].null_count()
        if empty == df.height:
            raise DisclosureError(f"table {spec.name}: column {d!r} is empty", field=d)
        if empty:
            raise DisclosureError(f"table {spec.name}: column {d!r} has {empty} empty value(s); "
                                  "give them a category such as 'Not specified'", field=d)
        n = df[d].n_unique()
        if n > policy.max_categories:
            raise DisclosureError(
                f"table {spec.name}: column {d!r} has {n} categories, more than {policy.max_categories}: a table "
                "that fine describes individuals, not groups; band or group it first", field=d)
    if spec.measure not in ("count", "sum", "mean"):
        raise DisclosureError(f"table {spec.name}: measure must be count, sum or mean", field="measure")
    if spec.measure == "count":
        if spec.column is not None:
            raise DisclosureError(f"table {spec.name}: a count takes no column", field="column")
        return
    col = spec.column
    if col is None or col not in df.columns:
        raise DisclosureError(f"table {spec.name}: unknown column {col!r} for the {spec.measure}", field="column")
    if not df[col].dtype.is_numeric():
        raise DisclosureError(f"table {spec.name}: column {col!r} is not numeric", field=col)
    if df[col].null_count():
        raise DisclosureError(f"table {spec.name}: column {col!r} has empty values", field=col)
    if df[col].min() < 0:
        raise DisclosureError(f"table {spec.name}: column {col!r} has negative values; the dominance rules and "
                              "the bounds of secondary suppression assume contributions of at least 0", field=col)


def _chain(parents: Mapping[tuple[str, str], Node], node: tuple[str, str]) -> list[Node]:
    out: list[Node] = [node]
    while out[-1] is not TOTAL:
        out.append(parents[out[-1]])
    return out


def _key(dims: Sequence[str], nodes: Sequence[Node]) -> Key:
    return tuple(sorted((d, n[0], n[1]) for d, n in zip(dims, nodes, strict=True) if n is not TOTAL))


def _keys(dims: Sequence[str], nodes: Mapping[str, Sequence[Node]]) -> dict[tuple[Node, ...], Key]:
    """The key of every combination of the dimensions' nodes, by the tuple of nodes (each sorted once)."""
    return {combo: _key(dims, combo) for combo in itertools.product(*(nodes[d] for d in dims))}


def build_table(df: pl.DataFrame, spec: TableSpec, policy: ReleasePolicy,
                hierarchies: Mapping[str, Hierarchy] | None = None) -> ProtectedTable:
    """Every cell of the table (all categories crossed, all sub-totals and margins), not yet protected."""
    hierarchies = hierarchies or {}
    _check_frame(df, spec, policy)
    dims = spec.dimensions
    frame = df.select([pl.col(d).cast(pl.Utf8) for d in dims]
                      + ([pl.col(spec.column).cast(pl.Float64).alias("__v")] if spec.column else []))
    parents: dict[str, dict[tuple[str, str], Node]] = {}
    for d in dims:
        cats = frame[d].unique().to_list()
        parents[d] = hierarchies[d].parents(cats) if d in hierarchies else _flat(d, cats)
    nodes = {d: [TOTAL, *sorted(parents[d])] for d in dims}
    n_cells = math.prod(len(v) for v in nodes.values())
    if n_cells > MAX_CELLS:
        raise DisclosureError(f"table {spec.name}: {n_cells} cells, more than {MAX_CELLS}", field="dimensions")

    topn = 0
    if spec.measure != "count":
        topn = max(2, policy.dominance_nk[0] if policy.dominance_nk else 0)
        agg = [pl.len().alias("__n"), pl.col("__v").sum().alias("__s"), pl.col("__v").top_k(topn).alias("__t")]
    else:
        agg = [pl.len().alias("__n")]
    leaves = frame.group_by(list(dims)).agg(agg)

    keys = _keys(dims, nodes)
    cells: dict[Key, Cell] = {k: Cell(k, 0.0, 0) for k in keys.values()}
    tops: dict[Key, list[float]] = defaultdict(list)
    for row in leaves.iter_rows(named=True):
        chains = [_chain(parents[d], (d, row[d])) for d in dims]
        n = row["__n"]
        s = float(row["__s"]) if topn else float(n)
        for combo in itertools.product(*chains):
            c = cells[keys[combo]]
            c.value += s
            c.contributors += n
            if topn:
                tops[c.key].extend(row["__t"])
    for k, t in tops.items():
        cells[k].top = tuple(sorted(t, reverse=True)[:topn])
    return ProtectedTable(spec, parents, cells, keys)


def relations_of(table: ProtectedTable) -> list[tuple[Key, tuple[Key, ...]]]:
    """Every "total = sum of its parts" of the table, along each dimension at every level of its hierarchy."""
    dims = table.spec.dimensions
    children: dict[str, dict[Node, list[tuple[str, str]]]] = {}
    for d in dims:
        ch: dict[Node, list[tuple[str, str]]] = defaultdict(list)
        for node, parent in table.parents[d].items():
            ch[parent].append(node)
        children[d] = ch
    all_nodes = {d: [TOTAL, *table.parents[d]] for d in dims}
    keys = table.keys if table.keys is not None else _keys(dims, all_nodes)
    out = []
    for i, d in enumerate(dims):
        others = [all_nodes[o] for o in dims if o != d]
        for parent, kids in children[d].items():
            for rest in itertools.product(*others):
                def at(node, rest=rest, i=i):
                    return keys[(*rest[:i], node, *rest[i:])]
                out.append((at(parent), tuple(sorted(at(k) for k in kids))))
    return out


# -- primary suppression -----------------------------------------------------------------------------------------


def _primary(cell: Cell, spec: TableSpec, policy: ReleasePolicy) -> None:
    if cell.value == 0 and cell.contributors == 0 and not policy.zeros_disclosive:
        return
    reasons = []
    required = policy.required_protection(cell.value)
    if cell.contributors < policy.threshold:
        if policy.rounding == "redact_then_round":
            reasons.append(f"primary: redacted ({policy.redact_at_or_below} or fewer)")
        elif spec.measure == "count":
            reasons.append(f"primary: threshold (fewer than {policy.threshold})")
        else:
            reasons.append(f"primary: threshold (fewer than {policy.threshold} contributors)")
    if spec.measure != "count" and cell.value > 0:
        top = cell.top
        if policy.dominance_nk:
            n, k = policy.dominance_nk
            largest = sum(top[:n])
            if largest > k / 100 * cell.value:
                reasons.append(f"primary: dominance ({n},{k:g})")
                required = max(required, largest * 100 / k - cell.value)
        if policy.p_percent and top:
            x1 = top[0]
            x2 = top[1] if len(top) > 1 else 0.0
            rest = cell.value - x1 - x2
            if rest < policy.p_percent / 100 * x1:
                reasons.append(f"primary: dominance (p% = {policy.p_percent:g})")
                required = max(required, policy.p_percent / 100 * x1 - rest)
    if reasons:
        cell.primary = True
        cell.reasons.extend(reasons)
        cell.required = required
        cell.published = None


# -- secondary suppression ---------------------------------------------------------------------------------------


class _Perturbation:
    """The cheapest movement of one primary cell that every relation allows, over the cells still free (HiGHS).

    Columns: for each cell that is not fixed, z⁺ and z⁻ ≥ 0 (the cell moves by z⁺ − z⁻; z⁻ ≤ its value, so it stays
    ≥ 0). Rows: each relation, total − Σ parts = 0, in the movements. Cost: the cell's suppression cost per unit of
    movement, 0 once the cell is suppressed. A primary p is protected upward by u when the programme with z⁺_p = u
    is feasible: then value + z satisfies every published figure, so an attacker cannot rule out value_p + u.
    """

    def __init__(self, free: list[Key], values: dict[Key, float], relations, costs: dict[Key, float]):
        self.index = index = {k: i for i, k in enumerate(free)}
        n = len(free)
        # The entries of each relation's row (total − Σ parts) over the free cells; a row with none is left out.
        entry_rows: list[int] = []
        entry_cells: list[int] = []
        entry_values: list[float] = []
        num_rows = 0
        for total, parts in relations:
            before = len(entry_cells)
            if total in index:
                entry_cells.append(index[total])
                entry_values.append(1.0)
            for part in parts:
                j = index.get(part)
                if j is not None:
                    entry_cells.append(j)
                    entry_values.append(-1.0)
            if len(entry_cells) > before:
                entry_rows.extend([num_rows] * (len(entry_cells) - before))
                num_rows += 1
        # The same matrix ordered by cell (each cell's entries in row order), for HiGHS (column-wise), restricted
        # programmes and pricing.
        cells_array = np.array(entry_cells, dtype=np.int64)
        order = np.argsort(cells_array, kind="stable")
        lengths = np.bincount(cells_array, minlength=n).astype(np.int64)
        self.ptr = np.concatenate(([0], np.cumsum(lengths)))
        self.entry_cell = cells_array[order]
        self.entry_row = np.array(entry_rows, dtype=np.int64)[order]
        self.entry_value = np.array(entry_values, dtype=float)[order]
        self.num_rows = num_rows
        self._col_entries = None
        total_entries = int(self.ptr[-1])
        starts = np.concatenate([self.ptr, self.ptr[1:] + total_entries])
        idx = np.concatenate([self.entry_row, self.entry_row])
        vals = np.concatenate([self.entry_value, -self.entry_value])
        self.locality = None  # key -> indices of the cells near it (set by protect); None: whole system only
        self.local_h = None
        self.local_solves = 0
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * n, num_rows
        self.cost = np.array([costs[k] for k in free] * 2, dtype=float)
        lp.col_cost_ = self.cost
        self.lower = np.zeros(2 * n)
        self.upper = np.concatenate([np.full(n, highspy.kHighsInf), np.array([values[k] for k in free], float)])
        lp.col_lower_, lp.col_upper_ = self.lower, self.upper.copy()
        lp.row_lower_ = np.zeros(num_rows)
        lp.row_upper_ = np.zeros(num_rows)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts.astype(np.int32)
        lp.a_matrix_.index_ = idx.astype(np.int32)
        lp.a_matrix_.value_ = vals
        self.keys = list(free)
        self.values = np.array([values[k] for k in free], float)
        self.h = QuietHighs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("presolve", "off")  # each solve starts from the last basis
        self.h.passModel(lp)
        self.n = n
        self.solves = 0
        self.cubes = 0  # movements found by cubes, no programme solved

    @property
    def col_entries(self) -> list[list[tuple[int, float]]]:
        """Per cell, its (row, coefficient) entries, in row order."""
        if self._col_entries is None:
            rows, values = self.entry_row.tolist(), self.entry_value.tolist()
            ptr = self.ptr.tolist()
            self._col_entries = [list(zip(rows[ptr[c]:ptr[c + 1]], values[ptr[c]:ptr[c + 1]], strict=True))
                                 for c in range(self.n)]
        return self._col_entries

    def set_cost(self, key: Key, cost: float) -> None:
        i = self.index[key]
        if self.cost[i] != cost:
            self.cost[i] = self.cost[i + self.n] = cost
            self.h.changeColsCost(2, np.array([i, i + self.n], dtype=np.int32), np.full(2, cost))

    def move(self, key: Key, amount: float, up: bool, seconds: float) -> np.ndarray | None:
        """The cheapest movement z (one entry per free cell) moving ``key`` by ``amount``; None if none exists."""
        return self.move_many([(key, amount)], up, seconds)

    def move_many(self, targets: list[tuple[Key, float]], up: bool, seconds: float) -> np.ndarray | None:
        """One movement moving every target cell by its amount at once (each is then proved movable by it)."""
        if self.locality is not None:
            z = self.move_local(targets, up, seconds)
            if z is not None:
                return z
        cols = []
        for key, amount in targets:
            i = self.index[key]
            col, other = (i, i + self.n) if up else (i + self.n, i)
            self.h.changeColBounds(col, amount, amount)
            self.h.changeColBounds(other, 0.0, 0.0)
            cols += [col, other]
        self.h.setOptionValue("time_limit", max(seconds, 0.01))
        self.h.run()
        self.solves += 1
        status = self.h.getModelStatus()
        self._reset(*cols)
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise DisclosureError("secondary suppression did not finish within the policy's time budget",
                                  field="time_budget_seconds")
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(self.h.getSolution().col_value)
        result = x[: self.n] - x[self.n:]
        result[np.abs(result) <= _EPS] = 0.0
        return result

    def move_local(self, targets: list[tuple[Key, float]], up: bool, seconds: float, rounds: int = 6,
                   add: int = 200) -> np.ndarray | None:
        """As :meth:`move_many`, solved over the cells near the targets only, grown by pricing (column generation).

        Cells outside the working set stay still, so any answer is a valid movement of the whole system. After
        each solve every other cell is priced with the duals (rows outside the working set priced at 0); cells
        that would lower the cost join the set and the programme is solved again. When none would, the answer
        is optimal for the whole system too. None when the restricted programme has no answer (the caller then
        solves the whole system); after ``rounds`` the last answer is kept (valid, perhaps a little dearer).
        """
        deadline = time.perf_counter() + seconds
        fixed = np.array([self.index[k] for k, _ in targets], dtype=np.int64)
        near = [self.locality(k) for k, _ in targets]
        work = np.union1d(np.concatenate([np.asarray(c, dtype=np.int64) for c in near]), fixed)
        movable_down = self.upper[self.n:] > 0
        for round_ in range(rounds + 1):
            if time.perf_counter() > deadline:
                raise DisclosureError("secondary suppression did not finish within the policy's time budget",
                                      field="time_budget_seconds")
            solved = self._solve_restricted(work, targets, up)
            if solved is None:
                return None
            z, rows, row_dual = solved
            if round_ == rounds:
                return z
            pi = np.zeros(self.num_rows)
            pi[rows] = row_dual
            a_pi = np.bincount(self.entry_cell, weights=self.entry_value * pi[self.entry_row], minlength=self.n)
            reduced = np.minimum(self.cost[: self.n] - a_pi,
                                 np.where(movable_down, self.cost[self.n:] + a_pi, np.inf))
            reduced[work] = np.inf
            entering = np.flatnonzero(reduced < -1e-9)
            if not len(entering):
                return z
            if len(entering) > add:
                entering = entering[np.argpartition(reduced[entering], add)[:add]]
            work = np.union1d(work, entering)
        return z

    def _solve_restricted(self, work: np.ndarray, targets, up: bool):
        """The cheapest movement over the cells ``work`` (sorted indices), the others still: (z, rows, duals)."""
        lengths = self.ptr[work + 1] - self.ptr[work]
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        total = int(offsets[-1])
        positions = np.repeat(self.ptr[work] - offsets[:-1], lengths) + np.arange(total)
        rows, local_row = np.unique(self.entry_row[positions], return_inverse=True)
        values = self.entry_value[positions]
        m = len(work)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * m, len(rows)
        lp.col_cost_ = np.concatenate([self.cost[work], self.cost[work + self.n]])
        lower = np.zeros(2 * m)
        upper = np.concatenate([self.upper[work], self.upper[work + self.n]])
        for key, amount in targets:
            at = int(np.searchsorted(work, self.index[key]))
            col, other = (at, at + m) if up else (at + m, at)
            lower[col] = upper[col] = amount
            upper[other] = 0.0
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.zeros(len(rows))
        lp.row_upper_ = np.zeros(len(rows))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.concatenate([offsets, offsets[1:] + total]).astype(np.int32)
        lp.a_matrix_.index_ = np.concatenate([local_row, local_row]).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate([values, -values])
        if self.local_h is None:
            self.local_h = QuietHighs()
            self.local_h.setOptionValue("output_flag", False)
        h = self.local_h
        h.passModel(lp)
        h.run()
        self.local_solves += 1
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = h.getSolution()
        x = np.asarray(solution.col_value)
        z = np.zeros(self.n)
        z[work] = x[:m] - x[m:]
        z[np.abs(z) <= _EPS] = 0.0
        return z, rows, np.asarray(solution.row_dual)

    def cube(self, search: CubeSearch, key: Key, amount: float, up: bool,
             cost: np.ndarray | None = None, back: float = 0.0, also: int | None = None,
             room: np.ndarray | None = None) -> tuple[np.ndarray, float] | None:
        """The cheapest cube moving ``key`` by ``amount`` (ADR 0057), as a movement z of the whole system, and its
        price; None if no cube is usable. Cells held still cannot move; ``cost`` prices the cells (the programme's, by default);
        ``back``: the cube must also be able to move ``key`` the other way by this much; ``also``: one held cell the
        cube may move all the same (a witness mended around it cancels that movement, ADR 0060); ``room``: how far
        each cell may fall (its value, by default; less what a witness the cube is added to moves it).
        The movement is checked against every relation before it is returned, so a wrong cube is never used."""
        if key not in self.index:
            return None
        usable = self.upper[: self.n] > 0
        if also is not None:
            usable[also] = True
        found = search.cheapest(key, amount, up, self.cost[: self.n] if cost is None else cost,
                                self.values if room is None else room, usable, back)
        if found is None:
            return None
        columns, moves, price = found
        if not self.keeps_relations(columns, moves):
            return None
        z = np.zeros(self.n)
        z[columns] = moves
        return z, price

    def keeps_relations(self, columns: np.ndarray, moves: np.ndarray, relative: bool = False) -> bool:
        """Whether moving ``columns`` by ``moves`` (the others still) keeps every relation of the system (to 1e-6 of
        the largest move or of 1; ``relative``: to 1e-9 of the largest move, however small)."""
        lengths = self.ptr[columns + 1] - self.ptr[columns]
        ends = np.cumsum(lengths)
        positions = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(self.ptr[columns] - (ends - lengths), lengths)
        change = np.bincount(self.entry_row[positions], weights=self.entry_value[positions] * np.repeat(moves, lengths),
                             minlength=self.num_rows)
        largest = float(np.max(np.abs(moves)))
        return bool(np.all(np.abs(change) <= (1e-9 * largest if relative else 1e-6 * max(1.0, largest))))

    def keeps_relations_each(self, columns: Sequence[np.ndarray], moves: Sequence[np.ndarray]) -> np.ndarray:
        """:meth:`keeps_relations` for many movements at once (one entry each, the same tolerance)."""
        if not len(columns):
            return np.zeros(0, dtype=bool)
        cells, amounts = np.concatenate(columns), np.concatenate(moves)
        owner = np.repeat(np.arange(len(columns)), [len(c) for c in columns])
        lengths = self.ptr[cells + 1] - self.ptr[cells]
        ends = np.cumsum(lengths)
        positions = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(self.ptr[cells] - (ends - lengths), lengths)
        # The change of each (movement, relation) pair, summed over the pair's entries.
        pairs, pair_of = np.unique(np.repeat(owner, lengths) * self.num_rows + self.entry_row[positions],
                                   return_inverse=True)
        change = np.bincount(pair_of, weights=self.entry_value[positions] * np.repeat(amounts, lengths),
                             minlength=len(pairs))
        worst = np.zeros(len(columns))
        np.maximum.at(worst, pairs // self.num_rows, np.abs(change))
        largest = np.array([float(np.max(np.abs(m))) for m in moves])
        return worst <= 1e-6 * np.maximum(1.0, largest)

    def rows_of(self, key: Key) -> set[int]:
        return {r for r, _ in self.col_entries[self.index[key]]}

    def move_within(self, key: Key, amount: float, up: bool, cells: list[int]) -> np.ndarray | None:
        """As :meth:`move`, with every cell outside ``cells`` held still: a small programme, any answer valid."""
        cells = sorted(set(cells))
        m = len(cells)
        row_of: dict[int, int] = {}
        starts, idx, vals = [0], [], []
        for sign in (1.0, -1.0):
            for c in cells:
                for r, v in self.col_entries[c]:
                    idx.append(row_of.setdefault(r, len(row_of)))
                    vals.append(sign * v)
                starts.append(len(idx))
        cols = np.array(cells)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * m, len(row_of)
        lp.col_cost_ = np.concatenate([self.cost[cols], self.cost[cols + self.n]])
        lower = np.zeros(2 * m)
        upper = np.concatenate([self.upper[cols], self.upper[cols + self.n]])
        at = cells.index(self.index[key])
        col, other = (at, at + m) if up else (at + m, at)
        lower[col] = upper[col] = amount
        upper[other] = 0.0
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.zeros(len(row_of))
        lp.row_upper_ = np.zeros(len(row_of))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(vals, dtype=float)
        h = QuietHighs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        h.run()
        self.solves += 1
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(h.getSolution().col_value)
        z = np.zeros(self.n)
        z[cols] = x[:m] - x[m:]
        z[np.abs(z) <= _EPS] = 0.0
        return z

    def hold(self, key: Key) -> None:
        """Keep ``key`` still in every later movement (it is to be published)."""
        i = self.index[key]
        self.upper[i] = self.upper[i + self.n] = 0.0
        self._reset(i, i + self.n)

    def release(self, key: Key, value: float) -> None:
        """Undo :meth:`hold`: ``key`` may move again, down to 0."""
        i = self.index[key]
        self.upper[i], self.upper[i + self.n] = highspy.kHighsInf, value
        self._reset(i, i + self.n)

    def _reset(self, *cols: int) -> None:
        for c in cols:
            self.h.changeColBounds(c, self.lower[c], self.upper[c])


def _protect_pass(model, order, every, current, neighbourhood, neighbours, deadline, first, batch=1, cubes=None,
                  seeds: list | None = None):
    """One movement per primary and direction not yet covered; returns the cells moved, with whom they protect.
    ``seeds``: each movement applied is appended to it, as {cell: movement} (pruning's first witnesses, ADR 0060).

    How far each cell is already known to move, up and down, inside the suppressed pattern is kept: every movement
    found stays valid as the pattern grows, scaled as far as every cell stays >= 0, and reversed likewise; a
    primary already covered by one needs no programme of its own.
    """
    reach_up = np.zeros(model.n)
    reach_down = np.zeros(model.n)
    used: dict[Key, str] = {}

    def apply(z, ps):
        moved = np.nonzero(z)[0]
        if seeds is not None:
            seeds.append({model.keys[i]: z[i] for i in moved})
        only = f"secondary: protects {ps[0].label}" if len(ps) == 1 else None  # worked out once, not per cell
        for i in moved:
            k = model.keys[i]
            c = every[k]
            reason = only
            if reason is None:  # name the primary of the batch this cell shares a relation with
                rows = model.rows_of(k)
                reason = f"secondary: protects {next((q for q in ps if rows & model.rows_of(q.key)), ps[0]).label}"
            used.setdefault(k, reason)
            if k in current and not c.suppressed:
                c.published = None
                c.reasons.append(reason)
                if not first:
                    model.set_cost(k, 0.0)
            if first:
                model.set_cost(k, 0.0)
        zm = z[moved]
        am = model.values[moved]
        neg, pos = zm < 0, zm > 0
        forward = np.min(am[neg] / -zm[neg]) if neg.any() else np.inf
        backward = np.min(am[pos] / zm[pos]) if pos.any() else np.inf
        reach_up[moved] = np.maximum(reach_up[moved], np.where(pos, forward * zm, backward * -zm))
        reach_down[moved] = np.maximum(reach_down[moved], np.where(pos, backward * zm, forward * -zm))

    def split(p):
        down = min(p.value, p.required / 2)
        return p.required - down, down

    # Batches first: primaries sharing no relation are asked to move together in one programme; the movement
    # found proves each of them (a primary moved by it can take that value). A batch with no answer is left to
    # the one-by-one loop below, as is anything a batch did not cover.
    if batch > 1 and cubes is None:  # with cubes, few primaries are left to programmes
        for up in (True, False):
            reach = reach_up if up else reach_down
            pending = [p for p in order if split(p)[0 if up else 1] > _EPS]
            while pending:
                chosen, taken, rest = [], set(), []
                for p in pending:
                    amount = split(p)[0 if up else 1]
                    if reach[model.index[p.key]] >= amount - _EPS:
                        continue
                    rows = model.rows_of(p.key)
                    if len(chosen) < batch and not rows & taken:
                        chosen.append((p, amount))
                        taken |= rows
                    else:
                        rest.append(p)
                if len(chosen) > 1:
                    z = model.move_many([(p.key, a) for p, a in chosen], up, deadline - time.perf_counter())
                    if z is not None:
                        apply(z, [p for p, _ in chosen])
                pending = rest if len(chosen) > 1 else []

    for p in order:
        j = model.index[p.key]
        # The interval must be at least p.required wide: half each way, or, if a side is blocked (a figure
        # already published caps it), as much downward as the cell allows (down to 0) and the rest upward.
        for down in dict.fromkeys([min(p.value, p.required / 2), min(p.value, p.required)]):
            protected = True
            for up, amount in ((True, p.required - down), (False, down)):
                if amount <= _EPS or (reach_up if up else reach_down)[j] >= amount - _EPS:
                    continue
                z = None
                if cubes is not None:
                    z = _cheapest_cube(model, cubes, p.key, amount, up, down if up else 0.0)
                if z is None and neighbourhood:
                    z = model.move_within(p.key, amount, up, neighbours(p.key))
                if z is None:
                    z = model.move(p.key, amount, up, deadline - time.perf_counter())
                if z is None:
                    protected = False
                    break
                apply(z, [p])
            if protected:
                break
        else:
            raise DisclosureError(
                f"{p.label} cannot be given a protection interval of {p.required:g} by suppressing "
                "further cells (the figures already published fix it)", field="tables")
    return used


def _cheapest_cube(model: _Perturbation, cubes: CubeSearch, key: Key, amount: float, up: bool,
                   back: float) -> np.ndarray | None:
    """The cheapest cube moving ``key`` by ``amount`` (ADR 0057) that also moves it ``back`` the other way (one
    cube proving both sides: fewer cells after pruning, on the bench, than the cheaper one-side cube and then
    the other side's), else the cheapest for this side only."""
    found = model.cube(cubes, key, amount, up, back=back) if back > _EPS else None
    if found is None:
        found = model.cube(cubes, key, amount, up)
    if found is None:
        return None
    model.cubes += 1
    return found[0]


class _Witnesses:
    """For each primary and direction, a movement of the suppressed pattern that proves it (rows of ``moves``).

    A movement z moves a primary j up by ``t * z[j]`` for any t up to the scale at which a cell reaches 0, and down
    likewise when reversed; so one movement can prove several primaries (as ``_protect_pass``'s reach does).
    """

    def __init__(self, model: _Perturbation, primaries: list[int], need_up: np.ndarray, need_down: np.ndarray,
                 cubes: CubeSearch | None = None, cube_cost: np.ndarray | None = None):
        self.model, self.primaries = model, np.asarray(primaries, dtype=np.int64)
        self.cubes, self.cube_cost = cubes, cube_cost
        self.need = {True: need_up, False: need_down}
        self.moves = np.zeros((max(16, 2 * len(primaries)), model.n))
        self.valid = np.ones(len(self.moves), dtype=bool)  # rows that move no held cell (ADR 0060)
        self.count = 0
        self.by = {True: np.full(len(primaries), -1), False: np.full(len(primaries), -1)}
        self.position = np.full(model.n, -1, dtype=np.int64)  # a cell's position among the primaries, or -1
        self.position[self.primaries] = np.arange(len(primaries))
        self.asked = np.zeros(len(primaries), dtype=bool)  # scratch for add: the positions it was asked about

    def add(self, z: np.ndarray, among: np.ndarray) -> None:
        """Keep ``z`` and make it the witness of every primary (positions ``among``) it proves. Worked out over the
        cells z moves only (a few dozen of thousands)."""
        if self.count == len(self.moves):
            self.moves = np.vstack([self.moves, np.zeros_like(self.moves)])
            self.valid = np.concatenate([self.valid, np.ones(len(self.valid), dtype=bool)])
        self.moves[self.count] = z
        moved = np.flatnonzero(z)
        zm, values = z[moved], self.model.values[moved]
        neg, pos = zm < 0, zm > 0
        forward = np.min(values[neg] / -zm[neg]) if neg.any() else np.inf
        backward = np.min(values[pos] / zm[pos]) if pos.any() else np.inf
        # The primaries z moves (one it leaves still is not proved by it, and inf * 0 is not asked), among those asked.
        at = self.position[moved]
        primary = at >= 0
        at, zj = at[primary], zm[primary]
        if len(among) < len(self.primaries):
            self.asked[among] = True
            asked = self.asked[at]
            self.asked[among] = False
            at, zj = at[asked], zj[asked]
        reach = {True: np.where(zj > 0, forward * zj, backward * -zj),
                 False: np.where(zj > 0, backward * zj, forward * -zj)}
        for up in (True, False):
            self.by[up][at[reach[up] >= self.need[up][at] - _EPS]] = self.count
        self.count += 1

    def seed(self, movements: Sequence[Mapping[Key, float]]) -> None:
        """The heuristic's movements as first witnesses (ADR 0060): each moved only cells now suppressed, so it is
        a movement here too; each is checked against the relations all the same, and proves what its scale proves.
        Fewer first searches, and (with mends) fewer re-proofs; which witness proves a primary decides nothing."""
        everyone = np.arange(len(self.primaries))
        index = self.model.index
        kept = [m for m in movements if m and all(k in index for k in m)]
        if not kept:
            return
        columns = [np.array([index[k] for k in m], dtype=np.int64) for m in kept]
        moves = [np.fromiter(m.values(), dtype=float, count=len(m)) for m in kept]
        for at in np.flatnonzero(self.model.keeps_relations_each(columns, moves)):
            z = np.zeros(self.model.n)
            z[columns[at]] = moves[at]
            self.add(z, everyone)

    def forget(self, cell: int, up: bool) -> tuple[np.ndarray, np.ndarray]:
        """Drop the witnesses in that direction that move ``cell``: the positions of their primaries, and the rows
        of ``moves`` that were their witnesses (for :meth:`mend`)."""
        by = self.by[up]
        using = self.moving(cell, up)
        old = by[using].copy()
        by[using] = -1
        return using, old

    def moving(self, cell: int, up: bool) -> np.ndarray:
        """The positions of the primaries whose witness in that direction moves ``cell``."""
        by = self.by[up]
        return np.flatnonzero((by >= 0) & (self.moves[np.maximum(by, 0), cell] != 0))

    def refuted(self, refuter: Refuter, cell: int) -> bool:
        """Whether holding ``cell`` leaves some primary whose witness moved it unable to move as it must, by bounds
        propagation alone (ADR 0063): then no mend, cube or programme can prove it, and the release fails."""
        lower, upper = -self.model.upper[self.model.n:], self.model.upper[: self.model.n]
        for up in (True, False):
            for at in self.moving(cell, up):
                need = float(self.need[up][at])
                if need > _EPS and refuter.refutes(lower, upper, int(self.primaries[at]), need if up else -need, cell):
                    return True
        return False

    def mend(self, cell: int, up: bool, lost: np.ndarray, old: np.ndarray, others: np.ndarray) -> None:
        """Witnesses for the primaries ``lost``, whose old witnesses (rows ``old``) moved ``cell``, now held (ADR 0060).

        A sum of movements that keep every relation keeps them too, so each old witness z is mended by adding a
        multiple of another movement that cancels its movement of ``cell``: first another witness that moved it
        (``others``, rows still valid but for ``cell``: Gaussian elimination on ``cell``), then a cube through
        ``cell``. :meth:`add` keeps the sum only where its scale proves a primary."""
        for at, row in zip(lost, old, strict=True):
            if self.by[up][at] >= 0:  # proved by an earlier mend
                continue
            z = self.moves[row]
            j = self.primaries[at]
            pivots = others[others != row]
            if len(pivots):
                # Over the cells z or a pivot moves only (the rest stay 0 in every sum): the same arithmetic.
                block = self.moves[pivots]
                support = np.flatnonzero((z != 0) | (block != 0).any(axis=0))
                z_part, block = z[support], block[:, support]
                c, jj = np.searchsorted(support, [cell, j])
                multiples = (z_part[c] / block[:, c])[:, None] * block
                sums = self._cancelled(z_part, -multiples, c)
                reach = self._reach(sums, jj, up, self.model.values[support])
                good = np.flatnonzero(reach >= self.need[up][at] - _EPS)
                found = None
                for g in good[np.argsort(np.count_nonzero(sums[good], axis=1), kind="stable")]:
                    whole = np.zeros(self.model.n)
                    whole[support] = sums[g]
                    if self._sound(whole):
                        found = whole
                        break
                if found is not None:
                    self.add(found, lost)
                    continue
            if self.cubes is None:
                continue
            moved = z[j]
            sign = 1.0 if (moved > 0) == up else -1.0  # the witness's direction that moves the primary ``up``
            scale = float(self.need[up][at]) / abs(moved)
            shift = -sign * scale * z[cell]  # the cube's movement of ``cell`` at the scale the proof needs
            if abs(shift) <= _EPS:
                continue
            # Each cell may fall only as far as the old witness, at that scale, leaves it room to.
            room = np.maximum(self.model.values + sign * scale * z, 0.0)
            found = self.model.cube(self.cubes, self.model.keys[cell], abs(shift), shift > 0, self.cube_cost,
                                    also=cell, room=room)
            if found is None:
                continue
            mended = self._cancelled(z, sign * found[0][None, :] / scale, cell)[0]
            if self._sound(mended):
                self.add(mended, lost)

    def _cancelled(self, z: np.ndarray, added: np.ndarray, cell: int) -> np.ndarray:
        """``z`` plus each row of ``added`` (each cancelling z's movement of ``cell``), with what is rounding against
        the parts' own size set to 0: a cube the same as the witness leaves nothing, not a movement of 1e-16."""
        sums = z + added
        size = np.maximum(np.abs(z).max(), np.abs(added).max(axis=1, keepdims=True))
        sums[np.abs(sums) <= _TINY * size] = 0.0
        sums[:, cell] = 0.0  # exactly still: the multiple cancels it (up to rounding)
        return sums

    def _sound(self, z: np.ndarray) -> bool:
        """A mended witness is kept only if it moves something and keeps every relation at its own scale."""
        moved = np.flatnonzero(z)
        return bool(len(moved)) and self.model.keeps_relations(moved, z[moved], relative=True)

    def _reach(self, moves: np.ndarray, j: int, up: bool, values: np.ndarray | None = None) -> np.ndarray:
        """How far each movement (a row), scaled as far as every cell stays >= 0, moves cell ``j`` ``up`` (or down);
        ``values``: the cells' values, where the rows are over some of the cells only."""
        values = self.model.values if values is None else values
        with np.errstate(divide="ignore", invalid="ignore"):
            forward = np.where(moves < 0, values / -moves, np.inf).min(axis=1)
            backward = np.where(moves > 0, values / moves, np.inf).min(axis=1)
            zj = moves[:, j]
            reach = np.where(zj > 0, forward if up else backward, backward if up else forward) * np.abs(zj)
        return np.nan_to_num(reach, nan=0.0, posinf=np.inf)

    def solve(self, positions: np.ndarray, up: bool, keys: list[Key], deadline: float,
              first_only: bool = False) -> list[int]:
        """A witness for each of ``positions`` lacking one in that direction; the positions left without one
        (``first_only``: stop at the first). Cubes of the suppressed cells first (ADR 0057), then programmes."""
        def lacking():
            return [at for at in positions if self.by[up][at] < 0 and self.need[up][at] > _EPS]

        if self.cubes is not None:
            for at in lacking():
                if self.by[up][at] < 0:
                    found = self.model.cube(self.cubes, keys[at], float(self.need[up][at]), up, self.cube_cost)
                    z = None if found is None else found[0]
                    if z is not None:
                        self.add(z, positions)
        unproved = []
        for at in lacking():
            if self.by[up][at] >= 0:
                continue
            z = self.model.move(keys[at], float(self.need[up][at]), up, deadline - time.perf_counter())
            if z is None:
                unproved.append(at)
                if first_only:
                    break
            else:
                self.add(z, positions)
        return unproved


@dataclass
class _CubeGeometry:
    """Every table of the release on its grid (ADR 0057), and which cells a cube of each table may move."""

    tables: list[CubeTable]
    home: dict[Key, int]  # a cell → the first table holding it
    cell_id: dict[Key, int]
    confined: list[np.ndarray]  # per table, per cell id: every relation of the cell is the table's own

    @classmethod
    def of(cls, built: Sequence[ProtectedTable], every: Mapping[Key, Cell], relations: Sequence,
           own_relations: Sequence[list] | None = None) -> _CubeGeometry:
        cell_id = {k: i for i, k in enumerate(every)}
        from .cubes import CubeTable

        tables = [CubeTable(t.spec.dimensions, t.parents,
                            _key if t.keys is None else (lambda _dims, nodes, keys=t.keys: keys[tuple(nodes)]),
                            cell_id) for t in built]
        home: dict[Key, int] = {}
        for i, t in enumerate(built):
            for k in t.cells:
                home.setdefault(k, i)
        own = [set(r) for r in own_relations] if own_relations is not None else [set(relations_of(t)) for t in built]
        if len(built) == 1 and own[0] == set(relations):
            return cls(tables, home, cell_id, [np.ones(len(cell_id), dtype=bool)])
        relations_of_cell: dict[Key, list] = defaultdict(list)
        for r in relations:
            for k in (r[0], *r[1]):
                relations_of_cell[k].append(r)
        confined = []
        for mine in own:
            inside = np.zeros(len(cell_id), dtype=bool)
            for k, i in cell_id.items():
                inside[i] = all(r in mine for r in relations_of_cell[k])
            confined.append(inside)
        return cls(tables, home, cell_id, confined)

    def search(self, model: _Perturbation) -> CubeSearch:
        from .cubes import CubeSearch

        column_of = np.full(len(self.cell_id), -1, dtype=np.int64)
        for k, i in self.cell_id.items():
            column_of[i] = model.index.get(k, -1)
        cells = np.array([self.cell_id[k] for k in model.keys], dtype=np.int64)
        return CubeSearch(self.tables, self.home, column_of, [c[cells] for c in self.confined])


class _Refuted(Exception):
    """Bounds propagation proved a release impossible (ADR 0063)."""


def _prune(every: dict[Key, Cell], current: set[Key], known: Mapping[Key, float], relations, cost,
           deadline: float, geometry: _CubeGeometry | None = None, seeds: Sequence[Mapping[Key, float]] = ()) -> int:
    """Publish again every secondary cell the pattern does not need, the most costly first; the LP solves made.

    A programme over the suppressed cells only (everything published held still) keeps, for each primary and
    direction, a movement proving its protection (a witness). A secondary is published when the primaries whose
    witnesses move it find other movements with it held still; otherwise it stays suppressed. The pattern stays
    proven at every step, so this may stop at the deadline anywhere.

    Another movement for a primary whose witness moved the held cell is sought, cheapest first: the old witness
    mended (plus a multiple of another kept movement, or of a cube through the cell, that cancels its movement of
    the cell; ADR 0060), a cube, then a programme. Which movement proves a primary decides nothing: a release
    stands or falls by whether every primary can still move, so only the time depends on the order.
    """
    pattern = [k for k, c in every.items() if k not in known and c.suppressed]
    candidates = sorted((k for k in pattern if k in current and not every[k].primary),
                        key=lambda k: (-cost(k), label(k)))
    primaries = [k for k in pattern if every[k].primary]
    if not candidates or not primaries:
        return 0
    offered = set(candidates)  # a set: ``in`` on the sorted list was quadratic in the pattern
    model = _Perturbation(pattern, {k: every[k].value for k in pattern}, relations,
                          {k: cost(k) if k in offered else 0.0 for k in pattern})
    required = np.array([every[k].required for k in primaries])
    value = np.array([every[k].value for k in primaries])
    down = np.minimum(value, required / 2)
    # Cube witnesses prefer cells that stay suppressed: primaries and secondaries already kept cost nothing.
    cube_cost = np.array([cost(k) if k in offered else 0.0 for k in model.keys])
    cubes = geometry.search(model) if geometry is not None else None
    witnesses = _Witnesses(model, [model.index[k] for k in primaries], required - down, down, cubes, cube_cost)
    everyone = np.arange(len(primaries))
    witnesses.seed(seeds)
    # As in _protect_pass: half each way, or, where a published figure caps one side, as far down as the cell goes.
    try:
        for up in (True, False):
            for at in witnesses.solve(everyone, up, primaries, deadline):
                witnesses.need[False][at] = min(value[at], required[at])
                witnesses.need[True][at] = required[at] - witnesses.need[False][at]
                witnesses.by[True][at] = witnesses.by[False][at] = -1
        if any(witnesses.solve(everyone, up, primaries, deadline) for up in (True, False)):
            return model.solves  # cannot happen for a pattern _protect_pass proved; leave it as it is
    except DisclosureError:  # out of time before a single release: the pattern as it is
        return model.solves
    entry_rows, ptr = model.entry_row.tolist(), model.ptr.tolist()
    rows_of = [entry_rows[ptr[i]:ptr[i + 1]] for i in range(model.n)]
    row_cells: dict[int, list[int]] = defaultdict(list)
    for i, rows in enumerate(rows_of):
        for r in rows:
            row_cells[r].append(i)
    held = np.zeros(model.n, dtype=bool)
    is_primary = np.zeros(model.n, dtype=bool)
    is_primary[witnesses.primaries] = True
    from .bounds import Refuter

    refuter = Refuter(model.entry_cell, model.entry_row, model.entry_value, model.ptr, model.num_rows)

    def fixes_a_primary(i: int) -> bool:
        """Holding cell i fixes a primary by the relations alone: a relation left with one moving cell fixes that
        cell too, and so on (unit propagation); no programme is needed to see such a release fail."""
        fixed, queue = {i}, [i]
        while queue:
            for r in rows_of[queue.pop()]:
                moving = [j for j in row_cells[r] if not held[j] and j not in fixed]
                if len(moving) == 1:
                    if is_primary[moving[0]]:
                        return True
                    fixed.add(moving[0])
                    queue.append(moving[0])
        return False

    for key in candidates:
        if fixes_a_primary(model.index[key]):
            continue
        saved = {up: witnesses.by[up].copy() for up in (True, False)}
        model.hold(key)
        proved = True
        i = model.index[key]
        # Every movement kept so far that moves no held cell but this one: each can cancel another's move of it.
        others = np.flatnonzero(witnesses.valid[: witnesses.count] & (witnesses.moves[: witnesses.count, i] != 0))
        try:
            if witnesses.refuted(refuter, i):
                raise _Refuted
            for up in (True, False):
                lost, old = witnesses.forget(i, up)
                witnesses.mend(i, up, lost, old, others)
                if witnesses.solve(lost, up, primaries, deadline, first_only=True):
                    proved = False
                    break
        except _Refuted:
            proved = False
        except DisclosureError:  # the time budget: the pattern as it stands is proved; stop here
            proved = False
        if proved:
            held[model.index[key]] = True
            witnesses.valid[: witnesses.count] &= witnesses.moves[: witnesses.count, i] == 0
            c = every[key]
            c.published, c.reasons = c.value, []
        else:
            model.release(key, every[key].value)
            witnesses.by = saved
            cube_cost[model.index[key]] = 0.0
        if time.perf_counter() > deadline:
            break
    return model.solves


def protect(df: pl.DataFrame, tables: Sequence[TableSpec], policy: ReleasePolicy | None = None,
            hierarchies: Mapping[str, Hierarchy] | None = None,
            earlier: Sequence[ProtectedRelease | EarlierRelease] = (), neighbourhood: int | None = None,
            cleanup: bool = False, batch: int = 8, local: bool = False, prune: bool = False,
            cubes: bool = True) -> ProtectedRelease:
    """Protect the tables of one release together, against every earlier release from the same dataset (§15).

    ``neighbourhood``: each primary is first protected by a small programme over the cells near it (its node, the
    nodes above it and the ``neighbourhood`` cheapest siblings and children along each dimension); only if that
    has no answer is the whole system solved. None (the default) solves the whole system every time: on the
    bench the neighbourhood was not faster under load and suppressed up to twice the value.

    ``batch``: up to this many primaries that share no relation are first moved together by one programme.

    ``cleanup``: a second pass over the primaries publishes any secondary cell that no movement needs any more
    (off by default: on the bench it saved under 2% of the cells, added value, and doubled the time).

    ``local``: each movement is first solved over the cells near its primaries, grown by pricing, the whole
    system only as a fall-back (ADR 0047), for systems of ``LOCAL_FROM_CELLS`` cells or more. Off by default:
    on the bench it halved two three-way tables and slowed two others (ADR 0047 has the figures).

    ``prune``: after the heuristic, each secondary is published again, the most costly first, when every primary
    is still proved without it (ADR 0052). Never adds a cell; off by default because it about doubles the time of
    the three-way tables. Stops at the time budget with the pattern proved.

    ``cubes``: each primary is first moved by the cheapest hypercube of its table (ADR 0057: 2^d cells, one
    partner node per dimension, priced for all partners at once by numpy), a programme solved only where no cube
    fits; pruning looks for cube witnesses among the suppressed cells before programmes too. ``cubes=False`` is
    ADR 52's engine exactly.
    """
    started = time.perf_counter()
    policy = policy or ReleasePolicy()
    hierarchies = dict(hierarchies or {})
    if not tables:
        raise DisclosureError("a release needs at least one table", field="tables")
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise DisclosureError("two tables of the release have the same name", field="tables")
    built = [build_table(df, spec, policy, hierarchies) for spec in tables]
    kinds = {(t.spec.measure, t.spec.column) for t in built}
    if len({c for _, c in kinds}) > 1:
        raise DisclosureError("the tables of one release protected together must measure the same thing "
                              "(all counts, or all the same column)", field="tables")

    # One linear system: this release's tables and every earlier one's.
    cells: dict[Key, Cell] = {}
    relations: dict[tuple, None] = {}
    own_relations = [relations_of(t) for t in built]
    for t, own in zip(built, own_relations, strict=True):
        for k, c in t.cells.items():
            t.cells[k] = cells.setdefault(k, c)  # shared margins: one cell object
        for r in own:
            relations[r] = None
    current = set(cells)
    known: dict[Key, float] = {}
    hidden_earlier: dict[Key, Cell] = {}
    for release in earlier:
        ear = release.as_earlier() if isinstance(release, ProtectedRelease) else release
        for spec in ear.tables:
            t = build_table(df, spec, policy, {**hierarchies, **dict(ear.hierarchies)})
            for r in relations_of(t):
                relations[r] = None
            for k, c in t.cells.items():
                if k not in ear.published:
                    continue
                if ear.published[k] is not None:
                    known[k] = c.value
                elif k not in current:
                    hidden_earlier.setdefault(k, c)

    for t in built:
        for c in t.cells.values():
            if not c.reasons:
                c.published = c.value
                _primary(c, t.spec, policy)
    measure = TableSpec("earlier", (), built[0].spec.measure)
    for c in hidden_earlier.values():
        _primary(c, measure, policy)
    hidden_earlier = {k: c for k, c in hidden_earlier.items() if k not in known}

    primaries = [c for c in cells.values() if c.primary]
    exposed = [c for c in primaries if c.key in known]
    if exposed:
        raise DisclosureError(
            f"{len(exposed)} cell(s) that must be suppressed were published by an earlier release from this "
            f"dataset, e.g. {exposed[0].label}: they cannot be protected now", field="earlier")
    to_protect = primaries + [c for c in hidden_earlier.values() if c.primary]

    every = {**hidden_earlier, **cells}
    free = [k for k in every if k not in known]
    values = {k: every[k].value for k in free}

    def cost(k: Key) -> float:
        if k in hidden_earlier or every[k].primary:
            return 0.0
        return 1.0 if policy.cost == "cells" else every[k].value + 1.0

    # Each table's nodes per dimension: parent, children, for the neighbourhood of a primary cell.
    dims_of: dict[Key, tuple[str, ...]] = {}
    family: dict[str, tuple[dict, dict]] = {}
    for t in built:
        for k in t.cells:
            dims_of.setdefault(k, t.spec.dimensions)
        for d, pmap in t.parents.items():
            kids: dict[Node, list] = defaultdict(list)
            for node, parent in pmap.items():
                kids[parent].append(node)
            family.setdefault(d, (pmap, kids))

    def nearby(key: Key, rank, width: int, whole_small: bool) -> list[int]:
        """Cells near ``key``: along each dimension its node, its ancestors, the ``width`` best-ranked siblings and
        the ``width`` best-ranked children of each of those; every node of a dimension smaller than
        ``SMALL_DIMENSION`` if ``whole_small``. ``rank(other_key)`` orders a candidate (lower first)."""
        dims = dims_of.get(key)
        if dims is None:
            return [model.index[key]]
        at = {d: (lvl, n) for d, lvl, n in key}

        def along(d: str, other: Node) -> Key:  # the key with its node along d replaced
            return _key(dims, [other if e == d else at.get(e, TOTAL) for e in dims])

        choices = []
        for d in dims:
            pmap, kids = family[d]
            if whole_small and len(pmap) < SMALL_DIMENSION:
                choices.append([TOTAL, *pmap])
                continue
            node = at.get(d, TOTAL)

            def ranked(nodes, d=d):
                return sorted(nodes, key=lambda other: rank(along(d, other)))

            chosen = set(_chain(pmap, node)) if node is not TOTAL else {TOTAL}
            siblings = [q for q in kids[pmap[node]] if q != node] if node is not TOTAL else []
            near = ranked(siblings)[:width]
            chosen.update(near)
            for q in [node, *near]:
                chosen.update(ranked(kids.get(q, []))[:width])
            choices.append(chosen)
        out = []
        for combo in itertools.product(*choices):
            k = _key(dims, combo)
            if k in model.index:
                out.append(model.index[k])
        return out

    def suppressed_then_value(other: Key) -> tuple[int, float]:
        c = every.get(other)
        if c is None or other not in model.index:
            return (2, 0.0)
        return (0 if c.suppressed or other in hidden_earlier else 1, c.value)

    def free_then_value(other: Key) -> tuple[int, float]:
        if other not in model.index:
            return (2, 0.0)
        return (0 if model.cost[model.index[other]] == 0 else 1, every[other].value)

    def neighbours(key: Key) -> list[int]:
        """The small programme's cells (``neighbourhood``): suppressed cells first, then the smallest."""
        return nearby(key, suppressed_then_value, neighbourhood, whole_small=False)

    def locality(key: Key) -> list[int]:
        """A restricted programme's starting cells (ADR 0047; pricing grows them): cells already costing nothing
        first, then the smallest; every node of a small dimension."""
        return nearby(key, free_then_value, PARTNERS, whole_small=True)

    solves = cube_movements = 0
    if to_protect:
        model = _Perturbation(free, values, list(relations), {k: cost(k) for k in free})
        if local and len(free) >= LOCAL_FROM_CELLS:
            model.locality = locality
        deadline = started + policy.time_budget_seconds
        order = sorted(to_protect, key=lambda c: (-c.required, label(c.key)))
        geometry = _CubeGeometry.of(built, every, list(relations), own_relations) if cubes else None
        search = geometry.search(model) if cubes else None
        seeds: list[dict[Key, float]] = []
        _protect_pass(model, order, every, current, neighbourhood, neighbours, deadline, first=True, batch=batch,
                      cubes=search, seeds=seeds)
        if cleanup:
            # Second pass: every secondary is now nearly free; each primary's cheapest movement is found again,
            # and a secondary no movement uses any more is published after all (the earlier movements that
            # needed it were superseded by cells suppressed later).
            secondary = [k for k in current if every[k].suppressed and not every[k].primary]
            for k in secondary:
                model.set_cost(k, cost(k) * 1e-3)
            used = _protect_pass(model, order, every, current, neighbourhood, neighbours, deadline, first=False,
                                 batch=batch)
            for k in secondary:
                c = every[k]
                if k not in used:
                    c.published = c.value
                    c.reasons = []
                else:
                    c.reasons = [used[k]]
        solves = model.solves + model.local_solves
        cube_movements = model.cubes
        if prune:
            solves += _prune(every, current, known, list(relations), cost, deadline, geometry, seeds)

    if policy.rounding != "none":
        b = policy.rounding_base
        for t in built:
            if t.spec.measure != "count":
                continue
            for c in t.cells.values():
                if c.published is not None:
                    r = math.floor(c.published / b + 0.5) * b
                    if r != c.published and not c.reasons:
                        c.reasons.append(f"rounded to base {b}")
                    c.published = float(r)
    for t in built:
        if t.spec.measure == "mean":
            for c in t.cells.values():
                if c.published is not None:
                    c.published = c.value / c.contributors if c.contributors else None
                    if c.published is None:
                        c.reasons.append("no contributors: no mean")
    return ProtectedRelease(built, list(relations), policy, hierarchies,
                            seconds=time.perf_counter() - started, lp_solves=solves, cube_movements=cube_movements)


def protect_table(df: pl.DataFrame, dimensions: Sequence[str], *, measure: Measure = "count",
                  column: str | None = None, policy: ReleasePolicy | None = None,
                  hierarchies: Mapping[str, Hierarchy] | None = None,
                  earlier: Sequence[ProtectedRelease | EarlierRelease] = ()) -> ProtectedRelease:
    """One table alone: ``protect_table(df, ["pfa", "type"])``."""
    spec = TableSpec("table", tuple(dimensions), measure, column)
    return protect(df, [spec], policy, hierarchies, earlier)
