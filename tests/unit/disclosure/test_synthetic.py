"""The synthetic NRM generator (issue 12 item 2): published totals, categories, determinism."""

from __future__ import annotations

import polars as pl
import pytest

from disclosure import synthetic
from disclosure.hierarchies import NATIONALITIES, POLICE_FORCES


@pytest.fixture(scope="module")
def published():
    return synthetic.generate(seed=11)


def test_annual_totals_are_the_published_ones(published):
    counts = dict(published["year"].value_counts().iter_rows())
    assert counts == {2019: 10_600, 2020: 10_600, 2021: 12_700, 2022: 16_900, 2023: 17_000, 2024: 19_100}


def test_rows_shared_out_in_the_same_proportions():
    per_year = synthetic.rows_per_year(1_000)
    assert sum(per_year.values()) == 1_000
    assert per_year[2024] > per_year[2022] > per_year[2021] > per_year[2019]
    assert synthetic.generate(1_000, seed=1).height == 1_000
    assert synthetic.generate(0, seed=1).height == 0


def test_fields_and_categories(published):
    assert tuple(published.columns) == synthetic.COLUMNS
    assert set(published["age_group"].unique()) == set(synthetic.AGE_GROUPS)
    assert set(published["gender"].unique()) <= set(synthetic.GENDERS)
    assert set(published["exploitation_type"].unique()) == set(synthetic.EXPLOITATION_TYPES)
    assert set(published["exploitation_location"].unique()) == set(synthetic.LOCATIONS)
    assert set(published["police_force_area"].unique()) == set(POLICE_FORCES)
    assert set(published["nationality"].unique()) <= set(NATIONALITIES)
    assert set(published["competent_authority"].unique()) == set(synthetic.COMPETENT_AUTHORITIES)
    assert set(published["quarter"].unique()) == {"Q1", "Q2", "Q3", "Q4"}
    assert published["nrm_reference"].n_unique() == published.height


def test_nationalities_zipf_like_led_by_the_published_five(published):
    top = published["nationality"].value_counts(sort=True)["nationality"].to_list()
    assert top[:5] == ["UK", "Albania", "Vietnam", "Eritrea", "Sudan"]
    assert published["nationality"].n_unique() >= 90


def test_consistency(published):
    ages = published.group_by("age_group").agg(pl.col("age").min().alias("lo"), pl.col("age").max().alias("hi"),
                                               pl.col("age").null_count().alias("nulls"), pl.len())
    by = {r["age_group"]: r for r in ages.iter_rows(named=True)}
    assert by["Child"]["hi"] <= 17 and by["Adult"]["lo"] >= 18
    assert by["Not specified"]["nulls"] == by["Not specified"]["len"]
    # County lines only with criminal exploitation; decisions' dates only when decided, after the referral.
    assert published.filter(pl.col("county_lines") & ~pl.col("exploitation_type").is_in(
        list(synthetic.CRIMINAL_TYPES))).height == 0
    assert published.filter(pl.col("reasonable_grounds_date") < pl.col("referral_date")).height == 0
    assert published.filter((pl.col("conclusive_grounds_decision") != "Pending")
                            & (pl.col("reasonable_grounds_decision") != "Positive")).height == 0
    assert published.filter((pl.col("reasonable_grounds_decision") == "Pending")
                            != pl.col("reasonable_grounds_date").is_null()).height == 0
    quarter = pl.lit("Q") + pl.col("referral_date").dt.quarter().cast(pl.String)
    assert published.filter(pl.col("quarter") != quarter).height == 0
    assert published.filter(pl.col("year") != pl.col("referral_date").dt.year()).height == 0


def test_deterministic_by_seed():
    assert synthetic.generate(2_000, seed=5).equals(synthetic.generate(2_000, seed=5))
    assert not synthetic.generate(2_000, seed=5).equals(synthetic.generate(2_000, seed=6))


def test_write_by_extension(tmp_path):
    frame = synthetic.generate(50, seed=2)
    synthetic.write(frame, str(tmp_path / "x.parquet"))
    assert pl.read_parquet(tmp_path / "x.parquet").equals(frame)
    synthetic.write(frame, str(tmp_path / "x.csv"))
    assert pl.read_csv(tmp_path / "x.csv").height == 50
    with pytest.raises(ValueError, match=".csv or .parquet"):
        synthetic.write(frame, str(tmp_path / "x.xlsx"))
    with pytest.raises(ValueError):
        synthetic.rows_per_year(-1)
