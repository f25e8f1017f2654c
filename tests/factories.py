"""Builders for organisations and people, shared by every test."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, RoleGrant, User
from accounts.roles import OrganisationKind

_counter = itertools.count(1)

STANDARD_ORGANISATIONS = [
    # slug, name, short name, kind, parent slug
    ("home-office", "Home Office", "HO", OrganisationKind.GOVERNMENT_DEPARTMENT, None),
    ("msu", "Modern Slavery Unit", "MSU", OrganisationKind.DEPARTMENT_UNIT, "home-office"),
    ("sponsorship-unit", "Home Office Sponsorship Unit", "Sponsorship", OrganisationKind.DEPARTMENT_UNIT, "home-office"),
    ("ho-analysis", "Home Office Analysis and Insight", "HO A&I", OrganisationKind.DEPARTMENT_UNIT, "home-office"),
    ("iasc", "Office of the Independent Anti-Slavery Commissioner", "IASC", OrganisationKind.COMMISSIONER_OFFICE, None),
    ("dwp", "Department for Work and Pensions", "DWP", OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT, None),
    ("ukvi", "UK Visas and Immigration", "UKVI", OrganisationKind.SCHEDULE3_AUTHORITY, None),
    ("salvation-army", "The Salvation Army (MSVC prime supplier)", "TSA", OrganisationKind.VICTIM_CARE_SUPPLIER, None),
    ("rights-lab", "Rights Lab, University of Nottingham", "Rights Lab", OrganisationKind.RESEARCH_INSTITUTION, None),
]


def standard_organisations() -> dict[str, Organisation]:
    made: dict[str, Organisation] = {}
    for slug, name, short, kind, parent in STANDARD_ORGANISATIONS:
        made[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind,
                                 "parent": made.get(parent) if parent else None},
        )
    return made


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
