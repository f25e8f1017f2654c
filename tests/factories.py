"""Builders for organisations and people, shared by every test."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.directory import ensure_standard_organisations
from accounts.models import Organisation, RoleGrant, User

_counter = itertools.count(1)

def standard_organisations() -> dict[str, Organisation]:
    return ensure_standard_organisations()


def make_person(organisation: Organisation | None, *roles: str, username: str | None = None, **extra) -> User:
    username = username or f"person{next(_counter)}"
    user = User.objects.create_user(username=username, password="correct horse battery staple",
                                    organisation=organisation, full_name=extra.pop("full_name", username.title()),
                                    **extra)
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in roles])
    return user


def verified_client(user: User, client: Client | None = None) -> Client:
    """A test client signed in with password and second factor, as a person would be."""
    client = client or Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
