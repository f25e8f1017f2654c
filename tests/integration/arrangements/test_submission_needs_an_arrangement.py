"""§16 at submission: a regular request with personal data is sent only under an active data sharing arrangement
that covers both its parties, its personal-data category and its whole period, with an impact assessment that
lets the sharing go ahead. One message for no arrangement, one for no impact assessment, each naming its field
and §16."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arrangements import services as arrangement_services
from audit.models import AuditEvent
from concordat.errors import RuleViolation
from sharing import services
from sharing.states import RequestState
from tests.support.arrangements import (
    active,
    complete_fields,
    drafted,
    parties,
    regular_personal_request,
    today,
)
from tests.support.requests import draft, fresh

NO_ARRANGEMENT = ("data_sharing_arrangement", "§16")
NO_IMPACT_ASSESSMENT = ("impact_assessment", "§16")


def refusal(request, by) -> list[tuple[str | None, str | None]]:
    with pytest.raises(RuleViolation) as refused:
        services.submit(request, by=by, expected_version=fresh(request).version)
    assert fresh(request).state == RequestState.DRAFT
    return [(p.field, p.clause) for p in refused.value.problems]


def test_a_regular_personal_data_request_is_refused_without_any_arrangement(cast):
    request = regular_personal_request(cast)
    assert refusal(request, cast.iasc_requester) == [NO_ARRANGEMENT]


def test_the_refusal_says_what_is_missing_in_words(cast):
    request = regular_personal_request(cast)
    with pytest.raises(RuleViolation, match="needs an active data sharing arrangement between both parties"):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)


def test_an_arrangement_that_has_expired_before_the_period_ends_does_not_cover_it(cast):
    active(cast, ends_on=today() + timedelta(days=100), review_on=today() + timedelta(days=50))
    assert refusal(regular_personal_request(cast), cast.iasc_requester) == [NO_ARRANGEMENT]


def test_an_ended_arrangement_does_not_cover_it(cast):
    arrangement = active(cast)
    arrangement_services.end(arrangement, by=cast.ho_dpo, expected_version=arrangement.version, reasons="Replaced.")
    assert refusal(regular_personal_request(cast), cast.iasc_requester) == [NO_ARRANGEMENT]


def test_a_suspended_arrangement_does_not_cover_it(cast):
    arrangement = active(cast)
    arrangement_services.suspend(arrangement, by=cast.ho_approver, expected_version=arrangement.version,
                                 reasons="ICO enquiry.")
    assert refusal(regular_personal_request(cast), cast.iasc_requester) == [NO_ARRANGEMENT]


def test_an_arrangement_still_in_draft_does_not_cover_it(cast):
    drafted(cast)
    assert refusal(regular_personal_request(cast), cast.iasc_requester) == [NO_ARRANGEMENT]


def test_an_arrangement_not_covering_the_category_does_not_cover_it(cast):
    active(cast, personal_data_categories=["pseudonymised"])
    assert refusal(regular_personal_request(cast, category="special_category"), cast.iasc_requester) == [
        NO_ARRANGEMENT]


def test_an_arrangement_between_other_parties_does_not_cover_it(cast, person):
    dwp_dpo = person("dwp", "dpo")
    arrangement = arrangement_services.create(by=cast.iasc_case_officer, parties=parties("iasc", "dwp"),
                                              fields=complete_fields())
    arrangement_services.sign_off(arrangement, by=dwp_dpo, expected_version=arrangement.version)
    assert refusal(regular_personal_request(cast), cast.iasc_requester) == [NO_ARRANGEMENT]


def test_an_arrangement_whose_impact_assessment_does_not_let_the_sharing_go_ahead_is_refused(cast):
    arrangement = active(cast, dpia_outcome="prior_consultation")
    request = regular_personal_request(cast)
    with pytest.raises(RuleViolation, match=arrangement.reference):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert refusal(request, cast.iasc_requester) == [NO_IMPACT_ASSESSMENT]


def test_a_covering_arrangement_lets_it_be_sent_and_the_submission_records_it(cast):
    arrangement = active(cast)
    request = regular_personal_request(cast)
    sent = services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert sent.state == RequestState.SUBMITTED
    entry = sent.events.get(action="submit")
    assert entry.details["arrangement"] == arrangement.pk
    event = AuditEvent.objects.get(sequence=entry.audit_sequence)
    assert event.details["arrangement"] == arrangement.pk


def test_a_review_that_records_an_acceptable_dpia_lets_it_be_sent(cast):
    arrangement = active(cast, dpia_outcome="prior_consultation")
    arrangement_services.review(arrangement, by=cast.ho_dpo, expected_version=arrangement.version,
                                next_review_on=today() + timedelta(days=90), note="ICO consulted; risks mitigated.",
                                dpia={"dpia_reference": "HO-DPIA-2026-017b", "dpia_completed_on": today(),
                                      "dpia_outcome": "mitigated"})
    request = regular_personal_request(cast)
    assert services.submit(request, by=cast.iasc_requester, expected_version=request.version).state == "submitted"


def test_ad_hoc_and_anonymised_requests_need_no_arrangement(cast):
    one_off = draft(cast.iasc_requester, personal_data_category="personal", legal_basis="UK GDPR Art 6(1)(e).")
    assert services.submit(one_off, by=cast.iasc_requester, expected_version=one_off.version).state == "submitted"
    anonymised = regular_personal_request(cast, category="anonymised")
    assert services.submit(anonymised, by=cast.iasc_requester,
                           expected_version=anonymised.version).state == "submitted"
    assert "arrangement" not in fresh(anonymised).events.get(action="submit").details

