"""Anonymised extracts (issue 12, item 4; §15: personal data "will in the ordinary course be anonymised").

`anonymise(frame, ExtractSpec(...))` answers an `Extract`: the records with direct identifiers dropped, the
quasi-identifiers generalised so that every equivalence class (records alike on every quasi-identifier) has at
least k records (k-anonymity, default 5) and at least l distinct values of each sensitive column (distinct
l-diversity, default 2), and a risk report before and after. ADR 0031 says why it works this way:

1. Full-domain generalisation: each quasi-identifier is generalised to one level of its hierarchy
   (disclosure/hierarchies.py) for every record. The levels chosen form a node of the lattice of all
   combinations.
2. Among the nodes whose remaining small classes (fewer than k records, or fewer than l distinct sensitive
   values) hold no more than the suppression budget (a share of the records, default 5%), the engine takes the
   node with the least information loss, and suppresses those classes' records (local suppression: only the
   records at risk, not a column): they keep their other columns with every quasi-identifier withheld ("*")
   when together they make a safe class, and are removed otherwise.
3. Information loss is the normalised certainty penalty (NCP, Xu et al. 2006) averaged over records and
   quasi-identifiers: a value generalised to a group covering c of the column's d distinct values costs
   (c - 1) / (d - 1); a suppressed record costs 1 for each quasi-identifier. 0 is the data as it was, 1 is
   everything withheld.

The search is exact (`_Search.search`): a node's generalisation loss (which the data alone fixes, before any
suppression) is a lower bound of its total loss, so only nodes whose bound is below the best total loss found
are evaluated, from the most general down; a node below (less general than) a node that needs more
suppression than the budget needs more too, so it is never evaluated (monotonicity of full-domain
generalisation). Each node is evaluated with numpy on the distinct combinations of a less general table
already built (roll-up), never on the records.

No Django here: refusals are `ExtractError` (a ValueError) naming the field and the clause.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from disclosure.hierarchies import WITHHELD, Hierarchy, hierarchy_for

CLAUSE = "§15"
DEFAULT_K = 5
DEFAULT_L = 2
DEFAULT_MAX_SUPPRESSION = 0.05
MAX_QUASI_IDENTIFIERS = 10
MAX_LATTICE_NODES = 200_000
# Columns that name or reach a person: dropped from every extract, and refused as quasi-identifiers.
KNOWN_DIRECT_IDENTIFIERS = frozenset({
    "nrm_reference", "name", "full_name", "first_name", "surname", "last_name", "date_of_birth", "email",
    "phone", "telephone", "address", "postcode", "passport_number", "home_office_reference", "nhs_number",
    "national_insurance_number",
})
SIZE_BUCKETS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "1"), (2, 2, "2"), (3, 4, "3–4"), (5, 9, "5–9"), (10, 19, "10–19"), (20, 49, "20–49"),
    (50, 2**62, "50 or more"),
)


class ExtractError(ValueError):
    """Bad input to the extract engine; names the field and the clause, like concordat.errors.Problem."""

    def __init__(self, message: str, field: str | None = None, clause: str = CLAUSE):
        self.message, self.field, self.clause = message, field, clause
        super().__init__(message)


@dataclass(frozen=True)
class ExtractSpec:
    quasi_identifiers: Sequence[str]
    sensitive: Sequence[str] = ()
    direct_identifiers: Sequence[str] = ()
    k: int = DEFAULT_K
    l: int = DEFAULT_L  # noqa: E741 - the letter the literature uses
    max_suppression: float = DEFAULT_MAX_SUPPRESSION
    withhold: bool = True  # keep suppressed records with every quasi-identifier "*" when that class is safe
    hierarchies: Mapping[str, Hierarchy] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskReport:
    records: int
    classes: int
    smallest_class: int
    sample_uniques: int  # records alone in their class
    records_at_risk: int  # records in a class of fewer than k
    records_not_diverse: int  # records in a class with fewer than l distinct values of a sensitive column
    class_sizes: dict[str, tuple[int, int]]  # bucket -> (classes, records)
    information_loss: float

    def as_dict(self) -> dict:
        return {
            "records": self.records, "classes": self.classes, "smallest_class": self.smallest_class,
            "sample_uniques": self.sample_uniques, "records_at_risk": self.records_at_risk,
            "records_not_diverse": self.records_not_diverse,
            "class_sizes": {b: {"classes": c, "records": r} for b, (c, r) in self.class_sizes.items()},
            "information_loss": round(self.information_loss, 6),
        }


@dataclass(frozen=True)
class Extract:
    data: pl.DataFrame
    levels: dict[str, str]  # quasi-identifier -> the level of its hierarchy chosen
    suppressed: int  # records of unsafe classes: withheld ("*" for every quasi-identifier) or removed
    removed: int  # of those, the records removed (when the withheld records would not make a safe class)
    before: RiskReport
    after: RiskReport
    nodes_evaluated: int
    dropped: tuple[str, ...]  # direct identifiers dropped
    k: int
    l: int  # noqa: E741

    def as_dict(self) -> dict:
        return {"k": self.k, "l": self.l, "levels": self.levels, "suppressed": self.suppressed,
                "removed": self.removed,
                "dropped": list(self.dropped), "nodes_evaluated": self.nodes_evaluated,
                "before": self.before.as_dict(), "after": self.after.as_dict()}


# --------------------------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------------------------

def _validate(frame: pl.DataFrame, spec: ExtractSpec) -> None:
    columns = set(frame.columns)
    qis, sens, direct = list(spec.quasi_identifiers), list(spec.sensitive), list(spec.direct_identifiers)
    if frame.height == 0:
        raise ExtractError("The dataset has no records: there is nothing to extract.", field="dataset")
    if not qis:
        raise ExtractError("Choose at least one quasi-identifier.", field="quasi_identifiers")
    if len(qis) > MAX_QUASI_IDENTIFIERS:
        raise ExtractError(f"Choose at most {MAX_QUASI_IDENTIFIERS} quasi-identifiers (there are {len(qis)}).",
                           field="quasi_identifiers")
    for name, chosen in (("quasi_identifiers", qis), ("sensitive", sens), ("direct_identifiers", direct)):
        for column in chosen:
            if not isinstance(column, str) or not column.strip():
                raise ExtractError("A column name is empty.", field=name)
            if column not in columns:
                raise ExtractError(f"There is no column “{column[:100]}” in the dataset.", field=name)
        if len(set(chosen)) != len(chosen):
            raise ExtractError("A column is named twice.", field=name)
    for column in qis + sens:
        if column in direct or column in KNOWN_DIRECT_IDENTIFIERS:
            raise ExtractError(f"“{column}” is a direct identifier: it is always dropped, and cannot be a "
                               "quasi-identifier or sensitive column.",
                               field="sensitive" if column in sens else "quasi_identifiers")
    both = set(qis) & set(sens)
    if both:
        raise ExtractError(f"“{sorted(both)[0]}” cannot be both a quasi-identifier and sensitive.", field="sensitive")
    for name, chosen in (("quasi_identifiers", qis), ("sensitive", sens)):
        for column in chosen:
            if frame[column].null_count() == frame.height:
                raise ExtractError(f"The column “{column}” is empty.", field=name)
    if isinstance(spec.k, bool) or not isinstance(spec.k, int) or spec.k < 1:
        raise ExtractError("k must be a whole number, 1 or more.", field="k")
    if spec.k > frame.height:
        raise ExtractError(f"k ({spec.k:,}) is larger than the data ({frame.height:,} records): no class can have "
                           f"{spec.k:,} records.", field="k")
    if isinstance(spec.l, bool) or not isinstance(spec.l, int) or spec.l < 1:
        raise ExtractError("l must be a whole number, 1 or more.", field="l")
    for column in sens:
        distinct = frame[column].n_unique()
        if spec.l > distinct:
            raise ExtractError(f"l ({spec.l}) is larger than the number of distinct values of “{column}” "
                               f"({distinct}): no class could have {spec.l}.", field="l")
    if not isinstance(spec.withhold, bool):
        raise ExtractError("Say whether suppressed records are kept with their quasi-identifiers withheld "
                           "(true or false).", field="withhold")
    budget = spec.max_suppression
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not 0 <= budget <= 1 or \
            math.isnan(budget):
        raise ExtractError("The suppression budget is a share of the records, from 0 to 1.",
                           field="max_suppression")


# --------------------------------------------------------------------------------------------------------------
# The lattice search
# --------------------------------------------------------------------------------------------------------------

@dataclass
class _Column:
    name: str
    hierarchy: Hierarchy
    values: pl.Series  # distinct original values
    maps: list[np.ndarray]  # per level: original code -> generalised code
    labels: list[list[str]]  # per level: generalised code -> label
    ncp: list[np.ndarray]  # per level: generalised code -> normalised certainty penalty
    codes: np.ndarray  # original code of each distinct combination (row of the aggregate)
    up: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)

    def roll(self, codes: np.ndarray, a: int, b: int) -> np.ndarray:
        """Codes at level a → codes at level b (b ≥ a)."""
        if a == b:
            return codes
        if (a, b) not in self.up:
            table = np.zeros(len(self.labels[a]), dtype=np.int64)
            table[self.maps[a]] = self.maps[b]
            self.up[(a, b)] = table
        return self.up[(a, b)][codes]


@dataclass
class _Table:
    """Distinct (class, sensitive values) rows of one node, with their record counts."""

    levels: tuple[int, ...]
    qcodes: list[np.ndarray]
    scodes: list[np.ndarray]
    weight: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.weight)


@dataclass
class _Outcome:
    table: _Table
    class_of_row: np.ndarray
    class_size: np.ndarray
    class_qcodes: list[np.ndarray]
    unsafe: np.ndarray  # per class: fewer than k records or fewer than l distinct sensitive values
    at_risk: np.ndarray  # per class: fewer than k
    not_diverse: np.ndarray  # per class: fewer than l
    suppressed: int
    loss: float


def _dense(key: np.ndarray, span: int, first: bool = True) -> tuple[np.ndarray | None, np.ndarray, int]:
    """Number the distinct keys 0.. in increasing order: (a row of each number, each row's number, count).
    Keys in a small range are counted in a table; others sorted (an unstable sort: any row will do)."""
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0
    if span <= max(2 * n, 1 << 16):
        present = np.zeros(span, dtype=bool)
        present[key] = True
        rank = np.cumsum(present, dtype=np.int64) - 1
        inverse = rank[key]
        count = int(rank[-1]) + 1
    else:
        order = np.argsort(key)
        ordered = key[order]
        step = np.empty(n, dtype=np.int64)
        step[0] = 0
        np.not_equal(ordered[1:], ordered[:-1], out=step[1:], casting="unsafe")
        groups = np.cumsum(step)
        inverse = np.empty(n, dtype=np.int64)
        inverse[order] = groups
        count = int(groups[-1]) + 1
    if not first:
        return None, inverse, count
    rows = np.empty(count, dtype=np.int64)
    rows[inverse] = np.arange(n, dtype=np.int64)
    return rows, inverse, count


def _combine(parts: Sequence[np.ndarray], cards: Sequence[int],
             first: bool = True) -> tuple[np.ndarray | None, np.ndarray, int]:
    """A dense code for each row's combination of parts, numbered in lexicographic order of the parts:
    (a row of each code, the code of each row, how many codes)."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    span = 1
    for part, card in zip(parts, cards, strict=True):
        card = max(int(card), 1)
        if span * card >= 2**62:
            _, key, span = _dense(key, span, first=False)
        key = key * card + part
        span *= card
    return _dense(key, span, first)


def _encode(series: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The column's distinct values (a null among them) and each record's index into them, without a join:
    text through Polars' categorical codes, numbers and dates through their physical integers."""
    if series.dtype in (pl.String, pl.Categorical) or isinstance(series.dtype, pl.Enum):
        physical = series.cast(pl.String).cast(pl.Categorical).to_physical()
    elif series.dtype == pl.Boolean:
        physical = series.cast(pl.Int8)
    elif series.dtype.is_integer() or series.dtype.is_temporal():
        physical = series.to_physical()
    else:
        physical = series.cast(pl.String).cast(pl.Categorical).to_physical()
    physical = physical.cast(pl.Int64)
    low, high = physical.min(), physical.max()
    low, high = (0, 0) if low is None else (int(low), int(high))
    shifted = (physical - low).fill_null(high - low + 1).to_numpy().astype(np.int64, copy=False)
    first, codes, _ = _dense(shifted, high - low + 2)
    return series.gather(first), codes


class _Search:
    def __init__(self, data: pl.DataFrame, qis: Sequence[str], sens: Sequence[str], spec: ExtractSpec):
        self.spec, self.records = spec, data.height
        encoded = [_encode(data[name]) for name in [*qis, *sens]]
        # The distinct combinations of quasi-identifiers and sensitive values, and each record's combination.
        first, self.row_combination, combinations = _combine(
            [codes for _, codes in encoded], [len(values) for values, _ in encoded])
        self.weight = np.bincount(self.row_combination, minlength=combinations).astype(np.int64)
        self.row_codes = [codes for _, codes in encoded[: len(qis)]]
        self.columns: list[_Column] = []
        base_codes = []
        for name, (values, codes) in zip(qis, encoded, strict=False):
            hierarchy = hierarchy_for(name, data.schema[name], spec.hierarchies)
            column = self._column(name, hierarchy, values, codes[first])
            self.columns.append(column)
            base_codes.append(column.maps[0][column.codes])
        self.scodes = [codes[first] for _, codes in encoded[len(qis):]]
        self.base = _Table((0,) * len(qis), base_codes, self.scodes, self.weight)
        # Generalisation loss of each column at each level, averaged over records (known before any search).
        self.column_loss = []
        for c in self.columns:
            per_value = np.bincount(c.codes, weights=self.weight, minlength=len(c.values))
            self.column_loss.append([float(np.dot(c.ncp[j][c.maps[j]], per_value)) / self.records
                                     for j in range(len(c.ncp))])
        self.cache: list[_Table] = [self.base]
        self.cached_rows = self.base.rows
        self.evaluated = 0

    @staticmethod
    def _column(name: str, hierarchy: Hierarchy, values: pl.Series, codes: np.ndarray) -> _Column:
        maps, labels, ncp = [], [], []
        leaves = len(values)
        for level in range(hierarchy.height + 1):
            text = hierarchy.generalise(values, level).to_numpy().astype(str)
            uniq, inverse = np.unique(text, return_inverse=True)
            inverse = inverse.reshape(-1).astype(np.int64)
            covered = np.bincount(inverse, minlength=len(uniq))
            maps.append(inverse)
            labels.append(list(uniq))
            ncp.append((covered - 1) / (leaves - 1) if leaves > 1 else np.zeros(len(uniq)))
            if level and len(np.unique(maps[-2] * len(uniq) + inverse)) != len(labels[-2]):
                raise ExtractError(f"The hierarchy for “{name}” is not a chain: a value at level "
                                   f"“{hierarchy.levels[level - 1]}” falls in two groups at "
                                   f"“{hierarchy.levels[level]}”.", field="hierarchies")
        return _Column(name, hierarchy, values, maps, labels, ncp, codes)

    def generalisation_loss(self, node: tuple[int, ...]) -> float:
        return sum(self.column_loss[i][j] for i, j in enumerate(node)) / len(node)

    def materialise(self, node: tuple[int, ...]) -> None:
        """Build and keep the node's table of distinct (class, sensitive values), as a source for the nodes
        above it."""
        source = min((t for t in self.cache if all(a <= b for a, b in zip(t.levels, node, strict=True))),
                     key=lambda t: t.rows)
        parts = [c.roll(codes, a, b) for c, codes, a, b in
                 zip(self.columns, source.qcodes, source.levels, node, strict=True)] + list(source.scodes)
        cards = [len(c.labels[j]) for c, j in zip(self.columns, node, strict=True)] + \
            [int(s.max()) + 1 for s in source.scodes]
        first, row_of, n_rows = _combine(parts, cards)
        weight = np.bincount(row_of, weights=source.weight, minlength=n_rows).astype(np.int64)
        q = len(node)
        self.cache.append(_Table(node, [p[first] for p in parts[:q]], [p[first] for p in parts[q:]], weight))
        self.cached_rows += n_rows

    def evaluate(self, node: tuple[int, ...], budget: int | None = None) -> _Outcome | None:
        """The node's classes, what it suppresses and its loss; None when `budget` is given and k alone
        already needs more suppression than that."""
        self.evaluated += 1
        source = min((t for t in self.cache if all(a <= b for a, b in zip(t.levels, node, strict=True))),
                     key=lambda t: t.rows)
        qcodes = [c.roll(codes, a, b) for c, codes, a, b in
                  zip(self.columns, source.qcodes, source.levels, node, strict=True)]
        cards = [len(c.labels[j]) for c, j in zip(self.columns, node, strict=True)]
        class_first, class_of, n_classes = _combine(qcodes, cards, first=not source.scodes)
        if budget is not None:
            # Records in classes of fewer than k already over the budget: the node fails, whatever l says.
            size = np.bincount(class_of, weights=source.weight, minlength=n_classes)
            if size[size < self.spec.k].sum() > budget:
                return None
        if source.scodes:
            scards = [int(s.max()) + 1 for s in source.scodes]
            first, row_of, n_rows = _combine([class_of, *source.scodes], [n_classes, *scards])
            table = _Table(node, [q[first] for q in qcodes], [s[first] for s in source.scodes],
                           np.bincount(row_of, weights=source.weight, minlength=n_rows).astype(np.int64))
            class_of = class_of[first]
        else:
            table = _Table(node, [q[class_first] for q in qcodes], [],
                           np.bincount(class_of, weights=source.weight, minlength=n_classes).astype(np.int64))
            class_of = np.arange(n_classes)
        size = np.bincount(class_of, weights=table.weight, minlength=n_classes).astype(np.int64)
        class_qcodes = [np.zeros(n_classes, dtype=np.int64) for _ in qcodes]
        for out, q in zip(class_qcodes, table.qcodes, strict=True):
            out[class_of] = q
        at_risk = size < self.spec.k
        not_diverse = np.zeros(n_classes, dtype=bool)
        if len(table.scodes) == 1 and self.spec.l > 1:
            # Rows are distinct (class, sensitive value): a class's rows are its distinct values.
            not_diverse = np.bincount(class_of, minlength=n_classes) < self.spec.l
        elif table.scodes and self.spec.l > 1:
            for s in table.scodes:
                # Rows of the table are distinct (class, sensitive values): count distinct values per class.
                pair_first, _, _ = _combine([class_of, s], [n_classes, int(s.max()) + 1])
                distinct = np.bincount(class_of[pair_first], minlength=n_classes)
                not_diverse |= distinct < self.spec.l
        unsafe = at_risk | not_diverse
        suppressed = int(size[unsafe].sum())
        penalty = sum(c.ncp[j][codes] for c, j, codes in zip(self.columns, node, class_qcodes, strict=True))
        q = len(node)
        loss = self.generalisation_loss(node) + float(
            np.dot(size[unsafe], q - penalty[unsafe])) / (self.records * q)
        if table.rows <= 0.5 * self.base.rows and self.cached_rows + table.rows <= 4 * self.base.rows + 10_000:
            self.cache.append(table)
            self.cached_rows += table.rows
        return _Outcome(table, class_of, size, class_qcodes, unsafe, at_risk, not_diverse, suppressed, loss)

    def search(self) -> tuple[tuple[int, ...], _Outcome]:
        """The safe node of least total loss, exactly, in two passes.

        1. A greedy descent from the top of the lattice (everything withheld, always safe) gives a first
           bound: at each step, lower one column by one level, taking the safe child of least total loss,
           until no child is safe.
        2. Every node whose generalisation loss alone is below the best total loss found is still in
           question. They are visited from the most general down (decreasing generalisation loss), so each
           node evaluated is a maximal one of those left: if it needs more suppression than the budget,
           everything below it does too and is never evaluated; a safe node of lower loss lowers the bound.
        """
        heights = tuple(c.hierarchy.height for c in self.columns)
        budget = math.floor(self.spec.max_suppression * self.records + 1e-9)
        seen: dict[tuple[int, ...], _Outcome | None] = {}
        failing: list[tuple[int, ...]] = []

        def below_failing(node):
            return any(all(a <= b for a, b in zip(node, f, strict=True)) for f in failing)

        def safe(node) -> _Outcome | None:
            if node not in seen:
                outcome = None if below_failing(node) else self.evaluate(node, budget)
                if outcome is not None and outcome.suppressed > budget:
                    outcome = None
                if outcome is None and not below_failing(node):
                    failing.append(node)
                seen[node] = outcome
            return seen[node]

        best = (heights, safe(heights))
        assert best[1] is not None, "the top of the lattice is safe once k ≤ records and l ≤ distinct values"
        node = heights
        while True:
            children = [node[:i] + (node[i] - 1,) + node[i + 1:] for i in range(len(node)) if node[i] > 0]
            floor = tuple(max(level - 1, 0) for level in node)
            if len([c for c in children if c not in seen]) > 1 and floor not in [t.levels for t in self.cache]:
                self.materialise(floor)  # the children roll from one table one level below them all
            outcomes = [(child, safe(child)) for child in children]
            outcomes = [(child, o) for child, o in outcomes if o is not None]
            if not outcomes:
                break
            node, outcome = min(outcomes, key=lambda pair: pair[1].loss)
            if outcome.loss <= best[1].loss:  # on a tie, the less general node
                best = (node, outcome)

        nodes = sorted(itertools.product(*(range(h + 1) for h in heights)),
                       key=lambda n: (self.generalisation_loss(n), sum(n)), reverse=True)
        open_nodes = [n for n in nodes if self.generalisation_loss(n) < best[1].loss and n not in seen
                      and not below_failing(n)]
        if open_nodes:
            # Every node left is above their meet: roll each from the meet's table, not from the records.
            meet = tuple(min(n[i] for n in open_nodes) for i in range(len(heights)))
            if any(meet) and meet not in [t.levels for t in self.cache]:
                self.materialise(meet)
        for node in open_nodes:
            if self.generalisation_loss(node) >= best[1].loss or node in seen or below_failing(node):
                continue
            outcome = safe(node)
            if outcome is not None and outcome.loss < best[1].loss:
                best = (node, outcome)
        return best


# --------------------------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------------------------

def _report(size: np.ndarray, at_risk: np.ndarray, not_diverse: np.ndarray, loss: float) -> RiskReport:
    buckets = {}
    for low, high, label in SIZE_BUCKETS:
        inside = (size >= low) & (size <= high)
        buckets[label] = (int(inside.sum()), int(size[inside].sum()))
    return RiskReport(
        records=int(size.sum()), classes=int(len(size)), smallest_class=int(size.min()) if len(size) else 0,
        sample_uniques=int(size[size == 1].sum()), records_at_risk=int(size[at_risk].sum()),
        records_not_diverse=int(size[not_diverse].sum()), class_sizes=buckets, information_loss=loss,
    )


def anonymise(frame: pl.DataFrame, spec: ExtractSpec) -> Extract:
    """The k-anonymous, l-diverse extract of `frame` with the least information loss (module docstring)."""
    _validate(frame, spec)
    qis, sens = list(spec.quasi_identifiers), list(spec.sensitive)
    dropped = tuple(c for c in frame.columns if c in set(spec.direct_identifiers) | KNOWN_DIRECT_IDENTIFIERS)
    data = frame.drop(dropped)
    search = _Search(data, qis, sens, spec)
    before = search.evaluate(search.base.levels)
    node, outcome = search.search()

    # The class of each distinct combination at the node chosen (numbered as the search numbered them:
    # _combine numbers in the order of the codes, whatever table they were rolled from).
    rolled = [c.roll(codes, 0, j) for c, codes, j in zip(search.columns, search.base.qcodes, node, strict=True)]
    cards = [len(c.labels[j]) for c, j in zip(search.columns, node, strict=True)]
    _, class_of_combination, _ = _combine(rolled, cards, first=False)
    unsafe = outcome.unsafe[class_of_combination]
    # Local suppression: the records of unsafe classes keep their other columns with every quasi-identifier
    # withheld ("*"), when together they make a safe class (at least k, l distinct values of each sensitive
    # column); otherwise they are removed.
    withheld = int(search.weight[unsafe].sum())
    together = spec.withhold and withheld >= spec.k and all(
        len(np.unique(s[unsafe])) >= spec.l for s in search.scodes)
    row_unsafe = unsafe[search.row_combination]
    rows = np.arange(search.records) if together else np.flatnonzero(~row_unsafe)
    columns = []
    for c, j, row_codes in zip(search.columns, node, search.row_codes, strict=True):
        codes = c.maps[j][row_codes[rows]]
        if together:
            codes[row_unsafe] = len(c.labels[j])
        columns.append(pl.Series(c.name, [*c.labels[j], WITHHELD], dtype=pl.String).gather(codes))
    out = (data if together else data.filter(pl.Series(~row_unsafe))).with_columns(columns)
    levels = {c.name: c.hierarchy.levels[j] for c, j in zip(search.columns, node, strict=True)}
    safe = ~outcome.unsafe
    sizes, flags = outcome.class_size[safe], np.zeros(int(safe.sum()) + bool(together and withheld), dtype=bool)
    if together and withheld:
        sizes = np.append(sizes, withheld)
    return Extract(
        data=out, levels=levels, suppressed=outcome.suppressed, removed=0 if together else withheld,
        before=_report(before.class_size, before.at_risk, before.not_diverse, 0.0),
        after=_report(sizes, flags, flags, outcome.loss),
        nodes_evaluated=search.evaluated - 1, dropped=dropped, k=spec.k, l=spec.l,
    )
