"""The audit keys fail closed, existing events are sealed, and checkpoints are signed on demand and on schedule
(ADR 17)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from audit.checkpointing import CheckpointRefused, sign_checkpoint
from audit.keys import LocalMacKey, MissingAuditKey, mac_key
from audit.models import AuditCheckpoint
from audit.services import record_event, record_standalone
from audit.tasks import sign_checkpoints
from audit.verify import verify_all, verify_stored_chain
from tests.support.audit_keys import checkpoint_keys  # noqa: F401
from tests.support.tamper import events_sql, set_head

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "CONCORDAT_"))
             and k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    clean.update(DJANGO_SETTINGS_MODULE="concordat.settings", SECRET_KEY="s" * 60, **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_without_the_mac_key_fails_the_system_check(tmp_path):
    assert "concordat.E004" in manage("check", CONCORDAT_PRODUCTION="1").stderr
    key_file = tmp_path / "mac.key"
    key_file.write_text("ab" * 32)
    assert "concordat.E004" not in manage("check", CONCORDAT_PRODUCTION="1", AUDIT_MAC_KEY_FILE=str(key_file)).stderr


def test_nothing_is_written_to_the_chain_without_the_key(settings):
    settings.AUDIT_MAC_KEY, settings.AUDIT_MAC_KEY_FILE = "", ""
    with pytest.raises(MissingAuditKey, match="AUDIT_MAC_KEY"), transaction.atomic():
        record_event("test.event")


def test_the_key_comes_from_a_file_and_names_itself_without_revealing_itself(settings, tmp_path):
    (tmp_path / "mac.key").write_text("cd" * 32 + "\n")
    settings.AUDIT_MAC_KEY, settings.AUDIT_MAC_KEY_FILE = "", str(tmp_path / "mac.key")
    key = mac_key()
    assert key.key_id.startswith("local:") and "cd" * 8 not in key.key_id
    assert key.mac(b"x") == LocalMacKey(bytes.fromhex("cd" * 32)).mac(b"x")


def test_an_event_written_under_another_key_is_named(settings):
    record_standalone("test.event")
    settings.AUDIT_MAC_KEY = "ff" * 32
    report = verify_stored_chain()
    assert not report.ok and "event 1 does not carry a valid MAC" in report.problem
    assert "or the key configured is not the one it was written with" in report.problem


def test_events_written_before_macs_are_vouched_for_by_a_seal():
    for n in range(3):
        record_standalone("test.event", details={"n": n})
    # As in a database migrated from before MACs: no event and no head row carries one.
    events_sql("UPDATE audit_auditevent SET mac = NULL, mac_key_id = NULL")
    set_head(3, _hash(3), mac=None)
    report = verify_stored_chain()
    assert not report.ok and "no event carries a MAC" in report.problem and "seal_audit" in report.problem
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert "events 1 to 4 are authenticated" in out.getvalue()
    assert verify_stored_chain().ok
    # An event after the first authenticated one with its MAC stripped is not taken for an old event; and with
    # every MAC stripped, nothing vouches for the chain any more.
    record_standalone("test.event")
    events_sql("UPDATE audit_auditevent SET mac = NULL WHERE sequence = 5")
    assert "event 5 carries no MAC although event 4 before it does" in verify_stored_chain().problem
    events_sql("UPDATE audit_auditevent SET mac = NULL")
    assert "no event carries a MAC" in verify_stored_chain().problem


def _hash(sequence: int) -> str:
    from audit.models import AuditEvent

    return AuditEvent.objects.get(sequence=sequence).hash


def test_create_audit_keys_makes_private_keys_readable_by_the_owner_only_and_keeps_existing_ones(settings, tmp_path):
    settings.AUDIT_MAC_KEY, settings.AUDIT_MAC_KEY_FILE = "", str(tmp_path / "keys" / "audit-mac.key")
    settings.AUDIT_SIGNING_KEY_DIR = settings.AUDIT_PUBLIC_KEY_DIR = str(tmp_path / "keys")
    call_command("create_audit_keys", stdout=StringIO())
    made = {path.name: path for path in (tmp_path / "keys").iterdir()}
    assert set(made) == {"audit-mac.key", "home-office.ed25519", "home-office.ed25519.pub", "iasc.ed25519",
                         "iasc.ed25519.pub"}
    assert stat.S_IMODE(made["iasc.ed25519"].stat().st_mode) == 0o600
    assert stat.S_IMODE(made["audit-mac.key"].stat().st_mode) == 0o600
    before = made["audit-mac.key"].read_text()
    out = StringIO()
    call_command("create_audit_keys", stdout=out)
    assert "already in place" in out.getvalue() and made["audit-mac.key"].read_text() == before


def test_create_audit_keys_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="provisioned outside"):
        call_command("create_audit_keys")


def test_a_party_signs_on_demand_into_the_table_and_its_witness_file(checkpoint_keys):  # noqa: F811
    record_standalone("test.event")
    out = StringIO()
    call_command("sign_audit_checkpoint", "--party", "iasc", stdout=out)
    assert "iasc signed the audit chain at event 1" in out.getvalue()
    row = AuditCheckpoint.objects.get()
    assert (row.party, row.count, row.signed_by) == ("iasc", 1, "manage.py sign_audit_checkpoint")
    witness = (checkpoint_keys / "witness" / "iasc.checkpoints.jsonl").read_text().splitlines()
    assert len(witness) == 1 and row.signature in witness[0]
    assert verify_all().ok


def test_an_unknown_party_or_a_missing_signing_key_is_refused(settings, checkpoint_keys):  # noqa: F811
    with pytest.raises(CommandError, match="dwp is not a party"):
        call_command("sign_audit_checkpoint", "--party", "dwp")
    (checkpoint_keys / "private" / "iasc.ed25519").unlink()
    with pytest.raises(CommandError, match="No checkpoint signing key for iasc"):
        call_command("sign_audit_checkpoint", "--party", "iasc")


def test_a_party_will_not_sign_a_head_row_moved_without_the_key(checkpoint_keys):  # noqa: F811
    record_standalone("test.event")
    record_standalone("test.event")
    set_head(1, _hash(1))
    with pytest.raises(CheckpointRefused, match="does not carry a valid MAC"):
        sign_checkpoint("home-office", signed_by="test")
    assert not AuditCheckpoint.objects.exists()


def test_the_schedule_signs_for_each_party_whose_key_this_host_holds(settings, checkpoint_keys):  # noqa: F811
    record_standalone("test.event")
    assert sign_checkpoints() == {"home-office": 1, "iasc": 1}
    (checkpoint_keys / "private" / "home-office.ed25519").unlink()  # the Home Office signs on its own host
    record_standalone("test.event")
    assert sign_checkpoints() == {"iasc": 2}
    assert settings.CELERY_BEAT_SCHEDULE["audit-checkpoints"]["task"] == "audit.tasks.sign_checkpoints"


def test_a_checkpoint_without_a_configured_public_key_fails_closed(settings, checkpoint_keys):  # noqa: F811
    record_standalone("test.event")
    sign_checkpoint("iasc", signed_by="test")
    (checkpoint_keys / "public" / "iasc.ed25519.pub").unlink()
    result = verify_all()
    assert not result.ok and "no public key is configured for iasc" in result.problems[0]


def test_checkpoint_rows_are_append_only(checkpoint_keys):  # noqa: F811
    from django.db import DatabaseError, connection

    from audit.models import AppendOnlyError

    record_standalone("test.event")
    row = sign_checkpoint("iasc", signed_by="test")
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(count=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint")
    assert AuditCheckpoint.objects.count() == 1
