"""The bench's equal-terms policy (ADR 0055): pytauargus's FREQ(10,30) gives each unsafe count lower and upper
protection levels of max(1, 30%); ``TAU_ARGUS_LEVELS`` must ask exactly that of our engine, and a pattern the
engine makes at those levels must pass Tau-Argus's per-side test (the bench's ``shortfalls``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from disclosure.policy import ReleasePolicy
from disclosure.tables import TableSpec, protect

from .helpers import frame
from .test_prune import LOOSE

BENCH = Path(__file__).resolve().parents[3] / "bench" / "disclosure_tables.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("disclosure_tables_under_test", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("count", range(1, 10))
def test_each_side_is_tau_argus_level(bench, count):
    policy = ReleasePolicy(**bench.TAU_ARGUS_LEVELS)
    width = policy.required_protection(count)
    side = max(1.0, 0.3 * count)  # Tau-Argus's LPL = UPL, read from its engine
    assert width / 2 == pytest.approx(side)
    assert min(count, width / 2) == pytest.approx(side)  # the engine's downward share (ADR 30)


def test_pattern_at_tau_levels_passes_tau_argus_test(bench):
    policy = ReleasePolicy(**bench.TAU_ARGUS_LEVELS)
    release = protect(frame(LOOSE), [TableSpec("t", ("a", "b"))], policy, prune=True)
    width, sides = bench.shortfalls(release)
    assert (width, sides) == ([], [])
    assert release.suppressed()


def test_a_pattern_short_on_one_side_is_found(bench):
    policy = ReleasePolicy(**bench.TAU_ARGUS_LEVELS)
    release = protect(frame(LOOSE), [TableSpec("t", ("a", "b"))], policy)
    primaries = {c.key for t in release.tables for c in t.cells.values() if c.primary}
    width, sides = bench.shortfalls(release, suppressed=primaries)  # primaries alone: the margins give them away
    assert sides and width
