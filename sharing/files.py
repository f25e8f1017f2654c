"""Checking uploaded files by their content (ASVS 5.2): size, type from magic numbers, archive limits.

The client's filename and content type are never trusted: the type comes from the bytes, the name
is kept only as a sanitised label for the download. Anything not on the allow-list is refused,
including executables, scripts, markup and archives other than plain OOXML documents without macros.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from concordat.errors import Problem, RuleViolation

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
TEXT = "text/plain"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALLOWED_TYPES = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", CSV: ".csv", TEXT: ".txt", XLSX: ".xlsx", DOCX: ".docx"}

# An OOXML document is a zip: bound what unpacking it could cost (zip bombs).
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<!--")
TEXT_SAMPLE_BYTES = 64 * 1024

FILE_FIELD = "files"


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    size: int
    sha256: str


def refuse(message: str) -> RuleViolation:
    return RuleViolation(Problem(message, field=FILE_FIELD))


def sanitise_filename(name: str, content_type: str) -> str:
    """A safe display name: no path, no control or shell characters, the extension of the real type."""
    stem = PurePath(str(name).replace("\\", "/")).stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[^\w\- .()]+", "_", stem, flags=re.UNICODE).strip(" ._") or "file"
    return stem[:120] + ALLOWED_TYPES[content_type]


def check_upload(upload, max_bytes: int) -> CheckedFile:
    """Validate an UploadedFile and return what we know of it; raise RuleViolation if it is refused."""
    label = sanitise_label(getattr(upload, "name", "") or "file")
    size = upload.size or 0
    if size == 0:
        raise refuse(f"{label} is empty.")
    if size > max_bytes:
        raise refuse(f"{label} is larger than the limit of {max_bytes // (1024 * 1024)} MB.")
    head = _read_head(upload)
    content_type = sniff(head, upload, getattr(upload, "name", ""))
    if content_type is None:
        raise refuse(f"{label} is not a type that may be shared here: use PDF, CSV, text, PNG, JPEG, "
                     "Excel (.xlsx) or Word (.docx) without macros.")
    return CheckedFile(sanitise_filename(upload.name or "file", content_type), content_type, size, sha256_of(upload))


def sanitise_label(name: str) -> str:
    return re.sub(r"[^\w\- .()]+", "_", PurePath(str(name).replace("\\", "/")).name)[:120] or "The file"


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(TEXT_SAMPLE_BYTES)
    upload.seek(0)
    return head


def sniff(head: bytes, upload, client_name: str) -> str | None:
    """The content type the bytes show, if it is on the allow-list; None otherwise."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_document(upload)
    if _is_plain_text(head):
        return CSV if client_name.lower().endswith(".csv") else TEXT
    return None


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8")
    stripped = text.lstrip("\ufeff \t\r\n").lower().encode()
    if stripped.startswith(b"#!") or stripped.startswith(MARKUP_STARTS):
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    return controls == 0


def _office_document(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not _archive_within_limits(entries):
                return None
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def _archive_within_limits(entries) -> bool:
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        return False
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    nested = any(PurePath(entry.filename).suffix.lower() in {".zip", ".exe", ".dll", ".jar", ".7z", ".rar"}
                 for entry in entries)
    return total <= MAX_ARCHIVE_UNCOMPRESSED_BYTES and total / compressed <= MAX_COMPRESSION_RATIO and not nested
