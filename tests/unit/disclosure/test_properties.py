"""Property: on any small dataset and any k, l and budget the engine accepts, the extract is k-anonymous and
l-diverse by a plain group-by, drops no more than the budget, and keeps every other record."""

from __future__ import annotations

from collections import Counter

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.extracts import ExtractError, ExtractSpec, anonymise

from .plain import assert_safe

rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 90)),
        st.sampled_from(["Male", "Female", "Other"]),
        st.sampled_from(["UK", "Albania", "Vietnam", "Eritrea", "Sudan", "Atlantis", None]),
        st.sampled_from(["Kent", "Essex", "Police Scotland", "Gwent"]),
        st.sampled_from(["Labour", "Sexual", "Criminal", "Not specified"]),
    ),
    min_size=1, max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, k=st.integers(1, 8), l=st.integers(1, 3), budget=st.sampled_from([0.0, 0.05, 0.2, 1.0]))
def test_any_small_dataset(rows, k, l, budget):  # noqa: E741
    frame = pl.DataFrame(rows, schema={"age": pl.Int64, "gender": pl.String, "nationality": pl.String,
                                       "police_force_area": pl.String, "type": pl.String}, orient="row")
    qis = ("age", "gender", "nationality", "police_force_area")
    try:
        extract = anonymise(frame, ExtractSpec(qis, sensitive=("type",), k=k, l=l, max_suppression=budget))
    except ExtractError as refused:
        assert k > frame.height or l > frame["type"].n_unique() or any(
            frame[q].null_count() == frame.height for q in qis)
        assert refused.field in {"k", "l", "quasi_identifiers"}
        return
    assert_safe(extract.data, qis, ("type",), k, l)
    assert extract.suppressed <= budget * frame.height + 1e-9
    assert extract.data.height + extract.removed == frame.height
    assert extract.removed in (0, extract.suppressed)
    # Only whole records go: what is kept of the sensitive column is a part of what came in.
    assert not Counter(extract.data["type"].to_list()) - Counter(frame["type"].to_list())
