"""The holds pages' forms: placing a hold, and reviewing or lifting one. The services decide; the forms bound
every input and show the services' problems beside the fields they name."""

from __future__ import annotations

from django import forms

from accounts.models import User
from concordat import limits
from concordat.forms import GovukCheckboxes, GovukRadioSelect
from holds import coverage, permissions, services
from holds.models import LIFTED_BECAUSE_MAX, TITLE_MAX, Hold
from holds.states import HoldAction
from protocols.scope import DataSource, Purpose
from sharing.forms import SELECT, TEXT, TEXTAREA, BoundedModelChoiceField, ProblemsForm, _date


def _textarea(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, max_length=limits.NOTE_MAX, strip=True,
                           widget=forms.Textarea(attrs=TEXTAREA))


class OwnerField(BoundedModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} ({person.job_title or person.organisation})"


class PlaceHoldForm(ProblemsForm):
    """A new hold: what it covers, why, on whose advice, who owns it, when it is reviewed and what lifts it."""

    title = forms.CharField(label="Short title", max_length=TITLE_MAX, required=False,
                            widget=forms.TextInput(attrs=TEXT))
    data_source = forms.ChoiceField(label="Data source it covers", required=False, widget=GovukRadioSelect,
                                    choices=DataSource.choices)
    purposes = forms.MultipleChoiceField(label="Purposes it covers", required=False, widget=GovukCheckboxes,
                                         choices=Purpose.choices)
    personal_data_categories = forms.MultipleChoiceField(
        label="Personal-data categories it covers", required=False, widget=GovukCheckboxes, choices=[],
        help_text="Work in other categories (anonymised data, statistics) is not blocked.")
    reason = _textarea("Reason", "Why processing is halted.")
    advice = _textarea("Advice it follows (optional)", "For example, the Information Commissioner's Office's.")
    owner = OwnerField(label="Owner", queryset=User.objects.none(), required=False, widget=forms.Select(attrs=SELECT),
                       help_text="A person of your department who answers for the hold.")
    began_on = _date("Began on", "Leave empty for today. For example, 15 3 2021")
    next_review_on = _date("Next review by", "After today. For example, 30 6 2027")
    lifting_conditions = _textarea("Conditions for lifting it", "What must happen for the hold to be lifted.")

    def __init__(self, *args, placer: User, **kwargs):
        super().__init__(*args, **kwargs)
        department = permissions.department_of(placer)
        self.fields["owner"].queryset = (User.objects.filter(is_active=True, organisation__in=_organisations_of(
            department)).select_related("organisation").order_by("full_name", "username"))
        self.fields["personal_data_categories"].choices = list(coverage.category_labels().items())
        self.clauses = {"personal_data_categories": services.CATEGORY_CLAUSE}

    def perform(self, by) -> Hold:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in services.FIELDS}
        fields["owner"] = data["owner"].pk if data.get("owner") else None
        fields["purposes"] = list(data.get("purposes") or [])
        fields["personal_data_categories"] = list(data.get("personal_data_categories") or [])
        return services.place(by=by, fields=fields)


def _organisations_of(department):
    if department is None:
        return []
    return [department, *department.units.all()]


class HoldActionForm(ProblemsForm):
    """Review a hold (what the review found, the next review date) or lift it (what lifted it)."""

    note = _textarea("What the review found")
    next_review_on = _date("Next review by", "After today. For example, 30 6 2027")
    lifted_because = forms.CharField(label="What lifted it", max_length=LIFTED_BECAUSE_MAX, required=False,
                                     widget=forms.TextInput(attrs=TEXT),
                                     help_text="For example, Contract Change Notice 14 to the MSVC contract.")

    def __init__(self, *args, hold: Hold, action: str = HoldAction.REVIEW, **kwargs):
        super().__init__(*args, **kwargs)
        self.hold, self.action = hold, HoldAction(action)
        self.fields["version"].required = True
        self.initial.setdefault("version", hold.version)
        if self.action == HoldAction.LIFT:
            del self.fields["next_review_on"]
            self.fields["note"].label = "Note (optional)"
        else:
            del self.fields["lifted_because"]

    def perform(self, by) -> Hold:
        data = self.cleaned_data
        common = {"by": by, "expected_version": data["version"], "note": data.get("note", "")}
        if self.action == HoldAction.REVIEW:
            return services.review(self.hold, next_review_on=data.get("next_review_on"), **common)
        return services.lift(self.hold, lifted_because=data.get("lifted_because", ""), **common)
