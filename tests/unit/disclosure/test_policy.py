"""The release policy: defaults named after their sources; a policy that contradicts itself is refused (§15)."""

import pytest

from disclosure.policy import PolicyError, ReleasePolicy


def test_defaults_are_the_named_sources():
    p = ReleasePolicy()
    assert p.threshold == 10  # ONS / ACRO
    assert p.rounding == "none" and p.rounding_base == 5
    assert p.dominance_nk == (2, 85.0) and p.p_percent == 10.0
    assert "ACRO" in p.sources["threshold"]


def test_opensafely_redacts_seven_or_fewer_and_rounds_to_five():
    p = ReleasePolicy.opensafely()
    assert (p.rounding, p.redact_at_or_below, p.threshold, p.rounding_base) == ("redact_then_round", 7, 8, 5)


@pytest.mark.parametrize("changes, field, words", [
    ({"threshold": 0}, "threshold", "at least 1"),
    ({"threshold": 2.5}, "threshold", "whole number"),
    ({"threshold": True}, "threshold", "whole number"),
    ({"rounding": "ceiling"}, "rounding", "rounding must be"),
    ({"rounding_base": 1, "rounding": "base"}, "rounding_base", "at least 2"),
    ({"dominance_nk": (0, 80)}, "dominance_nk", "n must be"),
    ({"dominance_nk": (2, 120)}, "dominance_nk", "k must be"),
    ({"dominance_nk": "2,85"}, "dominance_nk", "pair"),
    ({"p_percent": 0}, "p_percent", "above 0"),
    ({"protection_fraction": 1.5}, "protection_fraction", "between 0 and 1"),
    ({"protection_absolute": -1}, "protection_absolute", "not be negative"),
    ({"protection_fraction": 0, "protection_absolute": 0}, "protection_absolute", "recovered exactly"),
    ({"cost": "cheap"}, "cost", "cost must be"),
    ({"time_budget_seconds": 0}, "time_budget_seconds", "positive"),
])
def test_impossible_values_are_refused_naming_the_field(changes, field, words):
    with pytest.raises(PolicyError) as e:
        ReleasePolicy(**changes)
    assert e.value.field == field and words in e.value.message and e.value.clause == "§15"


def test_threshold_and_redaction_that_disagree_are_refused():
    with pytest.raises(PolicyError) as e:
        ReleasePolicy(rounding="redact_then_round", threshold=10)
    assert "choose one" in e.value.message and e.value.field == "threshold"


def test_rounding_coarser_than_the_threshold_is_refused():
    with pytest.raises(PolicyError, match="coarser than the threshold"):
        ReleasePolicy(rounding="base", rounding_base=20)


def test_a_base_without_rounding_is_refused():
    with pytest.raises(PolicyError, match="rounding is none"):
        ReleasePolicy(rounding_base=10)


def test_every_problem_is_named_at_once():
    with pytest.raises(PolicyError) as e:
        ReleasePolicy(threshold=0, p_percent=150)
    assert "threshold" in e.value.message and "p_percent" in e.value.message


def test_required_protection_is_the_larger_of_fraction_and_absolute():
    p = ReleasePolicy(protection_fraction=0.3, protection_absolute=3)
    assert p.required_protection(5) == 3
    assert p.required_protection(100) == pytest.approx(30)
