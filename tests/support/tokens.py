"""API tokens for tests, made the way a person makes them (accounts.tokens.create_token, ADR 16)."""

from __future__ import annotations

import functools

from django_otp.middleware import is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import User


def as_verified(user):
    """`user` (a fresh copy) as django-otp's middleware hands it to a view after the second factor: is_verified()."""
    user = User.objects.get(pk=user.pk)
    user.otp_device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    user.is_verified = functools.partial(is_verified, user)
    return user


def api_token_for(user, scope: str = "act", *, name: str = "test system", days: int = tokens.DEFAULT_DAYS) -> str:
    """A new token of `user`'s, with its secret: what a system sends as `Authorization: Token <secret>`."""
    _, secret = tokens.create_token(as_verified(user), name=name, scope=scope, days=days)
    return secret


def token_header(user, scope: str = "act") -> dict[str, str]:
    return {"Authorization": f"Token {api_token_for(user, scope)}"}
