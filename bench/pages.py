"""Server time of the request pages on PostgreSQL with a production-sized history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py \
        [--requests 100000] [--audit-events 2000000] [--samples 200] [--keep]

Creates a fresh database `concordat_bench` on the server DATABASE_URL names (dropped afterwards unless --keep;
with --keep a second run reuses the data), migrates it, loads the protocol and the demo people, then fills it with
requests across every state (about five timeline events each) and audit events, written with COPY. It then
times the list page (first page, a filtered page, a search, a deep page), the request page (random requests)
and the "my work" page, in process through Django's test client as a signed-in person (server time, no
network), and prints the median and 95th percentile of each. The target is under 150 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "concordat_bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--audit-events", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    return parser.parse_args()


def point_django_at_bench_database() -> str:
    import dj_database_url
    import psycopg

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    config = dj_database_url.parse(server)
    admin_dsn = f"host={config['HOST']} port={config['PORT'] or 5432} user={config['USER']} dbname=postgres"
    bench_url = server.rsplit("/", 1)[0] + "/" + BENCH_DB
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concordat.settings")
    os.environ.setdefault("DEBUG", "0")  # as served: no query log, no debug templates
    os.environ.setdefault("CONCORDAT_DEMO", "1")  # the demo people sign in to the pages measured
    return admin_dsn, psycopg


def ensure_database(admin_dsn, psycopg, keep: bool) -> bool:
    """Returns True when a kept database with data already exists."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and keep:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return False


def drop_database(admin_dsn, psycopg):
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def fill(n_requests: int, n_audit: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Organisation, User
    from audit.chain import GENESIS_HASH, EventContent, event_hash, event_mac_message, head_mac_message
    from audit.keys import mac_key
    from audit.models import AuditHead
    from protocols.services import current_protocol
    from sharing.states import AWAITING_PROVISION, Decision, RequestState

    call_command("migrate", verbosity=0)
    call_command("load_protocol", verbosity=0)
    call_command("seed_demo_people", verbosity=0, stdout=io.StringIO())
    protocol = current_protocol("ho-iasc")
    orgs = {o.slug: o for o in Organisation.objects.all()}
    people = {u.username: u for u in User.objects.all()}
    rng = random.Random(20200513)
    # A regular request's owed provision needs occasions, which the bench does not make.
    states = [s for s in RequestState if s != RequestState.PROVISION_OWED]
    now = datetime.now(UTC)
    columns = ["reference", "title", "protocol_id", "protocol_version", "direction", "route", "requester_org_id",
               "requester_id", "holder_org_id", "routed_to_id", "routed_role", "assigned_org_id", "state", "version",
               "necessity", "information_requested", "purpose", "publication_intent", "publication_detail", "access",
               "storage_retention", "disposal", "classification", "personal_data_category", "data_source", "purpose_kind", "legal_basis",
               "provision", "frequency", "calendar_name", "submitted_at", "received_on", "acknowledge_by",
               "provide_by", "acknowledged_at", "acknowledged_by_id", "decision", "decided_at", "decided_by_id",
               "decision_reasons", "provided_scope", "withheld_scope", "declined_items", "closed_at",
               "closed_by_id", "withdrawn_at", "withdrawn_by_id", "created_at", "updated_at", "next_due_on"]

    def request_rows():
        for n in range(1, n_requests + 1):
            iasc_to_ho = rng.random() < 0.7
            state = rng.choice(states)
            submitted = now - timedelta(days=rng.randint(1, 2000), minutes=rng.randint(0, 1440))
            received = submitted.date()
            is_draft = state == RequestState.DRAFT
            decision = {RequestState.AGREED: Decision.AGREED, RequestState.AGREED_IN_PART: Decision.AGREED_IN_PART,
                        RequestState.DECLINED: Decision.DECLINED}.get(state, "")
            if state in (RequestState.PROVIDED, RequestState.CLOSED):
                decision = rng.choice([Decision.AGREED, Decision.AGREED_IN_PART])
            decided = bool(decision)
            requester = people["iasc.requester" if iasc_to_ho else "ho.requester"]
            holder = orgs["home-office" if iasc_to_ho else "iasc"]
            routed = orgs["msu" if iasc_to_ho else "iasc"]
            assessor = people["ho.assessor" if iasc_to_ho else "iasc.caseofficer"]
            yield [
                f"{'IASC' if iasc_to_ho else 'HO'}-B{n:07d}", f"Bench request {n} on NRM referrals by region",
                protocol.pk, protocol.version, "iasc_to_ho" if iasc_to_ho else "ho_to_iasc", "protocol",
                requester.organisation_id, requester.pk, holder.pk, routed.pk, "spoc" if iasc_to_ho else "case_officer",
                orgs["ho-analysis"].pk if iasc_to_ho else routed.pk, state, 1,
                "Needed for s41(1) scrutiny", "Counts of referrals", "Annual report", "no", "", "Named analysts",
                "Encrypted share, 2 years", "Secure deletion", rng.choice(["OFFICIAL", "OFFICIAL-SENSITIVE"]),
                "anonymised", "", "", "", "one_off", "", "england-and-wales",
                None if is_draft else submitted, None if is_draft else received,
                None if is_draft else received + timedelta(days=5), None if is_draft else received + timedelta(days=21),
                None if state in (RequestState.DRAFT, RequestState.SUBMITTED) else submitted + timedelta(days=1),
                None if state in (RequestState.DRAFT, RequestState.SUBMITTED) else assessor.pk,
                decision, submitted + timedelta(days=9) if decided else None, assessor.pk if decided else None,
                "", "", "", "[]", submitted + timedelta(days=30) if state == RequestState.CLOSED else None,
                requester.pk if state == RequestState.CLOSED else None,
                submitted + timedelta(days=3) if state == RequestState.WITHDRAWN else None,
                requester.pk if state == RequestState.WITHDRAWN else None, submitted, submitted,
                received + timedelta(days=5) if state == RequestState.SUBMITTED
                else received + timedelta(days=21) if state in AWAITING_PROVISION else None,
            ]

    with transaction.atomic():
        copy_rows("sharing_request", columns, request_rows())
        ids = list(_request_ids(connection))
        copy_rows("sharing_requestevent",
                  ["request_id", "action", "actor_id", "occurred_at", "from_state", "to_state", "note", "details"],
                  ((pk, "submit", people["iasc.requester"].pk, now - timedelta(days=k), "draft", "submitted",
                    "Timeline entry", "{}") for pk in ids for k in range(5)))

        # Continue the chain the migrations and demo people began, so that verify_audit still passes.
        start = AuditHead.objects.get_or_create(id=1, defaults={"hash": GENESIS_HASH})[0]
        head = {"hash": start.hash, "count": start.count + n_audit}

        key = mac_key()  # the events carry MACs as record_event writes them (ADR 17)

        def audit_rows():
            prev = start.hash
            for sequence in range(start.count + 1, start.count + n_audit + 1):
                content = EventContent(sequence, now - timedelta(seconds=n_audit - sequence), None, "bench", None,
                                       "request.event", "sharing.request", str(ids[sequence % len(ids)]), None,
                                       {"n": sequence})
                digest = event_hash(content, prev)
                yield [sequence, content.occurred_at, "bench", "request.event", "sharing.request",
                       content.object_id, json.dumps(content.details), prev, digest,
                       key.mac(event_mac_message(digest)).hex(), key.key_id]
                prev = digest
            head["hash"] = prev  # the head is written after the COPY: the connection is busy until then

        copy_rows("audit_auditevent", ["sequence", "occurred_at", "actor_label", "action", "object_type", "object_id",
                                       "details", "prev_hash", "hash", "mac", "mac_key_id"], audit_rows())
        AuditHead.objects.filter(id=1).update(count=head["count"], hash=head["hash"],
                                              mac=key.mac(head_mac_message(head["count"], head["hash"])).hex())
        fill_approvals(people)
    connection.cursor().execute("ANALYZE")


def fill_approvals(people) -> None:
    """An approval asked on each OFFICIAL-SENSITIVE request to the Home Office under assessment (§10), a third
    of them decided: what the approver's "My work" reads."""
    from approvals.models import Approval
    from sharing.models import Request

    asked = Request.objects.filter(state="under_assessment", direction="iasc_to_ho",
                                   classification="OFFICIAL-SENSITIVE").values_list("pk", "submitted_at")
    assessor, approver = people["ho.assessor"], people["ho.approver"]
    Approval.objects.bulk_create([
        Approval(request_id=pk, kind="classification", clause="§10", role_required="approver",
                 state="approved" if n % 3 == 0 else "requested", requested_by=assessor, requested_at=submitted,
                 decided_by=approver if n % 3 == 0 else None, decided_at=submitted if n % 3 == 0 else None)
        for n, (pk, submitted) in enumerate(asked)], batch_size=5000)


def _request_ids(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM sharing_request ORDER BY id")
        for (pk,) in cursor.fetchall():
            yield pk


def timed(client, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return times


def report(name: str, times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    median = statistics.median(ordered)
    verdict = "meets" if p95 < 150 else "MISSES"
    print(f"{name:<34} n={len(times):>4}  median {median:7.1f} ms  p95 {p95:7.1f} ms  ({verdict} the 150 ms target)")
    return median, p95


def measure(samples: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from tests.factories import verified_client

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    from sharing.permissions import visible_requests

    rng = random.Random(7)
    for username in ("iasc.requester", "msu.spoc", "ho.approver"):
        user = User.objects.get(username=username)
        references = list(visible_requests(user).values_list("reference", flat=True)[:50_000])
        client = verified_client(user, Client())
        client.get("/requests/")  # warm the connection and template caches
        print(f"\nSigned in as {username}")
        report("list: first page", timed(client, ["/requests/"] * samples))
        report("list: filtered (state, overdue)",
               timed(client, ["/requests/?state=submitted&overdue=true"] * samples))
        report("list: search", timed(client, [f"/requests/?q=B{rng.randint(1, 99999):05d}" for _ in range(samples)]))
        report("list: page 50", timed(client, ["/requests/?page=50"] * samples))
        report("request page", timed(client, [f"/requests/{rng.choice(references)}/" for _ in range(samples)]))
        report("my work", timed(client, ["/my-work/"] * samples))
        report("notifications", timed(client, ["/notifications/"] * samples))


def main():
    args = parse_args()
    admin_dsn, psycopg = point_django_at_bench_database()
    reused = ensure_database(admin_dsn, psycopg, args.keep)
    import django

    django.setup()
    from audit.keys import create_missing_keys

    create_missing_keys()  # the demo's audit keys in var/keys, as `make run` makes them (ADR 17)
    if reused:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a kept database gets the indexes of newer code
    else:
        started = time.perf_counter()
        try:
            fill(args.requests, args.audit_events)
        except BaseException:
            drop_database(admin_dsn, psycopg)  # never leave a half-filled database to be reused
            raise
        print(f"Filled {args.requests:,} requests, {args.requests * 5:,} timeline events and "
              f"{args.audit_events:,} audit events in {time.perf_counter() - started:.0f} s")
    try:
        measure(args.samples)
    finally:
        if not args.keep:
            drop_database(admin_dsn, psycopg)


if __name__ == "__main__":
    main()
