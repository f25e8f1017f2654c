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


class IdleExpiryMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE, ASVS 7.3) without writing the session row on every page (ADR 50).

    Django's SESSION_SAVE_EVERY_REQUEST pushed the session's expiry forward by an UPDATE in its own transaction on
    each request: three of a page's ~30 queries. Here the expiry moves forward at most once a
    SESSION_REFRESH_SECONDS (a minute): a session then ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS
    and SESSION_COOKIE_AGE after its last request, never later. Sits after SessionMiddleware, so the mark is
    seen when that saves the session on the way out."""

    KEY = "refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session, now = request.session, int(time.time())
        last = session.get(self.KEY, 0)  # loads the session (no query without a cookie); an expired one is empty
        if not session.is_empty() and now - last >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it, expiry renewed
        return response


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
