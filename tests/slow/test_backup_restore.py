"""Backup and restore (issue 14 item 3, ADR 44), with deploy/backup.sh and deploy/restore.sh on PostgreSQL.

A world of delivered files, audit events and a checkpoint signed by each party is backed up (`pg_dump` plus a copy
of the vault's objects); one delivery is disposed of after the backup; the backup is restored into a fresh database
and a fresh vault (a local directory, or a bucket on moto's S3 server), with the service's keys and data key store as they are. Then: every held file read
through the vault matches the SHA-256 its delivery recorded, `verify_audit` and `verify_audit --state` pass against
the head recorded at backup time and the signed checkpoints, and the files disposed of after the backup cannot be
decrypted from the restored copy although its row and ciphertext are back (crypto-shredding beats the old backup).
The restore is recorded on the chain (ADR 46): a checkpoint signed after the backup is reported as not in the
restored chain, while one signed on the old chain after the restore still fails verification. A damaged backup and a
database that is not empty are refused."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.slow.conftest import PG_URL, ROOT, free_port

pytestmark = pytest.mark.slow
DELIVERIES = 6
REGION = "eu-west-2"


def files_under(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


class Site:
    """One Concordat installation's environment: its database, vault directory and keys (kept apart from backups)."""

    def __init__(self, work: Path, database: str):
        self.work, self.database = work, database
        for directory in ("keys", "data-keys", "witness", "mail"):
            (work / directory).mkdir(parents=True, exist_ok=True)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DJANGO_", "CONCORDAT_", "AUDIT_", "VAULT_", "CELERY_", "DATABASE_"))}
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "tests.slow.crash_settings", "PYTHONPATH": str(ROOT),
                    "PYTHON": sys.executable, "DATABASE_URL": f"{PG_URL}/{database}",
                    "SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_MAC_KEY": secrets.token_hex(32),
                    "VAULT_KEK": secrets.token_hex(32), "AUDIT_SIGNING_KEY_DIR": str(work / "keys"),
                    "AUDIT_PUBLIC_KEY_DIR": str(work / "keys"), "AUDIT_WITNESS_DIR": str(work / "witness"),
                    "VAULT_DATA_KEY_DIR": str(work / "data-keys"),
                    "CRASH_MAIL_DIR": str(work / "mail"), "ALLOWED_HOSTS": "localhost", "LOG_LEVEL": "WARNING"}

    def restored_into(self, database: str, vault: dict) -> dict:
        """The same installation's keys, key store and witness files, on a fresh database and vault storage."""
        return {**self.env, "DATABASE_URL": f"{PG_URL}/{database}", **vault}

    def run(self, *argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(list(argv), cwd=ROOT, env=env or self.env, capture_output=True, text=True, timeout=300)

    def ok(self, *argv: str, env: dict | None = None) -> str:
        done = self.run(*argv, env=env)
        assert done.returncode == 0, f"{argv}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout

    def world(self, *argv: str, env: dict | None = None) -> dict:
        return json.loads(self.ok(sys.executable, "-m", "tests.slow.backup_world", *argv, env=env))


@dataclass
class Vaults:
    """The live vault's storage and a fresh one to restore into, as environment, and how many objects each holds."""
    live: dict
    fresh: dict
    count: Callable[[dict], int]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3"])
def vaults(request, tmp_path) -> Vaults:
    if request.param == "local":
        return Vaults({"VAULT_ROOT": str(tmp_path / "vault")}, {"VAULT_ROOT": str(tmp_path / "restored-vault")},
                      lambda env: len(files_under(Path(env["VAULT_ROOT"]))))
    import boto3

    endpoint = request.getfixturevalue("s3_endpoint")
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    common = {"CONCORDAT_VAULT_STORAGE": "s3", "VAULT_S3_ENDPOINT_URL": endpoint, "VAULT_S3_REGION": REGION,
              "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    live, fresh = (f"{name}-{uuid.uuid4().hex[:8]}" for name in ("live", "restored"))
    for bucket in (live, fresh):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Vaults({**common, "VAULT_S3_BUCKET": live}, {**common, "VAULT_S3_BUCKET": fresh},
                  lambda env: client.list_objects_v2(Bucket=env["VAULT_S3_BUCKET"]).get("KeyCount", 0))


@pytest.fixture
def databases():
    names = [f"cc_backup_{os.getpid()}", f"cc_restored_{os.getpid()}"]
    for name in names:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    yield names
    for name in names:
        subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True)


def test_a_restore_verifies_every_file_the_chain_and_its_checkpoints_and_shredding_beats_the_backup(
        databases, vaults, tmp_path, report):
    live, restored_db = databases
    site = Site(tmp_path / "site", live)
    site.env.update(vaults.live)
    times = {}
    began = time.monotonic()
    site.ok(sys.executable, "manage.py", "create_audit_keys")
    site.ok(sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    times["keys and migrate"] = time.monotonic() - began
    began = time.monotonic()
    world = site.world("make", "--deliveries", str(DELIVERIES))
    assert len(world["files"]) == 2 * DELIVERIES and len(world["retentions"]) == DELIVERIES
    times["world"] = time.monotonic() - began

    began = time.monotonic()
    backup = tmp_path / "backup"
    site.ok("deploy/backup.sh", str(backup))
    times["backup"] = time.monotonic() - began
    assert len(files_under(backup / "vault")) == 2 * DELIVERIES
    # The database and the vault's ciphertexts only: no key, no key store, no witness file (ADR 44).
    assert sorted(path.name for path in backup.iterdir()) == ["SHA256SUMS", "audit-head.txt", "database.dump", "vault"]

    shredded = site.world("dispose", str(world["retentions"][0]), "--by", str(world["disposer"]))["shredded"]
    assert len(shredded) == 2
    # The live service signs a checkpoint after the backup (beat does, hourly), into the party's witness file, and
    # is then lost: the restored chain ends before the events it vouches for.
    site.ok(sys.executable, "manage.py", "sign_audit_checkpoint", "--party", "iasc")

    began = time.monotonic()
    restored = site.restored_into(restored_db, vaults.fresh)
    out = site.ok("deploy/restore.sh", str(backup), env=restored)
    times["restore and verify"] = time.monotonic() - began
    assert "Audit chain intact" in out and f"extends the recorded head {world['checkpoints'][0]}" in out
    # The restore is on the chain (ADR 46): the event after the backup's head names it and the dump's SHA-256, and
    # the checkpoint signed after the backup is reported, not taken for tampering.
    restored_at = world["checkpoints"][0] + 1
    assert f"Restore recorded as event {restored_at}: the chain restored ends at event {restored_at - 1}" in out
    dump_sha256 = hashlib.sha256((backup / "database.dump").read_bytes()).hexdigest()
    assert f"dump SHA-256 {dump_sha256}" in out
    assert f"Checkpoints: {len(world['checkpoints'])} signed checkpoints verify" in out
    lost_line = next(line for line in out.splitlines() if line.startswith("Signed after the backup"))
    assert "iasc's checkpoint at event" in lost_line and f"restored at event {restored_at}" in lost_line
    assert "cases and" in out and "agree with the chain" in out  # --state
    assert f"Vault intact: {2 * DELIVERIES - 2} held files read, each matching its SHA-256; 2 shredded" in out
    assert sorted(line.rsplit(" ", 1)[1] for line in out.splitlines() if line.startswith("Shredded")) == \
        sorted(shredded)
    assert "Audit chain intact" in site.ok(sys.executable, "manage.py", "verify_audit", env=restored)

    # Every held file, read through the vault from the restored copy, is the file delivered; the ones disposed of
    # after the backup have their row and ciphertext back, and still cannot be decrypted.
    read = site.world("read", env=restored)["read"]
    assert read == {file_id: ("shredded" if file_id in shredded else sha256)
                    for file_id, sha256 in world["files"].items()}
    assert vaults.count(restored) == 2 * DELIVERIES

    # A checkpoint signed on the old live chain after the restore (two services writing one witness file) is no
    # restore's doing: a real mismatch, and verification of the restored chain fails naming it.
    site.ok(sys.executable, "manage.py", "sign_audit_checkpoint", "--party", "home-office")
    diverged = site.run(sys.executable, "manage.py", "verify_audit", env=restored)
    assert diverged.returncode != 0 and "home-office's checkpoint at event" in diverged.stderr
    assert "the chain was rewritten" in diverged.stderr or "the chain was truncated" in diverged.stderr

    refused = site.run("deploy/restore.sh", str(backup), env=restored)
    assert refused.returncode == 1 and "not empty" in refused.stderr
    files_under(backup / "vault")[0].write_bytes(b"tampered")
    damaged = site.run("deploy/restore.sh", str(backup), env=restored)
    assert damaged.returncode == 1 and "damaged" in damaged.stderr
    report(f"{vaults.live.get('CONCORDAT_VAULT_STORAGE', 'local')}: {2 * DELIVERIES} files in {DELIVERIES} deliveries, checkpoints at {world['checkpoints']}; "
           + ", ".join(f"{step} {seconds:.1f}s" for step, seconds in times.items()))
