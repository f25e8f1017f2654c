"""The page forms: labels and clauses from the protocol, the same services, the services' words beside fields."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concordat.errors import RuleViolation
from protocols.wording import element_questions
from sharing import forms
from sharing.models import Request
from sharing.states import Action, RequestState
from tests.support.requests import COMPLETE_ELEMENTS, DECIDED, draft, fresh, pdf, walk


def test_the_request_form_labels_each_element_in_the_protocols_words_with_its_clause(cast, protocol):
    form = forms.RequestDraftForm(protocol=protocol, direction="iasc_to_ho", requester=cast.iasc_requester)
    questions = element_questions(protocol.spec, protocol.spec.direction("iasc_to_ho"))
    assert form.fields["purpose"].label == questions["purpose"]
    assert form.clauses["necessity"] == "§6(a)" and form.clauses["disposal"] == "§6(g)"
    assert form.clauses["classification"] == "§10" and form.clauses["legal_basis"] == "§15–17"
    assert [value for value, _ in form.fields["classification"].widget.choices] == ["OFFICIAL", "OFFICIAL-SENSITIVE"]
    assert "holder_org" not in form.fields and "provide_by" not in form.fields


def test_the_form_for_another_department_asks_for_the_body_and_the_target_dates(cast, protocol, orgs):
    form = forms.RequestDraftForm(protocol=protocol, direction="other_government_departments",
                                  requester=cast.iasc_requester)
    assert list(form.fields["holder_org"].queryset) == [orgs["dwp"]]
    assert form.clauses["provide_by"] == "§18"


def test_a_draft_made_with_the_form_goes_through_the_service(cast, protocol):
    data = {**COMPLETE_ELEMENTS, "classification": "OFFICIAL", "personal_data_category": "anonymised",
            "provision": "one_off", "named_people": [cast.iasc_case_officer.pk]}
    form = forms.RequestDraftForm(data, protocol=protocol, direction="iasc_to_ho", requester=cast.iasc_requester)
    assert form.is_valid(), form.errors
    created = form.perform(by=cast.iasc_requester)
    assert created.events.get().action == Action.CREATE
    assert list(created.named_people.all()) == [cast.iasc_case_officer]


def test_a_secret_classification_typed_past_the_select_gets_the_section_10_words(cast, protocol):
    data = {**COMPLETE_ELEMENTS, "classification": "SECRET", "personal_data_category": "anonymised",
            "provision": "one_off"}
    form = forms.RequestDraftForm(data, protocol=protocol, direction="iasc_to_ho", requester=cast.iasc_requester)
    assert form.is_valid()
    try:
        form.perform(by=cast.iasc_requester)
    except RuleViolation as problems:
        form.add_problems(problems)
    assert form.errors["classification"] == [f"{protocol.spec.classifications.above_ceiling_message} (§10)"]
    assert not Request.objects.exists()


def test_the_services_problems_land_beside_the_fields_they_name(cast):
    empty = draft(cast.iasc_requester, purpose="", disposal="")
    form = forms.SubmitForm({"version": empty.version, "note": ""}, sharing_request=empty)
    assert form.is_valid()
    try:
        form.perform(empty, by=cast.iasc_requester)
    except RuleViolation as problems:
        form.add_problems(problems)
    # The submit form has no element fields: the problems are listed at the top, with their clauses.
    assert [error.endswith("(§6(c))") for error in form.non_field_errors()][0]
    edit = forms.RequestDraftForm({**COMPLETE_ELEMENTS, "version": empty.version, "purpose": "",
                                   "classification": "OFFICIAL", "personal_data_category": "anonymised",
                                   "provision": "one_off"}, sharing_request=empty)
    assert edit.is_valid(), edit.errors
    edit.perform(empty, by=cast.iasc_requester)
    assert fresh(empty).disposal == COMPLETE_ELEMENTS["disposal"]


def test_a_stale_form_is_told_the_request_changed(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    stale = forms.AcknowledgeForm({"version": request.version - 1}, sharing_request=request)
    assert stale.is_valid()
    try:
        stale.perform(request, by=cast.spoc)
    except RuleViolation as problems:
        stale.add_problems(problems)
    assert "changed" in stale.non_field_errors()[0]


def test_the_checklist_form_has_a_point_per_clause_and_records_the_answers(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    form = forms.ChecklistForm({"version": request.version, "necessity": "yes", "lawfulness": "no",
                                "lawfulness_note": ""}, sharing_request=request)
    assert [form.clauses[item.key] for item in form.items] == [f"§7({letter})" for letter in "abcde"]
    assert form.is_valid()
    try:
        form.perform(request, by=cast.msu_assessor)
    except RuleViolation as problems:
        form.add_problems(problems)
    assert form.errors["lawfulness"] == ["Say why you are not satisfied: That the information can lawfully be "
                                         "shared (§7(d))"]
    form = forms.ChecklistForm({"version": request.version, "necessity": "yes", "lawfulness": "no",
                                "lawfulness_note": "No gateway."}, sharing_request=request)
    assert form.is_valid()
    form.perform(request, by=cast.msu_assessor)
    assert {a.item_key: a.satisfied for a in fresh(request).checklist_answers.all()} == {
        "necessity": True, "lawfulness": False}


def test_the_deliver_form_offers_markings_up_to_the_requests_and_takes_several_files(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED)
    csv = SimpleUploadedFile("tables.csv", b"a,b\n1,2\n")
    form = forms.DeliverForm({"version": request.version, "description": "Tables", "marking": "OFFICIAL"},
                             {"files": [pdf(), csv]}, sharing_request=request)
    assert [value for value, _ in form.fields["marking"].widget.choices] == ["OFFICIAL"]
    assert form.is_valid(), form.errors
    delivery = form.perform(request, by=cast.msu_assessor)
    assert sorted(f.content_type for f in delivery.files.all()) == ["application/pdf", "text/csv"]


def test_the_reassign_form_offers_the_home_office_teams_and_their_assessors(cast, orgs):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    form = forms.ReassignForm(sharing_request=request)
    # every Home Office team (§11), the SCA's contracts team among them (issue 11)
    assert set(form.fields["to_org"].queryset) == {orgs["home-office"], orgs["msu"], orgs["sponsorship-unit"],
                                                   orgs["ho-analysis"], orgs["sca-contracts"]}
    assert set(form.fields["to_user"].queryset) == {cast.msu_assessor, cast.ho_assessor}
    assert form.clauses["reason"] == "§11"


def test_the_approval_form_asks_only_for_the_approvals_still_needed(cast):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    form = forms.RequestApprovalForm(sharing_request=request)
    assert form.to_ask == ["classification"]
    assert form.clauses["justification"] == "§10"


def test_the_respond_form_sends_only_what_changed(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    from sharing import services

    services.request_further_information(request, by=cast.msu_assessor, expected_version=request.version,
                                         question="How long will you keep it?")
    request = fresh(request)
    data = {**{name: getattr(request, name) for name in services.RESPONSE_FIELDS}, "version": request.version,
            "answer": "One year.", "storage_retention": "Encrypted store, one year."}
    form = forms.RespondForm(data, sharing_request=request)
    assert form.is_valid(), form.errors
    form.perform(request, by=cast.iasc_requester)
    assert fresh(request).events.last().details == {"changed": ["storage_retention"]}


def test_every_action_has_a_form():
    from sharing.states import SERVICE_ACTIONS, TRANSITIONS, Action

    # Escalating is the escalations app's form (escalations.forms.EscalateForm, §13); SERVICE_ACTIONS have none.
    assert set(forms.ACTION_FORMS) == set(TRANSITIONS) - SERVICE_ACTIONS - {Action.ESCALATE}


def test_target_dates_entered_in_the_form_reach_the_request(cast, protocol, orgs):
    later = timezone.localdate() + timedelta(days=10)
    data = {**COMPLETE_ELEMENTS, "classification": "OFFICIAL", "personal_data_category": "anonymised",
            "provision": "one_off", "holder_org": orgs["ukvi"].pk,
            "acknowledge_by_0": str(later.day), "acknowledge_by_1": str(later.month), "acknowledge_by_2": str(later.year),
            "provide_by_0": str(later.day), "provide_by_1": str(later.month), "provide_by_2": str(later.year)}
    form = forms.RequestDraftForm(data, protocol=protocol, direction="schedule3_authorities",
                                  requester=cast.iasc_requester)
    assert form.is_valid(), form.errors
    created = form.perform(by=cast.iasc_requester)
    assert created.provide_by == later and created.route == "schedule3"
