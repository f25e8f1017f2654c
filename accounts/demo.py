"""Demo organisations and people for `make run`. Refused outside demo mode: no default accounts in production."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.directory import DEMO_PEOPLE, ensure_standard_organisations
from accounts.mfa import token_at
from accounts.models import RoleGrant, User
from audit.services import record_event

CREDENTIALS_FILE = Path(settings.BASE_DIR) / "var" / "demo-password.txt"


class DemoRefused(RuntimeError):
    pass


def demo_password() -> str:
    """One random password for every demo person, made once per installation and kept in var/."""
    if CREDENTIALS_FILE.exists():
        return CREDENTIALS_FILE.read_text().strip()
    CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(12)
    CREDENTIALS_FILE.write_text(password + "\n")
    CREDENTIALS_FILE.chmod(0o600)
    return password


@transaction.atomic
def seed_demo_people() -> list[User]:
    if not settings.DEMO_MODE:
        raise DemoRefused("Demo people are only created in demo mode (CONCORDAT_DEMO=1), never in production.")
    organisations = ensure_standard_organisations()
    password = demo_password()
    people = []
    for username, full_name, email, job_title, org_slug, roles in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": email, "job_title": job_title,
                      "organisation": organisations[org_slug],
                      "is_staff": "administrator" in roles, "is_superuser": "administrator" in roles},
        )
        changed = False
        if created or not user.check_password(password):
            user.set_password(password)
            changed = True
        if not user.email:  # people seeded before they had addresses; an address someone set is kept
            user.email = email
            changed = True
            record_event("demo.person_email_set", obj=user, details={"username": username, "email": email})
        if changed:
            user.save()
        for role in roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo authenticator"})
        if created:
            record_event("demo.person_created", obj=user, details={"username": username, "roles": list(roles)})
        people.append(user)
    return people


def current_code(username: str) -> str:
    """The one-time code a demo person's authenticator would show now."""
    if not settings.DEMO_MODE:
        raise DemoRefused("One-time codes are only printed in demo mode.")
    return token_at(TOTPDevice.objects.get(user__username=username, confirmed=True))
