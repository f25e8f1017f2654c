"""The escalation forms (§13): the IASC's record when it escalates, a rung's decision, going up, closing and
withdrawing. Each calls the service and shows its problems beside the field they name, with the clause."""

from __future__ import annotations

from django import forms

from concordat.forms import GovukRadioSelect
from escalations import ladder, services
from escalations.states import Grounds, Outcome
from sharing.forms import ProblemsForm, _textarea


class EscalateForm(ProblemsForm):
    """§13: "the request, the reasons for it, any objections raised by the HO and the attempts made to resolve
    the matter", and why it is escalated at all."""

    grounds = forms.ChoiceField(label="Why are you escalating this request?", widget=GovukRadioSelect,
                                choices=Grounds.choices,
                                error_messages={"required": "Choose why you are escalating this request"})
    reasons = _textarea("The reasons for the request", required=True,
                        help_text="Why the IASC needs this information (s41 of the Modern Slavery Act 2015).")
    ho_objections = _textarea("The objections the HO raised", required=True,
                              help_text="As the HO put them; say so if it raised none.")
    attempts_to_resolve = _textarea("The attempts made to resolve the matter", required=True,
                                    help_text="Letters, meetings and calls at working level, with dates.")
    field_aliases = {"attempts": "attempts_to_resolve"}

    def __init__(self, *args, sharing_request, **kwargs):
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        clause = ladder.clause_of(sharing_request)
        self.clauses = {name: clause for name in ("grounds", "reasons", "ho_objections", "attempts_to_resolve")}

    def perform(self, by):
        data = self.cleaned_data
        return services.escalate(self.sharing_request, by=by, grounds=data["grounds"], reasons=data["reasons"],
                                 ho_objections=data["ho_objections"], attempts=data["attempts_to_resolve"],
                                 expected_version=data["version"])


class _EscalationForm(ProblemsForm):
    action = ""

    def __init__(self, *args, escalation, **kwargs):
        if not args or args[0] is None:  # the forms not sent keep their ids apart; the one sent links its errors
            kwargs.setdefault("auto_id", f"{self.action or 'escalation'}-%s")
        super().__init__(*args, **kwargs)
        self.escalation = escalation
        self.fields["version"].required = True
        self.initial.setdefault("version", escalation.version)
        self.rung = ladder.rung_at(escalation.request, escalation.position)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):  # bounded by the service (concordat.limits)
                self.clauses[name] = self.rung.clause


class DecideEscalationForm(_EscalationForm):
    action = "decide"
    outcome = forms.ChoiceField(label="Your decision", widget=GovukRadioSelect, choices=Outcome.choices,
                                error_messages={"required": "Choose your decision at this rung"})
    note = _textarea("Your reasons", help_text="Required unless it is resolved.")

    def __init__(self, *args, escalation, **kwargs):
        super().__init__(*args, escalation=escalation, **kwargs)
        self.clauses["outcome"] = self.rung.clause
        if self.rung.gate:
            self.fields["outcome"].help_text = f"The gate ({self.rung.clause}): {self.rung.gate}."
            self.fields["outcome"].choices = [
                (Outcome.RESOLVED.value, Outcome.RESOLVED.label),
                (Outcome.NOT_RESOLVED.value, "Satisfied that it is reasonable and clearly justified, but not "
                                             "resolved here: the IASC may take it to the next rung"),
                (Outcome.REFUSED_AT_GATE.value, Outcome.REFUSED_AT_GATE.label)]
        else:
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.REFUSED_AT_GATE]

    def perform(self, by):
        return services.decide(self.escalation, by=by, outcome=self.cleaned_data["outcome"],
                               note=self.cleaned_data["note"], expected_version=self.cleaned_data["version"])


class GoUpForm(_EscalationForm):
    action = "go_up"
    exceptional_circumstances = _textarea("The exceptional circumstances",
                                          help_text="Required to go to a last-resort rung (§13).")
    note = _textarea("A note for the next rung (optional)")

    def __init__(self, *args, escalation, **kwargs):
        super().__init__(*args, escalation=escalation, **kwargs)
        self.next_rung = ladder.next_rung(self.escalation.request, self.escalation.position)
        if self.next_rung is not None and not self.next_rung.last_resort:
            del self.fields["exceptional_circumstances"]

    def perform(self, by):
        return services.go_up(self.escalation, by=by, expected_version=self.cleaned_data["version"],
                              exceptional_circumstances=self.cleaned_data.get("exceptional_circumstances", ""),
                              note=self.cleaned_data["note"])


class CloseEscalationForm(_EscalationForm):
    action = "close"
    note = _textarea("Why the IASC goes no further (optional)")

    def perform(self, by):
        return services.close(self.escalation, by=by, expected_version=self.cleaned_data["version"],
                              note=self.cleaned_data["note"])


class WithdrawEscalationForm(_EscalationForm):
    action = "withdraw"
    note = _textarea("Why it is withdrawn (optional)")

    def perform(self, by):
        return services.withdraw(self.escalation, by=by, expected_version=self.cleaned_data["version"],
                                 note=self.cleaned_data["note"])


ACTION_FORMS = {form.action: form for form in (DecideEscalationForm, GoUpForm, CloseEscalationForm,
                                               WithdrawEscalationForm)}
