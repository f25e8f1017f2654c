"""Issue 12's "Done when" bench: extracts and tables on the same synthetic NRM data, every peer in the same run.

    python3.11 -m venv /tmp/peers && /tmp/peers/bin/pip install -r bench/requirements-peers.txt
    .venv/bin/python bench/disclosure.py --peers-python /tmp/peers/bin/python [--sizes 100000 1000000]
                                         [--table-rows 100000] [--json FILE]
    .venv/bin/python bench/disclosure.py --sizes 100000 --no-extracts --peers-json FILE [--prune]  # vs saved peers

One frame per size from disclosure.synthetic (seed 2026), shared by both parts:

1. Extracts (ADR 31), by bench/disclosure_extracts.py's functions: k = 5, l = 2 over five quasi-identifiers (age,
   gender, nationality, police force area, referral date), exploitation type sensitive, a 5% budget; time and
   records suppressed for ours on every size, one Polars group-by over the quasi-identifiers (the floor), and
   anjana and anonypy (k = 5, l = 2) on the 100,000-row frame. Targets: 1,000,000 rows under 10 s; at least 10×
   faster than anjana with no more records suppressed.
2. Tables (ADR 30; hypercube movements first, ADR 57), by bench/disclosure_tables.py's functions: its 20 two- and three-way count tables over the
   synthetic frame's police force area, nationality, exploitation type, age group, gender and year, flat (the
   shape pytauargus takes), default policy (threshold 10, protection 30% / at least 3) and again at the levels
   pytauargus's FREQ(10,30) sets (disclosure_tables.TAU_ARGUS_LEVELS, ADR 55), each result audited by
   the independent disclosure.lp_audit; pytauargus OPT and MOD on the same tables, run by --peers-python in a
   subprocess per table (pytauargus lives in the peers' environment). Targets: no more suppressed cells (or
   suppressed value) than OPT, under 1 s per table, faster than OPT in total.

Wall time only (see disclosure_extracts.timed); the load average is printed beside each part. Exit status 1 if an
extract misses k or l, or a table is under-protected.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)
sys.path.insert(1, str(Path(__file__).resolve().parent))

import disclosure_extracts as extracts_bench  # noqa: E402
import disclosure_tables as tables_bench  # noqa: E402
import polars as pl  # noqa: E402

from disclosure import compiled  # noqa: E402
from disclosure.extracts import ExtractSpec, anonymise  # noqa: E402
from disclosure.policy import ReleasePolicy  # noqa: E402
from disclosure.synthetic import generate  # noqa: E402

SEED = 2026
# The tables bench's dimension names, from the synthetic generator's columns.
TABLE_COLUMNS = {"police_force_area": "pfa", "nationality": "nationality", "exploitation_type": "exploitation",
                 "age_group": "age_group", "gender": "gender", "year": "year"}

TAU_SCRIPT = r'''
import contextlib, csv as csvmod, json, sys, tempfile, time
from pytauargus import protect
csv, method, dims = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
with open(csv, newline="") as f:
    records = list(csvmod.DictReader(f))
micro = {d: [r[d] for r in records] for d in dims}
micro["n"] = [1.0] * len(records)
with tempfile.TemporaryDirectory(prefix="sdct_tau_") as wd, contextlib.chdir(wd):
    start = time.perf_counter()
    result = protect(micro, dims, response="n", safety_rules="FREQ(10,30)", suppress=f"{method}(1)", workdir=wd)
    seconds = time.perf_counter() - start
    t = result.tables[0]
    status, values = t.status(), t.unsafe()
secondary = [v for s, v in zip(status, values) if s == "M"]
suppressed = [[r[d].strip() for d in dims] for r in t.rows if r["status"] in ("U", "M")]  # "Total" for a margin
print(json.dumps({"primary": status.count("U"), "secondary": len(secondary), "value": sum(secondary),
                  "seconds": seconds, "suppressed": suppressed}))
'''


def extract_part(frame: pl.DataFrame, peers_python: str | None, peer_rows: int, runs: int) -> tuple[dict, bool]:
    qis, sens, k, l_ = extracts_bench.QIS, extracts_bench.SENSITIVE, extracts_bench.K, extracts_bench.L
    spec = ExtractSpec(qis, sensitive=(sens,), k=k, l=l_, max_suppression=extracts_bench.BUDGET)
    runs = runs if frame.height <= 200_000 else 1
    ours_s, extract = extracts_bench.timed(lambda: anonymise(frame, spec), runs)
    min_class, min_distinct = extracts_bench.check(extract.data)
    floor_s, _ = extracts_bench.timed(lambda: frame.group_by(list(qis)).len(), max(runs, 3))
    row = {"rows": frame.height, "load_average": round(os.getloadavg()[0], 2), "ours_s": round(ours_s, 3),
           "ours_suppressed": extract.suppressed, "ours_removed": extract.removed, "ours_levels": extract.levels,
           "ours_loss": round(extract.after.information_loss, 4), "ours_min_class": min_class,
           "ours_min_distinct": min_distinct, "floor_group_by_s": round(floor_s, 4)}
    print(f"extract, {frame.height:,} rows (load {row['load_average']:.1f}): ours {ours_s:.2f} s, "
          f"{extract.suppressed:,} suppressed ({extract.removed:,} removed), loss {row['ours_loss']}, smallest "
          f"class {min_class}, fewest distinct {min_distinct}; floor group-by {floor_s:.4f} s", flush=True)
    if peers_python and frame.height == peer_rows:
        with tempfile.TemporaryDirectory() as folder:
            csv, hier = extracts_bench.peer_inputs(frame, Path(folder))
            for which in ("anjana", "anonypy"):
                peer = extracts_bench.run_peer(peers_python, which, csv, hier, 1800)
                row[which] = peer
                if "error" in peer:
                    print(f"    {which}: {peer['error']}", flush=True)
                    continue
                print(f"    {which} {peer['seconds']:.2f} s ({peer['seconds'] / ours_s:.1f}x ours), "
                      f"{peer['suppressed']:,} records removed", flush=True)
    return row, min_class < k or min_distinct < l_


def table_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(c).cast(pl.String).fill_null("Not specified").alias(n)
                         for c, n in TABLE_COLUMNS.items()])


def tau(peers_python: str, csv: Path, dims, method: str) -> dict:
    done = subprocess.run([peers_python, "-c", TAU_SCRIPT, str(csv), method, ",".join(dims)],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def saved_peers(path: str | None) -> dict[str, dict]:
    """The peers' per-table figures from an earlier run's --json (pytauargus OPT takes minutes: run it once)."""
    if not path:
        return {}
    return {r["table"]: r for r in json.loads(Path(path).read_text())["tables"]}


def peer_pattern(peer: dict, dims) -> set | None:
    """A pytauargus pattern's suppressed cells as our keys (flat dimensions; "Total" is a margin), if it was saved."""
    if "suppressed" not in peer:
        return None
    return {tuple(sorted((d, d, n) for d, n in zip(dims, names, strict=True) if n != "Total"))
            for names in peer["suppressed"]}


def table_part(frame: pl.DataFrame, peers_python: str | None, saved: dict[str, dict],
               prune: bool = False) -> tuple[list[dict], bool]:
    """Ours at the default policy and at pytauargus's levels (TAU_ARGUS_LEVELS), OPT and MOD, per table.

    ``OPT short``: OPT's primaries short under our default policy (its pattern audited by lp_audit on our cells),
    when the peers' figures hold its pattern (the JSON keeps, as ``opt_short_at_tau_levels``, the same audit at
    Tau-Argus's levels and test, which should find none). ``sides``: our Tau-levels pattern's primaries that miss Tau-Argus's
    own test (each side separately; our audit tests the width)."""
    df = table_frame(frame)
    policy = ReleasePolicy(time_budget_seconds=600)
    tau_policy = policy.with_changes(**tables_bench.TAU_ARGUS_LEVELS)
    print(f"tables, {df.height:,} rows, flat, {'pruned' if prune else 'not pruned'} (load {os.getloadavg()[0]:.1f})")
    cpu = time.process_time()
    compiled.warm()  # the engine's compiled kernels (ADR 0063): loaded once per process, not in the first table
    print(f"compiled kernels loaded in {time.process_time() - cpu:.2f} s of CPU, once for the process")
    print(f"{'table':38} {'prim':>4} | {'sec':>4} {'value':>6} {'s':>6} {'cpu':>6} | at Tau-Argus levels: {'sec':>4} "
          f"{'value':>6} {'s':>6} {'cpu':>6} {'sides':>5} | {'OPT':>4} {'value':>6} {'s':>6} {'short':>5} | "
          f"{'MOD':>4} {'value':>6} {'s':>6}")
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "tables.csv"
        df.write_csv(csv)
        for dims in tables_bench.TABLES:
            ours = tables_bench.ours(df, dims, policy, {}, prune=prune)
            tau_terms = tables_bench.ours(df, dims, tau_policy, {}, prune=prune)
            failed |= bool(ours["short"]) or bool(tau_terms["short"])
            row = {"table": " x ".join(dims), **{k: v for k, v in ours.items() if k not in ("short", "release")},
                   "under_protected": ours["short"][:3],
                   "tau_levels": {k: v for k, v in tau_terms.items() if k not in ("short", "release")}}
            line = (f"{' × '.join(dims):38} {ours['primary']:>4} | {ours['secondary']:>4} {ours['value']:>6.0f} "
                    f"{ours['seconds']:>6.2f} {ours['cpu']:>6.2f} | {'':20} {tau_terms['secondary']:>4} "
                    f"{tau_terms['value']:>6.0f} {tau_terms['seconds']:>6.2f} {tau_terms['cpu']:>6.2f} "
                    f"{tau_terms['short_sides']:>5}")
            for method in ("OPT", "MOD"):
                if row["table"] in saved:
                    peer = saved[row["table"]][method]
                elif peers_python:
                    peer = tau(peers_python, csv, dims, method)
                else:
                    peer = {"error": "no --peers-python"}
                row[method] = peer
                if "error" in peer:
                    line += f" | {peer['error'][:24]}"
                    continue
                line += f" | {peer['secondary']:>4} {peer['value']:>6.0f} {peer['seconds']:>6.2f}"
                pattern = peer_pattern(peer, dims) if method == "OPT" else None
                if method == "OPT":
                    short = None if pattern is None else len(tables_bench.shortfalls(ours["release"], pattern)[0])
                    row["opt_short_under_ours"] = short
                    if pattern is not None:  # the check that the levels are Tau-Argus's: OPT passes its own test
                        row["opt_short_at_tau_levels"] = len(tables_bench.shortfalls(tau_terms["release"], pattern)[1])
                    line += f" {'-' if short is None else short:>5}"
            print(line + (f"  UNDER-PROTECTED {ours['short'][:3]}" if ours["short"] else "")
                  + (f"  UNDER-PROTECTED at Tau levels {tau_terms['short'][:3]}" if tau_terms["short"] else ""),
                  flush=True)
            rows.append(row)
    summary(rows)
    return rows, failed


def summary(rows: list[dict]) -> None:
    for name, get in (("ours", lambda r: r), ("ours at Tau-Argus levels", lambda r: r["tau_levels"])):
        done = [get(r) for r in rows]
        print(f"{name}: {sum(r['secondary'] for r in done)} secondary cells, value "
              f"{sum(r['value'] for r in done):.0f}, {sum(r['seconds'] for r in done):.2f} s in total (CPU "
              f"{sum(r['cpu'] for r in done):.2f} s), slowest {max(r['seconds'] for r in done):.2f} s "
              f"(load {os.getloadavg()[0]:.1f})")
    for method in ("OPT", "MOD"):
        done = [r[method] for r in rows if "error" not in r[method]]
        if done:
            print(f"pytauargus {method}: {sum(p['secondary'] for p in done)} secondary cells, value "
                  f"{sum(p['value'] for p in done):.0f}, {sum(p['seconds'] for p in done):.2f} s in total "
                  f"({len(done)} of {len(rows)} tables)")
    opt = [(r, r["OPT"]) for r in rows if "error" not in r["OPT"]]
    for name, get in (("ours", lambda r: r), ("ours at Tau-Argus levels", lambda r: r["tau_levels"])):
        more = [r["table"] for r, p in opt if get(r)["secondary"] > p["secondary"] and get(r)["value"] > p["value"]]
        print(f"tables where {name} suppressed more cells and more value than OPT: {len(more)} {more}")
        more_cells = [r["table"] for r, p in opt if get(r)["secondary"] > p["secondary"]]
        print(f"tables where {name} suppressed more cells than OPT: {len(more_cells)} {more_cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--table-rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=100_000)
    parser.add_argument("--peers-python", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", default=None)
    parser.add_argument("--no-extracts", action="store_true", help="the tables part only")
    parser.add_argument("--prune", action="store_true", help="protect(..., prune=True): ADR 0052's pruning")
    parser.add_argument("--peers-json", default=None,
                        help="take the peers' table figures from an earlier run's --json instead of running them")
    args = parser.parse_args()
    saved = saved_peers(args.peers_json)
    results, failed = {"extracts": [], "tables": []}, False
    for size in args.sizes:
        frame = generate(size, seed=SEED)
        if not args.no_extracts:
            row, bad = extract_part(frame, args.peers_python, args.peer_rows, args.runs)
            results["extracts"].append(row)
            failed |= bad
        if size == args.table_rows:
            results["tables"], bad = table_part(frame, args.peers_python, saved, args.prune)
            failed |= bad
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
