"""The personal-data record's page form (§15–17, Annex B) and the holder's §17 confirmation. They parse what was
typed; the rules are the services' (dataprotection.services, .rules), shown beside the fields they name.

Sections follow the request's category: the Article 9 pieces only for special category data, the Article 10 pieces
only for criminal offence data. The data items are rows (item_1/reason_1, ...); `data_items` carries how many rows
the page shows, and is where problems with the items as a whole are shown."""

from __future__ import annotations

from django import forms

from dataprotection import rules, services
from dataprotection.legislation import (
    Article6Basis,
    Article9Condition,
    Article10Authority,
    Schedule1Condition,
)
from dataprotection.models import DATA_ITEMS_MAX, ITEM_MAX, SHORT_MAX, TEXT_MAX
from sharing.forms import SELECT, TEXT, TEXTAREA, ProblemsForm

BLANK_ROWS = 2  # empty rows offered after the items recorded


def _choice(label: str, choices, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "Choose"), *choices], help_text=help_text,
                             widget=forms.Select(attrs=SELECT))


def _short(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=SHORT_MAX, help_text=help_text,
                           widget=forms.TextInput(attrs=TEXT))


def _long(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=TEXT_MAX, help_text=help_text,
                           widget=forms.Textarea(attrs=TEXTAREA))


def _rows_wanted(data, initial: int) -> int:
    """How many item rows to draw: what the page said (bounded; the field itself refuses a bad value), plus one
    when "Add another item" was pressed."""
    if data is None:
        return initial
    raw = str(data.get("data_items", "")).strip()
    rows = int(raw) if raw.isdigit() and len(raw) < 6 else initial
    rows = max(1, min(rows, DATA_ITEMS_MAX))
    return rows + 1 if "add_item" in data and rows < DATA_ITEMS_MAX else rows


class PersonalDataForm(ProblemsForm):
    """PersonalDataForm(data, sharing_request=draft): the requester's record of its personal data."""

    data_items = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=DATA_ITEMS_MAX, required=False,
                                    error_messages={"max_value": f"List at most {DATA_ITEMS_MAX} data items: ask only "
                                                                 "for what is needed.",
                                                    "min_value": "Give a number of data items.",
                                                    "invalid": "Give a number of data items."})

    def __init__(self, *args, sharing_request, **kwargs):
        record = rules.record_of(sharing_request)
        items = list(record.items.all()) if record else []
        initial = kwargs.setdefault("initial", {})
        if record is not None:
            initial.update({name: getattr(record, name) for name in services.RECORD_FIELDS})
        for index, row in enumerate(items, start=1):
            initial[f"item_{index}"], initial[f"reason_{index}"] = row.item, row.reason
        rows = _rows_wanted(args[0] if args else kwargs.get("data"), len(items) + BLANK_ROWS)
        initial["data_items"] = rows
        initial["version"] = record.version if record else 0
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        self.record, self.rows_shown = record, rows
        self.category = sharing_request.personal_data_category
        self._add_fields()
        self.clauses.update(rules.CLAUSES)

    def _add_fields(self) -> None:
        f = self.fields
        f["article6_basis"] = _choice("UK GDPR Article 6 lawful basis", Article6Basis.choices,
                                      "Public authorities rely on (e) for their tasks; (f) is not available to them.")
        f["statutory_power"] = _short("Statutory power relied on", "For example, Modern Slavery Act 2015 s41.")
        if self.category == rules.SPECIAL_CATEGORY:
            f["article9_condition"] = _choice("UK GDPR Article 9 condition", Article9Condition.choices)
            f["schedule1_condition"] = _choice(
                "Data Protection Act 2018 Schedule 1 condition", Schedule1Condition.choices,
                "Needed for Article 9(2)(b), (h), (i), (j) (Part 1) and (g) (Part 2).")
        if self.category == rules.CRIMINAL_OFFENCE:
            f["article10_authority"] = _choice("UK GDPR Article 10 authority", Article10Authority.choices)
            f["criminal_schedule1_condition"] = _choice(
                "Data Protection Act 2018 Schedule 1 condition", Schedule1Condition.choices,
                "Needed when the processing is authorised by domestic law (s10(5)).")
        if self.category in (rules.SPECIAL_CATEGORY, rules.CRIMINAL_OFFENCE):
            f["policy_document"] = _short("Appropriate policy document",
                                          "Its reference, where the Schedule 1 condition needs one.")
        f["necessity"] = _long("Why sharing this personal data is necessary")
        for index in range(1, self.rows_shown + 1):
            f[f"item_{index}"] = forms.CharField(label=f"Data item {index}", required=False, max_length=ITEM_MAX,
                                                 widget=forms.TextInput(attrs=TEXT))
            f[f"reason_{index}"] = forms.CharField(label=f"Why data item {index} is needed", required=False,
                                                   max_length=TEXT_MAX,
                                                   widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}))
        f["retention"] = _long("How long it will be kept")
        f["deletion"] = _long("How it will be deleted or destroyed")
        f["dpia_reference"] = _short("Data protection impact assessment (DPIA) reference")
        f["dpo_view"] = _long("Or: the data protection officer's view", "Where there is no DPIA.")
        f["individual_rights"] = _long("How individuals' rights are met",
                                       "Privacy information, access, objection, rectification and erasure.")

    SECTIONS = (
        ("Lawful basis", ("article6_basis", "statutory_power")),
        ("Special category data", ("article9_condition", "schedule1_condition")),
        ("Criminal offence data", ("article10_authority", "criminal_schedule1_condition")),
        ("Policy document", ("policy_document",)),
        ("Why it is necessary", ("necessity",)),
        ("Retention and deletion", ("retention", "deletion")),
        ("Impact assessment", ("dpia_reference", "dpo_view")),
        ("Individuals' rights", ("individual_rights",)),
    )

    def sections(self) -> list[tuple[str, list[dict]]]:
        """[(heading, [{"field", "clause"}])] for the sections this request's category needs."""
        found = []
        for heading, names in self.SECTIONS:
            rows = [{"field": self[name], "clause": self.clauses.get(name, "")} for name in names if name in self.fields]
            if rows:
                found.append((heading, rows))
        return found

    def item_rows(self) -> list[tuple[int, object, object]]:
        return [(index, self[f"item_{index}"], self[f"reason_{index}"]) for index in range(1, self.rows_shown + 1)]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.RECORD_FIELDS if name in self.fields}

    def items(self) -> list[dict]:
        return [{"item": self.cleaned_data.get(f"item_{i}", ""), "reason": self.cleaned_data.get(f"reason_{i}", "")}
                for i in range(1, self.rows_shown + 1)]

    def perform(self, by):
        return services.save_record(self.sharing_request, by=by, expected_version=self.expected_version,
                                    fields=self.service_fields(), items=self.items())


class ConfirmPersonalDataForm(ProblemsForm):
    """§17: the holder confirms the disclosure, as recorded, complies with data protection law."""

    note = forms.CharField(label="Note (optional)", required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, sharing_request, **kwargs):
        record = rules.record_of(sharing_request)
        kwargs.setdefault("initial", {})["version"] = record.version if record else 0
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        self.clauses["note"] = "§17"

    def perform(self, by):
        return services.confirm(self.sharing_request, by=by, expected_version=self.expected_version,
                                note=self.cleaned_data["note"])
