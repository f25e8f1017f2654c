#!/bin/sh
# Restore Concordat from deploy/backup.sh's directory (ADR 44, README "Backup and restore"): deploy/restore.sh SRC.
# Into a fresh, empty database ($DATABASE_URL) and an empty vault (VAULT_ROOT, or the bucket VAULT_S3_BUCKET), with
# the keys of the running service (KEK, data key store, audit MAC key, public keys, witness files) unchanged.
# Checks the backup's SHA256SUMS first; afterwards records the restore on the audit chain (audit.restored, ADR 46),
# verifies the chain against the head recorded at backup time and every party's signed checkpoints (those signed
# after the backup are reported as not in the restored chain), replays it against every case (--state), and reads
# every held file through the vault checking its SHA-256 (listing any file shredded since the backup). Refuses a
# database that has tables.
set -eu

src="${1:-}"
[ -n "$src" ] && [ -f "$src/database.dump" ] || { echo "usage: deploy/restore.sh BACKUP_DIR" >&2; exit 64; }
: "${DATABASE_URL:?restore.sh: set DATABASE_URL}"
app_dir="$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)"
python="${PYTHON:-python}"
[ -x "$app_dir/.venv/bin/python" ] && [ -z "${PYTHON:-}" ] && python="$app_dir/.venv/bin/python"

s3() {  # the AWS CLI on the vault's bucket, with the endpoint and region the service uses
  aws s3 "$@" ${VAULT_S3_ENDPOINT_URL:+--endpoint-url "$VAULT_S3_ENDPOINT_URL"} ${VAULT_S3_REGION:+--region "$VAULT_S3_REGION"}
}

(cd "$src" && sha256sum --check --quiet --strict SHA256SUMS) || { echo "restore.sh: the backup is damaged" >&2; exit 1; }
tables="$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")"
[ "$tables" = 0 ] || { echo "restore.sh: the database is not empty ($tables tables); give a fresh one" >&2; exit 1; }
case "${CONCORDAT_VAULT_STORAGE:-local}" in
  local) target="${VAULT_ROOT:?restore.sh: set VAULT_ROOT}"
         [ ! -d "$target" ] || [ -z "$(ls -A "$target")" ] || { echo "restore.sh: $target is not empty" >&2; exit 1; } ;;
  s3) target="s3://${VAULT_S3_BUCKET:?restore.sh: set VAULT_S3_BUCKET}"
      [ -z "$(s3 ls --recursive "$target" | head -n 1)" ] || { echo "restore.sh: $target is not empty" >&2; exit 1; } ;;
  *) echo "restore.sh: CONCORDAT_VAULT_STORAGE is local or s3" >&2; exit 64 ;;
esac

pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$src/database.dump"
if [ "${CONCORDAT_VAULT_STORAGE:-local}" = s3 ]; then
  s3 sync --only-show-errors "$src/vault/" "$target"
else
  mkdir -p "$target" && cp -a "$src/vault/." "$target/"
fi

"$python" "$app_dir/manage.py" migrate --check --noinput -v0
# The restore goes on the chain itself (ADR 46): one authenticated event naming the head at backup time and the
# dump's SHA-256, so that checkpoints the parties signed after the backup are reported as not in this restored chain
# rather than as tampering. Written only if the restored chain verifies and extends that head.
dump_sha256="$(sha256sum "$src/database.dump" | cut -d' ' -f1)"
"$python" "$app_dir/manage.py" record_restore --head "$(cat "$src/audit-head.txt")" --dump-sha256 "$dump_sha256" \
  --backup "$(basename "$src")"
"$python" "$app_dir/manage.py" verify_audit --state --head "$(cat "$src/audit-head.txt")"
"$python" "$app_dir/manage.py" verify_vault
