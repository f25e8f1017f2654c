"""CPU per request for each endpoint of the load test's mix (issue 14, ADR 56), in the production profile.

Builds bench/load/prepare.py's world in a scratch PostgreSQL database with the settings deploy/prod-check.sh sets
(CONCORDAT_PRODUCTION, JSON logs, database sessions, Redis cache, throttles on), then sends each endpoint N times
through Django's WSGI handler (the test client, CSRF enforced) and prints, per endpoint, the median wall and CPU time
(time.process_time) and the queries a request makes. Log lines go to standard error: send it to /dev/null.

    .venv/bin/python bench/load/cpu.py -n 200 2>/dev/null
    .venv/bin/python bench/load/cpu.py -n 200 --profile "page: My work" 2>/dev/null   # cProfile's top 35

PG_URL (postgres://postgres@127.0.0.1:5432) and REDIS_URL (redis://127.0.0.1:6379, database 11) can be set; the
scratch database is dropped at the end."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import cProfile
import functools
import io
import os
import pstats
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = f"cc_cpu_{os.getpid()}"


def production_environment(work: Path) -> None:
    """The environment deploy/prod-check.sh gives the web processes (LOAD=1), with keys made for this run."""
    for name in ("keys", "data-keys", "vault", "witness"):
        (work / name).mkdir()
    os.environ.update({
        "AUDIT_MAC_KEY_FILE": str(work / "keys/audit-mac.key"), "AUDIT_SIGNING_KEY_DIR": str(work / "keys"),
        "AUDIT_PUBLIC_KEY_DIR": str(work / "keys"), "AUDIT_WITNESS_DIR": str(work / "witness"),
        "VAULT_KEK_FILE": str(work / "keys/vault-kek.key"), "VAULT_DATA_KEY_DIR": str(work / "data-keys"),
        "VAULT_ROOT": str(work / "vault"), "SECRET_KEY": secrets.token_urlsafe(50),
        "CONCORDAT_PRODUCTION": "1", "DATABASE_URL": f"{PG_URL}/{DB}", "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "CONCORDAT_BASE_URL": "https://127.0.0.1:18101",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1:18101",
        "CACHE_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379") + "/11",
        "STATIC_ROOT": str(ROOT / "var/prod-static"), "API_TOKEN_RATE": "1000000/minute",
        "DJANGO_SETTINGS_MODULE": "concordat.settings",
        # No broker: notifications are sent inline (in production a worker sends them), into memory.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    })
    for name in ("CONCORDAT_DEMO", "DEBUG", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    # Made as prod-check.sh makes them: by the operator's commands, outside the production profile (ADR 17).
    operator = {key: value for key, value in os.environ.items() if key != "CONCORDAT_PRODUCTION"}
    for command in ("create_audit_keys", "create_vault_key"):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), command], env=operator, check=True,
                       stdout=subprocess.DEVNULL)
    if not (ROOT / "var/prod-static/staticfiles.json").exists():  # hashed names, as prod-check.sh makes them
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True)


def build_world() -> dict:
    import json

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sys.argv = ["prepare.py", "--submitted", "200"]
    sys.path.insert(0, str(ROOT / "bench/load"))
    import prepare

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        prepare.main()
    return json.loads(out.getvalue())


def endpoints(world: dict):
    """(name, method, path, headers, body) as bench/load/locustfile.py sends them; the weights are the file's."""
    import random

    rng = random.Random(14)
    page = {"HTTP_X_FORWARDED_PROTO": "https"}
    token = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_AUTHORIZATION": f"Token {world['tokens']['requester']}"}
    spoc = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_AUTHORIZATION": f"Token {world['tokens']['spoc']}"}
    return {
        "page: My work": (4, lambda: ("get", "/my-work/", page, None)),
        "page: requests": (3, lambda: ("get", "/requests/", page, None)),
        "page: a request": (3, lambda: ("get", f"/requests/{rng.choice(world['references'])}/", page, None)),
        "page: notifications": (2, lambda: ("get", "/notifications/", page, None)),
        "api: requests": (4, lambda: ("get", "/api/requests/", token, None)),
        "api: a request": (3, lambda: ("get", f"/api/requests/{rng.choice(world['requests'])}/", token, None)),
        "api: download": (1, lambda: ("get", f"/api/files/{rng.choice(world['files'])}/download/", token, None)),
        "api: acknowledge": (1, lambda: ("post", None, spoc, next_version)),
    }


next_version = object()  # replaced by the version of the request the acknowledge takes


def recorded(queries: list[str], execute, sql, *rest):
    queries.append(sql)
    return execute(sql, *rest)


def send(clients, world, spec, acknowledged):
    import json

    method, path, headers, body = spec
    client = clients[1] if "HTTP_AUTHORIZATION" in headers else clients[0]
    if body is next_version:
        pk, version = world["to_acknowledge"][acknowledged[0]]
        acknowledged[0] += 1
        path = f"/api/requests/{pk}/acknowledge/"
        response = client.post(path, json.dumps({"version": version, "note": ""}),
                               content_type="application/json", **headers)
    else:
        response = client.get(path, **headers)
        if hasattr(response, "streaming_content"):
            for _ in response.streaming_content:
                pass
    response.close()
    if response.status_code >= 400:
        raise SystemExit(f"{path}: {response.status_code}")
    return response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200, help="requests per endpoint (acknowledge: at most 200)")
    parser.add_argument("--profile", help="an endpoint's name: print cProfile's top functions for it")
    parser.add_argument("--only", help="endpoints' names, comma-separated: measure them only")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative or tottime")
    parser.add_argument("--sql", action="store_true", help="print each endpoint's queries")
    parser.add_argument("--dump", help="with --profile: also write cProfile's stats to this file (pstats)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="concordat-cpu."))
    atexit.register(shutil.rmtree, work, ignore_errors=True)  # this run's keys and vault
    production_environment(work)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    atexit.register(lambda: subprocess.run(["psql", f"{PG_URL}/postgres", "-qc",
                                            f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"], check=False))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    world = build_world()
    # Pages carry the session cookie; the API only its token, as the locustfile sends them.
    page_client, api_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_client.cookies["__Host-sessionid"] = world["sessions"][0]
    acknowledged = [0]
    total_weight, weighted_cpu = 0, 0.0
    print(f"{'endpoint':22} {'n':>4} {'wall ms':>8} {'CPU ms':>7} {'p95 CPU':>8} {'queries':>7} status")
    for name, (weight, request) in endpoints(world).items():
        if args.only and name not in args.only.split(","):
            continue
        n = min(args.n, 190) if name == "api: acknowledge" else args.n
        for _ in range(5 if name != "api: acknowledge" else 2):  # warm: first-use imports, template loads
            send((page_client, api_client), world, request(), acknowledged)
        queries: list[str] = []  # by a wrapper: the handler empties connection.queries as each request starts
        with connection.execute_wrapper(functools.partial(recorded, queries)):
            status = send((page_client, api_client), world, request(), acknowledged).status_code
        walls, cpus = [], []
        profile = cProfile.Profile(time.process_time) if name == args.profile else None
        for _ in range(n - 8 if name == "api: acknowledge" else n):
            spec = request()
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            send((page_client, api_client), world, spec, acknowledged)
            if profile:
                profile.disable()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        cpu_median = statistics.median(cpus) * 1000
        total_weight += weight
        weighted_cpu += weight * cpu_median
        print(f"{name:22} {len(cpus):>4} {statistics.median(walls) * 1000:>8.1f} {cpu_median:>7.1f} "
              f"{statistics.quantiles(cpus, n=20)[-1] * 1000:>8.1f} {len(queries):>7} {status}", flush=True)
        if args.sql:
            print("\n".join(f"    {sql[:160]}" for sql in queries))
        if profile:
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats(args.sort).print_stats(45)
            if args.dump:
                profile.dump_stats(args.dump)
            print(stream.getvalue())
    if total_weight:
        print(f"mix-weighted median CPU per request: {weighted_cpu / total_weight:.1f} ms "
              f"(load average {open('/proc/loadavg').read().split()[:3]})")


if __name__ == "__main__":
    main()
