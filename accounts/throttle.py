"""Password attempts capped per account across all addresses, without letting an attacker lock the owner out (ADR 15).

django-axes locks a username-and-address pair after AXES_FAILURE_LIMIT failures. This handler (AXES_HANDLER) adds
a cap on the account: once AXES_ACCOUNT_FAILURE_LIMIT failures for a username have been recorded from any
addresses within the cool-off, further password attempts for that username are refused, before the password is
checked, from every address except those where that account has completed sign-in (password and one-time code)
within the last AXES_ACCOUNT_TRUSTED_DAYS days. Refused attempts count as failures, so the pause lasts until the
failures stop for the cool-off. The owner, at an address they have signed in from before, is not paused; there
the per-pair lock still applies. Every failure is logged as one line, without the password or the typed username.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.models import AuditEvent

log = logging.getLogger("accounts.signin")

ADDRESS = "address"  # this username from this address: django-axes' own lock
ACCOUNT = "account"  # this username from any address it has not signed in from before


def account_failure_limit() -> int:
    return getattr(settings, "AXES_ACCOUNT_FAILURE_LIMIT", 10)


def trusted_days() -> int:
    return getattr(settings, "AXES_ACCOUNT_TRUSTED_DAYS", 90)


def cool_off_minutes(request=None) -> int:
    cool_off = get_cool_off(request) or timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


def account_failures(request, username: str) -> tuple[int, int]:
    """Failures recorded for `username` from every address within the cool-off, and how many addresses."""
    since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - (get_cool_off(request) or timedelta(0))
    totals = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True))
    return totals["failures"] or 0, totals["addresses"]


def is_trusted_address(username: str, ip_address: str | None, now=None) -> bool:
    """Has this account completed sign-in (both factors, audited as auth.login) from this address lately?"""
    if not username or not ip_address:
        return False
    since = (now or timezone.now()) - timedelta(days=trusted_days())
    return AuditEvent.objects.filter(action="auth.login", actor__username=username, ip_address=ip_address,
                                     occurred_at__gte=since).exists()


def account_paused(request, username: str | None) -> bool:
    if not username:
        return False
    failures, _ = account_failures(request, username)
    return failures >= account_failure_limit() and not is_trusted_address(username, request.axes_ip_address)


class AccountCapHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the per-account cap; `request.signin_paused` says which lock applies."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            request.signin_paused = ADDRESS
            return True
        if account_paused(request, get_client_username(request, credentials)):
            request.signin_paused = ACCOUNT
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        failures, addresses = account_failures(request, username) if username else (0, 0)
        paused = None
        if username and failures >= account_failure_limit() and not is_trusted_address(
                username, request.axes_ip_address):
            paused = ACCOUNT
            if not request.axes_locked_out:
                request.axes_locked_out = True
                request.axes_credentials = credentials
                user_locked_out.send("axes", request=request, username=username,
                                     ip_address=request.axes_ip_address)
        elif request.axes_locked_out:
            paused = ADDRESS
        request.signin_paused = paused
        log.warning(
            "Sign-in failed for %s from %s: %s failures from this address, %s for the account from %s "
            "addresses in the last %s minutes%s",
            who_for_the_log(username), request.axes_ip_address, request.axes_failures_since_start, failures,
            addresses, cool_off_minutes(request),
            {ACCOUNT: "; the account is paused for addresses it has not signed in from",
             ADDRESS: "; paused for this username from this address"}.get(paused, ""),
        )


def who_for_the_log(username: str | None) -> str:
    """The account a failed sign-in was for, without the typed username: a username is personal data, and people
    sometimes type their password into its box. An existing account is named by its id; anything else by a keyed
    hash, so that repeated attempts on one name can still be told apart and counted."""
    from accounts.models import User

    typed = str(username or "")[:150]
    account_id = User.objects.filter(username=typed).values_list("pk", flat=True).first() if typed else None
    if account_id is not None:
        return f"account #{account_id}"
    return f"an unknown username (keyed hash {salted_hmac('accounts.signin', typed).hexdigest()[:12]})"


def lockout_response(request, original_response=None, credentials=None):
    """The page shown when sign-in is paused (AXES_LOCKOUT_CALLABLE): which pause, and for how long."""
    context = {"reason": getattr(request, "signin_paused", None) or ADDRESS, "minutes": cool_off_minutes(request),
               "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
