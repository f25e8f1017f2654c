import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Pages a person may reach after their password but before their second factor: nothing else.
UNVERIFIED_PREFIXES = ("/accounts/login/", "/accounts/mfa/", "/accounts/logout/", "/static/", "/healthz", "/readyz")


class SessionLimitsMiddleware:
    """Absolute session lifetime on top of the idle timeout (ASVS 7.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get("login_at")
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL and reverse(settings.LOGIN_URL))
        return self.get_response(request)


class RequireVerifiedLoginMiddleware:
    """A session that has not passed the second factor reaches only the log-in pages (ASVS 6.3.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(UNVERIFIED_PREFIXES):
            if request.path.startswith("/api/"):
                logout(request)
            else:
                return redirect(reverse("accounts:mfa"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in people are never kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response
