"""API rate limits (ADR 16): per token for systems, per person for the browsable API's session; the counts live
in Django's cache. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env API_TOKEN_RATE, API_SESSION_RATE).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.token_models import ApiToken


class PerTokenOrPersonThrottle(SimpleRateThrottle):
    """Each token has its own allowance, so one busy system does not starve its owner's others."""

    def __init__(self):
        pass  # the rate depends on the request: set in allow_request

    def allow_request(self, request, view):
        self.scope = "token" if isinstance(request.auth, ApiToken) else "session"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        # Read at each request, not at import as DRF's class attribute is, so that changed settings apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(getattr(self, "scope", None))

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": "token", "ident": request.auth.pk}
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": "session", "ident": request.user.pk}
        return None  # not signed in: refused as such (401) before any view runs
