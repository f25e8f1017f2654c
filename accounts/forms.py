from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class GovukAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is disabled.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets the field's max_length but no validator for it: a longer username reached authenticate()
        # and axes, whose failure record holds 255 characters (PostgreSQL then raised: a 500 to anyone).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["username"].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half",
                                                     "autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half",
                                                     "autocomplete": "current-password"})


class OneTimeCodeForm(forms.Form):
    otp_token = forms.CharField(
        label="One-time code", min_length=6, max_length=8,
        help_text="The 6-digit code from your authenticator app.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "one-time-code",
                                      "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the one-time code using numbers only.")
        return token
