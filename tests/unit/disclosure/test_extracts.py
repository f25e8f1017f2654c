"""Extracts (issue 12 item 4, §15) checked independently of the engine: a plain group-by over the output rows
(plain.py) finds every class at least k and every class with at least l distinct sensitive values; nothing but
the records of small classes is removed; every quasi-identifier is its original value generalised to the level
reported; the least information loss is found (checked by brute force over the lattice in plain Python)."""

from __future__ import annotations

import itertools
from collections import Counter

import polars as pl
import pytest

from disclosure import hierarchies as h
from disclosure.extracts import KNOWN_DIRECT_IDENTIFIERS, ExtractSpec, anonymise
from disclosure.synthetic import generate

from .plain import assert_safe, classes

QIS = ("age", "gender", "nationality", "police_force_area", "referral_date")


@pytest.fixture(scope="module")
def nrm():
    return generate(20_000, seed=7)


@pytest.mark.parametrize("k,l,budget", [(5, 2, 0.05), (10, 3, 0.02), (2, 1, 0.0), (25, 2, 0.1)])
def test_every_class_at_least_k_and_l_diverse(nrm, k, l, budget):  # noqa: E741
    spec = ExtractSpec(QIS, sensitive=("exploitation_type",), k=k, l=l, max_suppression=budget)
    extract = anonymise(nrm, spec)
    assert_safe(extract.data, QIS, ("exploitation_type",), k, l)
    assert extract.data.height + extract.removed == nrm.height
    assert extract.removed in (0, extract.suppressed)
    assert extract.suppressed <= budget * nrm.height
    assert extract.after.smallest_class >= k
    assert extract.after.records == extract.data.height
    assert extract.after.classes == len(classes(extract.data, QIS))
    assert extract.after.sample_uniques == 0 and extract.after.records_at_risk == 0
    assert extract.after.records_not_diverse == 0


def test_two_sensitive_columns_each_l_diverse(nrm):
    sensitive = ("exploitation_type", "reasonable_grounds_decision")
    extract = anonymise(nrm, ExtractSpec(QIS, sensitive=sensitive, k=5, l=2))
    assert_safe(extract.data, QIS, sensitive, 5, 2)


def test_direct_identifiers_always_dropped(nrm):
    extract = anonymise(nrm.with_columns(name=pl.lit("A Person")),
                        ExtractSpec(("age", "gender"), direct_identifiers=("first_responder_organisation",)))
    assert "nrm_reference" in KNOWN_DIRECT_IDENTIFIERS
    for column in ("nrm_reference", "name", "first_responder_organisation"):
        assert column not in extract.data.columns
    assert set(extract.dropped) == {"nrm_reference", "name", "first_responder_organisation"}


def test_values_are_the_originals_generalised_and_other_columns_untouched(nrm):
    extract = anonymise(nrm, ExtractSpec(QIS, sensitive=("exploitation_type",)))
    mapping = {}
    for q in QIS:
        hierarchy = h.hierarchy_for(q, nrm.schema[q])
        distinct = nrm[q].unique()
        labels = hierarchy.generalise(distinct, hierarchy.levels.index(extract.levels[q]))
        mapping[q] = dict(zip(distinct.to_list(), labels.to_list(), strict=True))
    # The extract keeps the records' order: walk both frames together; each extract row is the next
    # original row that it matches.
    out = extract.data.iter_rows(named=True)
    row = next(out, None)
    matched = 0
    for original in nrm.iter_rows(named=True):
        if row is None:
            break
        withheld = all(row[q] == "*" for q in QIS)
        if (withheld or all(row[q] == mapping[q][original[q]] for q in QIS)) and all(
                row[c] == original[c] for c in extract.data.columns if c not in QIS):
            matched += 1
            row = next(out, None)
    assert row is None and matched == extract.data.height
    assert extract.data.filter(pl.col("age") == "*").height == extract.suppressed > 0


def test_suppresses_only_records_of_unsafe_classes_of_the_levels_chosen():
    # 12 records alike, 2 outliers: at k=3 the outliers go (2/14 within a 20% budget), nothing is generalised.
    frame = pl.DataFrame({"gender": ["Male"] * 12 + ["Female", "Other"], "x": list(range(14))})
    extract = anonymise(frame, ExtractSpec(("gender",), k=3, max_suppression=0.2))
    assert extract.levels == {"gender": "value"}
    assert extract.suppressed == extract.removed == 2 and extract.data["x"].to_list() == list(range(12))
    # With no budget the column is generalised instead.
    extract = anonymise(frame, ExtractSpec(("gender",), k=3, max_suppression=0.0))
    assert extract.levels == {"gender": "*"} and extract.suppressed == 0 and extract.data.height == 14


def test_suppressed_records_kept_with_quasi_identifiers_withheld_when_they_make_a_safe_class():
    frame = pl.DataFrame({"gender": ["Male"] * 12 + ["Female", "Other", "Not specified"],
                          "age": [30] * 12 + [40, 50, 60], "x": list(range(15))})
    extract = anonymise(frame, ExtractSpec(("gender", "age"), k=3, max_suppression=0.2))
    assert extract.levels == {"gender": "value", "age": "age"}
    assert extract.suppressed == 3 and extract.removed == 0
    assert extract.data.rows()[-3:] == [("*", "*", 12), ("*", "*", 13), ("*", "*", 14)]
    assert extract.after.classes == 2 and extract.after.smallest_class == 3
    # Asked not to, or when they would not make a safe class, they are removed.
    removed = anonymise(frame, ExtractSpec(("gender", "age"), k=3, max_suppression=0.2, withhold=False))
    assert removed.removed == 3 and removed.data.height == 12


def test_risk_report_before(nrm):
    extract = anonymise(nrm, ExtractSpec(QIS, sensitive=("exploitation_type",)))
    sizes = Counter(g["size"] for g in classes(nrm, QIS).values())
    before = extract.before
    assert before.records == nrm.height
    assert before.classes == sum(sizes.values())
    assert before.sample_uniques == sizes.get(1, 0)
    assert before.records_at_risk == sum(size * n for size, n in sizes.items() if size < 5)
    assert before.smallest_class == min(sizes)
    assert sum(r for _, r in before.class_sizes.values()) == nrm.height
    assert before.information_loss == 0.0 < extract.after.information_loss <= 1.0
    assert set(extract.as_dict()) >= {"before", "after", "levels", "suppressed", "k", "l"}


# --- least information loss, by brute force in plain Python --------------------------------------------------

def _ncp_loss(frame, qis, sensitive, node, k, l, budget):  # noqa: E741
    """Plain NCP of one node: None if it needs more than the budget, else the average penalty."""
    hier = {q: h.hierarchy_for(q, frame.schema[q]) for q in qis}
    distinct = {q: frame[q].unique().to_list() for q in qis}
    generalised = {}
    for q in qis:
        labels = hier[q].generalise(pl.Series(distinct[q], dtype=frame.schema[q]), node[q]).to_list()
        mapping = dict(zip(distinct[q], labels, strict=True))
        covered = Counter(labels)
        generalised[q] = (mapping, {lab: (covered[lab] - 1) / (len(distinct[q]) - 1) if len(distinct[q]) > 1
                                    else 0.0 for lab in covered})
    rows = [tuple(generalised[q][0][r[q]] for q in qis) for r in frame.iter_rows(named=True)]
    sens = [tuple(r[s] for s in sensitive) for r in frame.iter_rows(named=True)]
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(rows):
        groups.setdefault(key, []).append(i)
    suppressed, penalty = 0, 0.0
    for key, members in groups.items():
        unsafe = len(members) < k or any(len({sens[i][j] for i in members}) < l for j in range(len(sensitive)))
        if unsafe:
            suppressed += len(members)
            penalty += len(members) * len(qis)
        else:
            penalty += len(members) * sum(generalised[q][1][key[n]] for n, q in enumerate(qis))
    if suppressed > budget * frame.height + 1e-9:
        return None
    return penalty / (frame.height * len(qis))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_least_information_loss_against_brute_force(seed):
    frame = generate(400, seed=seed).select("age", "gender", "police_force_area", "exploitation_type")
    qis, sensitive = ("age", "gender", "police_force_area"), ("exploitation_type",)
    extract = anonymise(frame, ExtractSpec(qis, sensitive=sensitive, k=4, l=2, max_suppression=0.05))
    heights = [h.hierarchy_for(q, frame.schema[q]).height for q in qis]
    losses = []
    for levels in itertools.product(*(range(x + 1) for x in heights)):
        loss = _ncp_loss(frame, qis, sensitive, dict(zip(qis, levels, strict=True)), 4, 2, 0.05)
        if loss is not None:
            losses.append(loss)
    assert extract.after.information_loss == pytest.approx(min(losses), abs=1e-9)
