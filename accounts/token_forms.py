"""The form for a new API token; accounts.tokens checks the same bounds again."""

from django import forms

from accounts.token_models import NAME_MAX_LENGTH, Scope
from accounts.tokens import DEFAULT_DAYS, MAX_DAYS
from concordat.forms import GovukRadioSelect, form_rows

DAYS_WORDS = f"a whole number of days from 1 to {MAX_DAYS}"


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=NAME_MAX_LENGTH, strip=True,
        help_text=f"Which system will use it, so that you know which token to revoke. Up to {NAME_MAX_LENGTH} "
                  f"characters.",
        error_messages={"required": "Enter a name for the token",
                        "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}),
    )
    scope = forms.ChoiceField(
        label="What it may do", choices=Scope.choices, widget=GovukRadioSelect,
        help_text="Read only: read requests, approvals and files. Act: anything you may do yourself.",
        error_messages={"required": "Choose what the token may do: read only or act",
                        "invalid_choice": "Choose what the token may do: read only or act"},
    )
    days = forms.CharField(
        label="Expires after (days)", initial=DEFAULT_DAYS,
        help_text=f"From 1 to {MAX_DAYS} days. Make a new token before this one expires.",
        error_messages={"required": f"Enter when the token expires: {DAYS_WORDS}"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric",
                                      "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_days(self) -> int:
        # Read as text and bounded here, so that 10**30 or "ninety" get the same plain message, never a 500.
        text = self.cleaned_data["days"].strip()
        if not text.isascii() or not text.isdigit() or len(text) > 4 or not 1 <= int(text) <= MAX_DAYS:
            raise forms.ValidationError(f"The expiry must be {DAYS_WORDS}")
        return int(text)

    def add_problems(self, violation) -> None:
        for problem in violation.problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)

    def rows(self) -> list[dict]:
        return form_rows(self)
