"""The approver's one form: approve, refuse with reasons, or ask for more justification (§10)."""

from __future__ import annotations

from django import forms

from approvals import services
from approvals.states import ApprovalAction
from concordat.forms import GovukRadioSelect
from sharing.forms import ProblemsForm, _textarea

OUTCOME_SERVICES = {
    ApprovalAction.APPROVE: lambda approval, by, version, text: services.approve(
        approval, by=by, expected_version=version, note=text),
    ApprovalAction.REFUSE: lambda approval, by, version, text: services.refuse(
        approval, by=by, expected_version=version, reasons=text),
    ApprovalAction.RETURN: lambda approval, by, version, text: services.ask_for_justification(
        approval, by=by, expected_version=version, question=text),
}


class ApprovalDecisionForm(ProblemsForm):
    outcome = forms.ChoiceField(label="Your decision", widget=GovukRadioSelect, choices=[
        (ApprovalAction.APPROVE.value, "Approve sharing"),
        (ApprovalAction.REFUSE.value, "Refuse"),
        (ApprovalAction.RETURN.value, "Ask the requester for more justification")])
    text = _textarea("Reasons, or the question for the requester",
                     help_text="Required when refusing or asking for more justification; optional when approving.")
    field_aliases = {"reasons": "text", "question": "text", "note": "text"}

    def __init__(self, *args, approval, **kwargs):
        super().__init__(*args, **kwargs)
        self.approval = approval
        self.fields["version"].required = True
        self.initial.setdefault("version", approval.version)
        self.clauses["outcome"] = approval.clause

    def perform(self, by):
        perform = OUTCOME_SERVICES[ApprovalAction(self.cleaned_data["outcome"])]
        return perform(self.approval, by, self.cleaned_data["version"], self.cleaned_data["text"])
