"""The release pages' forms: a dataset's upload, a release's draft (table or extract, with its policy), and the
actions on a release. Each calls the service the API calls; bounds are the services'."""

from __future__ import annotations

from django import forms

from concordat.forms import GovukRadioSelect
from disclosure.policy import ReleasePolicy
from protocols.scope import DataSource
from releases import datasets, services
from releases.models import ColumnRole
from releases.states import Outcome, ReleaseKind, Verdict
from sharing.forms import TEXT, TEXTAREA, ProblemsForm

SELECT = {"class": "govuk-select"}
NUMBER = {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
YES_NO = [("no", "No"), ("yes", "Yes")]
DEFAULTS = ReleasePolicy()


def _names(label: str, help_text: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=2_000,
                           widget=forms.TextInput(attrs=TEXT))


def split_names(value: str) -> list[str]:
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def _note(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=services.NOTE_MAX,
                           widget=forms.Textarea(attrs=TEXTAREA))


class DatasetForm(ProblemsForm):
    title = forms.CharField(label="Title", max_length=datasets.TITLE_MAX, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(label="Records (CSV or Parquet)",
                           help_text="One row a record, with a header row (CSV). Checked by its content.")
    classification = forms.ChoiceField(label="Classification", widget=forms.Select(attrs=SELECT))
    personal_data_category = forms.ChoiceField(label="Personal data", widget=forms.Select(attrs=SELECT))
    data_source = forms.ChoiceField(label="Data source", choices=DataSource.choices, widget=forms.Select(attrs=SELECT))
    direct_identifiers = _names("Direct identifiers", "Column names, separated by commas: always dropped.")
    quasi_identifiers = _names("Quasi-identifiers", "Columns someone could link to other information (age, "
                                                    "nationality, area, dates).")
    sensitive = _names("Sensitive columns", "Columns whose values must not be learnt of a person (exploitation "
                                            "type).")
    field_aliases = {"columns": "quasi_identifiers"}

    def __init__(self, *args, protocol, **kwargs):
        super().__init__(*args, **kwargs)
        spec = protocol.spec
        self.fields["classification"].choices = [(level, level) for level in spec.classifications.levels]
        self.fields["personal_data_category"].choices = [(c, spec.personal_data.label(c))
                                                         for c in spec.personal_data.categories]
        self.clauses.update(classification=spec.classifications.clause, personal_data_category="§15",
                            direct_identifiers="§15")

    def roles(self) -> dict:
        roles = {}
        for field, role in (("direct_identifiers", ColumnRole.DIRECT_IDENTIFIER),
                            ("quasi_identifiers", ColumnRole.QUASI_IDENTIFIER), ("sensitive", ColumnRole.SENSITIVE)):
            for name in split_names(self.cleaned_data.get(field, "")):
                roles[name] = role
        return roles

    def perform(self, by):
        data = self.cleaned_data
        return datasets.upload(data["file"], by=by, title=data["title"], classification=data["classification"],
                               personal_data_category=data["personal_data_category"],
                               data_source=data["data_source"], roles=self.roles())


class ReleaseForm(ProblemsForm):
    """A release's draft: a table (its dimensions, measure and policy) or an extract (k, l, budget)."""

    title = forms.CharField(label="Title", max_length=services.TITLE_MAX, widget=forms.TextInput(attrs=TEXT))
    dataset = forms.TypedChoiceField(label="Dataset", coerce=int, widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label="What to release", choices=ReleaseKind.choices, widget=GovukRadioSelect)
    dimensions = _names("Table: dimensions", "One to three columns, separated by commas.")
    measure = forms.ChoiceField(label="Table: measure", choices=[("count", "Count of records"), ("sum", "Sum of a "
                                "column"), ("mean", "Mean of a column")], required=False,
                                widget=forms.Select(attrs=SELECT))
    column = forms.CharField(label="Table: column summed or averaged", required=False, max_length=200,
                             widget=forms.TextInput(attrs=TEXT))
    hierarchies = forms.ChoiceField(label="Table: add regions and nations (police force area, nationality)",
                                    choices=YES_NO, initial="no", required=False, widget=GovukRadioSelect)
    threshold = forms.IntegerField(label="Policy: minimum count", initial=DEFAULTS.threshold, min_value=1,
                                   max_value=1_000_000, required=False, widget=forms.NumberInput(attrs=NUMBER),
                                   help_text="10, as ONS and ACRO output checking use.")
    zeros_disclosive = forms.ChoiceField(label="Policy: are empty cells disclosive?", choices=YES_NO, initial="no",
                                         required=False, widget=GovukRadioSelect)
    rounding = forms.ChoiceField(label="Policy: rounding", required=False, widget=forms.Select(attrs=SELECT),
                                 choices=[("none", "None"), ("base", "Round every count to the base"),
                                          ("redact_then_round", "Redact at or below a count, then round")])
    rounding_base = forms.IntegerField(label="Policy: rounding base", initial=DEFAULTS.rounding_base, min_value=2,
                                       max_value=1_000, required=False, widget=forms.NumberInput(attrs=NUMBER))
    redact_at_or_below = forms.IntegerField(label="Policy: redact counts at or below", min_value=0,
                                            max_value=1_000_000, initial=DEFAULTS.redact_at_or_below,
                                            required=False, widget=forms.NumberInput(attrs=NUMBER))
    protection_fraction = forms.FloatField(label="Policy: protection interval, share of the cell",
                                           initial=DEFAULTS.protection_fraction, min_value=0, max_value=1,
                                           required=False, widget=forms.NumberInput(attrs=NUMBER))
    quasi_identifiers = _names("Extract: quasi-identifiers", "Columns marked quasi-identifier, separated by commas.")
    sensitive = _names("Extract: sensitive columns", "Columns marked sensitive, separated by commas.")
    k = forms.IntegerField(label="Extract: k (smallest group)", initial=5, min_value=1, max_value=1_000_000,
                           required=False, widget=forms.NumberInput(attrs=NUMBER))
    l = forms.IntegerField(label="Extract: l (distinct sensitive values a group)", initial=2, min_value=1,  # noqa: E741
                           max_value=1_000_000, required=False, widget=forms.NumberInput(attrs=NUMBER))
    max_suppression = forms.FloatField(label="Extract: most records suppressed (share)", initial=0.05, min_value=0,
                                       max_value=1, required=False, widget=forms.NumberInput(attrs=NUMBER))
    field_aliases = {"policy": "threshold", "protection_absolute": "protection_fraction", "cost": "threshold",
                     "earlier": "dimensions", "request": "title", "spec": "dimensions"}

    def __init__(self, *args, user, release=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release
        self.fields["dataset"].choices = [(d.pk, d.title) for d in datasets.visible(user).order_by("-pk")[:200]]
        for name in ("kind", "dimensions", "threshold", "quasi_identifiers", "k", "l"):
            self.clauses[name] = "§15"
        if release is not None:
            del self.fields["dataset"], self.fields["kind"]
            self.fields["version"].required = True
            self.initial.update(version=release.version, title=release.title, **self._initial_of(release))

    @staticmethod
    def _initial_of(release) -> dict:
        spec, policy = release.spec, release.policy
        values = {k: v for k, v in policy.items() if k in ("threshold", "rounding", "rounding_base",
                                                          "redact_at_or_below", "protection_fraction")}
        values["zeros_disclosive"] = "yes" if policy.get("zeros_disclosive") else "no"
        if release.kind == ReleaseKind.TABLE:
            values.update(dimensions=", ".join(spec["dimensions"]), measure=spec["measure"],
                          column=spec.get("column") or "", hierarchies="yes" if spec.get("hierarchies") else "no")
        else:
            values.update(quasi_identifiers=", ".join(spec["quasi_identifiers"]),
                          sensitive=", ".join(spec["sensitive"]), k=spec["k"], l=spec["l"],
                          max_suppression=spec["max_suppression"])
        return values

    def kind_chosen(self) -> str:
        return self.release.kind if self.release is not None else self.cleaned_data["kind"]

    def spec_and_policy(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        if self.kind_chosen() == ReleaseKind.TABLE:
            spec = {"dimensions": split_names(data["dimensions"]), "measure": data["measure"] or "count",
                    "column": data["column"] or None, "hierarchies": data["hierarchies"] == "yes"}
            policy = {name: data[name] for name in ("threshold", "rounding", "rounding_base", "redact_at_or_below",
                                                    "protection_fraction") if data.get(name) not in (None, "")}
            policy["zeros_disclosive"] = data["zeros_disclosive"] == "yes"
            return spec, policy
        spec = {"quasi_identifiers": split_names(data["quasi_identifiers"]),
                "sensitive": split_names(data["sensitive"]),
                "k": 5 if data["k"] is None else data["k"], "l": 2 if data["l"] is None else data["l"],
                "max_suppression": 0.05 if data["max_suppression"] is None else data["max_suppression"]}
        return spec, {}

    def perform(self, by, sharing_request=None):
        spec, policy = self.spec_and_policy()
        if self.release is not None:
            return services.revise(self.release, by=by, expected_version=self.cleaned_data["version"],
                                   title=self.cleaned_data["title"], spec=spec, policy=policy)
        return services.draft(sharing_request, by=by, dataset=self.cleaned_data["dataset"],
                              kind=self.cleaned_data["kind"], title=self.cleaned_data["title"], spec=spec,
                              policy=policy)


class _ActionForm(ProblemsForm):
    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release
        self.fields["version"].required = True
        self.initial.setdefault("version", release.version)


class SubmitForm(_ActionForm):
    note = _note("Anything the checkers should know (optional)")

    def perform(self, by):
        return services.submit(self.release, by=by, expected_version=self.cleaned_data["version"],
                               note=self.cleaned_data["note"])


class CheckForm(_ActionForm):
    verdict = forms.ChoiceField(label="Your verdict", choices=Verdict.choices, widget=GovukRadioSelect)
    note = _note("Your reasons (required when it is not safe)")

    def perform(self, by):
        return services.check(self.release, by=by, expected_version=self.cleaned_data["version"],
                              verdict=self.cleaned_data["verdict"], note=self.cleaned_data["note"])


class ConsolidateForm(_ActionForm):
    outcome = forms.ChoiceField(label="The outcome", choices=Outcome.choices, widget=GovukRadioSelect)
    note = _note("Why (required when returning or rejecting it)")

    def perform(self, by):
        return services.consolidate(self.release, by=by, expected_version=self.cleaned_data["version"],
                                    outcome=self.cleaned_data["outcome"], note=self.cleaned_data["note"])


class DeliverForm(_ActionForm):
    description = _note("What is being provided (optional)")

    def perform(self, by):
        return services.deliver(self.release, by=by, expected_version=self.cleaned_data["version"],
                                description=self.cleaned_data["description"])


class WithdrawForm(_ActionForm):
    note = _note("Why (optional)")

    def perform(self, by):
        return services.withdraw(self.release, by=by, expected_version=self.cleaned_data["version"],
                                 note=self.cleaned_data["note"])


ACTION_FORMS = {"submit": SubmitForm, "check": CheckForm, "consolidate": ConsolidateForm, "deliver": DeliverForm,
                "withdraw": WithdrawForm}
