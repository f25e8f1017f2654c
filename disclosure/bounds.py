"""Refuting a re-proof without a programme: bounds propagation over the relations (ADR 0063).

Pruning (ADR 0052) asks, for each secondary it would publish, whether every primary whose witness moved that cell
can still move by its protection level with the cell held. Most "no" answers are forced by a few relations: hold
the cell, fix the primary at its movement, and the relations around them leave some cell no room (a margin whose
other parts are all held, a part that would have to fall below 0). Propagating each cell's interval through the
relations (every cell within [-value, +inf), held cells at 0) finds such a contradiction in microseconds, where
the programme, and the mends and cube searches before it, take milliseconds.

Propagation only narrows intervals that every movement must respect, so a contradiction is a proof that no
movement exists: the programme would have failed too, and the pattern is the same. When propagation finds none,
nothing is concluded and the engine goes on as before (mends, cubes, then the programme decides).
"""

from __future__ import annotations

import numpy as np

from .compiled import jit

#: Rows examined per refutation at most. A contradiction is nearly always local: on the bench's largest table, 80
#: of the 85 refutable releases took under 170 visits (median 2), while propagation that finds none runs on
#: through the whole system (about 2,700 visits). Past this the question goes to the mends and the programme.
MAX_VISITS = 256


@jit
def _contradiction(row_ptr, row_cell, row_value, cell_ptr, cell_row, lower, upper, changed, tolerance,
                   max_visits):  # pragma: no cover - compiled
    """Whether the relations (rows: Σ value·z = 0) leave some cell no room within ``lower``/``upper`` (narrowed in
    place), propagating from the cells ``changed``. Each row derives a bound on each of its cells from the others'
    bounds (an infinite bound contributes nothing finite); a row whose cells cannot sum to 0, or a cell whose lower
    bound passes its upper, is a contradiction."""
    rows = len(row_ptr) - 1
    queue = np.empty(rows + 1, dtype=np.int64)
    queued = np.zeros(rows, dtype=np.bool_)
    head = tail = 0
    for c in changed:
        for e in range(cell_ptr[c], cell_ptr[c + 1]):
            r = cell_row[e]
            if not queued[r]:
                queued[r] = True
                queue[tail] = r
                tail = (tail + 1) % (rows + 1)
    visits = 0
    while head != tail and visits < max_visits:
        r = queue[head]
        head = (head + 1) % (rows + 1)
        queued[r] = False
        visits += 1
        low_sum = high_sum = size = 0.0
        low_infinite = high_infinite = 0
        for e in range(row_ptr[r], row_ptr[r + 1]):
            a, c = row_value[e], row_cell[e]
            low, high = (lower[c], upper[c]) if a > 0 else (upper[c], lower[c])
            if np.isinf(low):
                low_infinite += 1
            else:
                low_sum += a * low
                size += abs(a * low)
            if np.isinf(high):
                high_infinite += 1
            else:
                high_sum += a * high
                size += abs(a * high)
        # Sums of large figures carry rounding in proportion to them: a contradiction must exceed that too (a
        # spurious one would keep a cell suppressed that need not be: safe, but not the programme's answer).
        slack = tolerance + 1e-9 * size
        if (low_infinite == 0 and low_sum > slack) or (high_infinite == 0 and high_sum < -slack):
            return True
        for e in range(row_ptr[r], row_ptr[r + 1]):
            a, c = row_value[e], row_cell[e]
            low, high = (lower[c], upper[c]) if a > 0 else (upper[c], lower[c])
            # The others' least and greatest sum, where finite: a·z_c lies within [-others_high, -others_low].
            others_low_finite = low_infinite - (1 if np.isinf(low) else 0) == 0
            others_high_finite = high_infinite - (1 if np.isinf(high) else 0) == 0
            others_low = low_sum - (0.0 if np.isinf(low) else a * low)
            others_high = high_sum - (0.0 if np.isinf(high) else a * high)
            new_lower, new_upper = lower[c], upper[c]
            if a > 0:
                if others_low_finite:
                    new_upper = min(new_upper, -others_low / a)
                if others_high_finite:
                    new_lower = max(new_lower, -others_high / a)
            else:
                if others_low_finite:
                    new_lower = max(new_lower, -others_low / a)
                if others_high_finite:
                    new_upper = min(new_upper, -others_high / a)
            if new_lower > new_upper + slack:
                return True
            step = tolerance * (1.0 + abs(new_lower) if np.isfinite(new_lower) else 1.0)
            narrowed = False
            if new_lower > lower[c] + step:
                lower[c] = new_lower
                narrowed = True
            if new_upper < upper[c] - tolerance * (1.0 + abs(new_upper) if np.isfinite(new_upper) else 1.0):
                upper[c] = new_upper
                narrowed = True
            if narrowed:
                for f in range(cell_ptr[c], cell_ptr[c + 1]):
                    s = cell_row[f]
                    if s != r and not queued[s]:
                        queued[s] = True
                        queue[tail] = s
                        tail = (tail + 1) % (rows + 1)
    return False


class Refuter:
    """The relations of one programme (``_Perturbation``'s matrix), row-wise and cell-wise, for :meth:`refutes`."""

    def __init__(self, entry_cell: np.ndarray, entry_row: np.ndarray, entry_value: np.ndarray, cell_ptr: np.ndarray,
                 num_rows: int):
        order = np.argsort(entry_row, kind="stable")
        self.row_cell = entry_cell[order]
        self.row_value = entry_value[order]
        self.row_ptr = np.concatenate(([0], np.cumsum(np.bincount(entry_row, minlength=num_rows)))).astype(np.int64)
        self.cell_ptr, self.cell_row = cell_ptr.astype(np.int64), entry_row.astype(np.int64)

    def refutes(self, lower: np.ndarray, upper: np.ndarray, cell: int, moved_by: float, held: int) -> bool:
        """Whether no movement within ``lower``/``upper`` (one entry per cell; not changed) moves ``cell`` by
        exactly ``moved_by`` with cell ``held`` still: True is a proof; False concludes nothing."""
        lower, upper = lower.copy(), upper.copy()
        lower[held] = upper[held] = 0.0
        lower[cell] = upper[cell] = moved_by
        tolerance = 1e-6 * max(1.0, abs(moved_by))
        return bool(_contradiction(self.row_ptr, self.row_cell, self.row_value, self.cell_ptr, self.cell_row,
                                   lower, upper, np.array([cell, held], dtype=np.int64), tolerance,
                                   MAX_VISITS))
