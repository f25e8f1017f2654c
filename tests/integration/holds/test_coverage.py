"""What a hold covers (holds.coverage): the letters' line between research on MSVC-contract personal victim data
(halted) and professional insights, anonymised information and statistics (never blocked), with the reason given
either way."""

from __future__ import annotations

from datetime import timedelta

from holds import coverage, services
from tests.support.holds import placed, today


def test_personal_victim_data_for_research_is_blocked_by_the_msvc_hold(cast):
    hold = placed(cast)
    found = coverage.verdict(data_source="msvc_contract", purpose="research", category="personal")
    assert found.blocked and found.holds == [hold] and found.status == "blocked by hold"
    assert hold.reference in found.reason


def test_anonymised_statistics_are_not_blocked_and_the_reason_says_why(cast):
    placed(cast)
    found = coverage.verdict(data_source="msvc_contract", purpose="research", category="anonymised")
    assert not found.blocked and found.holds == []
    assert found.reason.startswith("Anonymised: no hold in force covers anonymised data from this source")


def test_another_purpose_or_source_is_not_blocked(cast):
    hold = placed(cast)
    scrutiny = coverage.verdict(data_source="msvc_contract", purpose="scrutiny", category="personal")
    assert not scrutiny.blocked and hold.reference in scrutiny.reason
    nrm = coverage.verdict(data_source="nrm_case_records", purpose="research", category="personal")
    assert not nrm.blocked and "no hold in force covers data from this source" in nrm.reason


def test_an_unstated_scope_is_not_checked_and_says_so(cast):
    placed(cast)
    found = coverage.verdict(data_source="", purpose="research", category="personal")
    assert not found.blocked and found.reason == coverage.UNSTATED


def test_a_lifted_hold_applies_only_on_the_days_it_was_in_force(cast):
    hold = placed(cast)
    services.lift(hold, by=cast.ho_dpo, expected_version=hold.version, lifted_because="Contract Change Notice 14")
    assert coverage.holds_applying(data_source="msvc_contract", purpose="research", category="personal") == []
    assert coverage.holds_applying(data_source="msvc_contract", purpose="research", category="personal",
                                   on=today() - timedelta(days=1)) == [hold]
    assert coverage.holds_applying(data_source="msvc_contract", purpose="research", category="personal",
                                   on=hold.began_on - timedelta(days=1)) == []


def test_registered_subjects_are_listed_and_their_people_found(cast):
    hold = placed(cast)
    coverage.register_subject("toy", label="Toy work", blocked_by=lambda h, viewer: ["TOY-1"] if viewer is None
                              or viewer == cast.iasc_requester else [],
                              people=lambda item: [cast.iasc_requester], reference=lambda item: item)
    try:
        assert [b.reference for b in coverage.blocked_work(hold)] == ["TOY-1"]
        assert coverage.blocked_work(hold, cast.researcher) == []
        assert coverage.affected_people(hold) == [cast.iasc_requester]
    finally:
        coverage._SUBJECTS.pop("toy")
