"""On SQLite too the database itself refuses UPDATE and DELETE of audit events (ASVS 16.4.2).

0002 does it on PostgreSQL with a PL/pgSQL function; SQLite has none, so two triggers RAISE(ABORT).
SQLite drops a table's triggers with the table: a later migration that rebuilds audit_auditevent on
SQLite (most AlterField/RemoveField do) must create them again (the tests in
tests/integration/audit/test_chain.py fail if it does not).
"""

from django.db import migrations

CREATE = [
    """CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_append_only_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_event_append_only_update",
    "DROP TRIGGER IF EXISTS audit_event_append_only_delete",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
