"""Documents downloaded while the request changes under them (PostgreSQL, separate connections): a decision
notice asked for while the decision is being recorded is either not there yet (NotAvailable) or the whole
decision, never half of one; every download is on the audit chain, which still verifies."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from documents import services
from documents.kinds import Kind
from sharing import rules
from sharing import services as sharing_services
from sharing.states import Decision, RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.pdf_pages import flat, pages
from tests.support.requests import draft, fresh, walk

READERS = 6
REASONS = "Not held in the form asked for; producing it would mean reading each case file."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_notice_asked_for_while_the_decision_is_recorded_is_all_or_nothing(cast, protocol):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections")
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    sharing_services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=[
        sharing_services.ChecklistEntry(item.key, index > 0, "" if index else "Not shown to be necessary.")
        for index, item in enumerate(rules.checklist_of(request))])
    request = fresh(request)
    downloads = AuditEvent.objects.filter(action="documents.downloaded").count()

    def decide():
        return sharing_services.decide(request.pk, by=cast.msu_assessor, expected_version=request.version,
                                       decision=Decision.DECLINED, reasons=REASONS)

    def read():
        document = services.request_document(Kind.DECISION_NOTICE, by=cast.iasc_requester, pk=request.pk)
        return document.content.read()

    outcomes = run_together([decide, *[read] * READERS])
    assert fresh(request).state == RequestState.DECLINED, outcomes[0]
    notices = [o for o in outcomes[1:] if isinstance(o, bytes)]
    assert all(isinstance(o, (bytes, services.NotAvailable)) for o in outcomes[1:]), outcomes
    for notice in notices:
        text = flat(" ".join(page.text for page in pages(notice)))
        assert flat(REASONS) in text and "Declined" in text and "Notshowntobenecessary." in text
    assert AuditEvent.objects.filter(action="documents.downloaded").count() == downloads + len(notices)
    late = services.request_document(Kind.DECISION_NOTICE, by=cast.iasc_requester, pk=request.pk)
    assert late.content.read().startswith(b"%PDF-")
    assert verify_stored_chain().ok
