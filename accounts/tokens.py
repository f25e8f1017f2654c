"""The only code that changes API tokens (ADR 16): made, revoked and used, each checked, in one transaction, audited.

A person makes tokens for their own systems, from a session that has passed the second factor. The secret is
returned once by create_token and never stored, logged or audited: the audit names the token by its id and name.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_active_member
from accounts.token_models import NAME_MAX_LENGTH, ApiToken, ApiTokenAddress, Scope
from audit.services import record_event
from concordat.errors import NotAllowed, Problem, RuleViolation

DEFAULT_DAYS = 90
MAX_DAYS = 365
# A use from the address the token was last used from, this soon after, changes nothing worth a write.
QUIET_USE = timedelta(seconds=60)


class TokenGone(Exception):
    """The token was revoked (or expired and removed) while a request was using it."""


def create_token(by, *, name: str, scope: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token of `by`'s: (the token, its secret). The secret exists only in this return value."""
    _check_may_manage(by)
    name = _checked(name, scope, days)
    with transaction.atomic():
        token, secret = ApiToken.objects.create(by, expiry=timedelta(days=days), name=name, scope=scope)
        record_event("api_token.created", by=by, obj=token,
                     details={"name": name, "scope": scope, "expires": token.expiry.isoformat()})
    return token, secret


def revoke_token(by, token_id) -> str:
    """Delete one of `by`'s tokens (its name returned): the next request with it is refused. Someone else's token
    is not found."""
    _check_may_manage(by)
    with transaction.atomic():
        token = _own_tokens(by).select_for_update().filter(pk=token_id).first()
        if token is None:
            raise Http404("No such token of yours.")  # someone else's, revoked already, or none at all
        record_event("api_token.revoked", by=by, obj=token, details={"name": token.name, "scope": token.scope})
        token.delete()
    return token.name


def revoke_all(user, *, reason: str) -> int:
    """Delete every token of `user` (their account was disabled): no permission to check, the system acts."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update().filter(user=user))
        for token in tokens:
            record_event("api_token.revoked", by=None, obj=token, organisation_id=user.organisation_id,
                         details={"name": token.name, "scope": token.scope, "reason": reason})
        ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return len(tokens)


def tokens_of(by):
    """The tokens `by` may see: their own, and only from a verified session."""
    _check_may_manage(by)
    return _own_tokens(by)


def record_use(token: ApiToken, address: str | None) -> None:
    """Note when and where `token` was used; audit a use from an address this token has not been used from.

    Called by the authentication class on every request: it writes only when the address changed or a minute
    has passed, and raises TokenGone if the token was revoked in the meantime.
    """
    now = timezone.now()
    if address == token.last_used_from and token.last_used_at and now - token.last_used_at < QUIET_USE:
        return
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().filter(pk=token.pk).first()
        if locked is None:
            raise TokenGone
        if address and not ApiTokenAddress.objects.filter(token=locked, address=address).exists():
            ApiTokenAddress.objects.create(token=locked, address=address, first_used_at=now)
            record_event("api_token.used_from_new_address", by=locked.user, obj=locked,
                         details={"name": locked.name, "address": address})
        ApiToken.objects.filter(pk=locked.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address


def _own_tokens(by):
    return ApiToken.objects.filter(user=by)


def may_manage(by) -> bool:
    """An active member of an organisation, in a session past the second factor (django-otp's is_verified)."""
    return is_active_member(by) and hasattr(by, "is_verified") and by.is_verified()


def _check_may_manage(by) -> None:
    if not is_active_member(by):
        raise NotAllowed("Only an active member of an organisation may manage API tokens.")
    if not may_manage(by):
        raise NotAllowed("Sign in with your one-time code before managing API tokens.")


def _checked(name: str, scope: str, days) -> str:
    """The name, stripped, or RuleViolation naming each field at fault (the form says the same first)."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(Problem("Enter a name for the token", "name"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(Problem(f"The name must be {NAME_MAX_LENGTH} characters or fewer", "name"))
    if scope not in Scope.values:
        problems.append(Problem("Choose what the token may do: read only or act", "scope"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        problems.append(Problem(f"The expiry must be a whole number of days from 1 to {MAX_DAYS}", "days"))
    if problems:
        raise RuleViolation(*problems)
    return name
