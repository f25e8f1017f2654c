"""The research pages' forms: proposing a project, each action on it, a review, an NDA, and survivors' choices."""

from __future__ import annotations

from django import forms

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from approvals.states import ApprovalAction
from concordat import limits
from concordat.forms import GovukCheckboxes, GovukRadioSelect
from dataprotection.legislation import Article6Basis
from protocols.scope import DataSource
from research import keys, services
from research.models import DPIA_REFERENCE_MAX, ETHICS_MAX, FUNDER_MAX, TITLE_MAX
from research.states import ConsentScope, ProjectAction
from sharing.forms import (
    TEXT,
    TEXTAREA,
    BoundedIds,
    BoundedModelChoiceField,
    MultipleFileField,
    ProblemsForm,
    _date,
    upload_help,
)


def _textarea(label: str, help_text: str = "", limit: int = services.TEXT_MAX) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, max_length=limit, strip=True,
                           widget=forms.Textarea(attrs=TEXTAREA))


def _text(label: str, limit: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=limit, strip=True, help_text=help_text,
                           widget=forms.TextInput(attrs=TEXT))


class OrganisationsField(BoundedIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        values = list(value)
        if len(values) > services.SUPPLIERS_MAX:
            raise forms.ValidationError(f"Choose at most {services.SUPPLIERS_MAX}.", code="list")
        self._refuse_unless_ids(values)
        return super()._check_values(values)

    def label_from_instance(self, organisation):
        return organisation.name


class ProjectForm(ProblemsForm):
    title = _text("Title", TITLE_MAX)
    funder = _text("Funder", FUNDER_MAX, "For example UKRI or the ESRC.")
    ethics_reference = _text("Ethics approval reference", ETHICS_MAX)
    summary = _textarea("What the research is for", "Its questions, and what it will do with the data.")
    data_sources = forms.MultipleChoiceField(label="Data sources it needs", required=False, widget=GovukCheckboxes,
                                             choices=DataSource.choices)
    personal_data_categories = forms.MultipleChoiceField(label="Personal-data categories", required=False,
                                                         widget=GovukCheckboxes, choices=[])
    processes_contract_personal_data = forms.BooleanField(
        label="It would process personal data held under the MSVC contract", required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
        help_text="Then the contract mechanism reviews it: the contracts team and each supplier involved.")
    suppliers = OrganisationsField(label="Suppliers involved", required=False, widget=GovukCheckboxes,
                                   queryset=Organisation.objects.filter(kind=OrganisationKind.VICTIM_CARE_SUPPLIER),
                                   help_text="The prime supplier and the sub-contractors whose survivors or data "
                                             "it involves.")
    partner = BoundedModelChoiceField(label="Partner (optional)", required=False,
                                     queryset=Organisation.objects.filter(kind=OrganisationKind.COMMISSIONER_OFFICE),
                                     widget=forms.Select(attrs={"class": "govuk-select"}))
    lawful_basis = forms.ChoiceField(label="Lawful basis (UK GDPR Article 6)", required=False,
                                     choices=[("", "None: no personal data"), *Article6Basis.choices],
                                     widget=forms.Select(attrs={"class": "govuk-select"}))
    lawful_basis_detail = _textarea("Lawful basis: detail", "Any Article 9 condition and the power relied on.")
    dpia_reference = _text("DPIA reference", DPIA_REFERENCE_MAX)
    dpia_completed_on = _date("DPIA completed on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from holds.coverage import category_labels

        self.fields["personal_data_categories"].choices = list(category_labels().items())
        self.clauses = {"personal_data_categories": "§15–17", "lawful_basis": "§17", "dpia_reference": "§16",
                        "dpia_completed_on": "§16"}

    def perform(self, by):
        data = self.cleaned_data
        fields = {name: data.get(name) for name in (
            "title", "funder", "ethics_reference", "summary", "lawful_basis", "lawful_basis_detail",
            "dpia_reference", "dpia_completed_on", "partner", "processes_contract_personal_data")}
        fields["data_sources"] = list(data.get("data_sources") or [])
        fields["personal_data_categories"] = list(data.get("personal_data_categories") or [])
        return services.propose(by=by, fields=fields, suppliers=list(data.get("suppliers") or []))


ACTIONS = {
    ProjectAction.SUBMIT.value: ("Put it forward for review", lambda p, by, v, text: services.submit(
        p, by=by, expected_version=v)),
    ProjectAction.APPROVE.value: ("Approve the project", lambda p, by, v, text: services.approve(
        p, by=by, expected_version=v, note=text)),
    ProjectAction.RESUME.value: ("Put it back under review", lambda p, by, v, text: services.resume(
        p, by=by, expected_version=v, note=text)),
    ProjectAction.CANCEL.value: ("Cancel the project", lambda p, by, v, text: services.cancel(
        p, by=by, expected_version=v, reason=text)),
    ProjectAction.COMPLETE.value: ("Record it as completed", lambda p, by, v, text: services.complete(
        p, by=by, expected_version=v, note=text)),
}


class OnProject(ProblemsForm):
    """A form acting on a project as the person loaded it: its version is required (a stale page is a 409)."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["version"].required = True
        self.initial.setdefault("version", project.version)


class ActionForm(OnProject):
    text = _textarea("Note (a reason, when cancelling)")
    field_aliases = {"reason": "text", "note": "text"}

    def __init__(self, *args, project, project_action: str, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.action = project_action

    def perform(self, by):
        return ACTIONS[self.action][1](self.project, by, self.cleaned_data["version"], self.cleaned_data["text"])


class ReviewForm(ProblemsForm):
    outcome = forms.ChoiceField(label="Your review", widget=GovukRadioSelect, choices=[
        (ApprovalAction.APPROVE.value, "Approve it (with any conditions)"), (ApprovalAction.REFUSE.value, "Refuse it")])
    conditions = _textarea("Conditions", "What the approval is given on (approving).")
    reasons = _textarea("Reasons", "Required when refusing.")

    def __init__(self, *args, approval, **kwargs):
        super().__init__(*args, **kwargs)
        self.approval = approval
        self.fields["version"].required = True
        self.initial.setdefault("version", approval.version)

    def perform(self, by):
        data = self.cleaned_data
        return services.review(self.approval, by=by, expected_version=data["version"], outcome=data["outcome"],
                               conditions=data["conditions"], reasons=data["reasons"])


class NdaForm(OnProject):
    signatory = BoundedModelChoiceField(label="Who signed it", queryset=None, required=False,
                                       widget=forms.Select(attrs={"class": "govuk-select"}))
    signed_on = _date("Signed on")
    expires_on = _date("Expires on")
    file = MultipleFileField(label="The signed copy", required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        from accounts.models import User

        self.fields["signatory"].queryset = User.objects.filter(
            is_active=True, organisation__in=Organisation.objects.filter(pk=project.institution_id)
            | Organisation.objects.filter(parent=project.institution_id)).order_by("full_name", "pk")
        self.fields["file"].help_text = upload_help("The signed agreement: ")

    def perform(self, by):
        data = self.cleaned_data
        files = list(data.get("file") or [])
        return services.record_nda(self.project, by=by, expected_version=data["version"],
                                   signatory=data.get("signatory"), signed_on=data.get("signed_on"),
                                   expires_on=data.get("expires_on"), upload=files[0] if files else None)


class ChoiceForm(OnProject):
    case_identifier = _text("The survivor's case identifier in your records", 40,
                            "For example TSA-2021-00457. Never their name: only a keyed hash of it is kept, which "
                            "only your organisation can recompute.")
    told_on = _date("Told of the project on")
    agreed = forms.ChoiceField(label="Did they agree to take part?", widget=GovukRadioSelect,
                               choices=[("yes", "Yes"), ("no", "No")])
    scope = forms.ChoiceField(label="What they agreed to", required=False, widget=GovukRadioSelect,
                              choices=ConsentScope.choices)
    field_aliases = {keys.FIELD: "case_identifier"}

    def perform(self, by):
        data = self.cleaned_data
        return services.record_choice(self.project, by=by, expected_version=data["version"],
                                      case_identifier=data["case_identifier"], told_on=data.get("told_on"),
                                      agreed=data["agreed"] == "yes", scope=data.get("scope") or "")


class WithdrawalForm(OnProject):
    case_identifier = _text("The survivor's case identifier in your records", 40, "Never their name.")
    withdrawn_on = _date("Withdrew on")

    def perform(self, by):
        data = self.cleaned_data
        return services.record_withdrawal(self.project, by=by, expected_version=data["version"],
                                          case_identifier=data["case_identifier"],
                                          withdrawn_on=data.get("withdrawn_on"))


class DeletionForm(OnProject):
    participation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=limits.ID_MAX)

    def perform(self, by):
        return services.record_deletion(self.project, by=by, expected_version=self.cleaned_data["version"],
                                        participation_id=self.cleaned_data["participation"])


class LinkRequestForm(OnProject):
    reference = _text("Request reference", 40, "For example IASC-2021-0042: a request you can see.")

    def perform(self, by):
        return services.link_request(self.project, by=by, expected_version=self.cleaned_data["version"],
                                     reference=self.cleaned_data["reference"])
