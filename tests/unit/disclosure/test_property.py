"""Property: for random small tables, the independent auditor finds every released count at or above the
threshold (or suppressed, or a safe zero) and every primary cell's interval at least its protection level (§15).

The primary cells and their protection levels are worked out here from plain group-bys, not taken from the
engine; the relations are rebuilt by disclosure.lp_audit from the cells and the parent maps.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.policy import ReleasePolicy
from disclosure.tables import TableSpec, protect

from .helpers import audit, flat_parents, small_tables, true_counts

THRESHOLD = 10



def required(v):
    return max(3.0, 0.3 * v)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables(), st.booleans())
def test_released_counts_are_safe_and_primaries_protected(table, two_releases):
    df, dims = table
    policy = ReleasePolicy()
    if two_releases:
        first = protect(df, [TableSpec("first", tuple(dims[:2]))], policy)
        second = protect(df, [TableSpec("second", tuple(dims))], policy, earlier=[first])
        releases = [first.published(), second.published()]
    else:
        releases = [protect(df, [TableSpec("t", tuple(dims))], policy).published()]
    truth = true_counts(df, dims)
    for published in releases:
        for key, value in published.items():
            true = truth.get(key, 0.0)
            if value is not None:
                assert value == true
                assert value >= THRESHOLD or value == 0, key
    iv = audit(releases, flat_parents(df, dims))
    for published in releases:
        for key in published:
            true = truth.get(key, 0.0)
            if 0 < true < THRESHOLD:
                lo, hi = iv[key]
                assert lo <= true + 1e-6 and hi >= true - 1e-6
                assert hi - lo >= required(true) - 1e-6, (key, true, lo, hi)
