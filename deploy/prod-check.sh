#!/usr/bin/env bash
# `make prod-check` (ADR 39): the deploy checks, then the production profile started on this machine from the
# entrypoint (two gunicorn instances, one Celery worker, beat) on a fresh PostgreSQL database and the machine's
# Redis, readiness of both, a sign-in (password and one-time code) through each, and everything stopped again.
# PG_URL (postgres://postgres@127.0.0.1:5432), REDIS_URL (redis://127.0.0.1:6379), PORT1/PORT2 can be set.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
PY="$here/.venv/bin/python"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
PORT1="${PORT1:-18101}"
PORT2="${PORT2:-18102}"
work="$(mktemp -d /tmp/concordat-prod-check.XXXXXX)"
db="cc_prodcheck_$$"
pids=()

started=$SECONDS
say() { printf '== [%ss] %s\n' "$((SECONDS - started))" "$*"; }

stop_all() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    say "FAILED; the last lines of each log:"
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 15 "$log"; }; done
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop_all EXIT INT TERM

# Provisioned outside the service in a deployment; made here, for this run only, as an operator would.
mkdir -p "$work/keys" "$work/data-keys" "$work/vault" "$work/witness"
export AUDIT_MAC_KEY_FILE="$work/keys/audit-mac.key" AUDIT_SIGNING_KEY_DIR="$work/keys" \
       AUDIT_PUBLIC_KEY_DIR="$work/keys" AUDIT_WITNESS_DIR="$work/witness" VAULT_KEK_FILE="$work/keys/vault-kek.key" \
       VAULT_DATA_KEY_DIR="$work/data-keys"
SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
"$PY" manage.py create_audit_keys >/dev/null
"$PY" manage.py create_vault_key >/dev/null

export CONCORDAT_PRODUCTION=1 DATABASE_URL="$PG_URL/$db" DB_CONN_MAX_AGE=60 \
       ALLOWED_HOSTS=127.0.0.1,localhost \
       CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$PORT1,https://127.0.0.1:$PORT2" \
       CONCORDAT_BASE_URL="https://127.0.0.1:$PORT1" \
       CELERY_BROKER_URL="$REDIS_URL/13" CACHE_URL="$REDIS_URL/12" \
       VAULT_ROOT="$work/vault" STATIC_ROOT="$here/var/prod-static" \
       CELERY_BEAT_SCHEDULE_FILE="$work/beat-schedule" WEB_CONCURRENCY=2 CELERY_CONCURRENCY=1
if [ "${LOAD:-0}" = 1 ]; then export API_TOKEN_RATE=1000000/minute WEB_CONCURRENCY="${LOAD_WEB_CONCURRENCY:-4}"; fi
unset CONCORDAT_DEMO DEBUG

say "manage.py check --deploy --fail-level WARNING"
"$PY" manage.py check --deploy --fail-level WARNING

say "a fresh database $db; static files for whitenoise (hashed and compressed, as the Containerfile makes them)"
createdb -h 127.0.0.1 -U postgres "$db"
# Two minutes on this machine: made again only when a static source is newer than the last run's manifest.
manifest="$STATIC_ROOT/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find concordat/static ./*/static -newer "$manifest" -type f -print -quit)" ]; then
  "$PY" manage.py collectstatic --noinput --clear -v0
fi
deploy/entrypoint.sh migrate

say "two people with an authenticator each"
people="$("$PY" manage.py shell -c "
import secrets
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.directory import ensure_standard_organisations
from accounts.models import RoleGrant, User
orgs = ensure_standard_organisations()
for name, org in [('check.iasc', 'iasc'), ('check.msu', 'msu')]:
    password = secrets.token_urlsafe(18)
    user = User.objects.create_user(username=name, password=password, organisation=orgs[org], full_name=name)
    RoleGrant.objects.create(user=user, role='requester')
    device = TOTPDevice.objects.create(user=user, name='check', confirmed=True)
    print('PERSON', name, password, device.key)
")"
read -r _ user1 pass1 key1 _ user2 pass2 key2 <<<"$(echo "$people" | grep '^PERSON ' | tr '\n' ' ')"

say "starting web on :$PORT1 and :$PORT2, a worker and beat"
for port in "$PORT1" "$PORT2"; do
  PORT="$port" GUNICORN_BIND="127.0.0.1:$port" GUNICORN_PROC_NAME="concordat-web-$port" SKIP_MIGRATE=1 \
    deploy/entrypoint.sh web >"$work/web-$port.log" 2>&1 &
  pids+=($!)
done
SKIP_MIGRATE=1 CELERY_HOSTNAME="prodcheck-$$@%h" deploy/entrypoint.sh worker >"$work/worker.log" 2>&1 &
pids+=($!)
SKIP_MIGRATE=1 deploy/entrypoint.sh beat >"$work/beat.log" 2>&1 &
pids+=($!)

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz"; }
for port in "$PORT1" "$PORT2"; do
  for _ in $(seq 1 120); do ready "$port" && break; sleep 0.5; done
  curl -fsS "http://127.0.0.1:$port/readyz"; echo "  <- /readyz on :$port"
done
curl -fsS "http://127.0.0.1:$PORT1/healthz" >/dev/null

say "the worker answers on the broker; beat is running"
for _ in $(seq 1 30); do
  "$here/.venv/bin/celery" -A concordat inspect ping -d "prodcheck-$$@$(hostname)" -t 2 >/dev/null 2>&1 && break
  sleep 1
done
"$here/.venv/bin/celery" -A concordat inspect ping -d "prodcheck-$$@$(hostname)" -t 5
kill -0 "${pids[3]}"

say "signing in through each instance, each session accepted by the other"
"$PY" deploy/check_sign_in.py --base "http://127.0.0.1:$PORT1" --also "http://127.0.0.1:$PORT2" \
  --username "$user1" --password "$pass1" --totp-key "$key1"
"$PY" deploy/check_sign_in.py --base "http://127.0.0.1:$PORT2" --also "http://127.0.0.1:$PORT1" \
  --username "$user2" --password "$pass2" --totp-key "$key2"

say "the web logs are JSON lines with request ids and no passwords"
"$PY" - "$work/web-$PORT1.log" "$pass1" "$pass2" <<'PYEOF'
import json, sys
path, *secrets = sys.argv[1:]
text = open(path).read()
assert not any(secret in text for secret in secrets), "a password reached the log"
requests = [json.loads(line) for line in text.splitlines() if line.startswith("{") and '"concordat.request"' in line]
assert requests and all(len(entry["request_id"]) >= 8 for entry in requests), "no request lines with ids"
print(f"{len(requests)} request lines, each with a request id")
PYEOF

if [ "${LOAD:-0}" = 1 ]; then
  # Issue 14 item 4: 50 users for 60 s spread over both instances (LOAD_USERS, LOAD_SECONDS). One token per role is
  # shared by every simulated user, so the per-token API limit is lifted for this run; everything else is
  # production's. The verdict is bench/load/summary.py's: any error fails, a time never does (ADR 46).
  say "load: preparing requests, tokens and sessions"
  "$PY" bench/load/prepare.py --submitted "${LOAD_SUBMITTED:-120}" > "$work/world.json"
  mkdir -p bench/out
  rm -f bench/out/load_*.csv
  say "load: ${LOAD_USERS:-50} users for ${LOAD_SECONDS:-60} s on :$PORT1 and :$PORT2 (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  web_cpu() { "$PY" bench/load/summary.py --cpu "${pids[0]}" "${pids[1]}"; }
  cpu_before="$(web_cpu)"
  LOAD_WORLD="$work/world.json" LOAD_HOSTS="http://127.0.0.1:$PORT1,http://127.0.0.1:$PORT2" \
    "$here/.venv/bin/locust" -f bench/load/locustfile.py --headless \
    -u "${LOAD_USERS:-50}" -r 10 -t "${LOAD_SECONDS:-60}s" --host "http://127.0.0.1:$PORT1" \
    --csv bench/out/load --only-summary >"$work/locust.log" 2>&1 || true  # errors are judged below
  cpu_used="$("$PY" -c "print($(web_cpu) - $cpu_before)")"
  tail -n 30 "$work/locust.log"
  say "load: figures per endpoint"
  "$PY" bench/load/summary.py bench/out/load_stats.csv --web-cpu-seconds "$cpu_used"
fi

say "prod-check passed; stopping everything it started"
