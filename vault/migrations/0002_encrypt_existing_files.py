"""Existing delivered and proposed files, kept until now in plain form in the default storage, move into the vault
(ADR 27): each is encrypted under its own data key and recorded, and its plaintext is deleted once this migration's
transaction has committed (never before: a failed migration leaves the plaintext where it was, and removes the
ciphertexts it wrote). A record whose plaintext is missing from the storage is reported and left without a stored
copy: its download answers 404, as a file that is not there."""

import uuid

from django.core.files.storage import storages
from django.db import migrations, transaction
from django.utils import timezone

from vault import crypto

OWNERS = (("sharing", "DeliveryFile", "delivery_file", "delivery"), ("publications", "PublicationFile",
                                                                      "publication_file", "proposal"))


def _marking_and_author(owned, relation):
    case = getattr(owned, relation)
    if relation == "delivery":
        return case.marking, case.delivered_by_id
    return case.request.classification, case.proposed_by_id


def encrypt_existing(apps, schema_editor):
    from vault.keys import kek

    StoredFile = apps.get_model("vault", "StoredFile")
    plain, vault_storage = storages["default"], storages["vault"]
    written, to_delete = [], []
    try:
        for app_label, model_name, owner_field, relation in OWNERS:
            model = apps.get_model(app_label, model_name)
            for owned in model.objects.exclude(stored_file="").select_related(relation).order_by("pk"):
                name = owned.stored_file.name
                if not plain.exists(name):
                    print(f"\n  vault: {model_name} {owned.pk} has no plaintext at {name!r}: left without a copy")
                    continue
                marking, author = _marking_and_author(owned, relation)
                file_id = uuid.uuid4()
                with plain.open(name, "rb") as source:
                    sealed = crypto.seal(source, file_id=file_id, kek=kek(), storage=vault_storage,
                                         name=f"files/{file_id.hex[:2]}/{file_id.hex}")
                written.append(sealed.storage_name)
                if sealed.sha256 != owned.sha256 or sealed.size != owned.size:
                    raise crypto.VaultIntegrityError(
                        f"{model_name} {owned.pk}: the plaintext at {name!r} is not the file recorded (its SHA-256 "
                        "or size differs); the migration stops and nothing is moved.")
                StoredFile.objects.create(
                    id=file_id, **{f"{owner_field}_id": owned.pk}, original_name=owned.original_name,
                    content_type=owned.content_type, size=sealed.size, sha256=sealed.sha256, marking=marking,
                    storage_name=sealed.storage_name, kek_id=sealed.kek_id, wrapped_key=sealed.wrapped_key,
                    nonce_prefix=sealed.nonce_prefix, chunk_size=sealed.chunk_size, created_by_id=author,
                    created_at=owned.uploaded_at or timezone.now())
                to_delete.append(name)
    except BaseException:
        for name in written:
            vault_storage.delete(name)
        raise

    def delete_plaintext():
        for name in to_delete:
            plain.delete(name)

    transaction.on_commit(delete_plaintext)


class Migration(migrations.Migration):

    dependencies = [
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop, elidable=False),
    ]
