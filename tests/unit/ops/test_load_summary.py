"""The load test's verdict (bench/load/summary.py, ADR 46): any error response fails it, however fast; no time ever
does, however slow; nothing measured fails it too."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("load_summary", ROOT / "bench" / "load" / "summary.py")
summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summary)

FIELDS = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Requests/s", "95%"]


def stats(tmp_path: Path, rows: list[tuple[str, int, int, float]], failures: list[tuple[str, str, int]] = ()) -> str:
    path = tmp_path / "load_stats.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for name, requests, failed, p95 in rows:
            writer.writerow(["GET", name, requests, failed, p95 / 2, requests / 60, p95])
    with open(tmp_path / "load_failures.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Method", "Name", "Error", "Occurrences"])
        writer.writerows([("POST", name, error, count) for name, error, count in failures])
    return str(path)


def test_slow_but_without_errors_passes_and_prints_each_endpoint(tmp_path, capsys):
    path = stats(tmp_path, [("api: acknowledge", 20, 0, 9000), ("page: My work", 60, 0, 13000),
                            ("Aggregated", 80, 0, 11000)])
    assert summary.main(path, web_cpu_seconds=8.0) == 0
    out = capsys.readouterr().out
    assert "api: acknowledge" in out and "page: My work" in out and "100 ms per request" in out
    assert "load average" in out and "no errors in 80 requests" in out


def test_one_error_fails_it_naming_the_endpoint_and_the_error(tmp_path, capsys):
    path = stats(tmp_path, [("api: acknowledge", 20, 1, 40), ("Aggregated", 20, 1, 40)],
                 failures=[("api: acknowledge", "HTTPError('409 Client Error: Conflict')", 1)])
    assert summary.main(path) == 1
    out = capsys.readouterr().out
    assert "FAILED, 1 of 20 requests were errors" in out and "1x POST api: acknowledge: HTTPError('409" in out


def test_nothing_measured_fails_it(tmp_path):
    assert summary.main(stats(tmp_path, [("Aggregated", 0, 0, 0)])) == 1
