"""The escalation pages (§13–14): the request page's ladder and button, the escalate page (the §13 record, or
§14's words and no form), and the escalation page with its ladder and each person's forms."""

from __future__ import annotations

import html
import re

import pytest

from escalations.models import Escalation
from sharing.states import Decision
from tests.support.escalations import RECORD, declined_request, escalated
from tests.support.requests import DECIDED, draft, fresh, walk

pytestmark = pytest.mark.django_db
FINAL = "The IASC's decision on whether to share information with the HO is final"


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_an_ho_request_to_the_iasc_offers_no_escalation_and_quotes_section_14(cast, signed_in):
    request = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, DECIDED, decision=Decision.DECLINED)
    client = signed_in(cast.ho_requester)
    page = client.get(f"/requests/{request.reference}/")
    assert FINAL in text_of(page) and "Escalate this request" not in text_of(page)
    escalate_page = client.get(f"/escalations/new/{request.reference}/")
    assert escalate_page.status_code == 200
    assert FINAL in text_of(escalate_page) and "(§14)" in text_of(escalate_page)
    assert b"<textarea" not in escalate_page.content
    posted = client.post(f"/escalations/new/{request.reference}/", {"grounds": "declined", "version": 1})
    assert posted.status_code == 400 and FINAL in text_of(posted)
    assert not Escalation.objects.exists()


def test_escalating_from_the_request_page(cast, signed_in):
    request = declined_request(cast)
    client = signed_in(cast.iasc_requester)
    page = text_of(client.get(f"/requests/{request.reference}/"))
    assert "Escalate this request" in page and "HO Policy lead on Modern Slavery" in page
    form = client.get(f"/escalations/new/{request.reference}/")
    words = text_of(form)
    for item in ("The request", "The reasons for it", "Any objections raised by the HO",
                 "The attempts made to resolve the matter"):
        assert item in words
    empty = client.post(f"/escalations/new/{request.reference}/", {"version": request.version})
    assert empty.status_code == 400 and b"govuk-error-summary" in empty.content
    sent = client.post(f"/escalations/new/{request.reference}/", {
        "version": request.version, "grounds": "declined", "reasons": RECORD["reasons"],
        "ho_objections": RECORD["ho_objections"], "attempts_to_resolve": RECORD["attempts"]})
    escalation = Escalation.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/escalations/{escalation.pk}/"
    detail = text_of(client.get(sent["Location"]))
    assert "The gate: The HO Policy lead on Modern Slavery is satisfied" in detail
    assert "Last resort" in detail and "Waited 0 working days" in detail
    assert "Withdraw the escalation" in detail and "Record decision" not in detail


def test_a_stale_form_is_a_409_and_the_holder_is_refused(cast, signed_in):
    request = declined_request(cast)
    stale = signed_in(cast.iasc_requester).post(f"/escalations/new/{request.reference}/", {
        "version": request.version - 1, "grounds": "declined", "reasons": "r", "ho_objections": "o",
        "attempts_to_resolve": "a"})
    assert stale.status_code == 409
    assert signed_in(cast.msu_assessor).get(f"/escalations/new/{request.reference}/").status_code == 403
    assert signed_in(cast.dwp_officer).get(f"/escalations/new/{fresh(request).reference}/").status_code in (403,
                                                                                                            404)


def test_each_rung_decides_on_the_escalation_page(cast, signed_in, ladder_people):
    escalation = escalated(cast, declined_request(cast, classification="OFFICIAL-SENSITIVE"))
    url = f"/escalations/{escalation.pk}/"
    assert signed_in(ladder_people.director).get(url).status_code == 404  # not its rung yet: need-to-know
    assert signed_in(cast.dwp_officer).get(url).status_code == 404
    lead = signed_in(ladder_people.policy_lead)
    assert "Record decision" in text_of(lead.get(url))
    refused = lead.post(url, {"action": "decide", "version": escalation.version, "outcome": "refused_at_gate"})
    assert refused.status_code == 400 and "Give the reasons for this outcome. (§13)" in text_of(refused)
    done = lead.post(url, {"action": "decide", "version": escalation.version, "outcome": "not_resolved",
                           "note": "Reasonable and justified; for the Director."})
    assert done.status_code == 302
    requester = signed_in(cast.iasc_requester)
    # the requester may not decide; a decide form sent by them is refused
    assert requester.post(url, {"action": "decide", "version": 2, "outcome": "resolved"}).status_code == 403
    up = requester.post(url, {"action": "go_up", "version": 2})
    assert up.status_code == 302
    assert "Decide at your rung: Director for Tackling Slavery and Exploitation" in text_of(
        signed_in(ladder_people.director).get(url))


def test_an_empty_escalation_form_names_each_missing_answer(cast, signed_in):
    """Not Django's "This field is required.": each message says which answer is missing (§13)."""
    request = declined_request(cast)
    page = signed_in(cast.iasc_requester).post(f"/escalations/new/{request.reference}/",
                                               {"version": request.version})
    body = page.content.decode()
    assert page.status_code == 400 and "This field is required" not in body
    for words in ("Choose why you are escalating this request", "Enter the reasons for the request",
                  "Enter the objections the HO raised", "Enter the attempts made to resolve the matter"):
        assert words in body
