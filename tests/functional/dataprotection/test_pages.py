"""The personal-data record's page (§15–17, Annex B): the requester fills it in from the draft, it is shown read only
on the request page, the holder confirms it (§17); the wrong person, the other organisation and bad input."""

from __future__ import annotations

import pytest

from dataprotection import rules
from dataprotection.examples import example_fields
from tests.support.requests import draft, fresh, walk

pytestmark = pytest.mark.django_db


def page(reference: str) -> str:
    return f"/requests/{reference}/personal-data/"


def form_data(request, rows=2, **changes):
    record = rules.record_of(fresh(request))
    data = {**example_fields(request.personal_data_category), "version": record.version if record else 0,
            "data_items": rows, "item_1": "Pseudonymous referral key", "reason_1": "To link referrals.",
            "item_2": "", "reason_2": "", "save": "1"}
    data.update(changes)
    return data


def test_the_requester_fills_in_the_record_from_the_draft_and_can_then_submit(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    edit = client.get(f"/requests/{request.reference}/edit/").content.decode()
    assert page(request.reference) in edit and "Personal data (Annex B)" in edit
    shown = client.get(page(request.reference)).content.decode()
    for section in ("Lawful basis", "Special category data", "Data items, and why each is needed"):
        assert section in shown
    assert "Criminal offence data" not in shown  # asked only for criminal offence data
    response = client.post(page(request.reference), form_data(request))
    assert response.status_code == 302, response.content.decode()[:2000]
    record = rules.record_of(fresh(request))
    assert record.article9_condition == "g" and [i.item for i in record.items.all()] == ["Pseudonymous referral key"]
    detail = client.get(f"/requests/{request.reference}/").content.decode()
    assert 'data-testid="personal-data-record"' in detail and "(g) Reasons of substantial public interest" in detail
    response = client.post(f"/requests/{request.reference}/submit/", {"version": fresh(request).version})
    assert response.status_code == 302 and fresh(request).state == "submitted"


def test_a_missing_piece_is_shown_on_the_draft_page_with_its_field_and_clause(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    response = client.post(f"/requests/{request.reference}/submit/", {"version": request.version})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose the UK GDPR Article 6 lawful basis for sharing. (§17; UK GDPR Art 6(1))" in body
    assert "Choose the UK GDPR Article 9 condition for special category data." in body


def test_add_another_item_draws_one_more_row_without_saving(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    response = client.post(page(request.reference), {**form_data(request), "add_item": "1"})
    assert response.status_code == 200 and response.content.decode().count('data-testid="data-item-row"') == 3
    assert rules.record_of(fresh(request)) is None


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"article6_basis": "z"}, "article6_basis", "Select a valid choice"),
    ({"statutory_power": "s" * 501}, "statutory_power", "at most 500 characters"),
    ({"data_items": 1000}, "data_items", "at most 100 data items"),
    ({"reason_1": ""}, "item_1", "say why it is needed"),
    ({"version": 7}, "version", "Someone else changed"),
])
def test_bad_input_is_refused_in_the_error_summary_naming_the_field(cast, signed_in, changes, field, words):
    client = signed_in(cast.iasc_requester)
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    response = client.post(page(request.reference), form_data(request, **changes))
    body = response.content.decode()
    assert response.status_code in (400, 409) and "govuk-error-summary" in body and words in body
    if field not in ("version", "item_1"):
        assert f'href="#id_{field}"' in body
    assert rules.record_of(fresh(request)) is None


def test_the_other_organisation_sees_nothing_and_a_colleague_without_the_role_cannot_change_it(cast, signed_in):
    request = draft(cast.iasc_requester, personal_data_category="personal")
    for outsider in (cast.spoc, cast.ho_requester, cast.ho_dpo):  # a draft is the requesting side's alone
        assert signed_in(outsider).get(page(request.reference)).status_code == 404
        assert signed_in(outsider).post(page(request.reference), form_data(request)).status_code == 404
    approver = signed_in(cast.iasc_approver)  # sees the OFFICIAL draft of her office; keeps no record
    shown = approver.get(page(request.reference))
    assert shown.status_code == 200 and "Save the personal-data record" not in shown.content.decode()
    assert approver.post(page(request.reference), form_data(request)).status_code == 403
    assert rules.record_of(fresh(request)).updated_by == cast.iasc_requester


def test_the_holder_reads_it_once_sent_and_confirms_it(cast, signed_in):
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast, "under_assessment")
    requester, assessor = signed_in(cast.iasc_requester), signed_in(cast.msu_assessor)
    assert requester.post(page(request.reference), form_data(request)).status_code == 400  # sent: not now
    shown = assessor.get(page(request.reference)).content.decode()
    assert "Confirm the disclosure complies" in shown and "Pseudonymous referral key" in shown
    assert requester.post(page(request.reference) + "confirm/", {"version": 1}).status_code == 403
    assert signed_in(cast.ho_approver).post(page(request.reference) + "confirm/", {"version": 1}).status_code == 403
    assert assessor.get(page(request.reference) + "confirm/").status_code == 405
    response = assessor.post(page(request.reference) + "confirm/", {"version": 1, "note": "Checked."})
    assert response.status_code == 302
    detail = assessor.get(f"/requests/{request.reference}/").content.decode()
    assert f"Confirmed by {cast.msu_assessor}" in detail
    stale = assessor.post(page(request.reference) + "confirm/", {"version": 9})
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()
