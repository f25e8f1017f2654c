"""What a person can get wrong, and how they are told: the field, the clause, and nothing half-saved."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as approval_services
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from dataprotection import services as personal_data_services
from sharing import rules, services
from sharing.models import ChecklistAnswer, Delivery, DeliveryFile, Request, RequestEvent
from sharing.states import ApprovalKind, Decision, RequestState
from tests.support.requests import COMPLETE_ELEMENTS, DECIDED, draft, fresh, pdf, walk

ELEMENT_FIELDS = ["necessity", "information_requested", "purpose", "publication_intent", "access",
                  "storage_retention", "disposal"]


def record_counts() -> tuple[int, ...]:
    # A test's API token is made, and first used from its address, with audit events of its own (ADR 16): the
    # refused action must write none.
    audit = AuditEvent.objects.exclude(action__startswith="api_token.")
    return (RequestEvent.objects.count(), audit.count(), Delivery.objects.count(),
            DeliveryFile.objects.count(), ChecklistAnswer.objects.count())


def problems_of(error: RuleViolation) -> list[tuple[str | None, str | None]]:
    return [(p.field, p.clause) for p in error.problems]


@pytest.mark.parametrize(("direction", "requester", "section"), [("iasc_to_ho", "iasc_requester", "§6"),
                                                                  ("ho_to_iasc", "ho_requester", "§8")])
def test_submitting_without_the_seven_elements_names_each_one_and_its_clause(cast, direction, requester, section):
    empty = services.create_draft(by=getattr(cast, requester), direction=direction, fields={"title": "Counts"})
    with pytest.raises(RuleViolation) as refused:
        services.submit(empty, by=getattr(cast, requester), expected_version=1)
    assert problems_of(refused.value) == [(field, f"{section}({letter})")
                                          for field, letter in zip(ELEMENT_FIELDS, "abcdefg", strict=True)]
    assert "Why" in refused.value.problems[0].message
    assert fresh(empty).state == RequestState.DRAFT and fresh(empty).version == 1


def test_the_api_returns_each_missing_element_with_its_clause(cast, api):
    created = api(cast.iasc_requester).post("/api/requests/", {"direction": "iasc_to_ho", "title": "Counts",
                                                               "purpose": "Annual report"}, format="json").json()
    refused = api(cast.iasc_requester).post(f"/api/requests/{created['id']}/submit/", {"version": 1}, format="json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert {(e["field"], e["clause"]) for e in errors} == {
        ("necessity", "§6(a)"), ("information_requested", "§6(b)"), ("publication_intent", "§6(d)"),
        ("access", "§6(e)"), ("storage_retention", "§6(f)"), ("disposal", "§6(g)")}


def test_an_intention_to_publish_says_what_will_be_published(cast):
    request = draft(cast.iasc_requester, publication_intent="yes", publication_detail="")
    with pytest.raises(RuleViolation) as refused:
        services.submit(request, by=cast.iasc_requester, expected_version=1)
    assert problems_of(refused.value) == [("publication_detail", "§6(d)")]


@pytest.mark.parametrize("marking", ["SECRET", "TOP SECRET", "top-secret"])
def test_anything_above_official_sensitive_is_refused_with_the_words_of_section_10(cast, protocol, api, marking):
    response = api(cast.iasc_requester).post("/api/requests/", {"direction": "iasc_to_ho", **COMPLETE_ELEMENTS,
                                                                "classification": marking}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "classification", "clause": "§10",
                                          "message": protocol.spec.classifications.above_ceiling_message}]
    assert not Request.objects.exists() and not AuditEvent.objects.filter(action__startswith="sharing.").exists()


def test_an_unknown_classification_is_refused_with_the_choices(cast):
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, classification="RESTRICTED")
    assert refused.value.problems[0].message == "Choose OFFICIAL or OFFICIAL-SENSITIVE."


def test_an_unknown_personal_data_category_is_refused(cast):
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, personal_data_category="sensitive")
    assert problems_of(refused.value) == [("personal_data_category", "§15–17")]


def test_a_new_draft_is_anonymised_by_default_as_section_15_envisages(cast, protocol):
    request = services.create_draft(by=cast.iasc_requester, direction="iasc_to_ho", fields={"title": "Counts"})
    assert request.personal_data_category == protocol.spec.personal_data.default == "anonymised"


def test_due_dates_under_the_protocol_cannot_be_set_by_hand(cast):
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, provide_by=timezone.localdate() + timedelta(days=2))
    assert problems_of(refused.value) == [("provide_by", "§12")]


def test_a_regular_request_names_its_frequency_and_period(cast):
    request = draft(cast.iasc_requester, provision="regular")
    with pytest.raises(RuleViolation) as refused:
        services.submit(request, by=cast.iasc_requester, expected_version=1)
    assert problems_of(refused.value) == [("frequency", "§6"), ("period_start", "§6"), ("period_end", "§6")]


def test_a_stale_version_is_refused_and_the_api_answers_409(cast, api):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    services.acknowledge(request, by=cast.spoc, expected_version=request.version)
    before = record_counts()
    with pytest.raises(StaleObject):
        services.withdraw(request, by=cast.iasc_requester, expected_version=request.version)
    response = api(cast.iasc_requester).post(f"/api/requests/{request.pk}/withdraw/",
                                             {"version": request.version}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert record_counts() == before and fresh(request).state == RequestState.ACKNOWLEDGED


def test_nothing_can_be_provided_on_a_declined_request(cast, api, settings):
    request = walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    before = record_counts()
    response = api(cast.msu_assessor).post(f"/api/requests/{request.pk}/deliver/", {
        "version": request.version, "description": "Tables", "marking": "OFFICIAL", "files": [pdf()]},
        format="multipart")
    assert response.status_code == 400
    assert "declined" in response.json()["errors"][0]["message"]
    assert record_counts() == before
    assert not os.path.exists(os.path.join(settings.STORAGES["default"]["OPTIONS"]["location"], "deliveries"))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "is empty"),
    ("big.csv", b"a,b\n" * 300, "larger than the limit"),
    ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "not a type that may be shared"),
    ("bundle.zip", b"PK\x03\x04" + b"\x00" * 64, "not a type that may be shared"),
    ("page.html", b"<!DOCTYPE html><script>alert(1)</script>", "not a type that may be shared"),
    ("run.csv", b"#!/bin/sh\nrm -rf /\n", "not a type that may be shared"),
])
def test_files_are_refused_by_content_and_size_and_nothing_is_kept(cast, api, settings, name, content, message):
    settings.CONCORDAT_MAX_FILE_BYTES = 1024
    request = walk(draft(cast.iasc_requester), cast, DECIDED)
    before = record_counts()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = api(cast.msu_assessor).post(f"/api/requests/{request.pk}/deliver/", {
        "version": request.version, "description": "Tables", "marking": "OFFICIAL", "files": [pdf(), upload]},
        format="multipart")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == "files"
    assert message in response.json()["errors"][0]["message"]
    assert record_counts() == before and fresh(request).state == RequestState.AGREED


def test_material_marked_above_the_request_is_refused(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED)
    with pytest.raises(RuleViolation) as refused:
        services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                         marking="OFFICIAL-SENSITIVE", uploads=[pdf()])
    assert problems_of(refused.value) == [("marking", "§10")]


def test_a_delivery_needs_a_file_or_a_written_answer(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED)
    with pytest.raises(RuleViolation) as refused:
        services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                         marking="OFFICIAL", answer="   ")
    assert problems_of(refused.value) == [("files", None)]
    assert fresh(request).state == RequestState.AGREED and not fresh(request).deliveries.exists()
    services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="The answer",
                     marking="OFFICIAL", answer="No such records are held.")
    assert fresh(request).state == RequestState.PROVIDED


def test_every_checklist_point_is_answered_before_a_decision(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version,
                              answers=[services.ChecklistEntry("necessity", True)])
    request = fresh(request)
    before = record_counts()
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert problems_of(refused.value) == [(f"checklist.{key}", f"§7({letter})") for key, letter in [
        ("publication", "b"), ("access_storage_disposal", "c"), ("lawfulness", "d"), ("security_marking", "e")]]
    assert record_counts() == before


def test_a_point_not_satisfied_says_why(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    with pytest.raises(RuleViolation) as refused:
        services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version,
                                  answers=[services.ChecklistEntry("lawfulness", False, "")])
    assert problems_of(refused.value) == [("checklist.lawfulness", "§7(d)")]


def _all_answered(request, cast, unsatisfied: tuple[str, ...] = ()):
    items = rules.checklist_of(request)
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=[
        services.ChecklistEntry(item.key, item.key not in unsatisfied, "Not shown." if item.key in unsatisfied else "")
        for item in items])
    return fresh(request)


def test_a_decline_names_the_points_not_satisfied_and_the_reasons(cast):
    request = _all_answered(walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT), cast,
                            unsatisfied=("publication", "lawfulness"))
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.DECLINED)
    assert problems_of(refused.value) == [("reasons", None)]
    services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.DECLINED,
                    reasons="Publication of small numbers would identify victims.")
    decided = fresh(request)
    assert decided.declined_items == ["publication", "lawfulness"]
    assert decided.decision_reasons.startswith("Publication")


def test_a_decline_with_every_point_satisfied_is_refused(cast):
    request = _all_answered(walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT), cast)
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.DECLINED,
                        reasons="No.")
    assert problems_of(refused.value) == [("checklist", "§5–7")]


def test_an_agreement_needs_every_point_satisfied_and_a_partial_one_says_what_is_and_is_not_provided(cast):
    request = _all_answered(walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT), cast,
                            unsatisfied=("publication",))
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert problems_of(refused.value) == [("checklist.publication", "§7(b)")]
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version,
                        decision=Decision.AGREED_IN_PART)
    assert problems_of(refused.value) == [("provided_scope", None), ("withheld_scope", None)]
    services.decide(request, by=cast.msu_assessor, expected_version=request.version,
                    decision=Decision.AGREED_IN_PART, provided_scope="National totals.",
                    withheld_scope="Regional breakdown, for publication reasons.")
    assert fresh(request).decision == Decision.AGREED_IN_PART


def test_official_sensitive_shared_by_the_home_office_needs_an_approval_first(cast):
    request = _all_answered(walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                                 RequestState.UNDER_ASSESSMENT), cast)
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert problems_of(refused.value) == [("approvals", "§10")]
    [approval] = approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version,
                                       justification="For the Commissioner's scrutiny.")
    assert approval.kind == ApprovalKind.CLASSIFICATION and approval.requested_by == cast.msu_assessor
    with pytest.raises(NotAllowed):  # the person who asked cannot approve, nor an assessor
        approval_services.approve(approval, by=cast.msu_assessor, expected_version=approval.version)
    approval_services.approve(approval, by=cast.ho_approver, expected_version=approval.version,
                              note="Approved by the Director.")
    request = fresh(request)
    services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert fresh(request).approvals.get().decided_by == cast.ho_approver


def test_the_iasc_sharing_official_sensitive_needs_no_home_office_approval(cast):
    request = walk(draft(cast.ho_requester, "ho_to_iasc", classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    assert rules.approvals_required(request) == []


def test_personal_data_needs_its_record_confirmed_and_approvals_before_the_home_office_agrees(cast):
    request = _all_answered(walk(draft(cast.iasc_requester, personal_data_category="special_category"), cast,
                                 RequestState.UNDER_ASSESSMENT), cast)
    with pytest.raises(RuleViolation) as refused:
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    # the legal basis is the record's Article 6 basis, given before submission; §17's confirmation is the holder's
    assert problems_of(refused.value) == [("approvals", "§15–17")] * 3 + [("confirmation", "§17")]
    personal_data_services.confirm(request, by=cast.msu_assessor, expected_version=1)
    request = fresh(request)
    senior, ministers, compliance = approval_services.ask(request, by=cast.msu_assessor,
                                                          expected_version=request.version)
    assert (senior.kind, compliance.kind, compliance.role_required) == ("personal_data", "data_protection", "dpo")
    assert (ministers.kind, ministers.role_required) == ("ministerial", "minister")  # §17: "and Ministers"
    with pytest.raises(NotAllowed):  # a senior official does not approve for Ministers
        approval_services.approve(ministers, by=cast.ho_approver, expected_version=ministers.version)
    with pytest.raises(NotAllowed):  # the data protection officer's check is the DPO's, not an approver's
        approval_services.approve(compliance, by=cast.ho_approver, expected_version=compliance.version)
    approval_services.approve(senior, by=cast.ho_approver, expected_version=senior.version)
    request = fresh(request)
    with pytest.raises(RuleViolation, match="Compliance with data protection legislation"):
        services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.AGREED)
    approval_services.approve(compliance, by=cast.ho_dpo, expected_version=compliance.version)
    with pytest.raises(RuleViolation, match="Ministers"):
        services.decide(fresh(request), by=cast.msu_assessor, expected_version=fresh(request).version,
                        decision=Decision.AGREED)
    approval_services.approve(ministers, by=cast.ho_minister, expected_version=ministers.version)
    services.decide(request, by=cast.msu_assessor, expected_version=fresh(request).version, decision=Decision.AGREED)
    assert fresh(request).state == RequestState.AGREED


def test_a_decline_needs_no_approval(cast):
    request = _all_answered(walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                                 RequestState.UNDER_ASSESSMENT), cast, unsatisfied=("necessity",))
    services.decide(request, by=cast.msu_assessor, expected_version=request.version, decision=Decision.DECLINED,
                    reasons="Not necessary for s41(1).")
    assert fresh(request).decision == Decision.DECLINED


def test_requests_to_the_home_office_are_reassigned_only_within_it_and_with_a_reason(cast, orgs):
    request = walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    with pytest.raises(RuleViolation) as refused:
        services.reassign(request, by=cast.spoc, expected_version=request.version, to_org=orgs["dwp"], reason="")
    assert problems_of(refused.value) == [("reason", "§11"), ("to_org", "§11")]
    with pytest.raises(RuleViolation) as refused:
        services.reassign(request, by=cast.spoc, expected_version=request.version, to_org=orgs["ho-analysis"],
                          to_user=cast.msu_assessor, reason="Held by Analysis.")
    assert problems_of(refused.value) == [("to_user", "§11")]
    services.reassign(request, by=cast.spoc, expected_version=request.version, to_org=orgs["ho-analysis"],
                      reason="Held by Analysis.")
    moved = fresh(request)
    assert moved.assigned_org == orgs["ho-analysis"] and moved.reassignments.get().from_org == orgs["msu"]


def test_an_agreed_request_is_not_closed_before_it_is_provided_and_nothing_is_withdrawn_once_provided(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED)
    with pytest.raises(RuleViolation):
        services.close(request, by=cast.iasc_requester, expected_version=request.version)
    request = walk(request, cast, RequestState.PROVIDED)
    with pytest.raises(RuleViolation) as refused:
        services.withdraw(request, by=cast.iasc_requester, expected_version=request.version)
    assert refused.value.problems[0].message == "You cannot withdraw this request while it is provided."


def test_a_declined_request_is_closed_by_its_requester(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    services.close(request, by=cast.iasc_requester, expected_version=request.version, note="Noted.")
    assert fresh(request).state == RequestState.CLOSED


def test_a_request_outside_the_protocol_needs_its_target_dates(cast, orgs):
    request = draft(cast.iasc_requester, "schedule3_authorities", holder_org=orgs["ukvi"])
    with pytest.raises(RuleViolation) as refused:
        services.submit(request, by=cast.iasc_requester, expected_version=1)
    assert problems_of(refused.value) == [("acknowledge_by", "§4 fn 1"), ("provide_by", "§4 fn 1")]


def test_only_the_commissioners_office_asks_outside_the_protocol_and_only_the_right_kind_of_body(cast, orgs):
    with pytest.raises(NotAllowed):
        draft(cast.ho_requester, "other_government_departments", holder_org=orgs["dwp"])
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, "other_government_departments", holder_org=orgs["ukvi"])
    assert problems_of(refused.value) == [("holder_org", "§18")]


def test_people_named_in_the_access_list_belong_to_a_party(cast):
    with pytest.raises(RuleViolation) as refused:
        draft(cast.iasc_requester, named_people=[cast.researcher])
    assert problems_of(refused.value) == [("named_people", "§6(e)")]


def test_an_unknown_direction_is_refused_with_the_choices(cast):
    with pytest.raises(RuleViolation) as refused:
        services.create_draft(by=cast.iasc_requester, direction="iasc_to_dwp")
    assert "iasc_to_ho" in refused.value.problems[0].message


def test_references_number_each_party_in_turn(cast):
    first, second = draft(cast.iasc_requester), draft(cast.iasc_requester)
    home_office = draft(cast.ho_requester, "ho_to_iasc")
    year = timezone.localdate().year
    assert [first.reference, second.reference, home_office.reference] == [
        f"IASC-{year}-0001", f"IASC-{year}-0002", f"HO-{year}-0001"]


def test_the_decider_of_a_home_office_request_to_the_iasc_is_the_commissioner(cast):
    request = walk(draft(cast.ho_requester, "ho_to_iasc"), cast, RequestState.UNDER_ASSESSMENT)
    items = rules.checklist_of(request)
    services.record_checklist(request, by=cast.iasc_assessor, expected_version=request.version,
                              answers=[services.ChecklistEntry(i.key, True) for i in items])
    request = fresh(request)
    with pytest.raises(NotAllowed) as refused:
        services.decide(request, by=cast.iasc_assessor, expected_version=request.version, decision=Decision.AGREED)
    assert "decision maker" in str(refused.value)
    services.decide(request, by=cast.commissioner, expected_version=request.version, decision=Decision.AGREED)
    assert fresh(request).decided_by == cast.commissioner


def test_a_regular_request_is_delivered_occasion_by_occasion(cast):
    today = timezone.localdate()
    request = walk(draft(cast.iasc_requester, provision="regular", frequency="quarterly", period_start=today,
                         period_end=today + timedelta(days=200)), cast, DECIDED)
    assert request.occasions.count() == 3
    states = []
    for _ in range(3):
        request = fresh(request)
        services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Quarter",
                         marking="OFFICIAL", uploads=[pdf()])
        states.append(fresh(request).state)
    # §6: provision is owed, by the holder, until the last occasion is delivered.
    assert states == [RequestState.PROVISION_OWED, RequestState.PROVISION_OWED, RequestState.PROVIDED]
    request = fresh(request)
    assert [d.occasion.sequence for d in request.deliveries.all()] == [1, 2, 3]
    with pytest.raises(RuleViolation) as refused:
        services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Extra",
                         marking="OFFICIAL", uploads=[pdf()])
    assert refused.value.problems[0].field == "state"
