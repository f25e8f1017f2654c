"""Stored files (ADR 27): every file Concordat keeps, encrypted at rest under its own data key.

A StoredFile records what is needed to read the file back (the key-encryption key's id, the nonce prefix, the chunk
size, where the ciphertext is) and what it is (safe name, sniffed type, size, plaintext SHA-256, marking). Its
wrapped data key is NOT here: it is in the data key store outside the database (vault/datakeys.py, ADR 32), so that
crypto-shredding ("destroy the key in the store and delete the ciphertext", `disposed_at`/`disposed_by` set
together) holds against any backup of the database, as long as the key store keeps no old keys.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

USER = settings.AUTH_USER_MODEL
# What a stored file belongs to: one explicit one-to-one key each (DPIAs, signed arrangements, NDAs and releases will
# join), exactly one set. Keys, not a generic relation: the database keeps them whole. Whoever may see the owner's
# case may read the file (need-to-know, ADR 3); the owner's app checks that before asking the vault.
OWNER_FIELDS = ("delivery_file", "publication_file", "research_nda", "dataset")


def _exactly_one(*fields: str) -> Q:
    condition = Q(pk__in=[])
    for chosen in fields:
        condition |= Q(**{f"{chosen}__isnull": False}, **{f"{other}__isnull": True for other in fields if other != chosen})
    return condition


class VaultBackedFile(models.Model):
    """What an app's file row holds beside its StoredFile (reached as `vault_file`): the checked upload's facts
    (sharing/files.py) and when it came. DeliveryFile and PublicationFile share it; abstract, so each keeps its
    own table and its own constraint names. Stored and looked up by vault.services.store_checked/owned_file."""

    OWNER_FIELD = ""  # this model's key on StoredFile, one of OWNER_FIELDS

    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120, help_text="Sniffed from the content, not the client's word.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def reference(self) -> str:
        """The reference of the case whose need-to-know governs the file, as its download is named (§7(e))."""
        raise NotImplementedError


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False,
                          help_text="Also bound into every chunk's associated data and the wrapped key's context.")
    delivery_file = models.OneToOneField("sharing.DeliveryFile", null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="vault_file")
    publication_file = models.OneToOneField("publications.PublicationFile", null=True, blank=True,
                                            on_delete=models.CASCADE, related_name="vault_file")
    dataset = models.OneToOneField("releases.Dataset", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="vault_file")
    research_nda = models.OneToOneField("research.NonDisclosureAgreement", null=True, blank=True,
                                        on_delete=models.CASCADE, related_name="vault_file")

    original_name = models.CharField(max_length=200, help_text="The sanitised name (sharing/files.py).")
    content_type = models.CharField(max_length=120, help_text="Sniffed from the content, not the client's word.")
    size = models.PositiveBigIntegerField(help_text="Of the plaintext, in bytes.")
    sha256 = models.CharField(max_length=64, help_text="Of the plaintext, computed as it was stored.")
    marking = models.CharField(max_length=40, help_text="The security marking (§7(e)) every download is named with.")

    storage_name = models.CharField(max_length=200, unique=True, help_text="The ciphertext's name in the vault "
                                    "storage: made by the server, saying nothing of the file.")
    kek_id = models.CharField(max_length=80, help_text="The key-encryption key that wrapped the data key.")
    nonce_prefix = models.BinaryField(max_length=8)
    chunk_size = models.PositiveIntegerField()

    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    disposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True, help_text="When its data key was destroyed in the "
                                       "key store and its ciphertext deleted (ADR 32).")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(*OWNER_FIELDS), name="stored_file_exactly_one_owner"),
            models.CheckConstraint(condition=Q(size__gt=0), name="stored_file_not_empty"),
            models.CheckConstraint(condition=Q(chunk_size__gte=16 * 1024, chunk_size__lte=8 * 1024 * 1024),
                                   name="stored_file_chunk_size_bounded"),
            # Who disposed of a file only with when (a disposal by the system, a retention task, has no person).
            models.CheckConstraint(condition=Q(disposed_by__isnull=True) | Q(disposed_at__isnull=False),
                                   name="stored_file_disposer_only_when_disposed"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def owner(self):
        return next(getattr(self, name) for name in OWNER_FIELDS if getattr(self, f"{name}_id") is not None)

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None
