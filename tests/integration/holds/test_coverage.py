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


def test_a_subjects_hooks_run_once_the_placing_or_lifting_commits_and_not_before(cast,
                                                                                  django_capture_on_commit_callbacks):
    seen = []
    coverage.register_subject("toy", label="Toy work", blocked_by=lambda h, viewer: [],
                              on_placed=lambda hold: seen.append(("placed", hold.pk)),
                              on_lifted=lambda hold: seen.append(("lifted", hold.pk)))
    try:
        with django_capture_on_commit_callbacks(execute=False) as waiting:
            hold = placed(cast)
        assert seen == [] and len(waiting) >= 1  # not inside the placing's transaction
        for callback in waiting:
            callback()
        assert ("placed", hold.pk) in seen and ("lifted", hold.pk) not in seen
        with django_capture_on_commit_callbacks(execute=True):
            services.lift(hold, by=cast.ho_approver, expected_version=hold.version, lifted_because="CCN 14")
        assert seen.count(("lifted", hold.pk)) == 1 and seen.count(("placed", hold.pk)) == 1
    finally:
        coverage._SUBJECTS.pop("toy")


def test_a_failing_hook_does_not_undo_the_hold_or_stop_the_other_subjects(cast, django_capture_on_commit_callbacks):
    seen = []

    def broken(hold):
        raise RuntimeError("the subject's own failure")

    coverage.register_subject("broken", label="Broken work", blocked_by=lambda h, viewer: [], on_placed=broken)
    coverage.register_subject("toy", label="Toy work", blocked_by=lambda h, viewer: [],
                              on_placed=lambda hold: seen.append(hold.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            hold = placed(cast)
        assert seen == [hold.pk]
        assert type(hold).objects.filter(pk=hold.pk).exists()
    finally:
        coverage._SUBJECTS.pop("broken")
        coverage._SUBJECTS.pop("toy")
