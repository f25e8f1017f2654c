"""Retention and disposal (issue 10 item 5, ADR 33): each delivery is held until its request's element (f) date,
falls due in "My work" with reminders, and is disposed of by crypto-shredding its files (ADR 32) with who, when and
how on the record, and a marked certificate listing the files and their hashes. Refused: a second disposal, the
wrong person or organisation, a stale version, a race (exactly one wins), and malformed input."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from retention import reminders, services
from retention.models import Retention
from retention.states import RetentionState
from sharing import services as sharing
from sharing.states import RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.pdf_pages import flat, pages
from tests.support.requests import draft, walk
from vault.datakeys import DataKeyDestroyed, data_key_store
from vault.models import StoredFile
from workflow import work

TABLES = b"region,count\n" + b"".join(f"Region {n},{n}\n".encode() for n in range(2000))
NOTES = b"A note on the tables.\n"
HOW = "Deleted from the analysts' share; the one printout shredded."


def held(cast, keep_for_days=400, **fields) -> Retention:
    keep_until = timezone.localdate() + timedelta(days=keep_for_days)
    request = walk(draft(cast.iasc_requester, retain_until=keep_until, **fields), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking=request.classification,
                    uploads=[SimpleUploadedFile("tables.csv", TABLES), SimpleUploadedFile("notes.txt", NOTES)])
    return Retention.objects.select_related("request", "delivery").get()


def files_under(location) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(location) for name in names]


def test_a_delivery_is_held_until_its_element_f_date(cast):
    retention = held(cast)
    assert retention.state == RetentionState.HELD and retention.keep_until == retention.request.retain_until
    assert retention.events.get().action == "open"


def test_disposal_shreds_the_files_and_records_who_when_and_how(cast, api, tmp_path):
    retention = held(cast)
    stored = [f.vault_file for f in retention.delivery.files.select_related("vault_file")]
    assert len(files_under(tmp_path / "vault")) == 2 and len(files_under(tmp_path / "data-keys")) == 2
    disposed = services.dispose(retention, by=cast.iasc_requester, expected_version=retention.version, method=HOW,
                                confirmed=True)
    assert disposed.state == RetentionState.DISPOSED and disposed.disposed_by == cast.iasc_requester
    assert disposed.method == HOW and disposed.disposed_at is not None
    assert files_under(tmp_path / "vault") == [] and files_under(tmp_path / "data-keys") == []
    for each in stored:
        each.refresh_from_db()
        assert each.is_disposed and each.disposed_by == cast.iasc_requester
        with pytest.raises(DataKeyDestroyed):
            data_key_store().get(each.pk)
    event = AuditEvent.objects.get(action="retention.dispose")
    assert event.details["how"] == "crypto-shredding" and event.details["clause"] == "§6(g)"
    assert {(f["name"], f["sha256"]) for f in event.details["files"]} == {
        (f.original_name, f.sha256) for f in retention.delivery.files.all()}
    # A download after disposal: 410 Gone, with a message that says so (ADR 33).
    first = retention.delivery.files.first()
    response = api(cast.iasc_requester).get(f"/api/files/{first.pk}/download/")
    assert response.status_code == 410 and b"disposed of" in response.content


def test_the_certificate_is_marked_on_every_page_and_lists_each_file_and_hash(cast):
    retention = held(cast, classification="OFFICIAL-SENSITIVE", named_people=[cast.iasc_requester.pk])
    services.dispose(retention, by=cast.iasc_requester, expected_version=retention.version, method=HOW,
                     confirmed=True)
    document = services.certificate(retention.pk, by=cast.iasc_requester)
    assert document.filename.startswith("OFFICIAL-SENSITIVE_") and document.filename.endswith(".pdf")
    rendered = pages(document.content.read())
    for page in rendered:
        assert "OFFICIAL-SENSITIVE" in page.top and "OFFICIAL-SENSITIVE" in page.bottom
        assert page.top_inked and page.bottom_inked
    text = flat("".join(page.text for page in rendered))
    for delivered in retention.delivery.files.all():
        assert flat(delivered.original_name) in text and delivered.sha256 in text
    assert flat(HOW) in text and flat(str(cast.iasc_requester)) in text
    assert AuditEvent.objects.filter(action="retention.certificate_downloaded").count() == 1


def test_no_certificate_before_disposal(cast):
    retention = held(cast)
    with pytest.raises(RuleViolation, match="not been disposed of"):
        services.certificate(retention.pk, by=cast.iasc_requester)


def test_a_second_disposal_is_refused(cast):
    retention = held(cast)
    services.dispose(retention, by=cast.iasc_requester, expected_version=retention.version, method=HOW,
                     confirmed=True)
    with pytest.raises(RuleViolation) as refused:
        services.dispose(retention.pk, by=cast.iasc_requester, expected_version=retention.version + 1, method=HOW,
                         confirmed=True)
    assert refused.value.problems[0].field == "state" and "disposed of" in str(refused.value)
    assert AuditEvent.objects.filter(action="retention.dispose").count() == 1


def test_the_holder_of_the_original_and_other_organisations_may_not_dispose(cast):
    retention = held(cast)
    with pytest.raises(NotAllowed, match="Only a requester or case officer"):  # the other party: it sees the request
        services.dispose(retention, by=cast.msu_assessor, expected_version=retention.version, method=HOW,
                         confirmed=True)
    with pytest.raises(NotAllowed, match="cannot see"):  # another organisation: need-to-know
        services.dispose(retention, by=cast.dwp_officer, expected_version=retention.version, method=HOW,
                         confirmed=True)
    with pytest.raises(NotAllowed):
        services.for_person(retention.pk, by=cast.dwp_officer)
    assert AuditEvent.objects.filter(action="retention.lookup_refused").exists()
    assert Retention.objects.get().state == RetentionState.HELD


def test_a_stale_version_is_refused(cast):
    retention = held(cast)
    with pytest.raises(StaleObject):
        services.dispose(retention, by=cast.iasc_requester, expected_version=retention.version + 5, method=HOW,
                         confirmed=True)


@pytest.mark.parametrize(("method", "confirmed", "field"), [
    (HOW, False, "confirmed"), ("   ", True, "method"), ("x" * 2001, True, "method")])
def test_malformed_input_names_the_field_and_changes_nothing(cast, tmp_path, method, confirmed, field):
    retention = held(cast)
    with pytest.raises(RuleViolation) as refused:
        services.dispose(retention, by=cast.iasc_requester, expected_version=retention.version, method=method,
                         confirmed=confirmed)
    assert field in {problem.field for problem in refused.value.problems}
    assert len(files_under(tmp_path / "data-keys")) == 2 and Retention.objects.get().state == RetentionState.HELD


@pytest.mark.parametrize("days", [0, -1, 365 * 101])
def test_element_f_must_be_a_date_after_today_and_within_bounds(cast, days):
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, retain_until=timezone.localdate() + timedelta(days=days))
    [problem] = refused.value.problems
    assert (problem.field, problem.clause) == ("retain_until", "§6(f)")


def test_the_holders_are_reminded_once_and_it_is_in_their_work(cast):
    retention = held(cast, keep_for_days=3)
    today = timezone.localdate()
    assert reminders.send_retention_reminders(today) >= 1
    sent = len(mail.outbox)
    assert reminders.send_retention_reminders(today) == 0 and len(mail.outbox) == sent
    assert any("disposal due" in message.subject for message in mail.outbox)
    items = [item for item in work.items_for(cast.iasc_requester, today) if item.kind == "retention"]
    assert [item.case.pk for item in items] == [retention.pk] and not items[0].is_overdue
    assert not [item for item in work.items_for(cast.msu_assessor, today) if item.kind == "retention"]
    later = retention.keep_until + timedelta(days=1)
    assert reminders.send_retention_reminders(later) >= 1
    assert any("disposal overdue" in message.subject for message in mail.outbox)
    assert [r.pk for r in services.listed(cast.iasc_requester, today=later, which="overdue")] == [retention.pk]


def test_a_delivery_not_yet_due_is_not_in_anyones_work(cast):
    held(cast, keep_for_days=400)
    today = timezone.localdate()
    assert not [item for item in work.items_for(cast.iasc_requester, today) if item.kind == "retention"]
    assert reminders.send_retention_reminders(today) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_disposals_at_once_exactly_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks between concurrent connections")
    retention = held(cast)
    people = [cast.iasc_requester, cast.iasc_requester]

    def dispose(person):
        return lambda: services.dispose(retention.pk, by=person, expected_version=retention.version, method=HOW,
                                        confirmed=True)

    outcomes = run_together([dispose(person) for person in people])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1 and all(isinstance(o, StaleObject) for o in outcomes if o not in winners), outcomes
    assert AuditEvent.objects.filter(action="retention.dispose").count() == 1
    assert all(stored.is_disposed for stored in StoredFile.objects.all())


def test_the_daily_command_sends_each_reminder_once(cast):
    from io import StringIO

    from django.core.management import CommandError, call_command

    retention = held(cast, keep_for_days=3)
    out = StringIO()
    call_command("send_retention_reminders", "--date", retention.keep_until.isoformat(), stdout=out)
    assert "Sent 0" not in out.getvalue()
    out = StringIO()
    call_command("send_retention_reminders", "--date", retention.keep_until.isoformat(), stdout=out)
    assert "Sent 0 retention reminder(s)." in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_retention_reminders", "--date", "tomorrow")
