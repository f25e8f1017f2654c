"""A person's API tokens, on their profile page (ADR 16): make one (its secret shown on the answer, once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import tokens
from accounts.token_forms import NewTokenForm
from concordat.errors import RuleViolation


def token_rows(user) -> list[dict] | None:
    """The person's tokens for the profile page (never the secret, which is not kept); None if they may not have any."""
    if not tokens.may_manage(user):
        return None
    now = timezone.now()
    return [{"token": token, "expired": token.expiry is not None and token.expiry <= now}
            for token in tokens.tokens_of(user)]


@login_required
def new_token(request):
    tokens.tokens_of(request.user)  # refuses (403) anyone who may not manage tokens, before showing the form
    form = NewTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = tokens.create_token(request.user, name=data["name"], scope=data["scope"], days=data["days"])
        except RuleViolation as violation:
            form.add_problems(violation)
        else:
            # Rendered on this answer, not after a redirect: the secret is never kept, not even in the session.
            return render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    status = 400 if form.errors else 200
    return render(request, "accounts/token_new.html", {"form": form}, status=status)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    name = tokens.revoke_token(request.user, token_id)  # 404 for a token that is not this person's
    messages.success(request, f"Token “{name}” revoked: systems using it are now refused.")
    return redirect("profile")
