"""On PostgreSQL, searching requests by reference, title or what was asked uses trigram indexes.

The list's search is `icontains`, which Django writes as UPPER(column::text) LIKE UPPER('%word%'): the
indexes are on exactly those expressions. SQLite (the demo) has no such index and needs none.
"""

from django.db import migrations

SEARCHED = ("reference", "title", "information_requested")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS request_search_{column} ON sharing_request "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)", params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS request_search_{column}", params=None)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0003_soonest_due_index")]
    operations = [migrations.RunPython(create, drop)]
