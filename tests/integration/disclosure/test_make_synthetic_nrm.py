"""`manage.py make_synthetic_nrm` (issue 12 item 2): a thin wrapper over disclosure.synthetic writing CSV or
Parquet by extension; bad arguments refused with a message."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from disclosure import synthetic


def test_parquet_same_as_the_generator(tmp_path, capsys):
    out = tmp_path / "nrm.parquet"
    call_command("make_synthetic_nrm", "--rows", "500", "--seed", "4", "--out", str(out))
    assert pl.read_parquet(out).equals(synthetic.generate(500, seed=4))
    assert "Wrote 500 synthetic NRM referrals" in capsys.readouterr().out


def test_csv_published_totals_without_rows(tmp_path):
    out = tmp_path / "nrm.csv"
    call_command("make_synthetic_nrm", "--out", str(out))
    frame = pl.read_csv(out)
    assert frame.height == sum(synthetic.PUBLISHED_TOTALS.values())
    assert tuple(frame.columns) == synthetic.COLUMNS


@pytest.mark.parametrize("args,words", [
    (["--out", "x.xlsx"], ".csv or .parquet"),
    (["--rows", "-1", "--out", "x.csv"], "--rows"),
    (["--rows", "100000000", "--out", "x.csv"], "--rows"),
    (["--seed", "-3", "--out", "x.csv"], "--seed"),
])
def test_bad_arguments(args, words, tmp_path):
    with pytest.raises(CommandError, match=words):
        call_command("make_synthetic_nrm", *args)
