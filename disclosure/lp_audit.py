"""An independent audit of published tables: what can an attacker derive about each suppressed cell? (§15)

It shares no code with the suppression engine (:mod:`disclosure.tables`): it takes only what was published — each
release's figures, suppressed cells as None — and the linear relations between cells ("total = sum of parts"),
and for every suppressed cell solves two linear programmes (HiGHS): the least and the greatest value the cell can
take with every relation holding, every published figure as published (within ``tolerance`` when figures were
rounded) and every cell ≥ 0. A cell published by any release is known to the attacker in all of them; that is how
differencing between releases is caught.

``relations_from_margins`` rebuilds the relations of a table from its cells and each dimension's parent map, with
its own code, so that a test need not trust the engine's relations either.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import highspy

from .highs import QuietHighs

INF = float("inf")


def relations_from_margins(cells: Iterable[tuple], parents: Mapping[str, Mapping[tuple, tuple | None]]):
    """Relations among cells named as sorted tuples of (dimension, level, category), a missing dimension = total.

    ``parents[d]`` maps a node (level, category) of dimension d to its parent node, None for the grand total. For
    each cell and each dimension, if every child node of the cell's node along that dimension is present, the
    cell equals their sum.
    """
    present = set(cells)
    kids: dict[str, dict] = {}
    for d, pmap in parents.items():
        table: dict = {}
        for node, parent in pmap.items():
            table.setdefault(parent, []).append(node)
        kids[d] = table
    found = []
    for cell in sorted(present, key=repr):  # a fixed order: the programme's rows must not depend on the hash seed
        as_dict = {part[0]: (part[1], part[2]) for part in cell}
        for d in parents:
            node = as_dict.get(d)
            children = kids[d].get(node, [])
            if not children:
                continue
            parts = []
            for child in children:
                other = dict(as_dict)
                other[d] = child
                parts.append(tuple(sorted((dim, lv, name) for dim, (lv, name) in other.items())))
            if all(p in present for p in parts):
                found.append((cell, tuple(parts)))
    return found


def combine(*published: Mapping[Hashable, float | None]) -> dict[Hashable, float | None]:
    """Several releases' figures as the attacker holds them: a cell published anywhere is known."""
    known: dict[Hashable, float | None] = {}
    for release in published:
        for cell, value in release.items():
            if value is not None:
                known[cell] = value
            else:
                known.setdefault(cell, None)
    return known


def intervals(published: Mapping[Hashable, float | None], relations: Iterable[tuple[Hashable, Iterable[Hashable]]],
              tolerance: float = 0.0) -> dict[Hashable, tuple[float, float]]:
    """The feasible interval of every suppressed cell (value None) given the published ones and the relations."""
    unknown = sorted((c for c, v in published.items() if v is None), key=repr)
    if not unknown:
        return {}
    column = {c: j for j, c in enumerate(unknown)}
    h = QuietHighs()
    h.setOptionValue("output_flag", False)
    for _ in unknown:
        h.addVar(0.0, INF)
    for total, parts in relations:
        # total - sum(parts) = 0, with the published figures moved to the right-hand side.
        coefficient: dict[int, float] = {}
        constant_low = constant_high = 0.0
        for cell, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if cell in column:
                coefficient[column[cell]] = coefficient.get(column[cell], 0.0) + sign
            elif published.get(cell) is not None:
                v = float(published[cell])
                lo, hi = v - tolerance, v + tolerance
                if sign > 0:
                    constant_low, constant_high = constant_low + lo, constant_high + hi
                else:
                    constant_low, constant_high = constant_low - hi, constant_high - lo
            else:
                break  # a cell nobody published nor suppressed: the relation says nothing checkable
        else:
            if not coefficient:
                continue
            cols = list(coefficient)
            h.addRow(-constant_high, -constant_low, len(cols), cols, [coefficient[c] for c in cols])
    out = {}
    for cell in unknown:
        j = column[cell]
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.changeColCost(j, 1.0)
            status = _solved(h)
            if status == highspy.HighsModelStatus.kOptimal:
                bounds.append(h.getInfo().objective_function_value)
            elif status == highspy.HighsModelStatus.kUnbounded:
                bounds.append(INF)
            else:
                raise ValueError(f"the published figures are inconsistent ({h.modelStatusToString(status)})")
            h.changeColCost(j, 0.0)
        out[cell] = (bounds[0], bounds[1])
    return out


DEFINITE = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kInfeasible)


def _solved(h) -> highspy.HighsModelStatus:
    """Run the programme; when HiGHS stops short of a definite answer (Unknown, or UnboundedOrInfeasible, which a
    warm start from the previous cell's basis can give on an unbounded direction), solve it afresh without presolve,
    which answers definitely. Only a definite answer is believed."""
    h.run()
    status = h.getModelStatus()
    if status in DEFINITE:
        return status
    h.clearSolver()
    h.setOptionValue("presolve", "off")
    try:
        h.run()
        return h.getModelStatus()
    finally:
        h.setOptionValue("presolve", "choose")
