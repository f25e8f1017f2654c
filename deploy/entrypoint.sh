#!/bin/sh
# Concordat's entrypoint (ADR 39): migrate (once, under a lock, unless SKIP_MIGRATE=1), then become the role given.
#   web     gunicorn on $PORT (deploy/gunicorn.conf.py); run as many as wanted
#   worker  a Celery worker for the default and heavy queues ($CELERY_QUEUES, $CELERY_CONCURRENCY)
#   beat    Celery beat: the schedule of reminders, digests, checkpoints and the vault sweep; run exactly one
#   migrate migrate and stop
# Everything else comes from the environment (README, "Production"). Works in the container and outside it.
set -eu

role="${1:-}"
app_dir="$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)"
cd "$app_dir"
python="$(command -v "${PYTHON:-python}" || echo "${PYTHON:-python}")"
[ -x "$app_dir/.venv/bin/python" ] && [ -z "${PYTHON:-}" ] && python="$app_dir/.venv/bin/python"
bin_dir="$(dirname -- "$python")"

case "$role" in
  web|worker|beat|migrate) ;;
  *) echo "usage: entrypoint.sh web|worker|beat|migrate" >&2; exit 64 ;;
esac

if [ "${SKIP_MIGRATE:-0}" != 1 ]; then
  "$python" manage.py migrate_once
fi

case "$role" in
  migrate) exit 0 ;;
  web) exec "$bin_dir/gunicorn" -c deploy/gunicorn.conf.py concordat.wsgi:application ;;
  worker) exec "$bin_dir/celery" -A concordat worker --loglevel "${CELERY_LOG_LEVEL:-info}" \
            --queues "${CELERY_QUEUES:-celery,heavy}" --concurrency "${CELERY_CONCURRENCY:-2}" \
            --hostname "${CELERY_HOSTNAME:-worker-$$@%h}" --without-gossip --without-mingle ;;
  beat) exec "$bin_dir/celery" -A concordat beat --loglevel "${CELERY_LOG_LEVEL:-info}" \
            --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/concordat-beat-schedule}" ;;
esac
