"""A restore recorded on the chain (ADR 46): checkpoints signed after the backup are reported as not in the restored
chain instead of failing verification, and nothing else is excused. The database is put back as a restore would put
it (the events and checkpoint rows after the backup gone, the head row as the dump held it); the witness files stay,
as they are kept apart from backups."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.checkpointing import sign_checkpoint
from audit.keys import mac_key
from audit.models import AuditEvent, AuditHead
from audit.restores import RestoreRefused, record_restore, recorded_restores
from audit.services import record_standalone
from audit.verify import verify_all
from tests.support.audit_keys import checkpoint_keys  # noqa: F401
from tests.support.restored import restored  # noqa: F401
from tests.support.tamper import events_sql

pytestmark = pytest.mark.django_db
DUMP = "ab" * 32


def test_before_the_restore_is_recorded_the_lost_checkpoint_fails_verification(restored):  # noqa: F811
    result = verify_all()
    assert not result.ok and "the chain ends at event 3 but iasc's checkpoint at event 5" in result.problems[-1]


def test_a_recorded_restore_names_the_lost_checkpoint_and_verification_passes(restored):  # noqa: F811
    (count, digest), _ = restored
    out = StringIO()
    call_command("record_restore", "--head", f"{count}:{digest}", "--dump-sha256", DUMP, "--backup", "nightly",
                 stdout=out)
    assert "Restore recorded as event 4: the chain restored ends at event 3" in out.getvalue()
    event = AuditEvent.objects.get(sequence=4)
    assert (event.action, event.actor_label, event.prev_hash) == ("audit.restored", "restore.sh", digest)
    assert event.details == {"restored_head": {"count": 3, "hash": digest}, "head_at_backup": f"3:{digest}",
                             "dump_sha256": DUMP, "backup": "nightly"}
    result = verify_all(state=True)
    assert result.ok, result.problems
    assert len(result.checkpoints.lost_in_restore) == 1
    assert "iasc's checkpoint at event 5" in result.checkpoints.lost_in_restore[0]
    assert "restored at event 4" in result.checkpoints.lost_in_restore[0]
    assert set(result.checkpoints.latest) == {"home-office"}
    out = StringIO()
    call_command("verify_audit", "--head", f"{count}:{digest}", stdout=out)
    assert "Signed after the backup, not in this restored chain: iasc's checkpoint at event 5" in out.getvalue()


def test_the_chain_grows_past_the_lost_checkpoint_and_new_checkpoints_verify_as_usual(restored):  # noqa: F811
    (count, digest), _ = restored
    record_restore(head_at_backup=(count, digest), dump_sha256=DUMP)
    for n in range(3):
        record_standalone("test.event", details={"after": n})  # events 5 to 7: event 5 is not the lost event 5
    sign_checkpoint("iasc", signed_by="test")
    result = verify_all()
    assert result.ok, result.problems
    assert result.checkpoints.latest["iasc"].count == 7 and len(result.checkpoints.lost_in_restore) == 1


def test_a_real_mismatch_still_fails_after_a_restore(restored):  # noqa: F811
    (count, digest), _ = restored
    record_restore(head_at_backup=(count, digest), dump_sha256=DUMP)
    # The Home Office's checkpoint at event 3 was signed before the backup: the restored chain must still hold it.
    events_sql("UPDATE audit_auditevent SET hash = %s WHERE sequence = 3", ["f" * 64])
    result = verify_all()
    assert not result.ok
    assert any("event 3 no longer has the hash home-office's checkpoint" in problem for problem in result.problems)


def test_a_row_edited_into_a_restore_without_the_key_is_not_one(restored):  # noqa: F811
    """Someone who writes the database truncates the chain and dresses its last event up as a restore: its hash no
    longer covers its content, so it is not taken for one and the lost checkpoint still fails."""
    events_sql("UPDATE audit_auditevent SET action = 'audit.restored' WHERE sequence = 3")
    assert recorded_restores() == []
    result = verify_all()
    assert not result.ok and any("iasc's checkpoint at event 5" in problem for problem in result.problems)


def test_a_restore_is_not_recorded_on_a_chain_that_does_not_verify_or_with_a_malformed_dump_hash(restored):  # noqa: F811
    (count, digest), live = restored
    with pytest.raises(RestoreRefused, match="64 lower-case hex digits"):
        record_restore(head_at_backup=(count, digest), dump_sha256="not-a-hash")
    # The head given is not in this chain (the live head, not the backup's): refused, nothing written.
    with pytest.raises(RestoreRefused, match="does not verify"):
        record_restore(head_at_backup=live, dump_sha256=DUMP)
    with pytest.raises(CommandError, match="--head must be COUNT:HASH"):
        call_command("record_restore", "--head", "3", "--dump-sha256", DUMP)
    AuditHead.objects.filter(id=1).update(mac="0" * 64)  # the head row moved without the key
    with pytest.raises(CommandError, match="No restore recorded: the restored chain does not verify"):
        call_command("record_restore", "--head", f"{count}:{digest}", "--dump-sha256", DUMP)
    assert AuditEvent.objects.count() == 3 and not AuditEvent.objects.filter(action="audit.restored").exists()
    assert mac_key()  # the key was there all along: the refusals are about the chain
