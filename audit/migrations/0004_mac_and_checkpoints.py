"""Audit events and the head row carry a MAC under a key held outside the database; signed checkpoints, as
append-only as the events (ADR 17).

Events already written get no MAC here: the migration never reads the key, and never updates the append-only
table. The first event written afterwards carries one and vouches for them through the hash chain
(`manage.py seal_audit` writes one at once). The new columns are nullable so that SQLite adds them with
ALTER TABLE, keeping the triggers of 0003.
"""

from django.db import migrations, models

TABLE = "audit_auditcheckpoint"
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION audit_checkpoints_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_are_append_only();
"""
POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_checkpoints_are_append_only();
"""
SQLITE = [
    f"""CREATE TRIGGER audit_checkpoint_append_only_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_checkpoint_append_only_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only: DELETE refused'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_checkpoint_append_only_update",
               "DROP TRIGGER IF EXISTS audit_checkpoint_append_only_delete"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [POSTGRESQL] if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [POSTGRESQL_DROP] if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_trigger_sqlite'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='mac',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='mac_key_id',
            field=models.CharField(blank=True, help_text='Which key wrote the MAC.', max_length=40, null=True),
        ),
        migrations.AddField(
            model_name='audithead',
            name='mac',
            field=models.CharField(blank=True, help_text='HMAC of COUNT:HASH under the audit key (audit.chain.head_mac_message).', max_length=64, null=True),
        ),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('party', models.CharField(help_text="The signing organisation's slug (home-office, iasc).", max_length=50)),
                ('count', models.BigIntegerField()),
                ('head_hash', models.CharField(max_length=64)),
                ('signed_at', models.DateTimeField()),
                ('key_id', models.CharField(help_text='SHA-256 of the raw public key, first 16 hex digits.', max_length=40)),
                ('signature', models.CharField(help_text='Ed25519, hex, over audit.checkpoints.statement.', max_length=128)),
                ('signed_by', models.CharField(help_text="Who asked for it: a username or 'schedule'.", max_length=200)),
            ],
            options={
                'ordering': ['-signed_at', '-id'],
                'indexes': [models.Index(fields=['party', '-count'], name='checkpoint_latest')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
