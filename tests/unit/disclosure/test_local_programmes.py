"""Secondary suppression over the cells near each primary, grown by pricing (ADR 0047): as safe as the whole system,
and as cheap movement by movement. Programmes only, so cubes are off (ADR 0057)."""

from __future__ import annotations

import numpy as np
import pytest

from disclosure import tables
from disclosure.tables import TableSpec, protect

from .helpers import audit, flat_parents, frame


def wide_three_way(seed: int):
    """A three-way table with a large first dimension (restricted programmes start from a few of its nodes)."""
    rng = np.random.default_rng(seed)
    counts = {}
    for i in range(tables.SMALL_DIMENSION + 6):
        scale = 40 / (i + 1)
        for b in "xyzw":
            for c in "pq":
                counts[(f"N{i:02d}", b, c)] = int(rng.poisson(scale)) + (1 if i < 3 else 0)
    return frame({k: v for k, v in counts.items() if v}, dims=("a", "b", "c"))


def assert_safe(release, df):
    iv = audit([release.published()], flat_parents(df, ["a", "b", "c"]))
    checked = 0
    for k, c in release.tables[0].cells.items():
        if c.primary:
            assert iv[k][1] - iv[k][0] >= c.required - 1e-6, c.label
            checked += 1
    assert checked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_restricted_programmes_keep_every_primary_protected(seed, monkeypatch):
    monkeypatch.setattr(tables, "LOCAL_FROM_CELLS", 0)
    df = wide_three_way(seed)
    for local in (True, False):
        assert_safe(protect(df, [TableSpec("abc", ("a", "b", "c"))], local=local, cubes=False), df)


def test_each_restricted_movement_costs_what_the_whole_system_costs(monkeypatch):
    """Pricing stops only when no cell outside would lower the cost: the restricted optimum is the whole one's."""
    monkeypatch.setattr(tables, "LOCAL_FROM_CELLS", 0)
    compared = []
    whole = tables._Perturbation.move_many

    def both(self, targets, up, seconds):
        z_local = self.move_local(targets, up, seconds, rounds=50)
        locality, self.locality = self.locality, None
        z_whole = whole(self, targets, up, seconds)
        self.locality = locality
        if z_local is not None and z_whole is not None:
            cost = self.cost[: self.n]
            compared.append((float(cost @ np.abs(z_local)), float(cost @ np.abs(z_whole))))
        return z_whole

    monkeypatch.setattr(tables._Perturbation, "move_many", both)
    protect(wide_three_way(4), [TableSpec("abc", ("a", "b", "c"))], local=True, cubes=False)
    assert compared
    for local_cost, whole_cost in compared:
        assert local_cost == pytest.approx(whole_cost, rel=1e-6, abs=1e-6)


def test_a_restricted_programme_without_an_answer_falls_back_to_the_whole_system(monkeypatch):
    monkeypatch.setattr(tables, "SMALL_DIMENSION", 1)
    monkeypatch.setattr(tables, "PARTNERS", 0)
    monkeypatch.setattr(tables, "LOCAL_FROM_CELLS", 0)
    fell_back = []
    whole = tables._Perturbation.move_many

    def counting(self, targets, up, seconds):
        if self.move_local(targets, up, seconds) is None:
            fell_back.append(targets)
        return whole(self, targets, up, seconds)

    monkeypatch.setattr(tables._Perturbation, "move_many", counting)
    df = wide_three_way(5)
    assert_safe(protect(df, [TableSpec("abc", ("a", "b", "c"))], local=True, cubes=False), df)
    assert fell_back
