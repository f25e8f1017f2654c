"""The audit chain: tampering with stored events is caught, naming the first broken event; the database
itself refuses UPDATE and DELETE of audit events, on SQLite as on PostgreSQL.

Each event and the head row carry a MAC under a key held outside the database (ADR 17), so a rewrite with the
public hash function, a forged append and a head row moved are caught without a head kept by hand. The full
catalogue of tampering, with checkpoints and the state of cases, is in test_tampering.py."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import event_hash
from audit.models import AppendOnlyError, AuditEvent, AuditHead
from audit.services import AuditOutsideTransaction, record_event
from audit.verify import verify_stored_chain

pytestmark = pytest.mark.django_db


def write_events(count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [record_event("test.event", details={"n": n, "text": f"event {n}"}) for n in range(1, count + 1)]


def sqlite_triggers(cursor) -> list[tuple[str, str]]:
    cursor.execute("SELECT name, sql FROM sqlite_master"
                   " WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
    return cursor.fetchall()


def raw_sql(sql: str, params=()):
    """Tamper as an attacker with database access would, past the model and the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        else:
            triggers = sqlite_triggers(cursor)
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        else:
            for _, create in triggers:
                cursor.execute(create)


def move_head(count: int, digest: str):
    """The attacker's second step: make the stored head row agree with the tampered chain."""
    AuditHead.objects.filter(id=1).update(count=count, hash=digest)


def rehash_from(sequence: int) -> str:
    """Recompute prev_hash and hash of every event from `sequence` on, as the public hash function allows."""
    prev = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        digest = event_hash(event.content(), prev)
        raw_sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE sequence = %s",
                [prev, digest, event.sequence])
        prev = digest
    return prev


def forge_append(sequence: int, prev_hash: str) -> str:
    """Insert a well-formed event after the last, hashed with the public function; returns its hash."""
    forged = AuditEvent.objects.get(sequence=1).content()
    forged = type(forged)(**{**forged.__dict__, "sequence": sequence, "action": "test.forged"})
    digest = event_hash(forged, prev_hash)
    raw_sql(
        "INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, action, object_type, object_id,"
        " details, prev_hash, hash) VALUES (%s, %s, %s, %s, '', '', %s, %s, %s)",
        [sequence, forged.occurred_at, forged.actor_label, "test.forged", '{"n": 1, "text": "event 1"}',
         prev_hash, digest],
    )
    return digest


def verify_command(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def recorded_head() -> str:
    out = StringIO()
    call_command("audit_head", stdout=out)
    return out.getvalue().strip()


def test_an_untouched_chain_verifies():
    write_events(5)
    report = verify_stored_chain()
    assert report.ok and report.count == 5


def test_each_event_links_to_the_one_before():
    events = write_events(3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


def test_an_edited_event_is_named():
    write_events(5)
    raw_sql("UPDATE audit_auditevent SET action = 'test.forged' WHERE sequence = 3")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 3
    assert "altered" in report.problem


def test_an_edited_detail_is_named():
    write_events(4)
    raw_sql("UPDATE audit_auditevent SET details = %s WHERE sequence = 2", ['{"n": 99, "text": "event 2"}'])
    assert verify_stored_chain().first_broken_sequence == 2


def test_a_deleted_event_is_named():
    write_events(5)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 2")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 2
    assert "missing" in report.problem


def test_an_inserted_event_is_named():
    events = write_events(4)
    # Make room after event 2 and insert a forged event that links to it correctly.
    raw_sql("UPDATE audit_auditevent SET sequence = sequence + 100 WHERE sequence > 2")
    raw_sql("UPDATE audit_auditevent SET sequence = sequence - 99 WHERE sequence > 100")
    forged = events[0].content()
    forged = type(forged)(**{**forged.__dict__, "sequence": 3, "action": "test.inserted"})
    digest = event_hash(forged, events[1].hash)
    raw_sql(
        "INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, action, object_type, object_id,"
        " details, prev_hash, hash) VALUES (%s, %s, %s, %s, '', '', %s, %s, %s)",
        [3, forged.occurred_at, forged.actor_label, "test.inserted", '{"n": 1, "text": "event 1"}',
         events[1].hash, digest],
    )
    report = verify_stored_chain()
    # The forged event itself is named: it carries no MAC (ADR 17); without one it would break at 4.
    assert not report.ok and report.first_broken_sequence == 3
    assert "event 3 carries no MAC" in report.problem


def test_reordered_events_are_named():
    write_events(5)
    raw_sql("UPDATE audit_auditevent SET sequence = -1 WHERE sequence = 2")
    raw_sql("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 4")
    raw_sql("UPDATE audit_auditevent SET sequence = 4 WHERE sequence = -1")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 2


def test_a_deleted_last_event_is_caught_by_the_stored_head_row():
    write_events(3)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 3
    assert "event 3 (the last) is missing" in report.problem
    with pytest.raises(CommandError, match=r"broken at event 3: .*event 3 \(the last\) is missing"):
        call_command("verify_audit")


def test_a_truncated_chain_is_caught_by_the_stored_head_row():
    write_events(5)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence >= 3")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 3
    assert "ends at event 2 but the stored head row records 5 events: events 3 to 5" in report.problem


def test_a_truncated_chain_with_its_head_row_moved_back_is_caught_by_the_recorded_head():
    write_events(3)
    head = recorded_head()
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    move_head(2, AuditEvent.objects.get(sequence=2).hash)
    with pytest.raises(CommandError, match=r"broken at event 3: the chain is shorter than the recorded head"):
        call_command("verify_audit", "--head", head)


def test_a_rewrite_with_every_later_hash_recomputed_is_caught_by_its_mac():
    write_events(3)
    raw_sql("UPDATE audit_auditevent SET action = 'test.rewritten' WHERE sequence = 2")
    rehash_from(2)
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 2
    assert "event 2 does not carry a valid MAC" in report.problem


def test_a_rewritten_table_with_its_head_row_moved_is_caught_without_the_recorded_head():
    write_events(3)
    head = (3, AuditEvent.objects.get(sequence=3).hash)
    # The attacker edits event 2, recomputes every hash after it and moves the head row: the hashes agree again,
    # but the MACs, under a key the attacker cannot read, do not (ADR 17).
    raw_sql("UPDATE audit_auditevent SET action = 'test.rewritten' WHERE sequence = 2")
    move_head(3, rehash_from(2))
    assert verify_stored_chain().first_broken_sequence == 2
    report = verify_stored_chain(expected_head=head)
    assert not report.ok and report.first_broken_sequence == 2


def test_a_truncated_chain_is_caught_by_the_recorded_head():
    write_events(3)
    head = (3, AuditEvent.objects.get(sequence=3).hash)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    assert "shorter" in verify_stored_chain(expected_head=head).problem


def test_a_head_row_that_disagrees_with_the_chain_is_named():
    events = write_events(3)
    move_head(3, "f" * 64)
    with pytest.raises(CommandError, match=r"broken at event 3: event 3 does not match the stored head row"):
        call_command("verify_audit")
    move_head(7, events[2].hash)
    with pytest.raises(CommandError, match=r"broken at event 4: the chain ends at event 3 but the stored head row"
                                           r" records 7 events"):
        call_command("verify_audit")
    move_head(2, events[1].hash)
    with pytest.raises(CommandError, match=r"broken at event 3: event 3 lies past the stored head row \(2 "):
        call_command("verify_audit")


def test_a_missing_head_row_is_named():
    write_events(2)
    AuditHead.objects.all().delete()
    with pytest.raises(CommandError, match=r"events 1 to 2 lie past the stored head row \(missing"):
        call_command("verify_audit")


def test_an_event_appended_without_moving_the_head_row_is_caught():
    events = write_events(3)
    forge_append(4, events[2].hash)
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 4
    assert "event 4 carries no MAC" in report.problem


def test_an_empty_chain_verifies():
    assert "intact: 0 events" in verify_command()


def test_a_forged_append_with_its_head_row_moved_is_caught():
    """Was a strict xfail before events carried a MAC: the hash function is public (ADR 17)."""
    events = write_events(3)
    head = recorded_head()
    move_head(4, forge_append(4, events[2].hash))
    with pytest.raises(CommandError, match=r"broken at event 4: event 4 carries no MAC although event 1 before it"):
        call_command("verify_audit", "--head", head)
    with pytest.raises(CommandError, match=r"broken at event 4: event 4 carries no MAC"):
        call_command("verify_audit")


def test_a_truncated_chain_with_its_head_row_moved_back_is_caught_without_the_recorded_head():
    """Was a strict xfail: the head row now carries a MAC the attacker cannot compute (ADR 17). A head row
    replayed from an earlier copy is caught by signed checkpoints instead (test_tampering.py)."""
    events = write_events(3)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    move_head(2, events[1].hash)
    with pytest.raises(CommandError, match=r"broken at event 2: the stored head row \(2 events\) does not carry a"
                                           r" valid MAC: it was moved or edited without the audit key"):
        call_command("verify_audit")


def test_verify_audit_command_names_the_first_broken_event():
    write_events(3)
    head = recorded_head()
    output = verify_command("--head", head)
    assert "intact: 3 events" in output and "matching the stored head row" in output
    assert "each carrying a valid MAC" in output
    assert "extends the recorded head 3" in output
    write_events(1)
    assert "intact: 4 events" in verify_command("--head", head)
    raw_sql("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE sequence = 2")
    with pytest.raises(CommandError, match="broken at event 2"):
        call_command("verify_audit")


def test_verify_audit_refuses_a_malformed_head():
    with pytest.raises(CommandError, match="COUNT:HASH"):
        call_command("verify_audit", "--head", "three:abc")


def test_the_model_refuses_changes_and_deletion():
    event = write_events(1)[0]
    event.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET action = 'x'",
    "UPDATE audit_auditevent SET sequence = sequence + 100",
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_auditevent WHERE sequence = 2",
])
def test_the_database_refuses_update_and_delete_of_audit_rows(sql):
    """By trigger: PL/pgSQL on PostgreSQL (migration 0002), RAISE(ABORT) on SQLite (migration 0003)."""
    write_events(2)
    before = list(AuditEvent.objects.values_list("sequence", "action", "hash"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    assert list(AuditEvent.objects.values_list("sequence", "action", "hash")) == before
    assert verify_stored_chain().ok


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_empties_the_chain_and_keeps_the_triggers():
    write_events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists() and verify_stored_chain().ok
    write_events(1)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as c:
        c.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_events_are_written_only_inside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record_event("test.event")
