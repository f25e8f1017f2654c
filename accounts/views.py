from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import mfa
from accounts.forms import GovukAuthenticationForm, OneTimeCodeForm
from audit.services import record_event, record_standalone


class PasswordLoginView(LoginView):
    """Step one: username and password. Django rotates the session key on login."""

    template_name = "accounts/login.html"
    authentication_form = GovukAuthenticationForm
    redirect_authenticated_user = False

    def get_success_url(self):
        next_url = self.get_redirect_url()
        return f"/accounts/mfa/?next={next_url}" if next_url else "/accounts/mfa/"


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return "/"


@login_required
def second_factor(request):
    """Step two: a one-time code, or enrolment of an authenticator app for a first log-in."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = mfa.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = mfa.pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(device, form.cleaned_data["otp_token"]):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    record_event("auth.mfa_enrolled", by=request.user, obj=request.user, request=request)
                otp_login(request, device)
                record_event("auth.login", by=request.user, obj=request.user, request=request)
            return redirect(_safe_next(request))
        record_standalone("auth.mfa_failed", by=request.user, obj=request.user, request=request)
        form.add_error("otp_token", "The code is not right or has been used. Wait for a new code and try again.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context.update(qr=mfa.qr_data_uri(device), secret=mfa.base32_secret(device))
    return render(request, "accounts/mfa.html", context)


@require_POST
def logout_view(request):
    logout(request)  # flushes the session server-side
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")
