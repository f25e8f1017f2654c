"""Hypercube movements: cheap candidate movements for secondary suppression, priced all at once (ADR 0057).

Along one dimension of a table, a movement of its nodes that keeps every "parent = sum of children" relation is a
sum of *paths*: a leaf, its parent, …, up to the total, each moving by the same amount. The smallest such
movements through a node ``a`` are a path through ``a`` (all +1), or a path through ``a`` less the path of a leaf
not below ``a`` (in a flat dimension: ``a`` and the total moving together, or ``a`` and a sibling moving apart).
The tensor product of one such movement per dimension — a *cube*, 2^d cells in a flat d-way table — keeps every
relation of the table, because each relation acts along one dimension only.

This module only *finds* movements. The engine (``disclosure.tables``) applies one exactly as a movement found by a
linear programme, so its guarantee does not depend on this code: a cube is used only when every cell it moves is
free, bounded below by 0 at the amount asked for, and touched by no relation outside its table (shared margins and
earlier releases), and the engine checks the movement against the whole system's relations before using it.
Where no cube qualifies, the linear programme decides, as before.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

#: A primary whose candidate cubes would price more entries than this is left to the linear programme.
MAX_ENTRIES = 200_000
#: A cube may not newly suppress a margin holding more than this share of its table's grand total (ADR 0057).
LARGE_SHARE = 0.05


def _paths_through(node_at: Mapping[Hashable, int], parent: Mapping[Hashable, Hashable | None],
                   a: Hashable) -> tuple[np.ndarray, np.ndarray]:
    """Every smallest movement of one dimension's nodes that moves ``a`` by +1: (node positions, signs), padded.

    ``parent`` maps each node to its parent (None for the total, whose own entry is absent).
    """
    if a is not None and all(up is None for up in parent.values()):  # flat: ``a`` with the total, or less another
        others = [node_at[n] for n in parent if n != a]
        nodes = np.empty((1 + len(others), 2), dtype=np.int64)
        nodes[:, 0] = node_at[a]
        nodes[0, 1], nodes[1:, 1] = node_at[None], others
        signs = np.ones((1 + len(others), 2), dtype=np.int8)
        signs[1:, 1] = -1
        return nodes, signs
    children: dict = defaultdict(list)
    for node, up in parent.items():
        children[up].append(node)

    def leaves_below(node) -> list:
        if not children.get(node):
            return [node]
        return [leaf for child in children[node] for leaf in leaves_below(child)]

    def path(leaf) -> list:
        out = [leaf]
        while out[-1] is not None:
            out.append(parent[out[-1]])
        return out

    mine = leaves_below(a)
    mine_set = set(mine)
    others = [leaf for leaf in leaves_below(None) if leaf not in mine_set]
    movements = []
    for leaf in mine:
        up_path = path(leaf)
        movements.append({n: 1 for n in up_path})
        for other in others:
            move = {n: 1 for n in up_path}
            for n in path(other):
                move[n] = move.get(n, 0) - 1
            movements.append({n: s for n, s in move.items() if s})
    width = max(len(m) for m in movements)
    nodes = np.full((len(movements), width), node_at[a], dtype=np.int64)
    signs = np.zeros((len(movements), width), dtype=np.int8)
    for i, move in enumerate(movements):
        for j, (n, s) in enumerate(move.items()):
            nodes[i, j], signs[i, j] = node_at[n], s
    return nodes, signs


class CubeTable:
    """One table's geometry: its cells on a grid of node positions (one axis per dimension), and the movements
    through each node along each dimension."""

    def __init__(self, dims: Sequence[str], parents: Mapping[str, Mapping], key_of: Callable, cell_id: Mapping):
        self.dims = tuple(dims)
        self.nodes = {d: [None, *sorted(parents[d])] for d in dims}
        self.node_at = {d: {n: i for i, n in enumerate(self.nodes[d])} for d in dims}
        self.parents = parents
        shape = tuple(len(self.nodes[d]) for d in dims)
        self.grid = np.full(shape, -1, dtype=np.int64)  # cell ids, -1 where the system has no such cell
        self.position: dict = {}
        for combo in np.ndindex(*shape):
            key = key_of(dims, [self.nodes[d][i] for d, i in zip(dims, combo, strict=True)])
            self.grid[combo] = cell_id.get(key, -1)
            self.position[key] = combo
        self._movements: dict = {}
        self._cubes: dict = {}
        # Margins and sub-totals: a cell with a node along some dimension that has nodes below it.
        inner = [np.array([n not in set(parents[d].values()) for n in self.nodes[d]]) for d in dims]
        self.margin = ~functools.reduce(np.logical_and, [
            axis.reshape([-1 if e == d else 1 for e in range(len(dims))]) for d, axis in enumerate(inner)])

    def movements(self, d: int, at: int) -> tuple[np.ndarray, np.ndarray]:
        return self._along(d, at)[0]

    def _along(self, d: int, at: int):
        """The movements through node ``at`` of dimension ``d`` (nodes, signs), and each of their entries as (its
        share of the flat grid index, its sign) shaped along axis ``d``: built once, shared by every key there."""
        found = self._movements.get((d, at))
        if found is None:
            dim = self.dims[d]
            nodes, signs = _paths_through(self.node_at[dim], self.parents[dim], self.nodes[dim][at])
            ndim, stride = len(self.dims), math.prod(self.grid.shape[d + 1:])
            parts = []
            for j in range(nodes.shape[1]):
                column, column_sign = nodes[:, j], signs[:, j]
                if (column == column[0]).all() and (column_sign == column_sign[0]).all():
                    column, column_sign = column[:1], column_sign[:1]
                shape = [1] * ndim
                shape[d] = len(column)
                parts.append(((stride * column).reshape(shape), column_sign.reshape(shape)))
            found = ((nodes, signs), parts)
            self._movements[(d, at)] = found
        return found

    def cubes(self, key):
        """Every cube through ``key``: one movement per dimension (nodes, signs: a row per movement, padded with
        sign 0; the cube of rows (i, j, …) is their product) and its terms. None if too many to price.

        The terms: for each choice of one entry per dimension's movement, the flat grid index of that cell of
        every cube (one axis per dimension; length 1 where the entry is the same node in every movement, as the
        key's own node is) and its sign in every cube. Flat, so that pricing gathers each term once, not by an
        index per dimension."""
        found = self._cubes.get(key, False)
        if found is False:
            along = [self._along(d, i) for d, i in enumerate(self.position[key])]
            per_dim = [movements for movements, _ in along]
            rows = math.prod(len(n) for n, _ in per_dim)
            width = math.prod(n.shape[1] for n, _ in per_dim)
            found = None
            if rows * width <= MAX_ENTRIES:
                terms = []
                for entry in itertools.product(*(parts for _, parts in along)):
                    flat, sign = entry[0]
                    for f, g in entry[1:]:
                        flat, sign = flat + f, sign * g
                    terms.append(_Term(flat, sign))
                found = (per_dim, terms)
            self._cubes[key] = found
        return found


class _Term:
    """One entry of every cube through a key (see :meth:`CubeTable.cubes`), with what pricing asks of it worked out
    once: the axes along which it varies, and which of its cells move down, up, or not at all."""

    __slots__ = ("index", "sign", "wide", "falls_when_up", "falls_when_down", "still")

    def __init__(self, index: np.ndarray, sign: np.ndarray):
        self.index, self.sign = index, sign
        self.wide = tuple(d for d, length in enumerate(index.shape) if length > 1)
        self.falls_when_up, self.falls_when_down = sign < 0, sign > 0
        still = sign == 0
        self.still = still if still.any() else None


class CubeSearch:
    """Cheapest cubes through a cell, priced by numpy over one model's columns.

    ``column_of``: cell id → the model's column, -1 for a cell the model holds fixed. ``confined[t]``: per column,
    whether every relation it is in is one of table t's (cubes of t may move only such cells: a margin shared with
    another table, or with an earlier release, has relations a cube of t does not keep).
    """

    def __init__(self, tables: Sequence[CubeTable], home: Mapping, column_of: np.ndarray,
                 confined: Sequence[np.ndarray]):
        self.tables, self.home = tables, home  # home: key → index of the table whose cubes move it
        self.sentinel = len(confined[0]) if confined else 0  # a column no cube may use
        self.column_of = np.append(np.where(column_of >= 0, column_of, self.sentinel), self.sentinel)
        self.confined = [np.append(c, False) for c in confined]
        self._grids: dict = {}

    def _grid(self, t: int, values: np.ndarray):
        """Table t's grid as columns (the sentinel where the model has no such cell), and, flat as the terms index
        them: the values, whether a cube of t may move each cell, and whether it is a large margin (ADR 0057).
        The same for every search over one model's values, so built once per table."""
        found = self._grids.get(t)
        if found is None or found[0] is not values:
            table = self.tables[t]
            columns = self.column_of[table.grid]
            value_grid = np.append(values, np.inf)[columns].ravel()
            confined = self.confined[t][columns].ravel()
            grand_total = value_grid[0]
            large = (table.margin.ravel() & (value_grid > LARGE_SHARE * grand_total) if np.isfinite(grand_total)
                     else np.zeros(len(value_grid), dtype=bool))
            found = (values, (columns, value_grid, confined, large))
            self._grids[t] = found
        return found[1]

    def cheapest(self, key, amount: float, up: bool, cost: np.ndarray, values: np.ndarray,
                 usable: np.ndarray, back: float = 0.0) -> tuple[np.ndarray, np.ndarray, float] | None:
        """The cheapest cube moving ``key`` by ``amount`` (up or down) with every cell usable and none below 0:
        (columns, movement of each, price); None if none. ``cost``, ``values``, ``usable``: one entry per column.
        ``back``: the cube must also move the key the other way by this much (one cube proving both sides)."""
        t = self.home.get(key)
        table = None if t is None else self.tables[t]
        found = None if table is None else table.cubes(key)
        if found is None:
            return None
        per_dim, terms = found
        columns, value_grid, confined, large = self._grid(t, values)
        cost_grid = np.append(cost, 0.0)[columns].ravel()
        usable_grid = np.append(usable, False)[columns].ravel() & confined
        # A large margin not yet suppressed (the grand total, a big sub-total) is left to the programme, which
        # finds a cheaper way round it where there is one; a cube would take it whenever nothing smaller fits.
        usable_grid &= ~(large & (cost_grid > 0))
        tolerance = 1e-9

        def fits(term: _Term):
            """Per cube, whether this entry's cell may move as it must: usable (or not moving) and, moving down,
            holding the amount (or ``back``, where it moves down when the key moves back)."""
            index = term.index
            falls, rises = ((term.falls_when_up, term.falls_when_down) if up
                            else (term.falls_when_down, term.falls_when_up))
            value = value_grid[index]
            good = usable_grid[index]
            if term.still is not None:
                good |= term.still
            good &= ~falls | (value >= amount - tolerance)
            if back > 0:
                good &= ~rises | (value >= back - tolerance)
            return good

        # A cube holds, for each dimension's movement, the cells where every other dimension is at an entry the
        # same in all movements (the key's own node, in a flat dimension): a movement whose such cells do not fit
        # is ruled out before the cubes are priced.
        viable = [np.ones(len(nodes), dtype=bool) for nodes, _ in per_dim]
        for term in terms:
            if len(term.wide) > 1:
                continue
            good = fits(term)
            if not term.wide:
                if not good.all():
                    return None
            else:
                viable[term.wide[0]] &= good.reshape(-1)
        if not all(v.any() for v in viable):
            return None
        # Priced over every cube; those a line rules out are priced at infinity (the same cheapest cube, the
        # first of equals, as pricing only the viable ones).
        ndim = len(per_dim)
        shape = tuple(len(v) for v in viable)
        ok = viable[0].reshape([-1] + [1] * (ndim - 1))
        for d in range(1, ndim):
            ok = ok & viable[d].reshape([1] * d + [-1] + [1] * (ndim - 1 - d))
        price = np.zeros(shape)
        for term in terms:
            if len(term.wide) > 1:  # a term along one line (or none) is in ``viable`` already
                ok = ok & fits(term)
            if term.still is None:
                price += cost_grid[term.index]
            else:
                price += np.where(term.still, 0.0, cost_grid[term.index])
        ok = np.broadcast_to(ok, shape)
        if not ok.any():
            return None
        price[~ok] = np.inf
        at = np.unravel_index(int(np.argmin(price)), shape)
        best = [int(i) for i in at]
        cells, moves = [], []
        rows = [(nodes[i], signs[i]) for (nodes, signs), i in zip(per_dim, best, strict=True)]
        for entry in itertools.product(*(zip(nodes, signs, strict=True) for nodes, signs in rows)):
            sign = math.prod(int(s) for _, s in entry)
            if sign:
                cells.append(columns[tuple(n for n, _ in entry)])
                moves.append(float(sign))
        return np.array(cells, dtype=np.int64), (amount if up else -amount) * np.array(moves), float(price[at])
