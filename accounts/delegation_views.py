"""The page "Who decides for the Commissioner" (§14): the office sees who may decide on her behalf and since when;
the Commissioner names and revokes them. The services in accounts.delegation check the same again."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import delegation
from accounts.delegation_models import REASON_MAX_LENGTH
from concordat.errors import RuleViolation


class NameDelegateForm(forms.Form):
    delegate = forms.ModelChoiceField(
        queryset=None, label="Person", empty_label="Choose a person",
        help_text="A person of your office who is not named already.",
        error_messages={"required": "Choose the person who will decide on your behalf",
                        "invalid_choice": "Choose a person of your office from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}))
    reason = forms.CharField(
        label="Why, and for how long", max_length=REASON_MAX_LENGTH, strip=True,
        help_text=f"For example: while I am on leave from 1 to 14 March. Up to {REASON_MAX_LENGTH} characters.",
        error_messages={"required": "Say why you are naming this person, and for how long",
                        "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"},
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}))

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegation.candidates(office) if office else delegation.User.objects.none()

    def add_problems(self, violation) -> None:
        for problem in violation.problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)


def _office_or_403(user):
    office = delegation.office_of(user)
    if office is None:
        raise PermissionDenied("Only people of a commissioner's office can see who decides on her behalf.")
    return office


@login_required
def delegates(request):
    office = _office_or_403(request.user)
    may_name = delegation.may_name(request.user)
    form = NameDelegateForm(request.POST or None, office=office) if may_name else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the Commissioner can name who decides on her behalf (§14).")
        if form.is_valid():
            try:
                named = delegation.name_delegate(by=request.user, delegate=form.cleaned_data["delegate"],
                                                 reason=form.cleaned_data["reason"])
            except RuleViolation as violation:
                form.add_problems(violation)
            else:
                messages.success(request, f"{named.delegate} can now decide on your behalf.")
                return redirect("delegates")
    status = 400 if form is not None and form.errors else 200
    return render(request, "accounts/delegates.html", {
        "office": office, "may_name": may_name, "form": form,
        "delegations": delegation.delegations_of(office)}, status=status)


@login_required
@require_POST
def revoke(request, pk: int):
    revoked = delegation.revoke_delegate(by=request.user, delegation=pk)
    messages.success(request, f"{revoked.delegate} no longer decides on your behalf.")
    return redirect("delegates")
