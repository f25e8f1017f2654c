"""Uploaded files are judged by their bytes, not by the name or type the client gives."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concordat.errors import RuleViolation
from sharing import files

LIMIT = 10_000


def upload(name: str, content: bytes, claimed: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=claimed)


def office(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n%%EOF\n", files.PDF),
    ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, files.PNG),
    ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, files.JPEG),
    ("tables.csv", "région,count\nNorth East,12\n".encode(), files.CSV),
    ("notes.txt", b"Plain notes\r\nwith lines\tand tabs\n", files.TEXT),
    ("tables.xlsx", XLSX, files.XLSX),
    ("letter.docx", DOCX, files.DOCX),
    ("REPORT.PDF", b"%PDF-1.4\n%%EOF", files.PDF),  # the bytes decide; the name's extension must agree, in any case
])
def test_allowed_types_are_recognised_from_their_content(name, content, expected):
    checked = files.check_upload(upload(name, content, claimed="text/html"), LIMIT)
    assert checked.content_type == expected
    assert checked.original_name.endswith(files.ALLOWED_TYPES[expected])
    assert checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize(("name", "content", "message"), [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "not a type that may be shared"),
    ("tool", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "not a type that may be shared"),
    ("archive.zip", office({"data.csv": b"a,b\n"}), "not a type that may be shared"),
    ("nested.xlsx", office({"[Content_Types].xml": b"", "xl/workbook.xml": b"", "inner.zip": b"PK"}),
     "contains another archive"),
    ("macro.xlsx", office({"[Content_Types].xml": b"", "xl/workbook.xml": b"", "xl/vbaProject.bin": b"\x00"}),
     "contains macros"),
    ("macro.xlsm", office({"[Content_Types].xml": b"", "xl/workbook.xml": b"", "xl/vbaProject.bin": b"\x00"}),
     "name must end .xlsx"),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "not a type that may be shared"),
    ("page.html", b"  <html><body onload=alert(1)>", "not a type that may be shared"),
    ("image.svg", b"<?xml version='1.0'?><svg onload='alert(1)'/>", "not a type that may be shared"),
    ("script.csv", b"#!/usr/bin/env python\nimport os\n", "not a type that may be shared"),
    ("binary.csv", b"a,b\n\x00\x01\x02", "not a type that may be shared"),
    ("latin1.txt", "caf\xe9 cr\xe8me brûlée".encode("latin-1") + b" " * 100, "not a type that may be shared"),
    ("bomb.xlsx", office({"[Content_Types].xml": b"", "xl/workbook.xml": b"0" * 5_000_000}), "unpacks to more"),
    ("misnamed.exe", b"%PDF-1.4\n%%EOF", "name must end .pdf"),
])
def test_executables_archives_markup_and_binaries_are_refused(name, content, message):
    with pytest.raises(RuleViolation) as refused:
        files.check_upload(upload(name, content, claimed="application/pdf"), 10_000_000)
    assert refused.value.problems[0].field == "files"
    assert message in refused.value.problems[0].message


def test_empty_and_oversize_files_are_refused():
    with pytest.raises(RuleViolation, match="is empty"):
        files.check_upload(upload("empty.pdf", b""), LIMIT)
    with pytest.raises(RuleViolation, match="larger than the limit"):
        files.check_upload(upload("big.pdf", b"%PDF-" + b"0" * LIMIT), LIMIT)


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\me\\NRM tables (final).pdf", "NRM tables (final).pdf"),
    ("report.pdf.exe", "report.pdf.pdf"),
    ("<script>.pdf", "script.pdf"),
    (".hidden", "hidden.pdf"),
    ("", "file.pdf"),
])
def test_the_name_kept_is_a_sanitised_label_with_the_extension_of_the_real_type(given, kept):
    assert files.sanitise_filename(given, files.PDF) == kept


def test_the_hash_is_of_the_whole_file():
    import hashlib

    content = b"%PDF-1.7\n" + b"x" * 100_000 + b"\n%%EOF\n"
    assert files.check_upload(upload("a.pdf", content), 1_000_000).sha256 == hashlib.sha256(content).hexdigest()
