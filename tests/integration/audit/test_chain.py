"""The audit chain: every tampering with stored events is caught, naming the first broken event."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from audit.chain import event_hash
from audit.models import AppendOnlyError, AuditEvent
from audit.services import AuditOutsideTransaction, record_event
from audit.verify import verify_stored_chain

pytestmark = pytest.mark.django_db


def write_events(count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [record_event("test.event", details={"n": n, "text": f"event {n}"}) for n in range(1, count + 1)]


def raw_sql(sql: str, params=()):
    """Tamper as an attacker with database access would, past the model and the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


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
    assert not report.ok and report.first_broken_sequence == 4


def test_reordered_events_are_named():
    write_events(5)
    raw_sql("UPDATE audit_auditevent SET sequence = -1 WHERE sequence = 2")
    raw_sql("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 4")
    raw_sql("UPDATE audit_auditevent SET sequence = 4 WHERE sequence = -1")
    report = verify_stored_chain()
    assert not report.ok and report.first_broken_sequence == 2


def test_a_rewritten_table_is_caught_by_the_recorded_head():
    write_events(3)
    recorded_head = (3, AuditEvent.objects.get(sequence=3).hash)
    # The attacker edits event 2 and recomputes every hash after it: the chain is consistent again...
    raw_sql("UPDATE audit_auditevent SET action = 'test.rewritten' WHERE sequence = 2")
    prev = AuditEvent.objects.get(sequence=1).hash
    for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
        digest = event_hash(event.content(), prev)
        raw_sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE sequence = %s",
                [prev, digest, event.sequence])
        prev = digest
    assert verify_stored_chain().ok
    # ...but not with the head each party kept outside the system.
    report = verify_stored_chain(expected_head=recorded_head)
    assert not report.ok and report.first_broken_sequence == 3


def test_a_truncated_chain_is_caught_by_the_recorded_head():
    write_events(3)
    recorded_head = (3, AuditEvent.objects.get(sequence=3).hash)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    assert verify_stored_chain().ok
    assert "shorter" in verify_stored_chain(expected_head=recorded_head).problem


def test_verify_audit_command_names_the_first_broken_event():
    write_events(3)
    out = StringIO()
    call_command("audit_head", stdout=out)
    head = out.getvalue().strip()
    out = StringIO()
    call_command("verify_audit", "--head", head, stdout=out)
    assert "intact: 3 events" in out.getvalue()
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_audit_rows():
    from django.db import DatabaseError

    write_events(1)
    for sql in ("UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_events_are_written_only_inside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record_event("test.event")
