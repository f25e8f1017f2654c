"""The forms of the request pages. They only shape what a person typed; every rule is checked by
sharing.services, whose problems come back onto the form beside the field they name (with the clause)."""

from __future__ import annotations

from django import forms

from accounts.models import Organisation, User
from accounts.roles import Role
from concordat.errors import RuleViolation
from sharing import rules
from sharing.states import ApprovalKind, Decision, Frequency, Provision, PublicationIntent

TEXT = {"class": "govuk-textarea", "rows": 4}
INPUT = {"class": "govuk-input"}
SELECT = {"class": "govuk-select"}


class GovukRadioSelect(forms.RadioSelect):
    template_name = "sharing/widgets/radios.html"
    option_template_name = "sharing/widgets/radio_option.html"


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "sharing/widgets/checkboxes.html"
    option_template_name = "sharing/widgets/checkbox_option.html"


class GovukDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d")


class RuleCheckedChoiceField(forms.ChoiceField):
    """Offers the protocol's choices but lets any value through to the service, which refuses it in the
    protocol's own words (e.g. §10 on anything above OFFICIAL-SENSITIVE) rather than a generic message."""

    def valid_value(self, value):
        return True


class ServiceForm(forms.Form):
    """A form whose errors may also come from a service's RuleViolation."""

    clauses: dict[str, str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = {}

    def field_for_problem(self, field: str | None) -> str | None:
        return field if field in self.fields else None

    def rows(self) -> list[dict]:
        """Each field with its clause and how to draw it, for includes/form_fields.html."""
        rows = []
        for bound in self:
            widget = bound.field.widget
            kind = ("radios" if isinstance(widget, GovukRadioSelect) else
                    "checkboxes" if isinstance(widget, GovukCheckboxes) else "field")
            rows.append({"field": bound, "clause": self.clauses.get(bound.name, ""), "kind": kind})
        return rows

    def add_violation(self, violation: RuleViolation) -> None:
        for problem in violation.problems:
            message = f"{problem.message} ({problem.clause})" if problem.clause else problem.message
            self.add_error(self.field_for_problem(problem.field), message)


def _people_choices(request_or_departments) -> list[tuple[int, str]]:
    people = (User.objects.filter(is_active=True, organisation__isnull=False)
              .filter(organisation__in=request_or_departments)
              .select_related("organisation").order_by("organisation__name", "full_name"))
    return [(p.pk, f"{p.full_name or p.username}, {p.job_title or 'no title'} ({p.organisation})") for p in people]


def _departments_of(*organisations: Organisation) -> list[Organisation]:
    departments = {org.department for org in organisations}
    return list(Organisation.objects.filter(pk__in=[d.pk for d in departments])
                | Organisation.objects.filter(parent__in=[d.pk for d in departments]))


class DraftForm(ServiceForm):
    """The request: the seven elements of its direction (§6 a–g or §8 a–g) and how it is handled."""

    title = forms.CharField(label="Short title", max_length=200, widget=forms.TextInput(attrs=INPUT),
                            help_text="How people will find the request in lists.")

    def __init__(self, *args, spec, direction_key: str, route: str, requester_party: str, holder_org,
                 requester_org, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.is_protocol_route = route == "protocol"
        self.elements = rules.element_fields(spec, direction_key, route, requester_party)
        for element in self.elements:
            self._add_element(element)
        self._add_handling_fields(holder_org, requester_org)

    def _add_element(self, element: rules.ElementField) -> None:
        self.clauses[element.field] = element.clause
        if element.key == "publication":
            self.fields["publication_intent"] = forms.ChoiceField(
                label=element.label, choices=PublicationIntent.choices, required=False, widget=GovukRadioSelect,
                help_text=element.hint)
            self.fields["publication_detail"] = forms.CharField(
                label="What you intend to publish, and how", required=False, widget=forms.Textarea(attrs=TEXT),
                help_text="Needed if you intend to publish or have not yet decided.")
            self.clauses["publication_detail"] = element.clause
            return
        self.fields[element.field] = forms.CharField(label=element.label, required=False, help_text=element.hint,
                                                     widget=forms.Textarea(attrs=TEXT))
        if element.key == "access":
            self.fields["named_people"] = forms.TypedMultipleChoiceField(
                label="People named in the access list", coerce=int, required=False, widget=GovukCheckboxes,
                help_text="They, and the people who handle the request, may see an OFFICIAL-SENSITIVE request.")
            self.clauses["named_people"] = element.clause

    def _add_handling_fields(self, holder_org, requester_org) -> None:
        classifications = self.spec.classifications
        self.fields["classification"] = RuleCheckedChoiceField(
            label="Security classification", choices=[(level, level) for level in classifications.levels],
            widget=GovukRadioSelect, help_text=f"Nothing above {classifications.ceiling} is shared under this "
                                               "protocol.")
        self.clauses["classification"] = classifications.clause
        personal = self.spec.personal_data
        self.fields["personal_data_category"] = RuleCheckedChoiceField(
            label="Personal data", choices=[(c, personal.label(c)) for c in personal.categories],
            widget=GovukRadioSelect, initial=personal.default,
            help_text="Personal data is anonymised by default; anything else needs a legal basis.")
        self.clauses["personal_data_category"] = personal.clause
        self.fields["legal_basis"] = forms.CharField(
            label="Legal basis for sharing personal data", required=False, widget=forms.Textarea(attrs=TEXT),
            help_text="The UK GDPR Article 6 basis (and Article 9 or 10 condition), and the statutory power.")
        self.clauses["legal_basis"] = personal.clause
        self.fields["provision"] = forms.ChoiceField(label="One-off or regular", choices=Provision.choices,
                                                     widget=GovukRadioSelect, initial=Provision.ONE_OFF)
        self.fields["frequency"] = forms.ChoiceField(label="How often (regular provision)", required=False,
                                                     choices=[("", "Not regular"), *Frequency.choices],
                                                     widget=forms.Select(attrs=SELECT))
        self.fields["period_start"] = forms.DateField(label="First provision on", required=False,
                                                      widget=GovukDateInput())
        self.fields["period_end"] = forms.DateField(label="Last provision on", required=False,
                                                    widget=GovukDateInput())
        if "named_people" in self.fields:
            self.fields["named_people"].choices = _people_choices(_departments_of(holder_org, requester_org))
        if not self.is_protocol_route:
            self.fields["acknowledge_by"] = forms.DateField(label="Acknowledgement wanted by", required=False,
                                                            widget=GovukDateInput())
            self.fields["provide_by"] = forms.DateField(label="Information wanted by", required=False,
                                                        widget=GovukDateInput(),
                                                        help_text="Outside the protocol you set the target dates.")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("named_people", None)
        return data

    def named_people(self) -> list[int]:
        return list(self.cleaned_data.get("named_people") or [])


class NewRequestForm(ServiceForm):
    """Step one: which way the request goes (a protocol direction, §18 or §4 fn 1)."""

    direction = forms.ChoiceField(label="Who are you asking?", widget=GovukRadioSelect)
    holder_org = forms.ModelChoiceField(label="Which body (outside the protocol only)", required=False,
                                        queryset=Organisation.objects.none(), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, choices, holder_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = choices
        self.fields["holder_org"].queryset = holder_choices


class NoteForm(ServiceForm):
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs=TEXT))


class RequiredNoteForm(ServiceForm):
    note = forms.CharField(label="Reason", widget=forms.Textarea(attrs=TEXT))


class ReassignForm(ServiceForm):
    to_org = forms.ModelChoiceField(label="Team", queryset=Organisation.objects.none(),
                                    widget=forms.Select(attrs=SELECT))
    to_user = forms.ModelChoiceField(label="Assessor (optional)", queryset=User.objects.none(), required=False,
                                     widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(label="Why this team holds the information", widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        department = request.holder_org.department
        teams = Organisation.objects.filter(pk=department.pk) | Organisation.objects.filter(parent=department)
        self.fields["to_org"].queryset = teams.order_by("name")
        self.fields["to_user"].queryset = (User.objects.filter(is_active=True, organisation__in=teams,
                                                               role_grants__role=Role.ASSESSOR)
                                           .select_related("organisation").order_by("full_name"))
        direction = rules.direction_of(request)
        if direction and direction.routing:
            self.clauses["to_org"] = direction.routing.clause


class QuestionForm(ServiceForm):
    question = forms.CharField(label="What further information or justification is needed?",
                               widget=forms.Textarea(attrs=TEXT))


class AnswerForm(ServiceForm):
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs=TEXT))


class ChecklistForm(ServiceForm):
    """One yes/no and a note per point of the direction's checklist (§7 a–e / §9 a–e)."""

    def __init__(self, *args, items, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            answer = answers.get(item.key)
            self.fields[f"item_{item.key}"] = forms.TypedChoiceField(
                label=item.label, choices=[("yes", "Satisfied"), ("no", "Not satisfied"), ("", "Not answered yet")],
                required=False, widget=GovukRadioSelect,
                initial=("yes" if answer.satisfied else "no") if answer else "")
            self.fields[f"note_{item.key}"] = forms.CharField(
                label="Note", required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
                initial=answer.note if answer else "", help_text="Needed when not satisfied.")
            self.clauses[f"item_{item.key}"] = item.clause

    def field_for_problem(self, field: str | None) -> str | None:
        if field and field.startswith("checklist."):
            return f"item_{field.split('.', 1)[1]}"
        return super().field_for_problem(field)

    def entries(self):
        from sharing.services import ChecklistEntry

        return [ChecklistEntry(item.key, self.cleaned_data[f"item_{item.key}"] == "yes",
                               self.cleaned_data[f"note_{item.key}"])
                for item in self.items if self.cleaned_data.get(f"item_{item.key}")]


class ApproveForm(ServiceForm):
    kind = forms.ChoiceField(label="What you approve", widget=GovukRadioSelect)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, outstanding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, ApprovalKind(k).label) for k in outstanding]


class DecideForm(ServiceForm):
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices, widget=GovukRadioSelect)
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs=TEXT),
                              help_text="Required when declining: say why each point not satisfied fails.")
    provided_scope = forms.CharField(label="Agreed in part: what will be provided", required=False,
                                     widget=forms.Textarea(attrs=TEXT))
    withheld_scope = forms.CharField(label="Agreed in part: what will not be provided", required=False,
                                     widget=forms.Textarea(attrs=TEXT))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DeliverForm(ServiceForm):
    description = forms.CharField(label="What is being provided", widget=forms.Textarea(attrs=TEXT))
    marking = forms.ChoiceField(label="Security marking of what is provided", widget=GovukRadioSelect)
    files = MultipleFileField(label="Files", required=False,
                              help_text="PDF, spreadsheets, CSV, text or Word documents. Each is checked by its "
                                        "content and stored under a name the service makes.")
    occasion = forms.TypedChoiceField(label="Which scheduled provision", coerce=int, required=False,
                                      widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, request, open_occasions, **kwargs):
        super().__init__(*args, **kwargs)
        spec = rules.spec_of(request)
        self.fields["marking"].choices = [(level, level) for level in spec.classifications.levels]
        self.fields["marking"].initial = request.classification
        self.clauses["marking"] = spec.classifications.clause
        if open_occasions:
            self.fields["occasion"].choices = [(o.pk, f"Occasion {o.sequence}, due {o.due_on:%d %B %Y}")
                                               for o in open_occasions]
        else:
            del self.fields["occasion"]

    def field_for_problem(self, field: str | None) -> str | None:
        return "files" if field in ("file", "uploads") else super().field_for_problem(field)
