"""The register's rules (§16): who drafts, who signs off (an approver or DPO of a party, never the drafter), what
an arrangement must state (an end after its start, a review before its end, a DPIA recorded whole), reviews, and
who sees it. Every refusal names its field and clause and leaves nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arrangements import services
from arrangements.cases import ARRANGEMENTS
from arrangements.models import Arrangement, ArrangementEvent
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from tests.support.arrangements import active, complete_fields, drafted, parties, today


def problems_of(error: RuleViolation) -> list[tuple[str | None, str | None]]:
    return [(p.field, p.clause) for p in error.problems]


def nothing_saved():
    return Arrangement.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="arrangements.")


def test_a_party_drafts_an_arrangement_with_one_timeline_entry_and_one_audit_event(cast):
    arrangement = drafted(cast)
    assert (arrangement.state, arrangement.version, arrangement.reference) == (
        "draft", 1, f"DSA-{arrangement.pk:04d}")
    assert {p.slug for p in arrangement.parties.all()} == {"iasc", "home-office"}
    assert arrangement.events.get().action == "create"
    event = AuditEvent.objects.get(action="arrangements.create")
    assert event.details["snapshot"]["parties"] == sorted(parties())


def test_an_end_before_the_start_is_refused_naming_the_field_and_clause(cast):
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, starts_on=today(), ends_on=today() - timedelta(days=1), review_on=today() - timedelta(days=2))
    assert ("ends_on", "§16") in problems_of(refused.value)
    assert nothing_saved()


def test_a_review_after_the_end_is_refused_naming_the_field_and_clause(cast):
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, review_on=today() + timedelta(days=800))
    assert problems_of(refused.value) == [("review_on", "§16")]
    assert nothing_saved()


def test_every_missing_element_is_named(cast):
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, title="", purpose=" ", data_items="", lawful_basis="", personal_data_categories=[],
                starts_on=None)
    assert problems_of(refused.value) == [("title", None), ("purpose", "§16"), ("data_items", "§16"),
                                          ("lawful_basis", "§16"), ("personal_data_categories", "§15–17"),
                                          ("starts_on", "§16")]
    assert nothing_saved()


@pytest.mark.parametrize("categories", [["anonymised"], ["none"], ["personal", "nonsense"], "personal", [None]])
def test_only_the_protocols_personal_data_categories_are_covered(cast, categories):
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, personal_data_categories=categories)
    assert problems_of(refused.value) == [("personal_data_categories", "§15–17")]


def test_a_dpia_is_recorded_whole_or_not_at_all(cast):
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, dpia_completed_on=None, dpia_outcome="")
    assert problems_of(refused.value) == [("dpia_completed_on", "§16"), ("dpia_outcome", "§16")]
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, dpia_completed_on=today() + timedelta(days=1))
    assert problems_of(refused.value) == [("dpia_completed_on", "§16")]
    assert nothing_saved()


def test_the_drafter_must_be_a_party_and_hold_a_drafting_role(cast):
    with pytest.raises(NotAllowed) as refused:
        drafted(cast, by=cast.dwp_officer)  # a case officer, but the DWP is not a party
    assert problems_of(refused.value) == [("parties", "§16")]
    with pytest.raises(NotAllowed):
        drafted(cast, by=cast.iasc_requester)  # a party, but a requester only
    with pytest.raises(RuleViolation) as refused:
        drafted(cast, party_slugs=("iasc", "msu"))  # a unit is not a party: its department is
    assert problems_of(refused.value) == [("parties", "§16")]
    with pytest.raises(RuleViolation):
        services.create(by=cast.iasc_case_officer, parties=["1" * 30, 2], fields=complete_fields())
    assert nothing_saved()


def test_sign_off_by_its_own_drafter_is_refused_even_for_a_dpo(cast):
    arrangement = drafted(cast, by=cast.ho_dpo)
    with pytest.raises(NotAllowed, match="who did not draft it"):
        services.sign_off(arrangement, by=cast.ho_dpo, expected_version=arrangement.version)
    signed = services.sign_off(arrangement, by=cast.ho_approver, expected_version=arrangement.version)
    assert (signed.state, signed.signed_off_by) == ("active", cast.ho_approver)


def test_nobody_signs_off_a_draft_they_changed(cast):
    arrangement = drafted(cast)
    changed = services.update(arrangement, by=cast.ho_approver, expected_version=1,
                              fields={"data_items": "NRM reference and region only."})
    assert ARRANGEMENTS.owner_actions(cast.ho_approver, changed) == []
    with pytest.raises(NotAllowed, match="change the draft"):
        services.sign_off(changed, by=cast.ho_approver, expected_version=changed.version)
    assert services.sign_off(changed, by=cast.ho_dpo, expected_version=changed.version).signed_off_by == cast.ho_dpo


def test_sign_off_by_someone_outside_the_parties_or_without_the_role_is_refused(cast, person):
    arrangement = drafted(cast)
    for outsider in (person("dwp", "dpo"), cast.iasc_requester, cast.spoc, cast.ho_auditor):
        with pytest.raises(NotAllowed):
            services.sign_off(arrangement, by=outsider, expected_version=arrangement.version)
    arrangement.refresh_from_db()
    assert (arrangement.state, arrangement.version, arrangement.events.count()) == ("draft", 1, 1)


def test_sign_off_needs_the_dpia_recorded(cast):
    arrangement = drafted(cast, dpia_reference="", dpia_completed_on=None, dpia_outcome="")
    with pytest.raises(RuleViolation) as refused:
        services.sign_off(arrangement, by=cast.ho_dpo, expected_version=arrangement.version)
    assert problems_of(refused.value) == [("dpia_reference", "§16")]
    updated = services.update(arrangement, by=cast.iasc_case_officer, expected_version=1,
                              fields={"dpia_reference": "D-1", "dpia_completed_on": today(),
                                      "dpia_outcome": "acceptable"})
    assert services.sign_off(updated, by=cast.ho_dpo, expected_version=updated.version).state == "active"


def test_what_was_signed_off_is_not_changed_and_a_stale_page_is_refused(cast):
    arrangement = active(cast)
    with pytest.raises(RuleViolation, match="while it is active"):
        services.update(arrangement, by=cast.iasc_case_officer, expected_version=arrangement.version,
                        fields={"title": "Changed"})
    with pytest.raises(StaleObject):
        services.review(arrangement, by=cast.ho_dpo, expected_version=1, next_review_on=today() + timedelta(days=9),
                        note="Fine.")


def test_a_review_sets_the_next_review_date(cast):
    arrangement = active(cast, review_on=today() - timedelta(days=3))
    reviewed = services.review(arrangement, by=cast.ho_approver,
                               expected_version=arrangement.version, next_review_on=today() + timedelta(days=180),
                               note="Still needed; data items unchanged.")
    assert reviewed.review_on == today() + timedelta(days=180) and reviewed.last_reviewed_by == cast.ho_approver
    entry = reviewed.events.latest("occurred_at", "id")
    assert (entry.action, entry.from_state, entry.to_state) == ("review", "active", "active")


@pytest.mark.parametrize(("next_review", "message"), [(-1, "after today"), (0, "after today"),
                                                      (800, "on or before the arrangement ends")])
def test_a_review_refuses_a_next_date_in_the_past_or_after_the_end(cast, next_review, message):
    arrangement = active(cast)
    events = ArrangementEvent.objects.count()
    with pytest.raises(RuleViolation, match=message) as refused:
        services.review(arrangement, by=cast.ho_dpo, expected_version=arrangement.version,
                        next_review_on=today() + timedelta(days=next_review), note="Reviewed.")
    assert problems_of(refused.value) == [("next_review_on", "§16")]
    assert ArrangementEvent.objects.count() == events


def test_a_review_needs_a_note_and_a_date(cast):
    arrangement = active(cast)
    with pytest.raises(RuleViolation) as refused:
        services.review(arrangement, by=cast.ho_dpo, expected_version=arrangement.version,
                        next_review_on=today() + timedelta(days=9), note="  ")
    assert problems_of(refused.value) == [("note", "§16")]
    with pytest.raises(RuleViolation) as refused:
        services.review(arrangement, by=cast.ho_dpo, expected_version=arrangement.version,
                        next_review_on="2030-01-01", note="Reviewed.")
    assert problems_of(refused.value) == [("next_review_on", "§16")]


def test_suspend_resume_and_end_need_reasons_and_a_signatory(cast):
    arrangement = active(cast)
    with pytest.raises(RuleViolation):
        services.suspend(arrangement, by=cast.ho_dpo, expected_version=arrangement.version, reasons="")
    with pytest.raises(NotAllowed):
        services.suspend(arrangement, by=cast.iasc_case_officer, expected_version=arrangement.version,
                         reasons="Because.")
    suspended = services.suspend(arrangement, by=cast.ho_dpo, expected_version=arrangement.version, reasons="ICO.")
    resumed = services.resume(suspended, by=cast.iasc_approver, expected_version=suspended.version)
    ended = services.end(resumed, by=cast.ho_dpo, expected_version=resumed.version, reasons="Superseded.")
    assert [e.action for e in ended.events.all()] == ["create", "sign_off", "suspend", "resume", "end"]


def test_a_draft_may_be_abandoned_by_a_drafting_party(cast):
    arrangement = drafted(cast)
    ended = services.end(arrangement, by=cast.iasc_case_officer, expected_version=1, reasons="Not needed.")
    assert ended.state == "ended" and ended.signed_off_at is None


def test_members_of_the_parties_and_their_auditors_see_it_and_nobody_else(cast):
    arrangement = drafted(cast)
    for member in (cast.iasc_requester, cast.spoc, cast.ho_analyst, cast.iasc_auditor, cast.ho_auditor):
        assert ARRANGEMENTS.can_view(member, arrangement)
        assert list(ARRANGEMENTS.visible(member)) == [arrangement]
    for outsider in (cast.dwp_officer, cast.nobody, cast.researcher):
        assert not ARRANGEMENTS.can_view(outsider, arrangement)
        assert not ARRANGEMENTS.visible(outsider).exists()
        with pytest.raises(NotAllowed, match="cannot see"):
            services.update(arrangement, by=outsider, expected_version=1, fields={"title": "Mine"})


def test_the_chain_replays_to_the_rows_and_catches_a_party_added_by_sql(cast, orgs):
    """ADR 17: every action's audit event snapshots the audited fields, parties included."""
    from audit.replay import verify_state

    arrangement = active(cast)
    services.review(arrangement, by=cast.ho_dpo, expected_version=arrangement.version,
                    next_review_on=today() + timedelta(days=60), note="Reviewed.")
    report = verify_state()
    assert report.ok, report.problems
    Arrangement.parties.through.objects.create(arrangement_id=arrangement.pk, organisation_id=orgs["dwp"].pk)
    Arrangement.objects.filter(pk=arrangement.pk).update(ends_on=today() + timedelta(days=3000))
    problems = " ".join(verify_state().problems)
    assert "parties" in problems and "ends_on" in problems
