"""The publication forms: the requester's proposal, the holder's decision, and withdrawing (§7(b), §9(b))."""

from __future__ import annotations

from django import forms

from concordat.forms import GovukRadioSelect
from publications import services
from publications.cases import publication_clause
from publications.states import ProposalAction
from sharing.forms import TEXTAREA, MultipleFileField, ProblemsForm, upload_help


def _text(label: str, limit: int, help_text: str = "", required: bool = False) -> forms.CharField:
    # The bound is the service's (concordat/limits.py); the form keeps the page's answer to it the same.
    return forms.CharField(label=label, required=required, help_text=help_text, strip=True, max_length=limit,
                           widget=forms.Textarea(attrs={**TEXTAREA, "rows": 8}))


class ProposalForm(ProblemsForm):
    """What the requester proposes to publish; `revises` (hidden) when it revises a refused or changed one."""

    text = _text("What do you propose to publish?", services.TEXT_MAX,
                 help_text="The text as it would be published: tables, findings and any wording that quotes the "
                           "information. The holder agrees it, agrees it with changes or refuses it.")
    files = MultipleFileField(label="Files (optional)", required=False)
    revises = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    field_aliases = {"request": "text", "state": "text", "publication_intent": "text"}

    def __init__(self, *args, sharing_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.sharing_request = sharing_request
        self.clauses["text"] = publication_clause(sharing_request)
        self.fields["files"].help_text = upload_help("A draft page or table as it would be published: ")

    def perform(self, by):
        return services.propose(self.sharing_request, by=by, text=self.cleaned_data["text"],
                                revises=self.cleaned_data["revises"] or None, uploads=self.cleaned_data["files"])


class DecisionForm(ProblemsForm):
    outcome = forms.ChoiceField(label="Your decision", widget=GovukRadioSelect, choices=[
        (ProposalAction.AGREE.value, "Agree it as proposed"),
        (ProposalAction.AGREE_WITH_CHANGES.value, "Agree it with changes"),
        (ProposalAction.REFUSE.value, "Refuse it")])
    agreed_text = _text("The text as agreed", services.TEXT_MAX,
                        help_text="Only when agreeing with changes: the version that may be published.")
    reasons = _text("Reasons", services.REASONS_MAX,
                    help_text="Required when refusing, or when agreeing with changes (what was changed and why).")

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["version"].required = True
        self.initial.setdefault("version", proposal.version)
        self.initial.setdefault("agreed_text", proposal.proposed_text)
        clause = publication_clause(proposal.request)
        self.clauses.update(outcome=clause, agreed_text=clause, reasons=clause)

    def perform(self, by):
        return services.decide(self.proposal, by=by, expected_version=self.cleaned_data["version"],
                               outcome=self.cleaned_data["outcome"], agreed_text=self.cleaned_data["agreed_text"],
                               reasons=self.cleaned_data["reasons"])


class WithdrawForm(ProblemsForm):
    note = _text("Why are you withdrawing it? (optional)", services.REASONS_MAX)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["version"].required = True
        self.initial.setdefault("version", proposal.version)

    def perform(self, by):
        return services.withdraw(self.proposal, by=by, expected_version=self.cleaned_data["version"],
                                 note=self.cleaned_data["note"])
