"""The arrangement's pages' forms: the register entry (new and draft), and each action on it (§16)."""

from __future__ import annotations

from django import forms

from accounts.models import Organisation
from arrangements import services
from arrangements.models import DPIA_REFERENCE_MAX, TITLE_MAX, Arrangement
from arrangements.states import ArrangementAction, DpiaOutcome
from concordat import limits
from concordat.forms import GovukCheckboxes, GovukRadioSelect
from sharing.forms import TEXT, TEXTAREA, BoundedIds, ProblemsForm, _date

CLAUSE = "§16"


class PartiesField(BoundedIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        values = list(value)
        if len(values) > services.PARTIES_MAX:
            raise forms.ValidationError(f"Choose at most {services.PARTIES_MAX} parties.", code="list")
        self._refuse_unless_ids(values)
        return super()._check_values(values)

    def label_from_instance(self, organisation):
        return organisation.name


def _bounded_textarea(label: str, help_text: str = "", limit: int = limits.ELEMENT_MAX) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, max_length=limit, strip=True,
                           widget=forms.Textarea(attrs=TEXTAREA))


class ArrangementForm(ProblemsForm):
    """A new arrangement, or a draft's changes: what §16's arrangement and impact assessment record."""

    title = forms.CharField(label="Short title", max_length=TITLE_MAX, required=False,
                            widget=forms.TextInput(attrs=TEXT))
    parties = PartiesField(label="Parties", queryset=Organisation.objects.filter(parent__isnull=True),
                           required=False, widget=GovukCheckboxes,
                           help_text="The departments and offices party to it: yours and at least one other.")
    purpose = _bounded_textarea("Purpose", "Why the data is shared, for which statutory functions.")
    data_items = _bounded_textarea("Data items", "Each data item shared, and why it is needed (minimisation).")
    personal_data_categories = forms.MultipleChoiceField(
        label="Personal-data categories it covers", required=False, widget=GovukCheckboxes, choices=[])
    lawful_basis = _bounded_textarea("Lawful basis", "UK GDPR Article 6 basis, any Article 9 or 10 condition and "
                                                     "Schedule 1 condition, and the statutory power relied on.")
    starts_on = _date("Starts on")
    review_on = _date("Review by", "When it is next reviewed, on or before its end. For example, 27 3 2027")
    ends_on = _date("Ends on")
    dpia_reference = forms.CharField(label="DPIA reference", max_length=DPIA_REFERENCE_MAX, required=False,
                                     widget=forms.TextInput(attrs=TEXT),
                                     help_text="The data protection impact assessment; needed before sign-off.")
    dpia_completed_on = _date("DPIA completed on")
    dpia_outcome = forms.ChoiceField(label="DPIA outcome", required=False, widget=GovukRadioSelect,
                                     choices=DpiaOutcome.choices)

    def __init__(self, *args, arrangement: Arrangement | None = None, **kwargs):
        self.arrangement = arrangement
        if arrangement is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update({name: getattr(arrangement, name) for name in services.FIELDS})
            initial.update(parties=[p.pk for p in arrangement.parties.all()], version=arrangement.version)
        super().__init__(*args, **kwargs)
        self.fields["personal_data_categories"].choices = list(services.personal_categories().items())
        self.fields["version"].required = arrangement is not None
        self.clauses = {name: CLAUSE for name in ("parties", "starts_on", "review_on", "ends_on", "dpia_reference",
                                                  "dpia_completed_on", "dpia_outcome")}
        self.clauses["personal_data_categories"] = "§15–17"

    def perform(self, by) -> Arrangement:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in services.FIELDS}
        fields["personal_data_categories"] = list(data.get("personal_data_categories") or [])
        if self.arrangement is None:
            return services.create(by=by, parties=list(data.get("parties") or []), fields=fields)
        return services.update(self.arrangement, by=by, expected_version=data["version"], fields=fields,
                               parties=list(data.get("parties") or []))


class ArrangementActionForm(ProblemsForm):
    """One action on an arrangement: sign off, review, suspend, resume or end."""

    text = _bounded_textarea("Note", limit=limits.NOTE_MAX)
    next_review_on = _date("Next review by")
    dpia_reference = forms.CharField(label="New DPIA reference (if a new assessment was done)",
                                     max_length=DPIA_REFERENCE_MAX, required=False, widget=forms.TextInput(attrs=TEXT))
    dpia_completed_on = _date("New DPIA completed on")
    dpia_outcome = forms.ChoiceField(label="New DPIA outcome", required=False, widget=GovukRadioSelect,
                                     choices=DpiaOutcome.choices)
    field_aliases = {"note": "text", "reasons": "text"}
    LABELS = {ArrangementAction.SIGN_OFF: "Note (optional)", ArrangementAction.REVIEW: "What the review found",
              ArrangementAction.SUSPEND: "Reasons for suspending", ArrangementAction.RESUME: "Note (optional)",
              ArrangementAction.END: "Reasons for ending"}

    def __init__(self, *args, arrangement: Arrangement, action: str = ArrangementAction.REVIEW, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrangement, self.action = arrangement, ArrangementAction(action)
        self.fields["version"].required = True
        self.initial.setdefault("version", arrangement.version)
        self.fields["text"].label = self.LABELS[self.action]
        if self.action != ArrangementAction.REVIEW:
            for name in ("next_review_on", "dpia_reference", "dpia_completed_on", "dpia_outcome"):
                del self.fields[name]
        self.clauses = {name: CLAUSE for name in self.fields}

    def perform(self, by) -> Arrangement:
        data, target = self.cleaned_data, self.arrangement
        common = {"by": by, "expected_version": data["version"]}
        text = data.get("text", "")
        if self.action == ArrangementAction.SIGN_OFF:
            return services.sign_off(target, note=text, **common)
        if self.action == ArrangementAction.REVIEW:
            dpia = {name: data.get(name) for name in services.DPIA_FIELDS}
            return services.review(target, next_review_on=data.get("next_review_on"), note=text, dpia=dpia, **common)
        if self.action == ArrangementAction.SUSPEND:
            return services.suspend(target, reasons=text, **common)
        if self.action == ArrangementAction.RESUME:
            return services.resume(target, note=text, **common)
        return services.end(target, reasons=text, **common)
