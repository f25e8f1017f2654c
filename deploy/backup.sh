#!/bin/sh
# Back up Concordat (ADR 44, README "Backup and restore"): deploy/backup.sh DEST (a directory that must not exist).
# Writes DEST/audit-head.txt (the chain's head, taken first, so the dump holds at least that event),
# DEST/database.dump (pg_dump, custom format, of $DATABASE_URL: one consistent snapshot), DEST/vault/ (the vault's
# ciphertexts, copied after the dump, so every file row in the dump has its ciphertext) and DEST/SHA256SUMS.
# Not in it, by design: the KEK, the data key store, the audit MAC key, the signing keys and the witness files:
# they are kept (and backed up, if at all) apart from it; see the README.
set -eu

dest="${1:-}"
[ -n "$dest" ] || { echo "usage: deploy/backup.sh DEST" >&2; exit 64; }
[ ! -e "$dest" ] || { echo "backup.sh: $dest exists; give a new directory" >&2; exit 64; }
: "${DATABASE_URL:?backup.sh: set DATABASE_URL}"
app_dir="$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)"
python="${PYTHON:-python}"
[ -x "$app_dir/.venv/bin/python" ] && [ -z "${PYTHON:-}" ] && python="$app_dir/.venv/bin/python"

s3() {  # the AWS CLI on the vault's bucket, with the endpoint and region the service uses
  aws s3 "$@" ${VAULT_S3_ENDPOINT_URL:+--endpoint-url "$VAULT_S3_ENDPOINT_URL"} ${VAULT_S3_REGION:+--region "$VAULT_S3_REGION"}
}

umask 077
mkdir -p "$dest/vault"
"$python" "$app_dir/manage.py" audit_head > "$dest/audit-head.txt"
pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"
case "${CONCORDAT_VAULT_STORAGE:-local}" in
  local) cp -a "${VAULT_ROOT:?backup.sh: set VAULT_ROOT}/." "$dest/vault/" ;;
  s3) s3 sync --only-show-errors "s3://${VAULT_S3_BUCKET:?backup.sh: set VAULT_S3_BUCKET}" "$dest/vault/" ;;
  *) echo "backup.sh: CONCORDAT_VAULT_STORAGE is local or s3" >&2; exit 64 ;;
esac
(cd "$dest" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 -r sha256sum > SHA256SUMS)
echo "Backed up to $dest: audit head $(cat "$dest/audit-head.txt"), $(find "$dest/vault" -type f | wc -l) vault objects"
