"""Tampering as an attacker who can write the database but cannot read the audit keys would: past the models and
the append-only triggers (ADR 2, ADR 17)."""

from __future__ import annotations

from django.db import connection

from audit.models import AuditEvent, AuditHead

TRIGGERS = {"audit_auditevent": "audit_event_append_only", "audit_auditcheckpoint": "audit_checkpoint_append_only"}


def sql(statement: str, params=(), table: str | None = None):
    """Run `statement`; with `table` (an append-only audit table) its triggers stand aside for it."""
    with connection.cursor() as cursor:
        if table is None:
            cursor.execute(statement, params)
            return
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGERS[table]}")
            cursor.execute(statement, params)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGERS[table]}")
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(statement, params)
        for _, create in triggers:
            cursor.execute(create)


def events_sql(statement: str, params=()):
    sql(statement, params, table="audit_auditevent")


def head_row() -> tuple[int, str, str | None]:
    return AuditHead.objects.filter(id=1).values_list("count", "hash", "mac").get()


def set_head(count: int, digest: str, mac: str | None = "keep"):
    """Move the head row; `mac` "keep" leaves its MAC as it was (the attacker cannot compute a new one)."""
    fields = {"count": count, "hash": digest}
    if mac != "keep":
        fields["mac"] = mac
    AuditHead.objects.filter(id=1).update(**fields)


def last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
