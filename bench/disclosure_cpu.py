"""CPU per table of the pruned pattern, one line of JSON each (ADR 0060): for before/after runs of the engine.

    .venv/bin/python bench/disclosure_cpu.py [--tables slow|three|all|a*b*c,...] [--policy tau|default|both] [--audit]

The frame is ``bench/disclosure.py``'s (synthetic seed 2026, 100,000 rows, flat); each table is protected alone with
``protect(..., prune=True)`` at the default policy and/or at Tau-Argus's levels (``TAU_ARGUS_LEVELS``). Each line
gives CPU (process time) and wall seconds, the secondary cells and their value, the programmes solved, a digest of
the suppressed set (the same digest is the same pattern) and the load average; a first line gives the CPU spent
loading the compiled kernels (ADR 0063), paid once per process before any table; ``--audit`` adds
``disclosure_tables.shortfalls`` (``lp_audit``), which takes minutes on the large tables. Run main's checkout and a
branch alternately, in fresh processes, and compare medians.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)
sys.path.insert(1, str(Path(__file__).resolve().parent))

import disclosure_tables as tables_bench  # noqa: E402

from disclosure import compiled  # noqa: E402
from disclosure.policy import ReleasePolicy  # noqa: E402
from disclosure.synthetic import generate  # noqa: E402
from disclosure.tables import TableSpec, protect  # noqa: E402

# bench/disclosure.py, for its frame (its name is the package's, so it is loaded by path).
_spec = importlib.util.spec_from_file_location("disclosure_bench", Path(__file__).resolve().parent / "disclosure.py")
tables_frame = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tables_frame)

SLOW = [("nationality", "gender", "exploitation"), ("nationality", "exploitation", "age_group"),
        ("pfa", "exploitation", "age_group"), ("pfa", "exploitation", "year"), ("pfa", "gender", "year"),
        ("nationality", "age_group", "year")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default="slow", help="slow, three, all, or dimensions as a*b*c, comma-separated")
    parser.add_argument("--policy", default="both", choices=["tau", "default", "both"])
    parser.add_argument("--audit", action="store_true", help="also audit each pattern with lp_audit (slow)")
    args = parser.parse_args()
    named = {"slow": SLOW, "all": tables_bench.TABLES, "three": [t for t in tables_bench.TABLES if len(t) == 3]}
    chosen = named.get(args.tables) or [tuple(x.split("*")) for x in args.tables.split(",")]
    df = tables_frame.table_frame(generate(100_000, seed=tables_frame.SEED))
    unknown = sorted({d for dims in chosen for d in dims} - set(df.columns))
    if unknown:
        parser.error(f"--tables: unknown dimension(s) {', '.join(unknown)}; the frame has {', '.join(df.columns)}")
    policy = ReleasePolicy(time_budget_seconds=600)
    cpu = time.process_time()
    compiled.warm()  # the kernels' one-off load (ADR 0063), once per process, not inside the first table
    print(json.dumps(dict(kernels_loaded_cpu=round(time.process_time() - cpu, 3))), flush=True)
    policies = {"tau": policy.with_changes(**tables_bench.TAU_ARGUS_LEVELS), "default": policy}
    for name in (["tau", "default"] if args.policy == "both" else [args.policy]):
        for dims in chosen:
            wall, cpu = time.perf_counter(), time.process_time()
            release = protect(df, [TableSpec("t", dims)], policies[name], {}, prune=True)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            table = release.tables[0]
            secondary = sorted(k for k, c in table.cells.items() if c.suppressed and not c.primary)
            row = dict(table=" × ".join(dims), policy=name, cpu=round(cpu, 3), wall=round(wall, 3),
                       secondary=len(secondary), value=sum(table.cells[k].value for k in secondary),
                       programmes=release.lp_solves,
                       digest=hashlib.sha1(repr(secondary).encode()).hexdigest()[:8],
                       load=round(os.getloadavg()[0], 2))
            if args.audit:
                short, sides = tables_bench.shortfalls(release)
                row.update(short=len(short), short_sides=len(sides))
            print(json.dumps(row, ensure_ascii=False), flush=True)
    from disclosure.bounds import _contradiction
    from disclosure.cubes import _cheapest_cube
    assert len(_cheapest_cube.signatures) == len(_contradiction.signatures) == 1, "a kernel compiled twice"
    return 0


if __name__ == "__main__":
    sys.exit(main())
