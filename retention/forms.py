"""Disposing of a delivery (element (g)): how, and a confirmation that the files cannot be recovered."""

from __future__ import annotations

from django import forms

from concordat.forms import GovukCheckboxes
from retention import services
from retention.models import METHOD_MAX
from sharing.forms import TEXTAREA, ProblemsForm

CONFIRMATION = "I understand that the files will be destroyed and that nobody can recover them"


class DisposeForm(ProblemsForm):
    method = forms.CharField(
        label="How was the information disposed of?", max_length=METHOD_MAX, required=False, strip=True,
        help_text="Say what was done with any copies outside Concordat (downloads, printouts, other systems). "
                  "The files held here are destroyed when you confirm.",
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 5}))
    confirmed = forms.MultipleChoiceField(label="Confirm", required=False, widget=GovukCheckboxes,
                                          choices=[("yes", CONFIRMATION)])

    def __init__(self, *args, retention, **kwargs):
        super().__init__(*args, **kwargs)
        self.retention = retention
        self.fields["version"].required = True
        self.initial.setdefault("version", retention.version)
        clause = services.disposal_clause(retention.request)
        self.clauses.update(method=clause, confirmed=clause)

    def perform(self, by):
        return services.dispose(self.retention, by=by, expected_version=self.cleaned_data["version"],
                                method=self.cleaned_data["method"], confirmed="yes" in self.cleaned_data["confirmed"])
