"""The only code that stores and reads vault files (ADR 27).

- `store_checked(Model, upload, facts, ...)` records a checked upload as an app's file row (a VaultBackedFile:
  DeliveryFile, PublicationFile) and stores it for that row; `owned_file(Model, id, related=...)` finds such a row
  with its stored file, for the app's own need-to-know check before `read`.
- `store(upload, owner=..., ...)` encrypts a checked upload into the vault storage as a stream and records it. The
  caller has validated the upload (sharing.files.check_upload) and runs inside its own transaction; if that
  transaction fails, it calls `discard(name)` for what was stored (nothing is left half-stored).
- `read(stored, by=..., ...)` is the one way out: the caller has already checked that the person may see the
  file's case (need-to-know, its app's visibility rules); the vault also requires the second factor (a session past
  it) or an API token, refuses a disposed file, checks the stored copy can be opened, and puts every read, and every
  refused read, on the audit record with the person, their address and the file's id.
- `shred(stored, by=...)` crypto-shreds a file for a disposal (ADR 32): its data key destroyed in the key store,
  its ciphertext deleted.
- `attachment(read)` answers with the decrypted stream as a download named from the marking.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import storages
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from audit.services import record_standalone
from concordat import limits
from concordat.errors import NotAllowed
from vault import crypto
from vault.crypto import VaultError, VaultIntegrityError
from vault.datakeys import data_key_store
from vault.keys import kek
from vault.models import OWNER_FIELDS, StoredFile, VaultBackedFile

STORAGE_ALIAS = "vault"
INTEGRITY_MESSAGE = ("This file cannot be served: its stored copy failed the vault's integrity check. "
                     "The failure is on the record; ask the service's administrators to investigate.")


def storage():
    return storages[STORAGE_ALIAS]


def storage_name_for(file_id: uuid.UUID) -> str:
    return f"files/{file_id.hex[:2]}/{file_id.hex}"


def store(upload, *, owner: dict, original_name: str, content_type: str, marking: str, by=None,
          expected_sha256: str | None = None, chunk_size: int = crypto.DEFAULT_CHUNK_SIZE) -> StoredFile:
    """Encrypt `upload` into the vault for `owner` ({"delivery_file": ...} or another of OWNER_FIELDS) and record it.
    VaultError if it is empty or changed since it was checked (its SHA-256 is no longer `expected_sha256`)."""
    if set(owner) - set(OWNER_FIELDS) or len(owner) != 1:
        raise ValueError(f"A stored file has exactly one owner, one of {OWNER_FIELDS}.")
    file_id = uuid.uuid4()
    keys = data_key_store()
    upload.seek(0)
    sealed = crypto.seal(upload, file_id=file_id, kek=kek(), storage=storage(), name=storage_name_for(file_id),
                         chunk_size=chunk_size)
    try:
        if expected_sha256 is not None and sealed.sha256 != expected_sha256:
            raise VaultError("The file changed while it was being stored: nothing was stored. Upload it again.")
        keys.put(file_id, sealed.wrapped_key)  # outside the database (ADR 32)
        return StoredFile.objects.create(
            id=file_id, **owner, original_name=original_name, content_type=content_type, size=sealed.size,
            sha256=sealed.sha256, marking=marking, storage_name=sealed.storage_name, kek_id=sealed.kek_id,
            nonce_prefix=sealed.nonce_prefix, chunk_size=sealed.chunk_size,
            created_by=by if getattr(by, "is_authenticated", False) else None, created_at=timezone.now())
    except BaseException:
        discard(sealed.storage_name)
        raise


def store_checked(model: type[VaultBackedFile], upload, facts, *, marking: str, by, uploaded_at,
                  **parent) -> tuple[VaultBackedFile, StoredFile]:
    """Record a checked upload (`facts`: sharing.files.CheckedFile) as a `model` row under `parent` (its delivery or
    proposal) and encrypt it into the vault for that row, marked `marking` (§7(e)). Inside the caller's transaction,
    which calls `discard` for the stored file's storage_name if it fails."""
    row = model.objects.create(**parent, original_name=facts.original_name, content_type=facts.content_type,
                               size=facts.size, sha256=facts.sha256, uploaded_at=uploaded_at)
    stored = store(upload, owner={model.OWNER_FIELD: row}, original_name=facts.original_name,
                   content_type=facts.content_type, marking=marking, by=by, expected_sha256=facts.sha256)
    return row, stored


def owned_file(model: type[VaultBackedFile], file_id, *, related=()) -> VaultBackedFile | None:
    """The `model` row `file_id` with its stored file and `related` (what its case's visibility rules read), or None
    if there is none (a malformed id included). The caller checks need-to-know before the vault `read`s it."""
    if not limits.is_id(file_id):
        return None
    return model.objects.select_related("vault_file", *related).filter(pk=file_id).first()


def _file_id_of(storage_name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(storage_name.rsplit("/", 1)[-1][:32])
    except ValueError:
        return None


def discard(storage_name: str) -> None:
    """Remove a ciphertext stored by a transaction that did not commit, and its data key (no orphan of either)."""
    file_id = _file_id_of(storage_name or "")
    if file_id is not None:
        data_key_store().destroy(file_id)
    if storage_name and storage().exists(storage_name):
        storage().delete(storage_name)


def shred(stored: StoredFile, *, by) -> StoredFile:
    """Crypto-shred a stored file (ADR 32), inside the caller's transaction, which has locked the file's case: the
    data key is destroyed in the key store, then the ciphertext is deleted, then the record says who and when.
    The caller checks that the file is still held; every step is idempotent, so a disposal whose transaction fails
    after the key is gone can be retried (the file is unreadable either way)."""
    data_key_store().destroy(stored.pk)
    if storage().exists(stored.storage_name):
        storage().delete(stored.storage_name)
    stored.disposed_at = timezone.now()
    stored.disposed_by = by if getattr(by, "is_authenticated", False) else None
    stored.save(update_fields=["disposed_at", "disposed_by"])
    return stored


def safe_download_name(stored: StoredFile, reference: str = "") -> str:
    """`OFFICIAL-SENSITIVE_IASC-2021-0042_tables.csv`: the marking first (§7(e)), then the case's reference, then
    the sanitised name; only letters, digits and `-_.()`, so no header or path trick survives."""
    parts = [stored.marking.upper(), reference, stored.original_name]
    cleaned = [re.sub(r"[^A-Za-z0-9\-_.()]+", "-", part).strip("-.") for part in parts if part]
    return "_".join(part for part in cleaned if part)[:200] or "file"


class FileDisposed(VaultError):
    """A read of a file that has been disposed of (ADR 32): answered 410 Gone, as a file that existed, is known to
    the person asking (who may see its case) and will never be served again."""


@dataclass
class Read:
    """A read the vault has allowed and recorded: the plaintext's chunks (the first already checked) and a name."""

    stored: StoredFile
    chunks: Iterator[bytes]
    filename: str


def _audit(action: str, stored: StoredFile | None, by, details: dict) -> None:
    with transaction.atomic():
        record_standalone(action, by=by, obj=stored, organisation_id=getattr(by, "organisation_id", None),
                          details={"file": str(stored.pk) if stored else None, **details})


def _second_factor(by, via_token: bool) -> bool:
    return via_token or (hasattr(by, "is_verified") and by.is_verified())


def read(stored: StoredFile, *, by, via_token: bool, reference: str = "", case: str = "") -> Read:
    """Open a stored file for someone the caller has found may see its case. NotAllowed (audited) without a second
    factor or API token, or after disposal; VaultIntegrityError (audited) if the stored copy does not open."""
    # One event per download (issue 10): the vault's facts and the owner's (which file of which case), together.
    owner_field = next(name for name in OWNER_FIELDS if getattr(stored, f"{name}_id") is not None)
    facts = {"sha256": stored.sha256, "size": stored.size, "marking": stored.marking, "case": case,
             "owner": owner_field, "owner_id": getattr(stored, f"{owner_field}_id"),
             "via": "token" if via_token else "session"}
    if not _second_factor(by, via_token):
        _audit("vault.read_refused", stored, by, {**facts, "reason": "no second factor"})
        raise NotAllowed("Sign in with your one-time code before downloading files.")
    if stored.is_disposed:
        _audit("vault.read_refused", stored, by, {**facts, "reason": "disposed"})
        raise FileDisposed(f"This file was disposed of on {stored.disposed_at:%d %B %Y}: its key has been destroyed "
                           "and it can no longer be read by anyone. Its disposal certificate says who disposed of it "
                           "and how.")
    try:
        chunks = open_chunks(stored)
        first = next(chunks)  # the key unwraps and the first chunk is authentic before any answer is given
    except (VaultError, OSError, FileNotFoundError) as error:
        _audit("vault.read_failed", stored, by, {**facts, "reason": str(error)[:300]})
        if isinstance(error, VaultIntegrityError):
            raise
        raise VaultIntegrityError(INTEGRITY_MESSAGE) from error
    _audit("vault.file_read", stored, by, facts)
    return Read(stored, _then(first, chunks, stored), safe_download_name(stored, reference))


def open_chunks(stored: StoredFile) -> Iterator[bytes]:
    """The plaintext of a stored file, chunk by chunk (for the vault's own readers: no permission check, no audit)."""
    data_key = kek().unwrap(data_key_store().get(stored.pk), crypto.key_context(stored.pk))
    return crypto.open_plaintext(storage(), stored.storage_name, file_id=stored.pk, data_key=data_key,
                                 nonce_prefix=bytes(stored.nonce_prefix), chunk_size=stored.chunk_size,
                                 size=stored.size, sha256=stored.sha256)


def _then(first: bytes, rest: Iterator[bytes], stored: StoredFile) -> Iterator[bytes]:
    yield first
    try:
        yield from rest
    except VaultIntegrityError as error:
        # Past the first chunk the answer has begun: the connection is cut (the person gets no complete-looking
        # file), and the failure is on the record.
        _audit("vault.read_failed", stored, None, {"reason": str(error)[:300]})
        raise


def attachment(found: Read) -> StreamingHttpResponse:
    """The decrypted file, streamed, always as an attachment (ASVS 5.3), never cached, never sniffed or run."""
    response = StreamingHttpResponse(found.chunks, content_type=found.stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["Content-Length"] = str(found.stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
