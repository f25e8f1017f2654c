"""The load test's figures per endpoint from Locust's CSV (bench/out/load_stats.csv), and its verdict for CI.

    .venv/bin/python bench/load/summary.py bench/out/load_stats.csv [--web-cpu-seconds S]
    .venv/bin/python bench/load/summary.py --cpu PID...   # CPU seconds used so far by these processes and children

Prints requests, errors, throughput, median and 95th percentile for each endpoint and in all, with the machine's
load average beside them (timings on a shared machine mean little without it), and, given the CPU seconds the web
instances used during the run, their CPU time per request: the cost of a request, which other work on the machine
does not inflate as it does response times. Exits 1 when any request failed, or when nothing was measured; never on
a time: CI machines are too noisy for a time to be a verdict (issue 14, ADR 46)."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path


def rows(path: str) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def line(name: str, row: dict[str, str]) -> str:
    return (f"{name:<28} {int(row['Request Count']):>7} {int(row['Failure Count']):>7} "
            f"{float(row['Requests/s']):>8.2f} {float(row['Median Response Time']):>8.0f} {float(row['95%']):>8.0f}")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of each process, its children still running, and those it has reaped (gunicorn's
    master and its workers)."""
    ticks = 0
    for pid in pids:
        ticks += _ticks(pid, reaped=True)
        children = Path(f"/proc/{pid}/task/{pid}/children")
        for child in children.read_text().split() if children.exists() else []:
            ticks += _ticks(int(child), reaped=True)
    return ticks / os.sysconf("SC_CLK_TCK")


def _ticks(pid: int, *, reaped: bool) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    # After the command: state is field 3 of stat(5), so utime (14) .. cstime (17) are 11..14 here.
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return utime + stime + (cutime + cstime if reaped else 0)


def main(path: str, web_cpu_seconds: float | None = None) -> int:
    stats = rows(path)
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    if total is None or int(total["Request Count"]) == 0:
        print(f"load: nothing was measured ({path})")
        return 1
    print(f"{'endpoint':<28} {'requests':>7} {'errors':>7} {'req/s':>8} {'median':>8} {'p95 ms':>8}")
    for row in sorted((row for row in stats if row["Name"] != "Aggregated"), key=lambda row: row["Name"]):
        print(line(row["Name"], row))
    print(line("all", total))
    if web_cpu_seconds is not None:
        per_request = 1000 * web_cpu_seconds / int(total["Request Count"])
        print(f"web instances' CPU: {web_cpu_seconds:.1f} s, {per_request:.0f} ms per request")
    one, five, fifteen = os.getloadavg()
    print(f"load average at the end: {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores")
    failures = int(total["Failure Count"])
    if failures:
        print(f"load: FAILED, {failures} of {total['Request Count']} requests were errors:")
        failures_csv = Path(path).with_name(Path(path).name.replace("_stats.csv", "_failures.csv"))
        for row in rows(str(failures_csv)) if failures_csv.exists() else []:
            print(f"  {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error'][:300]}")
        return 1
    print(f"load: no errors in {total['Request Count']} requests")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("stats", nargs="?", default="bench/out/load_stats.csv")
    parser.add_argument("--web-cpu-seconds", type=float)
    parser.add_argument("--cpu", type=int, nargs="+", metavar="PID")
    args = parser.parse_args()
    if args.cpu:
        print(f"{cpu_seconds(args.cpu):.2f}")
        sys.exit(0)
    sys.exit(main(args.stats, args.web_cpu_seconds))
