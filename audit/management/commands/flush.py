"""Django's flush, which on SQLite also empties the audit chain.

Flushing destroys every table at once (the tests flush after each transactional test). PostgreSQL
flushes with TRUNCATE, which row triggers do not see; SQLite flushes with DELETE, which the append-only
triggers of audit migration 0003 refuse. So on SQLite the triggers on audit_auditevent are dropped for
the flush and created again from their own stored SQL, all in one transaction: if anything fails, they
are back as they were. Nothing else lifts them. The checkpoint table (migration 0004) is treated the same.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

AUDIT_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


class Command(flush.Command):
    help = flush.Command.help + " On SQLite the audit chain's append-only triggers stand aside for it."

    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=database):
            with connection.cursor() as cursor:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                               list(AUDIT_TABLES))
                triggers = cursor.fetchall()
                for name, _ in triggers:
                    cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            super().handle(**options)
            with connection.cursor() as cursor:
                for _, sql in triggers:
                    cursor.execute(sql)
