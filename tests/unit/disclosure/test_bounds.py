"""Refuting a release by bounds propagation (ADR 0063): a refutation must be a proof. Each "refuted" is checked
against HiGHS on the same system (no movement exists), and pruning's patterns are the same with and without it."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from disclosure import bounds, compiled, tables
from disclosure.policy import ReleasePolicy
from disclosure.tables import TableSpec, build_table, protect, relations_of

from .helpers import suppressed
from .test_prune import random_table


def system(seed: int, dims=("a", "b", "c"), sizes=(4, 3, 3), scale: float = 1.0):
    """A table's whole system as a programme: every cell free, each at its true value (times ``scale``: sums of
    money carry rounding that counts do not)."""
    df = random_table(seed, sizes, dims)
    table = build_table(df, TableSpec("t", dims), ReleasePolicy(), {})
    keys = list(table.cells)
    for c in table.cells.values():
        c.value *= scale
    model = tables._Perturbation(keys, {k: table.cells[k].value for k in keys}, relations_of(table),
                                 dict.fromkeys(keys, 1.0))
    refuter = bounds.Refuter(model.entry_cell, model.entry_row, model.entry_value, model.ptr, model.num_rows)
    return table, keys, model, refuter


def refutes(model, refuter, cell: int, amount: float, held: int) -> bool:
    return refuter.refutes(-model.upper[model.n:], model.upper[: model.n], cell, amount, held)


def test_a_cell_whose_row_is_otherwise_held_is_refuted_at_once():
    """In a 2 × 2 table with margins, hold one interior cell: the cell beside it can still move (with the other
    row), but once its row total and its column partner are held too, nothing can move it."""
    table, keys, model, refuter = system(3, ("a", "b"), (2, 2))
    interior = [k for k in keys if len(k) == 2]
    target, beside = interior[0], next(k for k in interior[1:] if k[0] == interior[0][0])
    i, j = model.index[target], model.index[beside]
    assert not refutes(model, refuter, i, 1.0, j)
    assert model.move(target, 1.0, True, 10) is not None
    row_total = next(k for k in keys if k == (target[0],))
    model.hold(row_total)
    assert refutes(model, refuter, i, 1.0, j)
    model.hold(beside)
    assert model.move(target, 1.0, True, 10) is None


@pytest.mark.parametrize("scale", [1.0, 1_000_003.37, 1e12 + 0.37])
@pytest.mark.parametrize("seed", range(4))
def test_every_refutation_is_confirmed_by_the_programme(seed, scale):
    """Random holds and targets on a three-way table: whenever propagation refutes, HiGHS finds no movement
    either (the converse need not hold: propagation concludes nothing when it finds no contradiction). Also with
    figures in the millions and movements of a few units, where the sums' rounding exceeds a fixed tolerance."""
    table, keys, model, refuter = system(seed, scale=scale)
    rng = np.random.default_rng(seed)
    refuted = 0
    for _ in range(60):
        for k in keys:
            model.release(k, table.cells[k].value)
        held = rng.choice(len(keys), size=int(rng.integers(1, len(keys) // 2)), replace=False)
        for h in held[1:]:
            model.hold(keys[h])
        target = int(rng.choice([c for c in range(len(keys)) if c not in held]))
        amount = float(rng.choice([0.5, 1.0, 3.0, 10.0])) * (1 if rng.random() < 0.5 else -1)
        if amount < 0 and table.cells[keys[target]].value < -amount:
            continue
        model.hold(keys[held[0]])
        if refutes(model, refuter, target, amount, int(held[0])):
            refuted += 1
            assert model.move(keys[target], abs(amount), amount > 0, 10) is None
    assert refuted > 5


def test_refutation_leaves_the_bounds_it_was_given_alone():
    table, keys, model, refuter = system(1)
    lower, upper = -model.upper[model.n:], model.upper[: model.n].copy()
    before = lower.copy(), upper.copy()
    refuter.refutes(lower, upper, 0, 1.0, 1)
    assert np.array_equal(lower, before[0]) and np.array_equal(upper, before[1])


@pytest.mark.parametrize("seed", range(4))
def test_pruning_publishes_the_same_cells_with_and_without_refutation(seed, monkeypatch):
    dims = ("a", "b", "c")
    df = random_table(seed + 10, (5, 4, 3), dims)
    spec = [TableSpec("t", dims)]
    with_refutation = protect(df, spec, prune=True)
    monkeypatch.setattr(tables._Witnesses, "refuted", lambda self, refuter, cell: False)
    without = protect(df, spec, prune=True)
    assert suppressed(with_refutation) == suppressed(without)


def test_kernels_compile_without_a_writable_cache(monkeypatch):
    """A read-only image with no NUMBA_CACHE_DIR: numba refuses to cache; the kernel compiles per process."""
    real = numba.njit

    def refusing(*args, **kwargs):
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", refusing)
    doubled = compiled.jit(lambda x: 2 * x)
    assert doubled(21) == 42


def test_warming_compiles_each_kernel_for_the_types_the_engine_passes():
    from disclosure.bounds import _contradiction
    from disclosure.cubes import _cheapest_cube

    compiled.warm()
    before = len(_cheapest_cube.signatures), len(_contradiction.signatures)
    protect(random_table(5, (5, 4, 3), ("a", "b", "c")), [TableSpec("t", ("a", "b", "c"))], prune=True)
    assert (len(_cheapest_cube.signatures), len(_contradiction.signatures)) == before


def test_importing_the_engine_leaves_numba_until_a_table_is_protected():
    """Every web process imports disclosure.tables (through releases.engine); Numba and LLVM load only when a
    process first protects a table."""
    import subprocess
    import sys

    script = ("import sys, disclosure.tables as t; assert 'numba' not in sys.modules, 'imported early'; "
              "import polars as pl; "
              "t.protect(pl.DataFrame({'a': ['x'] * 3 + ['y'] * 20}), [t.TableSpec('t', ('a',))]); "
              "assert 'numba' in sys.modules")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
