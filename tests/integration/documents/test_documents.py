"""Generated documents (ADR 29): each rendered to PDF, each page rendered to an image in the test, the marking
found centred in capitals in the top and bottom margin of every page (§7(e), §10) with the reference, protocol
version and clause; a long decision notice runs to several pages, marked on each; a delivery's bundle lists every
file's marking, size and SHA-256 on its cover sheet, and a file changed since delivery stops the bundle."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from concordat import limits
from documents import bundle, kinds, services
from documents.kinds import Kind
from documents.rendering import css_string
from sharing import rules
from sharing import services as sharing_services
from sharing.models import Delivery
from sharing.states import Decision, RequestState
from tests.support.pdf_pages import flat, pages, save_png
from tests.support.requests import DECIDED, draft, fresh, pdf, walk
from vault import services as vault_services

pytestmark = pytest.mark.django_db
SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}


def assert_marked_on_every_page(content: bytes, marking: str, reference: str, clause: str) -> list:
    found = pages(content)
    assert found and content.startswith(b"%PDF-")
    for page in found:
        where = f"page {page.number} of {len(found)}"
        assert marking in page.top.split() and marking in page.bottom.split(), (where, page.top, page.bottom)
        assert page.top_inked and page.bottom_inked, where
        assert reference in page.top, where  # @top-right
        assert "version 2020-05-13" in page.bottom and clause in page.bottom, (where, page.bottom)  # @bottom-left
        assert f"Page {page.number} of {len(found)}" in page.bottom, where
    return found


@pytest.fixture
def in_part(cast, protocol):
    return walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED, decision=Decision.AGREED_IN_PART)


def test_each_document_of_a_provided_request_is_marked_on_every_page(in_part):
    assert kinds.available(in_part) == list(Kind)
    expected = {Kind.SUBMITTED_REQUEST: "§6", Kind.ACKNOWLEDGEMENT: "§12", Kind.DECISION_NOTICE: "§7"}
    for kind, clause in expected.items():
        assert kinds.clause_of(in_part, kind) == clause
        found = assert_marked_on_every_page(services.render(in_part, kind), "OFFICIAL-SENSITIVE",
                                            in_part.reference, clause)
        save_png(found[0], f"{kind.value}-page-1.png")
        text = " ".join(page.text for page in found)
        assert in_part.reference in text and flat(in_part.title) in flat(text)
        assert "Home Office" in text and "Independent Anti-Slavery Commissioner" in text  # the parties
    submitted = " ".join(p.text for p in pages(services.render(in_part, Kind.SUBMITTED_REQUEST)))
    for element_clause in ("§6(a)", "§6(b)", "§6(c)", "§6(d)", "§6(e)", "§6(f)", "§6(g)"):
        assert element_clause in submitted  # the seven elements, each with its clause
    assert in_part.purpose.split()[0] in submitted
    notice = " ".join(p.text for p in pages(services.render(in_part, Kind.DECISION_NOTICE)))
    assert "Agreed in part" in notice and "Regional tables." in notice and "Police force tables." in notice
    assert "§13" in notice  # the requester may escalate a decision agreed in part


def test_a_long_decision_notice_runs_to_several_pages_each_marked(cast, protocol):
    declined = walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.UNDER_ASSESSMENT)
    reasons = ("The information is not held in the form asked for, and producing it would mean reading case "
               "files one by one. ") * 90
    reasons = reasons[:limits.NOTE_MAX]
    sharing_services.record_checklist(declined, by=cast.msu_assessor, expected_version=declined.version, answers=[
        sharing_services.ChecklistEntry(item.key, index > 0, "" if index else "Not shown to be necessary.")
        for index, item in enumerate(rules.checklist_of(declined))])
    declined = fresh(declined)
    sharing_services.decide(declined, by=cast.msu_assessor, expected_version=declined.version,
                            decision=Decision.DECLINED, reasons=reasons)
    declined = fresh(declined)
    found = assert_marked_on_every_page(services.render(declined, Kind.DECISION_NOTICE), "OFFICIAL-SENSITIVE",
                                        declined.reference, "§7")
    assert len(found) >= 3
    save_png(found[1], "decision-notice-page-2.png")
    last = found[-1].text
    assert "Points not satisfied" in last and "Not shown to be necessary." in last  # the declined checklist item


def test_an_official_request_is_marked_official_and_a_draft_has_no_documents(cast, protocol):
    request = draft(cast.iasc_requester)
    assert kinds.available(request) == []
    request = walk(request, cast, RequestState.SUBMITTED)
    assert kinds.available(request) == [Kind.SUBMITTED_REQUEST]
    found = assert_marked_on_every_page(services.render(request, Kind.SUBMITTED_REQUEST), "OFFICIAL",
                                        request.reference, "§6")
    assert "OFFICIAL-SENSITIVE" not in " ".join(p.text for p in found)
    with pytest.raises(services.NotAvailable, match="no acknowledgement yet"):
        services.request_document(Kind.ACKNOWLEDGEMENT, by=cast.iasc_requester, pk=request.pk)
    with pytest.raises(services.NotAvailable):
        services.request_document("disposal-certificate", by=cast.iasc_requester, pk=request.pk)


def test_the_commissioners_decision_is_final_on_an_ho_request(cast, protocol):
    decided = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, DECIDED, decision=Decision.DECLINED)
    notice = " ".join(p.text for p in assert_marked_on_every_page(
        services.render(decided, Kind.DECISION_NOTICE), "OFFICIAL", decided.reference, "§9"))
    assert "§14" in notice


def test_hostile_text_is_shown_as_text_and_never_reaches_the_page_rules(cast, protocol):
    hostile = '</style><style>@page{@top-center{content:"OFFICIAL"}}</style><img src="file:///etc/passwd">'
    request = walk(draft(cast.iasc_requester, title="T " + hostile[:150], purpose=hostile, **SENSITIVE), cast,
                   RequestState.SUBMITTED)
    found = assert_marked_on_every_page(services.render(request, Kind.SUBMITTED_REQUEST), "OFFICIAL-SENSITIVE",
                                        request.reference, "§6")
    assert "</style>" in " ".join(p.text for p in found)  # printed as the text it is
    assert all("OFFICIAL-SENSITIVE" in p.top for p in found)


def test_css_strings_cannot_be_ended_by_a_value():
    assert css_string("OFFICIAL-SENSITIVE") == '"OFFICIAL-SENSITIVE"'
    assert css_string('a"; } @page { x') == '"a\\22 \\3b  \\7d  \\40 page \\7b  x"'
    assert "\n" not in css_string("a\nb") and "\\" not in css_string("§12 (a)")


def test_safe_filenames_start_with_the_marking():
    assert services.safe_filename("OFFICIAL-SENSITIVE", "IASC-2021-0042", "decision-notice", "pdf") == \
        "OFFICIAL-SENSITIVE_IASC-2021-0042_decision-notice.pdf"
    assert services.safe_filename("official", "../../etc/passwd", "a\r\nb", "zip") == "OFFICIAL_etc-passwd_a-b.zip"


def test_a_refused_document_is_audited_and_tells_nothing(cast, in_part):
    before = AuditEvent.objects.filter(action="documents.download_refused").count()
    for asked in ({"pk": in_part.pk}, {"reference": in_part.reference}, {"pk": 10**15}):
        with pytest.raises(services.NotAllowed):
            services.request_document(Kind.DECISION_NOTICE, by=cast.dwp_officer, **asked)
    with pytest.raises(services.NotAllowed):
        services.request_document(Kind.DECISION_NOTICE, by=cast.iasc_case_officer, pk=in_part.pk)  # not named
    refused = AuditEvent.objects.filter(action="documents.download_refused").order_by("sequence")
    assert refused.count() == before + 4
    assert refused.last().details == {"asked_for": str(in_part.pk), "document": "decision-notice"}


def test_a_download_is_audited_with_the_documents_hash(cast, in_part):
    document = services.request_document(Kind.DECISION_NOTICE, by=cast.commissioner, pk=in_part.pk)
    content = document.content.read()
    event = AuditEvent.objects.filter(action="documents.downloaded").latest("sequence")
    assert event.actor == cast.commissioner and event.object_id == str(in_part.pk)
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.details["marking"] == "OFFICIAL-SENSITIVE" and event.details["document"] == "decision-notice"
    assert document.filename == f"OFFICIAL-SENSITIVE_{in_part.reference}_decision-notice.pdf"


def _second_delivery(cast, protocol):
    """An OFFICIAL-SENSITIVE request agreed and provided with three files, two of them of the same name."""
    request = walk(draft(cast.iasc_requester, **SENSITIVE), cast, DECIDED, decision=Decision.AGREED)
    csv = SimpleUploadedFile("counts.csv", b"region,count\nNorth,12\nSouth,7\n", content_type="text/csv")
    sharing_services.deliver(request, by=cast.msu_assessor, expected_version=request.version,
                             description="Tables and counts", marking="OFFICIAL-SENSITIVE",
                             uploads=[pdf("tables.pdf"), pdf("tables.pdf", b"%PDF-1.7\n%second\n%%EOF\n"), csv])
    return Delivery.objects.get(request=request)


def test_a_bundle_holds_each_file_and_a_cover_sheet_listing_each_hash(cast, protocol):
    delivery = _second_delivery(cast, protocol)
    files = sorted(delivery.files.all(), key=lambda f: f.pk)
    document = services.delivery_bundle(delivery.pk, by=cast.iasc_requester)
    assert document.filename == f"OFFICIAL-SENSITIVE_{delivery.request.reference}_delivery-{delivery.pk}.zip"
    archive = zipfile.ZipFile(io.BytesIO(document.content.read()))
    names = archive.namelist()
    assert names == [bundle.COVER_NAME, "01_tables.pdf", "02_tables.pdf", "03_counts.csv", bundle.SUMS_NAME]
    for name, stored in zip(names[1:4], files, strict=True):
        assert hashlib.sha256(archive.read(name)).hexdigest() == stored.sha256
    sums = archive.read(bundle.SUMS_NAME).decode()
    assert sums.splitlines() == [f"{f.sha256}  {n}" for f, n in zip(files, names[1:4], strict=True)]
    cover = assert_marked_on_every_page(archive.read(bundle.COVER_NAME), "OFFICIAL-SENSITIVE",
                                        delivery.request.reference, "§10")
    save_png(cover[0], "bundle-cover-sheet-page-1.png")
    text = flat(" ".join(p.text for p in cover))
    for name, stored in zip(names[1:4], files, strict=True):
        assert stored.sha256 in text and flat(name) in text and str(stored.size) in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2 * len(cover) + len(files)  # each file's marking, and the margins
    event = AuditEvent.objects.filter(action="documents.bundle_downloaded").latest("sequence")
    assert [f["sha256"] for f in event.details["files"]] == [f.sha256 for f in files]


def test_a_file_changed_since_delivery_stops_the_bundle(cast, protocol):
    delivery = _second_delivery(cast, protocol)
    changed = delivery.files.order_by("pk").last()
    vault_storage = vault_services.storage()  # altered at rest, in the vault (ADR 27)
    vault_storage.delete(changed.vault_file.storage_name)
    vault_storage.save(changed.vault_file.storage_name, ContentFile(b"region,count\nNorth,=HYPERLINK(1)\n"))
    before = AuditEvent.objects.filter(action="documents.bundle_downloaded").count()
    with pytest.raises(bundle.FileChanged):
        services.delivery_bundle(delivery.pk, by=cast.iasc_requester)
    assert AuditEvent.objects.filter(action="documents.bundle_downloaded").count() == before
    alarm = AuditEvent.objects.filter(action="documents.file_changed").get()
    assert alarm.details["file"] == changed.pk and alarm.details["sha256_recorded"] == changed.sha256


def test_a_bundle_for_someone_outside_need_to_know_is_refused_and_audited(cast, protocol):
    delivery = _second_delivery(cast, protocol)
    with pytest.raises(services.NotAllowed):
        services.delivery_bundle(delivery.pk, by=cast.iasc_case_officer)
    event = AuditEvent.objects.filter(action="documents.download_refused").latest("sequence")
    assert event.details == {"asked_for": str(delivery.pk), "document": "bundle"} and event.actor == \
        cast.iasc_case_officer
