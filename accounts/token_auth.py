"""API token authentication (ADR 16): knox's hashed tokens, refused once expired, revoked or the account disabled,
and held to their scope: a read-only token may read and nothing else."""

from __future__ import annotations

import re
from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from accounts import tokens
from accounts.token_models import Scope
from audit.services import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NOT_VALID = "The token is not valid: it may have expired or been revoked, or its account disabled."


def secret_shape() -> re.Pattern:
    """What a secret looks like: anything else is refused before the database is asked (a NUL byte included)."""
    return re.compile(re.escape(knox_settings.TOKEN_PREFIX) + f"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}")


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <secret>`. request.auth is the accounts.ApiToken."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        try:
            tokens.record_use(token, client_ip(request))
        except tokens.TokenGone:
            raise exceptions.AuthenticationFailed(NOT_VALID) from None
        if token.scope != Scope.ACT and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                f"This token's scope is read only: it may read (GET, HEAD, OPTIONS) but not {request.method}. "
                f"A token with the scope act may.")
        return user, token

    def authenticate_credentials(self, token: bytes):
        try:
            secret = token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(NOT_VALID) from None
        if not secret_shape().fullmatch(secret):
            raise exceptions.AuthenticationFailed(NOT_VALID)
        return self._matching_token(secret)

    def _matching_token(self, secret: str):
        """knox's lookup, with the owner's organisation in the same query (every API request reads it for
        need-to-know: one query fewer, ADR 56). As knox does it: candidates by the key's first characters, the
        digest compared in constant time, expired ones skipped, an inactive owner refused."""
        candidates = get_token_model().objects.filter(
            token_key=secret[:CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user__organisation")
        digest = hash_token(secret)
        for candidate in candidates:
            if self._cleanup_token(candidate) or not compare_digest(digest, candidate.digest):
                continue
            if knox_settings.AUTO_REFRESH and candidate.expiry:
                self.renew_token(candidate)
            try:
                return self.validate_user(candidate)
            except exceptions.AuthenticationFailed:
                raise exceptions.AuthenticationFailed(NOT_VALID) from None
        raise exceptions.AuthenticationFailed(NOT_VALID)

    def _cleanup_token(self, auth_token) -> bool:
        """Expired: refused, and kept (knox would delete it, and the owner's other expired ones, unaudited, on a
        read). The owner sees it as expired on their profile page and removes it there."""
        return auth_token.expiry is not None and auth_token.expiry <= timezone.now()


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI document."""

    target_class = "accounts.token_auth.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own knox extension, which would match a subclass too

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`Authorization: Token <secret>`. A person makes a token for a system on their profile page "
                           "(after their one-time code) and sees the secret once. A token expires after the days its "
                           "owner chose (at most 365), stops at once when revoked or when its account is disabled, "
                           "and has a scope: a read-only token may use GET, HEAD and OPTIONS only (403 otherwise); "
                           "a token with the scope act may do whatever its owner may. Requests are limited per token "
                           "(429 with Retry-After).",
        }
