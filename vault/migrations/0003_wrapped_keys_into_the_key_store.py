"""Each stored file's wrapped data key moves out of the database into the data key store (ADR 32), so that a backup
of the database holds no key that opens a file. Each key is written (atomically, fsynced) and read back before the
next step removes the column; going back puts them into the column again. A disposed file has no key to move."""

from django.db import migrations


def keys_into_the_store(apps, schema_editor):
    from vault.datakeys import data_key_store

    StoredFile = apps.get_model("vault", "StoredFile")
    rows = StoredFile.objects.filter(wrapped_key__isnull=False).only("id", "wrapped_key")
    if not rows.exists():
        return  # a new database: no key store is needed to migrate it
    store = data_key_store()  # MissingVaultKey (the migration stops, nothing moved) when none is configured
    for row in rows.iterator():
        wrapped = bytes(row.wrapped_key)
        store.put(row.id, wrapped)
        if store.get(row.id) != wrapped:
            raise RuntimeError(f"Stored file {row.id}: its key did not read back from the key store; nothing moved.")


def keys_back_into_the_database(apps, schema_editor):
    from vault.datakeys import DataKeyDestroyed, data_key_store

    StoredFile = apps.get_model("vault", "StoredFile")
    rows = StoredFile.objects.filter(disposed_at__isnull=True).only("id")
    if not rows.exists():
        return
    store = data_key_store()
    for row in rows.iterator():
        try:
            StoredFile.objects.filter(pk=row.id).update(wrapped_key=store.get(row.id))
        except DataKeyDestroyed:
            continue


class Migration(migrations.Migration):

    dependencies = [
        ("vault", "0002_encrypt_existing_files"),
    ]

    operations = [
        # Before the keys move (and, going back, put back only after they have).
        migrations.RemoveConstraint(model_name="storedfile", name="stored_file_key_until_disposed"),
        migrations.RunPython(keys_into_the_store, keys_back_into_the_database, elidable=False),
    ]
