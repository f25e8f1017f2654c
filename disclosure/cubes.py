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
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

from .compiled import jit

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
        self._own: dict = {}
        # Margins and sub-totals: a cell with a node along some dimension that has nodes below it.
        inner = [np.array([n not in set(parents[d].values()) for n in self.nodes[d]]) for d in dims]
        self.margin = ~functools.reduce(np.logical_and, [
            axis.reshape([-1 if e == d else 1 for e in range(len(dims))]) for d, axis in enumerate(inner)])

    def movements(self, d: int, at: int) -> tuple[np.ndarray, np.ndarray]:
        """The movements through node ``at`` of dimension ``d``: (nodes, signs), built once per node."""
        found = self._movements.get((d, at))
        if found is None:
            dim = self.dims[d]
            found = _paths_through(self.node_at[dim], self.parents[dim], self.nodes[dim][at])
            self._movements[(d, at)] = found
        return found

    def cubes(self, key):
        """Every cube through ``key``: one movement per dimension (nodes, signs: a row per movement, padded with
        sign 0; the cube of rows (i, j, …) is their product). None if too many to price."""
        found = self._cubes.get(key, False)
        if found is False:
            per_dim = [self.movements(d, i) for d, i in enumerate(self.position[key])]
            rows = math.prod(len(n) for n, _ in per_dim)
            width = math.prod(n.shape[1] for n, _ in per_dim)
            found = per_dim if rows * width <= MAX_ENTRIES else None
            self._cubes[key] = found
        return found

    def own(self, key) -> np.ndarray:
        """The key's node position along each dimension (0 for the dimensions a table of fewer than 3 lacks)."""
        found = self._own.get(key)
        if found is None:
            position = self.position[key]
            found = self._own[key] = np.array([*position, *[0] * (3 - len(position))], dtype=np.int64)
        return found

    @functools.cached_property
    def strides(self) -> np.ndarray:
        """Each dimension's step in the flat grid index, 0 for the dimensions a table of fewer than 3 lacks."""
        shape = self.grid.shape
        return np.array([math.prod(shape[d + 1:]) for d in range(len(shape))] + [0] * (3 - len(shape)),
                        dtype=np.int64)


#: The movement of a dimension a table does not have (the kernel always takes three).
_NO_DIMENSION = (np.zeros((1, 1), dtype=np.int64), np.ones((1, 1), dtype=np.int8))


@jit
def _fits(column, flat, sign, sentinel, columns_usable, confined, margin, cost, values, large_from, amount, up,
          back, tolerance):  # pragma: no cover - compiled
    """Whether one cell of a cube may move with the sign it has there: usable and confined to the table, not a
    large margin newly suppressed (ADR 0057), and holding the amount where it falls (or ``back`` where it rises).
    :func:`_cheapest_cube` writes the same test out in its innermost loop; change both together."""
    if column == sentinel or not (columns_usable[column] and confined[flat]):
        return False
    value = values[column]
    if cost[column] > 0 and margin[flat] and value > large_from:
        return False
    if (sign < 0) == up:  # this cell falls as the key moves the way asked
        return value >= amount - tolerance
    return back <= 0 or value >= back - tolerance


@jit
def _lines(nodes, signs, d, own, strides, columns, confined, margin, cost, values, usable, large_from, amount, up,
           back, tolerance):  # pragma: no cover - compiled
    """Per movement of dimension ``d``, its cells with every other dimension at the key's own node (cells every
    cube using it moves, with the movement's signs): whether all of them may move (if not, its cubes are not
    priced), and their price but for the key's own cell (a lower bound on the rest of any cube using it)."""
    sentinel = len(cost)
    base = 0
    for e in range(3):
        if e != d:
            base += own[e] * strides[e]
    viable = np.ones(nodes.shape[0], dtype=np.bool_)
    price = np.zeros(nodes.shape[0])
    for i in range(nodes.shape[0]):
        for j in range(nodes.shape[1]):
            if signs[i, j] != 0:
                flat = base + nodes[i, j] * strides[d]
                if not _fits(columns[flat], flat, signs[i, j], sentinel, usable, confined, margin, cost, values,
                             large_from, amount, up, back, tolerance):
                    viable[i] = False
                    break
                if nodes[i, j] != own[d]:
                    price[i] += cost[columns[flat]]
    return viable, price


@jit
def _cheapest_cube(nodes0, signs0, nodes1, signs1, nodes2, signs2, own, strides, columns, confined, margin,
                   cost, values, usable, large_share, amount, up, back, tolerance):  # pragma: no cover - compiled
    """The cheapest cube (ADR 0063): every combination of one movement per dimension (rows of ``nodes_d``,
    ``signs_d``; a missing dimension is one movement of one node), each cell of it checked and priced, as numpy
    priced them before (the first of equals in the order of the rows; each price summed in the order of the cube's
    entries). Returns the cube's columns, the sign of each, and its price; no columns if no cube fits.

    ``columns``: the table's grid, flat, as the model's columns (``len(cost)`` where the model has no such cell);
    ``confined``, ``margin``: per grid cell; ``cost``, ``values``, ``usable``: per column. A margin holding more
    than ``large_share`` of the grand total is not usable unless it costs nothing (ADR 0057)."""
    sentinel = len(cost)
    grand_total = values[columns[0]] if columns[0] != sentinel else np.inf
    large_from = large_share * grand_total if np.isfinite(grand_total) else np.inf
    viable0, line0 = _lines(nodes0, signs0, 0, own, strides, columns, confined, margin, cost, values, usable,
                            large_from, amount, up, back, tolerance)
    viable1, line1 = _lines(nodes1, signs1, 1, own, strides, columns, confined, margin, cost, values, usable,
                            large_from, amount, up, back, tolerance)
    viable2, line2 = _lines(nodes2, signs2, 2, own, strides, columns, confined, margin, cost, values, usable,
                            large_from, amount, up, back, tolerance)
    if not (viable0.any() and viable1.any() and viable2.any()):
        return np.empty(0, dtype=np.int64), np.empty(0), np.inf
    # Branch and bound: movements in order of their lines' price; the key's own cell and one line per dimension
    # are in every cube, and no price is negative, so their sum bounds the cube's price from below. Equal prices
    # go to the first cube in the order of the rows, as a plain scan would choose.
    own_flat = own[0] * strides[0] + own[1] * strides[1] + own[2] * strides[2]
    if columns[own_flat] == sentinel:
        return np.empty(0, dtype=np.int64), np.empty(0), np.inf
    floor = cost[columns[own_flat]]
    order0 = np.argsort(np.where(viable0, line0, np.inf), kind="mergesort")[: viable0.sum()]
    order1 = np.argsort(np.where(viable1, line1, np.inf), kind="mergesort")[: viable1.sum()]
    order2 = np.argsort(np.where(viable2, line2, np.inf), kind="mergesort")[: viable2.sum()]
    least1, least2 = line1[order1[0]], line2[order2[0]]
    slack = 1e-9
    best0, best1, best2, best = -1, -1, -1, np.inf
    for i0 in order0:
        bound0 = floor + line0[i0]
        if bound0 + least1 + least2 > best + slack * max(1.0, best):
            break
        for i1 in order1:
            bound1 = bound0 + line1[i1]
            if bound1 + least2 > best + slack * max(1.0, best):
                break
            for i2 in order2:
                if bound1 + line2[i2] > best + slack * max(1.0, best):
                    break
                price = 0.0
                fits = True
                for j0 in range(nodes0.shape[1]):
                    s0 = signs0[i0, j0]
                    if s0 == 0:
                        continue
                    for j1 in range(nodes1.shape[1]):
                        s1 = signs1[i1, j1]
                        if s1 == 0:
                            continue
                        for j2 in range(nodes2.shape[1]):
                            sign = s0 * s1 * signs2[i2, j2]
                            if sign == 0:
                                continue
                            flat = (nodes0[i0, j0] * strides[0] + nodes1[i1, j1] * strides[1]
                                    + nodes2[i2, j2] * strides[2])
                            # _fits written out: calling it here, even inlined by Numba, made the search 1.8× slower.
                            column = columns[flat]
                            if column == sentinel or not (usable[column] and confined[flat]):
                                fits = False
                                break
                            price_here = cost[column]
                            value = values[column]
                            if price_here > 0 and margin[flat] and value > large_from:
                                fits = False
                            elif (sign < 0) == up:  # this cell falls as the key moves the way asked
                                fits = value >= amount - tolerance
                            elif back > 0:
                                fits = value >= back - tolerance
                            if not fits:
                                break
                            price += price_here
                        if not fits:
                            break
                    if not fits:
                        break
                if fits and (price < best or (price == best and (i0, i1, i2) < (best0, best1, best2))):
                    best0, best1, best2, best = i0, i1, i2, price
    found_columns = np.empty(nodes0.shape[1] * nodes1.shape[1] * nodes2.shape[1], dtype=np.int64)
    found_signs = np.empty(len(found_columns))
    count = 0
    if best0 >= 0:
        for j0 in range(nodes0.shape[1]):
            for j1 in range(nodes1.shape[1]):
                for j2 in range(nodes2.shape[1]):
                    sign = signs0[best0, j0] * signs1[best1, j1] * signs2[best2, j2]
                    if sign != 0:
                        flat = (nodes0[best0, j0] * strides[0] + nodes1[best1, j1] * strides[1]
                                + nodes2[best2, j2] * strides[2])
                        found_columns[count] = columns[flat]
                        found_signs[count] = sign
                        count += 1
    return found_columns[:count], found_signs[:count], best


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

    def _grid(self, t: int):
        """Table t's grid, flat: each cell's column (the sentinel where the model has no such cell), whether a cube
        of t may move it, and whether it is a margin; built once per table."""
        found = self._grids.get(t)
        if found is None:
            table = self.tables[t]
            columns = self.column_of[table.grid].ravel()
            found = (columns, self.confined[t][columns], table.margin.ravel())
            self._grids[t] = found
        return found

    def cheapest(self, key, amount: float, up: bool, cost: np.ndarray, values: np.ndarray,
                 usable: np.ndarray, back: float = 0.0) -> tuple[np.ndarray, np.ndarray, float] | None:
        """The cheapest cube moving ``key`` by ``amount`` (up or down) with every cell usable and none below 0:
        (columns, movement of each, price); None if none. ``cost``, ``values``, ``usable``: one entry per column.
        ``back``: the cube must also move the key the other way by this much (one cube proving both sides).

        A large margin not yet suppressed (the grand total, a big sub-total) is not usable: it is left to the
        programme, which finds a cheaper way round it where there is one (ADR 0057)."""
        t = self.home.get(key)
        table = None if t is None else self.tables[t]
        per_dim = None if table is None else table.cubes(key)
        if per_dim is None:
            return None
        columns, confined, margin = self._grid(t)
        (n0, s0), (n1, s1), (n2, s2) = [*per_dim, *[_NO_DIMENSION] * (3 - len(per_dim))]
        found, signs, price = _cheapest_cube(n0, s0, n1, s1, n2, s2, table.own(key), table.strides, columns,
                                             confined, margin,
                                             cost, values, usable, LARGE_SHARE, float(amount), bool(up),
                                             float(back), 1e-9)
        if not len(found):
            return None
        return found, (amount if up else -amount) * signs, float(price)
