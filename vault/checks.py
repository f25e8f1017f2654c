"""Checks on the way in (ADR 28): every uploaded file judged by its content and its name, bounded, flagged not altered.

§1 promises secure information sharing, and §7(c)/§9(c) ask the holder to be satisfied that the storage proposed is
appropriate: nothing is stored that is not what it says it is. The client's filename and content type are never
trusted on their own: the type comes from the bytes AND the name must carry that type's extension (a PDF named
``.exe`` is refused). Each allowed type is then checked as far as its format allows, always in bounded memory and
time:

- zipped formats (XLSX, DOCX, ODS, ODT) are inflated here, entry by entry, counting the bytes actually produced:
  an entry that yields more than its directory claims, an archive past ``MAX_ARCHIVE_UNCOMPRESSED_BYTES`` or past
  ``MAX_COMPRESSION_RATIO`` times its own size, too many entries, macros, nested archives or a missing required
  member (``[Content_Types].xml`` / ``mimetype``) are refused;
- a PDF must start ``%PDF-``, end with ``%%EOF`` and hold no HTML;
- JSON must parse (within ``MAX_JSON_BYTES``); Parquet must carry ``PAR1`` at both ends; text must be UTF-8;
- a virus scan through clamd's INSTREAM protocol when ``CONCORDAT_CLAMD_SOCKET`` is set, and always the built-in
  EICAR test signature (also inside zipped members);
- CSV and spreadsheet cells that a spreadsheet program could run as a formula (starting ``=``, ``+``, ``-``, ``@``,
  tab or carriage return, plain numbers aside) are FLAGGED and returned, never altered: the data stays as sent.

``neutralise_cell`` is the other half: every export Concordat itself writes passes its cells through it.
Every refusal is a RuleViolation naming the field, raised before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import socket
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.parsers import expat

from django.conf import settings

from concordat.errors import Problem, RuleViolation

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
TEXT = "text/plain"
JSON = "application/json"
PARQUET = "application/vnd.apache.parquet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODT = "application/vnd.oasis.opendocument.text"

# The extension given to the stored name of each type (the first of EXTENSIONS).
ALLOWED_TYPES = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", CSV: ".csv", TEXT: ".txt", JSON: ".json",
                 PARQUET: ".parquet", XLSX: ".xlsx", DOCX: ".docx", ODS: ".ods", ODT: ".odt"}
EXTENSIONS = {**{kind: frozenset({ext}) for kind, ext in ALLOWED_TYPES.items()}, JPEG: frozenset({".jpg", ".jpeg"})}
TYPE_WORDS = ("PDF, CSV, text (.txt), JSON, Parquet, Excel (.xlsx), Word (.docx), OpenDocument (.ods, .odt), "
              "PNG or JPEG, without macros")

# Zipped documents: bound what unpacking them can cost (zip bombs), counting the bytes really produced.
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200
MAX_FLAGS_KEPT = 50  # flagged cells returned; the count covers all of them
FLAG_PREVIEW_CHARS = 20

CHUNK = 64 * 1024
TEXT_SAMPLE_BYTES = 64 * 1024
MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<!--")
HTML_IN_PDF = (b"<html", b"<!doctype html", b"<script", b"<body", b"<iframe")
NESTED_SUFFIXES = {".zip", ".exe", ".dll", ".jar", ".7z", ".rar", ".gz", ".com", ".bat", ".js", ".vbs"}
OOXML_PARTS = {"xl/workbook.xml": XLSX, "word/document.xml": DOCX}
ODF_MIMETYPES = {b"application/vnd.oasis.opendocument.spreadsheet": ODS,
                 b"application/vnd.oasis.opendocument.text": ODT}

# The standard anti-virus test file (eicar.org), in two halves so that this source is not itself "infected".
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}

FILE_FIELD = "files"


# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlaggedCell:
    """A cell a spreadsheet program could run as a formula: where it is and how it starts (escaped)."""

    sheet: str
    row: int
    column: str
    starts: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "starts": self.starts}


@dataclass(frozen=True)
class Checked:
    name: str  # a safe display name with the extension of the real type
    content_type: str
    size: int
    sha256: str
    flagged: tuple[FlaggedCell, ...] = ()
    flagged_total: int = 0
    scanner: str = "builtin"  # "clamd" when clamd scanned it too

    def flags_summary(self) -> dict | None:
        """What goes on the upload's audit event: the first cells flagged and how many in all."""
        if not self.flagged_total:
            return None
        return {"total": self.flagged_total, "cells": [cell.as_dict() for cell in self.flagged]}


class ScanUnavailable(Exception):
    """clamd is configured but did not answer: the upload is refused (fail closed)."""


def refuse(message: str, field: str = FILE_FIELD) -> RuleViolation:
    return RuleViolation(Problem(message, field=field, clause="§1"))


# --- names ------------------------------------------------------------------------------------------


def label_of(name: str) -> str:
    """The name as it may be shown in a message: no path, no control characters, bounded."""
    shown = re.sub(r"[^\w\- .()]+", "_", PurePath(str(name).replace("\\", "/")).name)[:120]
    return shown or "The file"


def name_problem(name: str) -> str | None:
    """Why the client's name is refused, if it is: path separators, control or direction characters, too long."""
    if not name or not name.strip(" ."):
        return "The file has no name: give it a name ending in its type, for example tables.csv."
    if "/" in name or "\\" in name:
        return f"{label_of(name)}: the name must not contain / or \\ (path separators)."
    if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in name):
        return f"{label_of(name)}: the name must not contain control characters."
    if len(name) > MAX_NAME_LENGTH:
        return f"{label_of(name)}: the name is longer than {MAX_NAME_LENGTH} characters."
    return None


def sanitise_filename(name: str, content_type: str) -> str:
    """A safe display name: no path, no control or shell characters, the extension of the real type."""
    stem = PurePath(str(name).replace("\\", "/")).stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[^\w\- .()]+", "_", stem, flags=re.UNICODE).strip(" ._") or "file"
    return stem[:120] + ALLOWED_TYPES[content_type]


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


# --- the check --------------------------------------------------------------------------------------


def check(upload, max_bytes: int, *, field: str = FILE_FIELD) -> Checked:
    """Judge an UploadedFile; return what we know of it or raise RuleViolation naming `field`. Stores nothing."""
    name = str(getattr(upload, "name", "") or "")
    problem = name_problem(name)
    if problem:
        raise refuse(problem, field)
    label = label_of(name)
    size = upload.size or 0
    if size == 0:
        raise refuse(f"{label} is empty.", field)
    if size > max_bytes:
        raise refuse(f"{label} is larger than the limit of {_megabytes(max_bytes)}.", field)
    head, tail = _ends(upload, size)
    content_type = sniff(head, upload, name)
    if content_type is None:
        raise refuse(f"{label} is not a type that may be shared here: use {TYPE_WORDS}.", field)
    if _extension(name) not in EXTENSIONS[content_type]:
        wanted = " or ".join(sorted(EXTENSIONS[content_type]))
        if content_type == TEXT:  # text is told apart by its name alone
            wanted = ".txt, .csv or .json"
        raise refuse(f"{label} is a {_type_word(content_type)} by its content, so its name must end {wanted}.",
                     field)
    eicar = _Signature(EICAR)
    flags = _Flags()
    problem = _check_content(content_type, upload, size, head, tail, label, eicar, flags)
    if problem:
        raise refuse(problem, field)
    digest, scanner = _scan_and_hash(upload, label, eicar, field)
    return Checked(sanitise_filename(name, content_type), content_type, size, digest, tuple(flags.kept),
                   flags.total, scanner)


def sniff(head: bytes, upload, client_name: str) -> str | None:
    """The content type the bytes show, if it is on the allow-list; None otherwise. Text types follow the name."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PAR1"):
        return PARQUET
    if head.startswith(b"PK\x03\x04"):
        return _zipped_type(upload)
    if _is_plain_text(head):
        extension = _extension(client_name)
        return {".csv": CSV, ".json": JSON}.get(extension, TEXT)
    return None


def _megabytes(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit} bytes"


def size_limit_words(limit: int | None = None) -> str:
    """What the upload forms say of the limit."""
    return f"Up to {_megabytes(limit or settings.CONCORDAT_MAX_FILE_BYTES)} each."


def _type_word(content_type: str) -> str:
    return {PDF: "PDF", PNG: "PNG image", JPEG: "JPEG image", CSV: "CSV file", TEXT: "text file", JSON: "JSON file",
            PARQUET: "Parquet file", XLSX: "Excel workbook", DOCX: "Word document", ODS: "OpenDocument spreadsheet",
            ODT: "OpenDocument text"}[content_type]


def _ends(upload, size: int) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(TEXT_SAMPLE_BYTES)
    upload.seek(max(0, size - 1024))
    tail = upload.read(1024)
    upload.seek(0)
    return head, tail


def _chunks(upload) -> Iterator[bytes]:
    upload.seek(0)
    try:
        while True:
            chunk = upload.read(CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        upload.seek(0)


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


def _check_content(content_type, upload, size, head, tail, label, eicar, flags) -> str | None:
    if content_type == PDF:
        return _pdf_problem(upload, tail, label)
    if content_type == PARQUET:
        return _parquet_problem(size, tail, label)
    if content_type in (XLSX, DOCX, ODS, ODT):
        return _zip_problem(upload, size, content_type, label, eicar, flags)
    if content_type in (CSV, TEXT, JSON):
        problem = _utf8_problem(upload, label)
        if problem:
            return problem
        if content_type == JSON:
            return _json_problem(upload, size, label)
        if content_type == CSV:
            return _csv_flags(upload, head, label, flags)
    return None


# --- PDF, Parquet, text, JSON -----------------------------------------------------------------------


def _pdf_problem(upload, tail: bytes, label: str) -> str | None:
    if b"%%EOF" not in tail:
        return f"{label} is not a complete PDF: it has no %%EOF end marker."
    overlap = max(len(marker) for marker in HTML_IN_PDF) - 1
    carried = b""
    for chunk in _chunks(upload):
        window = (carried + chunk).lower()
        if any(marker in window for marker in HTML_IN_PDF):
            return f"{label} is not a PDF: it holds HTML."
        carried = window[-overlap:]
    return None


def _parquet_problem(size: int, tail: bytes, label: str) -> str | None:
    if size < 12 or not tail.endswith(b"PAR1"):
        return f"{label} is not a Parquet file: it does not end with PAR1."
    footer = int.from_bytes(tail[-8:-4], "little")
    if not 0 < footer <= size - 12:
        return f"{label} is not a Parquet file: its footer length is impossible."
    return None


def _utf8_problem(upload, label: str) -> str | None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(upload):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return f"{label} is not UTF-8 text: save it as UTF-8 and upload it again."
    return None


def _json_problem(upload, size: int, label: str) -> str | None:
    if size > MAX_JSON_BYTES:
        return f"{label} is larger than the limit for JSON files of {_megabytes(MAX_JSON_BYTES)}."
    upload.seek(0)
    try:
        json.loads(upload.read(MAX_JSON_BYTES + 1))
    except (ValueError, RecursionError) as error:
        where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        return f"{label} is not valid JSON{where}."
    finally:
        upload.seek(0)
    return None


# --- formula cells ----------------------------------------------------------------------------------


def is_formula_like(value) -> bool:
    """A cell a spreadsheet program could run: starts with =, +, -, @, tab or CR, and is not a plain number."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not PLAIN_NUMBER.fullmatch(value.strip()))


def neutralise_cell(value):
    """For exports Concordat writes itself (CSV, spreadsheets): a formula-like text cell gets a leading ``'`` so it
    is shown, not run (OWASP CSV injection). Other values, plain numbers included, are returned unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


def _preview(value: str) -> str:
    shown = value[:FLAG_PREVIEW_CHARS].replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    return "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else "?" for ch in shown)


def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


@dataclass
class _Flags:
    kept: list[FlaggedCell] = field(default_factory=list)
    total: int = 0

    def add(self, sheet: str, row: int, column: str, value: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_FLAGS_KEPT:
            self.kept.append(FlaggedCell(sheet[:100], row, column, _preview(value)))


def _csv_flags(upload, head: bytes, label: str, flags: _Flags) -> str | None:
    sample = head.decode("utf-8", errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    upload.seek(0)
    text = io.TextIOWrapper(upload.file if hasattr(upload, "file") else upload, encoding="utf-8-sig", newline="")
    try:
        for row_number, row in enumerate(csv.reader(text, dialect), start=1):
            for column, value in enumerate(row, start=1):
                if is_formula_like(value):
                    flags.add("", row_number, column_letters(column), value)
    except csv.Error as error:
        return f"{label} could not be read as CSV: {str(error)[:100]}."
    finally:
        text.detach()
        upload.seek(0)
    return None


# --- zipped documents -------------------------------------------------------------------------------


class _ArchiveRefused(Exception):
    pass


def _zipped_type(upload) -> str | None:
    """Which zipped document this is, from its members, if it is one we take; None for any other zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    return ODF_MIMETYPES.get(member.read(100).strip())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in OOXML_PARTS.items() if part in names), None)


@dataclass
class _Budget:
    limit: int
    used: int = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise _ArchiveRefused("unpacks to more than is allowed")


def _zip_problem(upload, size: int, content_type: str, label: str, eicar, flags: _Flags) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
        _archive_shape(entries, content_type)
        budget = _Budget(min(MAX_ARCHIVE_UNCOMPRESSED_BYTES, MAX_COMPRESSION_RATIO * size))
        readers = _member_readers(content_type, flags)
        for entry in sorted(entries, key=lambda e: readers.order(e.filename)):
            consume = readers.reader_for(entry.filename)
            for data in _inflate(upload, entry, budget):
                eicar.feed(data)
                if consume:
                    consume.feed(data)
            if consume:
                consume.close()
            eicar.reset()
    except _ArchiveRefused as refused:
        return f"{label} was refused: the document {refused}."
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return f"{label} is damaged: it could not be opened as a {_type_word(content_type)}."
    finally:
        upload.seek(0)
    return None


def _archive_shape(entries, content_type: str) -> None:
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise _ArchiveRefused(f"has more than {MAX_ARCHIVE_ENTRIES} parts")
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        raise _ArchiveRefused("has two parts of the same name")
    for entry in entries:
        path = PurePath(entry.filename)
        if entry.filename.startswith("/") or ".." in path.parts or "\\" in entry.filename:
            raise _ArchiveRefused("has a part whose name leaves the document")
        if entry.flag_bits & 0x1:
            raise _ArchiveRefused("is encrypted")
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _ArchiveRefused("uses a compression method documents do not use")
        lowered = entry.filename.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith(("basic/", "scripts/")):
            raise _ArchiveRefused("contains macros")
        if path.suffix.lower() in NESTED_SUFFIXES:
            raise _ArchiveRefused("contains another archive or a program")
    required = {ODS: "content.xml", ODT: "content.xml", XLSX: "xl/workbook.xml", DOCX: "word/document.xml"}
    if required[content_type] not in names:
        raise _ArchiveRefused(f"has no {required[content_type]}")


def _inflate(upload, entry: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The entry's bytes as actually decompressed, in bounded pieces; refused as soon as they exceed what the
    directory claims or the archive's budget, and checked against the CRC at the end."""
    upload.seek(entry.header_offset)
    local = upload.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    upload.seek(entry.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-15) if entry.compress_type == zipfile.ZIP_DEFLATED else None
    remaining = entry.compress_size
    produced = 0
    crc = 0

    def count(out: bytes) -> bytes:
        nonlocal produced, crc
        produced += len(out)
        if produced > entry.file_size:
            raise _ArchiveRefused(f"part {label_of(entry.filename)} unpacks to more than its directory says")
        budget.spend(len(out))
        crc = zlib.crc32(out, crc)
        return out

    while remaining > 0:
        raw = upload.read(min(CHUNK, remaining))
        if not raw:
            raise zipfile.BadZipFile("truncated")
        remaining -= len(raw)
        if inflater is None:
            yield count(raw)
            continue
        data = raw
        while data:
            out = inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail
            if out:
                yield count(out)
    if inflater is not None:
        while True:
            out = inflater.decompress(b"", CHUNK)  # drain what zlib still holds
            if not out:
                break
            yield count(out)
    if produced != entry.file_size or crc != entry.CRC:
        raise _ArchiveRefused(f"part {label_of(entry.filename)} is not what its directory says")


class _Signature:
    """Finds one byte string in a stream fed in pieces."""

    def __init__(self, needle: bytes):
        self.needle = needle
        self.carried = b""
        self.found = False

    def feed(self, data: bytes) -> None:
        window = self.carried + data
        if self.needle in window:
            self.found = True
        self.carried = window[-(len(self.needle) - 1):]

    def reset(self) -> None:
        self.carried = b""


# --- reading spreadsheet XML as it is inflated ------------------------------------------------------


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _XmlReader:
    """A streaming expat parser for one member: no DTDs, no entities, element handlers by local name."""

    def __init__(self):
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse_dtd
        self.parser.EntityDeclHandler = self._refuse_dtd
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.buffer_text = True

    def _refuse_dtd(self, *args):
        raise _ArchiveRefused("declares a DTD or entities")

    def feed(self, data: bytes) -> None:
        try:
            self.parser.Parse(data, False)
        except expat.ExpatError as error:
            raise _ArchiveRefused("has a part that is not well-formed XML") from error

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise _ArchiveRefused("has a part that is not well-formed XML") from error

    def start(self, name, attrs):
        pass

    def end(self, name):
        pass

    def text(self, data):
        pass


class _TextCollector:
    """The first characters of a cell's text, bounded."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def add(self, data: str) -> None:
        if self.length < 64:
            self.parts.append(data[:64])
            self.length += len(data[:64])

    def value(self) -> str:
        return "".join(self.parts)


class _SharedStrings(_XmlReader):
    """xl/sharedStrings.xml: which shared strings are formula-like (their index and text)."""

    def __init__(self, state):
        super().__init__()
        self.state = state
        self.index = -1
        self.collector = None
        self.in_text = False
        self.in_phonetic = False

    def start(self, name, attrs):
        local = _local(name)
        if local == "si":
            self.index += 1
            self.collector = _TextCollector()
        elif local == "rPh":
            self.in_phonetic = True
        elif local == "t" and not self.in_phonetic:
            self.in_text = True

    def end(self, name):
        local = _local(name)
        if local == "si" and self.collector is not None:
            value = self.collector.value()
            if is_formula_like(value):
                self.state.shared[self.index] = value
            self.collector = None
        elif local == "rPh":
            self.in_phonetic = False
        elif local == "t":
            self.in_text = False

    def text(self, data):
        if self.in_text and self.collector is not None:
            self.collector.add(data)


class _Workbook(_XmlReader):
    """xl/workbook.xml: sheet names by relationship id."""

    def __init__(self, state):
        super().__init__()
        self.state = state

    def start(self, name, attrs):
        if _local(name) == "sheet":
            rel = next((value for key, value in attrs.items() if _local(key) == "id"), "")
            self.state.sheet_by_rel[rel] = attrs.get("name", "")


class _WorkbookRels(_XmlReader):
    """xl/_rels/workbook.xml.rels: which part each relationship id names."""

    def __init__(self, state):
        super().__init__()
        self.state = state

    def start(self, name, attrs):
        if _local(name) == "Relationship":
            target = attrs.get("Target", "").lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            self.state.part_by_rel[attrs.get("Id", "")] = target


CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


class _Worksheet(_XmlReader):
    """xl/worksheets/*.xml: cells holding a formula-like shared or inline string, or a formula."""

    def __init__(self, state, sheet: str, flags: _Flags):
        super().__init__()
        self.state, self.sheet, self.flags = state, sheet, flags
        self.row = 0
        self.column = 0
        self.cell = None  # (ref, type)
        self.collector = None
        self.reading = None  # "v", "f" or "t"

    def start(self, name, attrs):
        local = _local(name)
        if local == "row":
            self.row = int(attrs["r"]) if attrs.get("r", "").isdigit() else self.row + 1
            self.column = 0
        elif local == "c":
            self.column += 1
            match = CELL_REF.fullmatch(attrs.get("r", ""))
            if match:
                self.row, self.column = int(match.group(2)), _column_index(match.group(1))
            self.cell = attrs.get("t", "n")
            self.values = {}
        elif local in ("v", "f", "t") and self.cell is not None:
            self.reading = local
            self.collector = _TextCollector()

    def end(self, name):
        local = _local(name)
        if local in ("v", "f", "t") and self.reading == local:
            self.values[local] = self.values.get(local, "") + self.collector.value()
            self.reading = None
        elif local == "c" and self.cell is not None:
            self._judge()
            self.cell = None

    def text(self, data):
        if self.reading:
            self.collector.add(data)

    def _judge(self):
        found = None
        if "f" in self.values:
            found = "=" + self.values["f"]
        elif self.cell == "s" and self.values.get("v", "").strip().isdigit():
            found = self.state.shared.get(int(self.values["v"]))
        elif self.cell in ("inlineStr", "str") and is_formula_like(self.values.get("t", self.values.get("v", ""))):
            found = self.values.get("t", self.values.get("v", ""))
        if found:
            self.flags.add(self.sheet, self.row, column_letters(self.column), found)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


class _OdfContent(_XmlReader):
    """content.xml of an ODS: cells with a formula or formula-like text, counting repeated rows and columns."""

    MAX_REPEAT = 1 << 20

    def __init__(self, flags: _Flags):
        super().__init__()
        self.flags = flags
        self.sheet = ""
        self.row = 0
        self.row_repeat = 1
        self.column = 0
        self.column_repeat = 1
        self.depth = 0  # cells open (nested tables are read as text of the outer cell)
        self.formula = None
        self.collector = None
        self.paragraphs = 0

    @staticmethod
    def _attr(attrs, wanted):
        return next((value for key, value in attrs.items() if _local(key) == wanted), None)

    @classmethod
    def _repeat(cls, attrs, wanted) -> int:
        value = cls._attr(attrs, wanted) or "1"
        return min(int(value), cls.MAX_REPEAT) if value.isdigit() and int(value) > 0 else 1

    def start(self, name, attrs):
        local = _local(name)
        if self.depth:
            if local == "p":
                self.paragraphs += 1
                if self.paragraphs > 1:
                    self.collector.add("\n")
            elif local == "tab":
                self.collector.add("\t")
            elif local == "s":
                self.collector.add(" ")
            elif local in ("table-cell", "covered-table-cell"):
                self.depth += 1
            return
        if local == "table":
            self.sheet = self._attr(attrs, "name") or ""
            self.row = 0
        elif local == "table-row":
            self.row += 1
            self.row_repeat = self._repeat(attrs, "number-rows-repeated")
            self.column = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.column += 1
            self.column_repeat = self._repeat(attrs, "number-columns-repeated")
            self.formula = self._attr(attrs, "formula")
            self.collector = _TextCollector()
            self.paragraphs = 0
            self.depth = 1

    def end(self, name):
        local = _local(name)
        if local in ("table-cell", "covered-table-cell") and self.depth:
            self.depth -= 1
            if self.depth:
                return
            value = self.collector.value()
            if self.formula:
                self.flags.add(self.sheet, self.row, column_letters(self.column),
                               "=" + self.formula.split(":", 1)[-1].lstrip("="))
            elif is_formula_like(value):
                self.flags.add(self.sheet, self.row, column_letters(self.column), value)
            self.column += self.column_repeat - 1
        elif local == "table-row" and not self.depth:
            self.row += self.row_repeat - 1

    def text(self, data):
        if self.depth:
            self.collector.add(data)


@dataclass
class _WorkbookState:
    shared: dict[int, str] = field(default_factory=dict)
    sheet_by_rel: dict[str, str] = field(default_factory=dict)
    part_by_rel: dict[str, str] = field(default_factory=dict)

    def sheet_name(self, part: str) -> str:
        for rel, target in self.part_by_rel.items():
            if target == part:
                return self.sheet_by_rel.get(rel, "")
        return PurePath(part).stem


@dataclass
class _MemberReaders:
    """Which members are read as they are inflated, and in what order (shared strings before sheets)."""

    first: tuple[str, ...]
    make: Callable[[str], _XmlReader | None]

    def order(self, name: str) -> tuple[int, str]:
        return (self.first.index(name) if name in self.first else len(self.first), name)

    def reader_for(self, name: str) -> _XmlReader | None:
        return self.make(name)


def _member_readers(content_type: str, flags: _Flags) -> _MemberReaders:
    if content_type == XLSX:
        state = _WorkbookState()

        def make(name: str):
            if name == "xl/sharedStrings.xml":
                return _SharedStrings(state)
            if name == "xl/workbook.xml":
                return _Workbook(state)
            if name == "xl/_rels/workbook.xml.rels":
                return _WorkbookRels(state)
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                return _Worksheet(state, state.sheet_name(name), flags)
            return None

        return _MemberReaders(("xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"), make)
    if content_type == ODS:
        return _MemberReaders((), lambda name: _OdfContent(flags) if name == "content.xml" else None)
    return _MemberReaders((), lambda name: None)


# --- viruses ----------------------------------------------------------------------------------------


def _scan_and_hash(upload, label: str, eicar: _Signature, field: str) -> tuple[str, str]:
    digest = hashlib.sha256()
    raw = _Signature(EICAR)
    for chunk in _chunks(upload):
        digest.update(chunk)
        raw.feed(chunk)
    scanner = "builtin"
    socket_address = getattr(settings, "CONCORDAT_CLAMD_SOCKET", "")
    if socket_address:
        try:
            found = clamd_instream(_chunks(upload), socket_address,
                                   timeout=getattr(settings, "CONCORDAT_CLAMD_TIMEOUT", 30))
        except ScanUnavailable:
            raise refuse(f"{label} could not be scanned for viruses just now: try again later.", field) from None
        if found:
            raise refuse(f"{label} contains a virus ({found}) and was not accepted.", field)
        scanner = "clamd"
    if raw.found or eicar.found:
        raise refuse(f"{label} contains a virus (the EICAR test signature) and was not accepted.", field)
    return digest.hexdigest(), scanner


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://") or (":" in address and not address.startswith(("/", "unix:"))):
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(address.removeprefix("unix:"))
    return sock


def clamd_instream(chunks: Iterable[bytes], address: str, *, timeout: float = 30) -> str | None:
    """Scan a stream with clamd's INSTREAM command; the signature found, or None when clean.

    ``address`` is a Unix socket path (``/run/clamav/clamd.ctl`` or ``unix:/…``) or ``tcp://host:port``.
    Raises ScanUnavailable when clamd cannot be reached or answers with an error (size limit included)."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            try:
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK):
                        piece = chunk[start:start + CHUNK]
                        sock.sendall(struct.pack("!L", len(piece)) + piece)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError):
                pass  # clamd stops reading past its StreamMaxLength; its answer says so
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except (OSError, ValueError) as error:
        raise ScanUnavailable(str(error)) from error
    answer = reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        signature = answer.removesuffix(" FOUND").rpartition(": ")[2]
        return re.sub(r"[^\w.\-]+", "_", signature)[:100] or "unnamed"
    raise ScanUnavailable(answer[:200] or "no answer")


def scanning_configured() -> bool:
    return bool(getattr(settings, "CONCORDAT_CLAMD_SOCKET", ""))


def scanning_note(user) -> str:
    """Said only to administrators, on the upload pages, when clamd is not configured."""
    from accounts.roles import Role

    if scanning_configured() or not getattr(user, "is_authenticated", False):
        return ""
    if not (user.is_superuser or user.has_role(Role.ADMINISTRATOR)):
        return ""
    return ("Virus scanning is not configured (set CONCORDAT_CLAMD_SOCKET to a clamd socket): uploads are checked "
            "only against the built-in EICAR test signature.")
