"""The directory's forms (§18): a contact, a unit, and recording a check. The rules are the services'."""

from __future__ import annotations

from django import forms

from contacts import services
from contacts.models import EMAIL_MAX, NAME_MAX, PHONE_MAX, ROLE_MAX, Contact, Unit
from sharing.forms import SELECT, TEXT, BoundedModelChoiceField, ProblemsForm


def _line(label: str, limit: int, required: bool = False, help_text: str = "", autocomplete: str = "off"):
    return forms.CharField(label=label, max_length=limit, required=required, help_text=help_text, strip=True,
                           widget=forms.TextInput(attrs={**TEXT, "autocomplete": autocomplete}))


class ContactForm(ProblemsForm):
    organisation = BoundedModelChoiceField(label="Department or body", queryset=Unit.objects.none(),
                                          widget=forms.Select(attrs=SELECT))
    unit = BoundedModelChoiceField(label="Unit (optional)", queryset=Unit.objects.none(), required=False,
                                   widget=forms.Select(attrs=SELECT))
    name = _line("Name", NAME_MAX)
    role_title = _line("Role or job title", ROLE_MAX)
    email = _line("Email address", EMAIL_MAX, help_text="An email address or a telephone number, or both.")
    phone = _line("Telephone", PHONE_MAX)

    def __init__(self, *args, contact: Contact | None = None, **kwargs):
        self.contact = contact
        if contact is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(contact, name) for name in services.CONTACT_FIELDS},
                unit=contact.unit_id, version=contact.version)
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.directory_organisations()
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation__kind__in=services.DIRECTORY_KINDS).select_related("organisation")
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.organisation}: {unit.name}"
        if contact is not None:
            del self.fields["organisation"]
            self.fields["version"].required = True
        self.clauses = dict.fromkeys(self.fields, services.CLAUSE)

    def perform(self, by):
        fields = {name: self.cleaned_data[name] for name in services.CONTACT_FIELDS}
        if self.contact is None:
            return services.add_contact(by=by, organisation=self.cleaned_data["organisation"], fields=fields,
                                        unit=self.cleaned_data["unit"])
        return services.update_contact(self.contact, by=by, expected_version=self.cleaned_data["version"],
                                       fields=fields, unit=self.cleaned_data["unit"])


class UnitForm(ProblemsForm):
    organisation = BoundedModelChoiceField(label="Department or body", queryset=Unit.objects.none(),
                                          widget=forms.Select(attrs=SELECT))
    name = _line("Name of the unit", NAME_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.directory_organisations()
        self.clauses = dict.fromkeys(self.fields, services.CLAUSE)

    def perform(self, by):
        return services.add_unit(by=by, organisation=self.cleaned_data["organisation"],
                                 name=self.cleaned_data["name"])


class CheckForm(ProblemsForm):
    """'Still right': records who checked the entry, and when."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True
