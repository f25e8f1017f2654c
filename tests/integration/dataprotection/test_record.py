"""The personal-data record (§15–17, ICO data sharing code Annex B): what it must hold before a request is sent,
who keeps and reads it, malformed input, and the holder's §17 confirmation."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from dataprotection import rules, services
from dataprotection.examples import ITEMS, example_fields
from dataprotection.models import PersonalDataRecord
from sharing import policies
from sharing import services as sharing_services
from sharing.states import Decision, RequestState
from tests.support.requests import ask_further_information, draft, fresh, walk

pytestmark = pytest.mark.django_db


def problems_of(error: RuleViolation) -> list[tuple[str | None, str | None]]:
    return [(p.field, p.clause) for p in error.problems]


def _draft(cast, category: str, **record):
    """A draft of this category whose record is the complete example with `record`'s changes."""
    request = draft(cast.iasc_requester, personal_data_category=category, personal_data_record=False)
    fields = {**example_fields(category), **{k: v for k, v in record.items() if k != "data_items"}}
    items = record.get("data_items", ITEMS)
    services.save_record(request, by=cast.iasc_requester, expected_version=0, fields=fields, items=items)
    return fresh(request)


def _refused_at_submission(request, by) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        sharing_services.submit(request, by=by, expected_version=request.version)
    assert fresh(request).state == RequestState.DRAFT  # nothing half-saved
    return refused.value


# --- special category: each Annex B piece, one test each -------------------------------------------------

SPECIAL_PIECES = [
    ("article6_basis", {"article6_basis": ""}, "§17; UK GDPR Art 6(1)", "Article 6"),
    ("article9_condition", {"article9_condition": ""}, "§17; UK GDPR Art 9(2)", "Article 9"),
    ("schedule1_condition", {"schedule1_condition": ""}, "§17; DPA 2018 s10, Sch 1", "Schedule 1"),
    ("policy_document", {"policy_document": ""}, "§17; DPA 2018 Sch 1 Part 4", "policy document"),
    ("statutory_power", {"statutory_power": ""}, "§17; Annex B", "statutory power"),
    ("necessity", {"necessity": ""}, "§15; Annex B", "necessary"),
    ("data_items", {"data_items": []}, "§15; Annex B; UK GDPR Art 5(1)(c)", "item of personal data"),
    ("retention", {"retention": ""}, "§16; Annex B; UK GDPR Art 5(1)(e)", "how long"),
    ("deletion", {"deletion": ""}, "§16; Annex B; UK GDPR Art 5(1)(e)", "deleted"),
    ("dpia_reference", {"dpia_reference": "", "dpo_view": ""}, "§16; Annex B; UK GDPR Art 35", "impact assessment"),
    ("individual_rights", {"individual_rights": ""}, "§16; Annex B; UK GDPR Arts 12–22", "rights"),
]


@pytest.mark.parametrize(("field", "missing", "clause", "words"), SPECIAL_PIECES, ids=[p[0] for p in SPECIAL_PIECES])
def test_a_special_category_request_is_refused_at_submission_without_each_annex_b_piece(cast, field, missing,
                                                                                         clause, words):
    request = _draft(cast, "special_category", **missing)
    refused = _refused_at_submission(request, cast.iasc_requester)
    assert problems_of(refused) == [(field, clause)]
    assert words.lower() in refused.problems[0].message.lower()


def test_the_complete_special_category_record_lets_it_be_sent(cast):
    request = _draft(cast, "special_category")
    sharing_services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert fresh(request).state == RequestState.SUBMITTED


def test_with_no_record_at_all_every_piece_is_named(cast):
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    refused = _refused_at_submission(request, cast.iasc_requester)
    assert [field for field, _ in problems_of(refused)] == [
        "article6_basis", "article9_condition", "statutory_power", "necessity", "retention", "deletion",
        "individual_rights", "data_items", "dpia_reference"]


def test_the_dpo_view_does_instead_of_a_dpia(cast):
    request = _draft(cast, "special_category", dpia_reference="", dpo_view="Proportionate; pseudonymise first.")
    assert rules.record_problems(request) == []


@pytest.mark.parametrize(("condition", "schedule1", "words"), [
    ("g", "2", "Part 2"),  # substantial public interest needs a Part 2 condition
    ("h", "6", "Part 1"),  # health or social care needs Part 1
    ("j", "2", "paragraph 4"),  # research: Part 1 paragraph 4, not paragraph 2
])
def test_a_schedule1_condition_that_does_not_meet_the_article9_condition_is_named(cast, condition, schedule1, words):
    request = _draft(cast, "special_category", article9_condition=condition, schedule1_condition=schedule1)
    refused = _refused_at_submission(request, cast.iasc_requester)
    assert problems_of(refused) == [("schedule1_condition", "§17; DPA 2018 s10, Sch 1")]
    assert words in refused.problems[0].message


def test_explicit_consent_needs_no_schedule1_condition_nor_policy_document(cast):
    request = _draft(cast, "special_category", article9_condition="a", schedule1_condition="", policy_document="")
    assert rules.record_problems(request) == []


# --- criminal offence data ---------------------------------------------------------------------------------

CRIMINAL_PIECES = [
    ("article10_authority", {"article10_authority": ""}, "§17; UK GDPR Art 10"),
    ("criminal_schedule1_condition", {"criminal_schedule1_condition": ""}, "§17; DPA 2018 s10(5), Sch 1"),
    ("policy_document", {"policy_document": ""}, "§17; DPA 2018 Sch 1 Part 4"),
]


@pytest.mark.parametrize(("field", "missing", "clause"), CRIMINAL_PIECES, ids=[p[0] for p in CRIMINAL_PIECES])
def test_a_criminal_offence_request_is_refused_without_each_article10_piece(cast, field, missing, clause):
    request = _draft(cast, "criminal_offence", **missing)
    assert problems_of(_refused_at_submission(request, cast.iasc_requester)) == [(field, clause)]


def test_under_official_authority_criminal_offence_data_needs_no_schedule1_condition(cast):
    request = _draft(cast, "criminal_offence", article10_authority="official_authority",
                     criminal_schedule1_condition="", policy_document="")
    assert rules.record_problems(request) == []


def test_special_category_pieces_are_asked_only_for_special_category_data(cast):
    for category in ("personal", "pseudonymised", "criminal_offence"):
        request = draft(cast.iasc_requester, personal_data_category=category, personal_data_record=False)
        fields = [field for field, _ in problems_of(_refused_at_submission(request, cast.iasc_requester))]
        assert not {"article9_condition", "schedule1_condition"} & set(fields), category
        assert ("article10_authority" in fields) == (category == "criminal_offence"), category


@pytest.mark.parametrize("category", ["none", "anonymised"])
def test_a_request_without_personal_data_is_sent_with_no_record(cast, category):
    request = draft(cast.iasc_requester, personal_data_category=category)
    assert rules.record_of(request) is None and rules.submission_problems(request) == []
    sharing_services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert fresh(request).state == RequestState.SUBMITTED


def test_the_home_office_personal_data_request_needs_its_record_too(cast):
    request = draft(cast.ho_requester, "ho_to_iasc", personal_data_category="personal", personal_data_record=False)
    assert "article6_basis" in [f for f, _ in problems_of(_refused_at_submission(request, cast.ho_requester))]


# --- who keeps and reads it ---------------------------------------------------------------------------------

def test_only_the_requesting_side_keeps_the_record(cast):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    for outsider in (cast.ho_requester, cast.spoc, cast.ho_dpo):  # the other organisation: cannot see a draft
        with pytest.raises(NotAllowed, match="cannot see"):
            services.save_record(request, by=outsider, expected_version=0, fields={"article6_basis": "e"})
    with pytest.raises(NotAllowed, match="requesting organisation"):  # sees it (same office), not a requester
        services.save_record(request, by=cast.iasc_approver, expected_version=0, fields={"article6_basis": "e"})
    services.save_record(request, by=cast.iasc_case_officer, expected_version=0, fields={"article6_basis": "e"})
    assert not PersonalDataRecord.objects.filter(request=request).exclude(updated_by=cast.iasc_case_officer).exists()


def test_once_sent_the_record_is_changed_only_when_further_information_is_asked(cast):
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast, RequestState.UNDER_ASSESSMENT)
    with pytest.raises(RuleViolation, match="under assessment") as refused:
        services.save_record(request, by=cast.iasc_requester, expected_version=1, fields={"retention": "A year."})
    assert problems_of(refused.value) == [("state", None)]
    services.confirm(request, by=cast.msu_assessor, expected_version=1)
    request = ask_further_information(fresh(request), cast)
    services.save_record(request, by=cast.iasc_requester, expected_version=1, fields={"retention": "A year."})
    record = rules.record_of(fresh(request))
    assert record.version == 2 and record.retention == "A year." and not record.is_confirmed  # asked again


def test_the_audit_event_records_the_structure_not_the_text(cast):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    before = AuditEvent.objects.count()
    services.save_record(request, by=cast.iasc_requester, expected_version=0,
                         fields={"article6_basis": "e", "necessity": "A secret reason."}, items=ITEMS)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert AuditEvent.objects.count() == before + 1 and event.action == "dataprotection.record_saved"
    assert event.details["choices"]["article6_basis"] == "e" and event.details["data_items"] == 2
    assert "A secret reason." not in str(event.details) and event.actor_id == cast.iasc_requester.pk


def test_a_stale_version_is_refused_and_nothing_changes(cast):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    services.save_record(request, by=cast.iasc_requester, expected_version=0, fields={"retention": "One year."})
    with pytest.raises(StaleObject):
        services.save_record(request, by=cast.iasc_case_officer, expected_version=0, fields={"retention": "Ten."})
    assert rules.record_of(fresh(request)).retention == "One year."


# --- malformed input -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "items", "field"), [
    ({"article6_basis": "g"}, None, "article6_basis"),  # no such basis
    ({"article9_condition": "k"}, None, "article9_condition"),
    ({"schedule1_condition": "5"}, None, "schedule1_condition"),  # para 5 is a rule, not a condition
    ({"article10_authority": "because"}, None, "article10_authority"),
    ({"statutory_power": "s" * 501}, None, "statutory_power"),
    ({"necessity": "x" * 10_001}, None, "necessity"),
    ({"necessity": "a\x00b"}, None, "necessity"),
    ({"article6_basis": 5}, None, "article6_basis"),
    ({"colour": "blue"}, None, "colour"),
    ({}, [{"item": "Name", "reason": "Why"}] * 1_000, "data_items"),
    ({}, [{"item": "Name", "reason": ""}], "data_items"),
    ({}, [{"item": "x" * 201, "reason": "Why"}], "data_items"),
    ({}, ["Name"], "data_items"),
    ({}, "Name, date of birth", "data_items"),
])
def test_malformed_input_is_refused_naming_the_field_and_nothing_is_saved(cast, fields, items, field):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    before = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as refused:
        services.save_record(request, by=cast.iasc_requester, expected_version=0, fields=fields, items=items)
    assert field in [p.field for p in refused.value.problems]
    assert rules.record_of(fresh(request)) is None and AuditEvent.objects.count() == before


def test_a_thousand_data_items_are_refused_with_a_message_saying_how_many_are_allowed(cast):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    with pytest.raises(RuleViolation, match="at most 100 data items") as refused:
        services.save_record(request, by=cast.iasc_requester, expected_version=0,
                             items=[{"item": f"Item {n}", "reason": "Why"} for n in range(1_000)])
    assert problems_of(refused.value) == [("data_items", "§15; Annex B; UK GDPR Art 5(1)(c)")]


def test_blank_item_rows_are_left_out_and_order_is_kept(cast):
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    services.save_record(request, by=cast.iasc_requester, expected_version=0, items=[
        {"item": " Region ", "reason": "Where."}, {"item": "", "reason": ""}, {"item": "Year", "reason": "When."}])
    assert [(i.position, i.item) for i in rules.record_of(fresh(request)).items.all()] == [(1, "Region"), (2, "Year")]


# --- §17: the holder confirms -------------------------------------------------------------------------------

def _under_assessment(cast, **fields):
    return walk(draft(cast.iasc_requester, personal_data_category="special_category", **fields), cast,
                RequestState.UNDER_ASSESSMENT)


def test_the_holder_confirms_the_record_recorded_and_audited(cast):
    request = _under_assessment(cast)
    before = AuditEvent.objects.count()
    record = services.confirm(request, by=cast.msu_assessor, expected_version=1, note="Checked with the DPO.")
    assert record.is_confirmed and record.confirmed_by == cast.msu_assessor and record.confirmed_version == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert AuditEvent.objects.count() == before + 1 and event.action == "dataprotection.confirmed"
    assert event.actor_id == cast.msu_assessor.pk and event.details["version"] == 1
    with pytest.raises(RuleViolation, match="already confirmed"):
        services.confirm(request, by=cast.ho_dpo, expected_version=1)


def test_the_holders_data_protection_officer_may_confirm(cast):
    request = _under_assessment(cast)  # OFFICIAL: the Home Office's DPO sees it
    assert services.confirm(request, by=cast.ho_dpo, expected_version=1).confirmed_by == cast.ho_dpo


@pytest.mark.parametrize("who", ["iasc_requester", "commissioner", "ho_approver", "spoc", "ho_requester"])
def test_nobody_else_confirms(cast, who):
    request = _under_assessment(cast)
    with pytest.raises(NotAllowed):
        services.confirm(request, by=getattr(cast, who), expected_version=1)
    assert not rules.record_of(fresh(request)).is_confirmed


def test_confirmation_belongs_to_the_assessment(cast):
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast, RequestState.ACKNOWLEDGED)
    with pytest.raises(RuleViolation, match="during the assessment"):
        services.confirm(request, by=cast.msu_assessor, expected_version=1)
    request = _under_assessment(cast)
    with pytest.raises(StaleObject):
        services.confirm(request, by=cast.msu_assessor, expected_version=2)


def test_agreement_waits_for_the_confirmation_and_a_decline_does_not(cast):
    request = _under_assessment(cast)
    assert [p.field for p in policies.decision_problems(fresh(request), Decision.AGREED, reasons="",
                                                         provided_scope="", withheld_scope="")
            if p.field == "confirmation"] == ["confirmation"]
    assert not [p for p in policies.decision_problems(fresh(request), Decision.DECLINED, reasons="No.",
                                                      provided_scope="", withheld_scope="")
                if p.field == "confirmation"]
    services.confirm(request, by=cast.msu_assessor, expected_version=1)
    assert not [p for p in policies.decision_problems(fresh(request), Decision.AGREED, reasons="",
                                                      provided_scope="", withheld_scope="")
                if p.field == "confirmation"]


def test_the_article6_basis_is_the_legal_basis_and_the_old_free_text_still_counts(cast):
    request = _under_assessment(cast)
    assert rules.has_legal_basis(request) and not request.legal_basis
    legacy = walk(draft(cast.iasc_requester, personal_data_category="personal", legal_basis="Art 6(1)(e)."), cast,
                  RequestState.UNDER_ASSESSMENT)
    PersonalDataRecord.objects.filter(request=legacy).update(article6_basis="")
    assert rules.has_legal_basis(fresh(legacy))
