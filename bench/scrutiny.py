"""The compliance statistics' full recompute, and the dashboard and statistics pages, on PostgreSQL with years of
history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scrutiny.py \
        [--requests 50000] [--audit-events 200000] [--samples 20] [--keep]

Fills its own database `concordat_bench_scrutiny` as bench/pages.py does (requests across every state over five
and a half years, their timelines and approvals, audit events), adds a delivery to every provided or closed request
and an escalation to every declined one (up to three rungs, each decided or waiting), then times:
- the full recompute: every registered provider's tables over the whole history, grouped by quarter (in process,
  server time), with the number of queries it made;
- the dashboard and statistics pages through Django's test client, as the Commissioner's requester and the HO's
  point of contact, median and 95th percentile.
- the statistics page, and /api/statistics/, computing inline against the same served from a snapshot (ADR 53),
  with each one's CPU time in this process and its query count, and the snapshot's job itself.
Targets: under 5 s for the recompute, under 200 ms at the 95th percentile per dashboard."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.pages as pages  # noqa: E402  (after the path)

pages.BENCH_DB = "concordat_bench_scrutiny"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--audit-events", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    return parser.parse_args()


# The first three deciding rungs of ho-iasc's ladder (protocols/definitions): key and role.
RUNGS = (("policy_lead", "escalation_policy_lead"), ("director", "escalation_director"),
         ("senior_sponsor", "escalation_senior_sponsor"))


def fill_deliveries_and_escalations() -> tuple[int, int]:
    from django.db import connection, transaction

    from accounts.models import User
    from sharing.models import Request

    assessor = User.objects.get(username="ho.assessor")
    requester = User.objects.get(username="iasc.requester")
    rng = random.Random(13)
    provided = Request.objects.filter(state__in=["provided", "closed"]).values_list("pk", "submitted_at")
    declined = Request.objects.filter(state="declined", direction="iasc_to_ho").values_list("pk", "decided_at")
    with transaction.atomic():
        pages.copy_rows("sharing_delivery", ["request_id", "description", "answer", "marking", "delivered_by_id",
                                             "delivered_at"],
                        ((pk, "Tables", "", "OFFICIAL", assessor.pk, submitted + timedelta(days=rng.randint(5, 30)))
                         for pk, submitted in provided))
        escalations, steps = [], []
        for n, (pk, decided) in enumerate(declined, start=1):
            opened = decided + timedelta(days=rng.randint(1, 20))
            height = rng.choice([1, 1, 1, 2, 2, 3])
            waiting = rng.random() < 0.3
            # At the rung it reached, as the ladder names it (§13): its people's "My work" and dashboards read it.
            escalations.append((n, pk, "at_rung" if waiting else "resolved", 1, height, RUNGS[height - 1][0],
                                RUNGS[height - 1][1], "declined",
                                requester.pk, opened, "Reasons", "Objections", "Attempts", "",
                                None if waiting else opened + timedelta(days=30)))
            reached = opened
            for position in range(1, height + 1):
                last = position == height
                decided_at = None if last and waiting else reached + timedelta(days=rng.randint(1, 15))
                outcome = "" if decided_at is None else ("resolved" if last else "not_resolved")
                key, role = RUNGS[position - 1]
                steps.append((n, position, key, role, reached, assessor.pk if decided_at else None, decided_at,
                              outcome, ""))
                reached = (decided_at or reached) + timedelta(days=1)
        pages.copy_rows("escalations_escalation", [
            "id", "request_id", "state", "version", "position", "rung_key", "rung_role", "grounds", "opened_by_id",
            "opened_at", "reasons", "ho_objections", "attempts_to_resolve", "exceptional_circumstances",
            "finished_at"], escalations)
        pages.copy_rows("escalations_escalationstep", [
            "escalation_id", "position", "rung_key", "role", "reached_at", "decided_by_id", "decided_at", "outcome",
            "note"], steps)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('escalations_escalation', 'id'), "
                       "(SELECT max(id) FROM escalations_escalation))")
        cursor.execute("ANALYZE")
    return len(provided), len(escalations)


def recompute(samples: int) -> dict:
    """Times the full recompute by quarter, prints it and returns its figures (bench/reports.py reuses it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from scrutiny import services

    user = User.objects.get(username="iasc.requester")
    today = date.today()
    query = services.parse_query({"from": "2015-01-01", "to": today.isoformat(), "by": "quarter"}, today)
    with CaptureQueriesContext(connection) as queries:
        tables = services.statistics(user, query)
    rows = sum(len(table.rows) for table in tables)
    times, cpu = [], []
    for _ in range(samples):
        started, started_cpu = time.perf_counter(), time.process_time()
        services.statistics(user, query)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    verdict = "meets" if max(times) < 5 else "MISSES"
    # The machine is shared: this process's CPU time (the database's own is not in it) says what load hides.
    print(f"full recompute by quarter: {len(tables)} tables, {rows} rows, {len(queries)} queries; "
          f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s of {samples} ({verdict} the 5 s target); "
          f"this process's CPU median {statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f}")
    return {"tables": len(tables), "rows": rows, "queries": len(queries), "median_s": statistics.median(times),
            "worst_s": max(times), "samples": samples, "load": os.getloadavg()[0]}


def measure_pages(samples: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from tests.factories import verified_client

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    for username in ("iasc.requester", "msu.spoc"):
        client = verified_client(User.objects.get(username=username), Client())
        client.get("/scrutiny/dashboard/")
        print(f"\nSigned in as {username}")
        _report("dashboard", pages.timed(client, ["/scrutiny/dashboard/"] * samples), 200)
        _report("statistics page (2 years by quarter)",
                pages.timed(client, ["/scrutiny/statistics/"] * max(3, samples // 4)), None)


# What each view answers with, whichever way its figures came: the page and the API (ADR 53).
SNAPSHOT_VIEWS = (("statistics page", "/scrutiny/statistics/", b"Figures as of"),
                  ("statistics API", "/api/statistics/", b'"computed_at"'))


def measure_snapshot_page(samples: int) -> None:
    """The statistics page and API (default query) inline, then from a snapshot, alternating; wall and CPU per view."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from scrutiny import services, snapshots
    from scrutiny.models import StatisticsSnapshot, Trigger
    from tests.factories import verified_client

    user = User.objects.get(username="iasc.requester")
    client = verified_client(user, Client())
    today = timezone.localdate()
    query = services.parse_query({}, today)
    StatisticsSnapshot.objects.all().delete()
    settings.STATISTICS_ON_WORKER = True  # Celery is eager here: the job runs in this process, on commit
    started, started_cpu = time.perf_counter(), time.process_time()
    job, _ = snapshots.request_recompute(None, query, trigger=Trigger.SCHEDULE)
    job_wall, job_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    job.refresh_from_db()
    print(f"\nsnapshot job (default query, by quarter): {job.state}, {len(job.tables)} tables; "
          f"wall {job_wall:.2f} s, CPU {job_cpu:.2f} s")
    fresh_for = settings.STATISTICS_FRESH_SECONDS

    def use(mode: str) -> None:  # inline: no broker, and no snapshot fresh enough to serve
        settings.STATISTICS_ON_WORKER = mode == "snapshot"
        settings.STATISTICS_FRESH_SECONDS = fresh_for if mode == "snapshot" else -1

    for name, path, expected in SNAPSHOT_VIEWS:
        _compare_inline_and_snapshot(client, name, path, expected, use, samples)
    settings.STATISTICS_FRESH_SECONDS = fresh_for


def _compare_inline_and_snapshot(client, name, path, expected, use, samples: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {"inline": ([], [], 0), "snapshot": ([], [], 0)}
    for mode in ("inline", "snapshot"):  # warm each path once
        use(mode)
        client.get(path)
    for _ in range(samples):
        for mode in ("inline", "snapshot"):
            use(mode)
            with CaptureQueriesContext(connection) as queries:
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
            assert response.status_code == 200 and expected in response.content
            walls, cpus, _ = figures[mode]
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            figures[mode] = (walls, cpus, len(queries))
    for mode, (walls, cpus, count) in figures.items():
        ordered = sorted(walls)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        print(f"{name}, {mode:<8} n={len(walls):>3}  median {statistics.median(walls):7.1f} ms  "
              f"p95 {p95:7.1f} ms  CPU median {statistics.median(cpus):7.1f} ms  {count} queries")
    inline, snapshot = (statistics.median(figures[mode][0]) for mode in ("inline", "snapshot"))
    print(f"{name}: snapshot/inline median wall ratio {snapshot / inline:.3f}; CPU ratio "
          f"{statistics.median(figures['snapshot'][1]) / statistics.median(figures['inline'][1]):.3f}; "
          f"load average {os.getloadavg()[0]:.1f}")


def _report(name: str, times: list[float], target_ms: float | None) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    verdict = "" if target_ms is None else f"  ({'meets' if p95 < target_ms else 'MISSES'} the {target_ms:.0f} ms target)"
    print(f"{name:<38} n={len(times):>4}  median {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms{verdict}")


def main():
    args = parse_args()
    admin_dsn, psycopg = pages.point_django_at_bench_database()
    reused = pages.ensure_database(admin_dsn, psycopg, args.keep)
    import django

    django.setup()
    from audit.keys import create_missing_keys

    create_missing_keys()
    if not reused:
        started = time.perf_counter()
        try:
            pages.fill(args.requests, args.audit_events)
            delivered, escalated = fill_deliveries_and_escalations()
        except BaseException:
            pages.drop_database(admin_dsn, psycopg)
            raise
        print(f"Filled {args.requests:,} requests ({delivered:,} provided, {escalated:,} escalated) and "
              f"{args.audit_events:,} audit events in {time.perf_counter() - started:.0f} s")
    try:
        recompute(max(3, args.samples // 4))
        measure_pages(args.samples)
        measure_snapshot_page(args.samples)
    finally:
        if not args.keep:
            pages.drop_database(admin_dsn, psycopg)


if __name__ == "__main__":
    main()
