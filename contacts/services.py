"""Keeping the §18 directory. §18: "The MSU and/or Home Office Sponsorship Unit will help the IASC to identify
appropriate contacts in OGDs/other bodies to whom to address information requests."

Who may read it: active members of the Home Office and of the Commissioner's office (the protocol's parties).
Who may change it or record a check: active members of the Modern Slavery Unit and the Home Office Sponsorship
Unit. Every change and every check is one transaction with one audit event (structured values only: which
fields changed, never what they say). Adding or changing an entry counts as checking it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind
from audit.services import record_event
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation, StaleObject
from contacts.models import EMAIL_MAX, NAME_MAX, PHONE_MAX, ROLE_MAX, Contact, Unit

CLAUSE = "§18"
KEEPER_UNITS = ("msu", "sponsorship-unit")  # the Modern Slavery Unit and the Home Office Sponsorship Unit
READER_KINDS = (OrganisationKind.GOVERNMENT_DEPARTMENT, OrganisationKind.COMMISSIONER_OFFICE)
# The bodies the directory lists: other government departments (§18) and the other bodies the IASC asks
DIRECTORY_KINDS = (OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT, OrganisationKind.SCHEDULE3_AUTHORITY)
CONTACT_FIELDS = {"name": NAME_MAX, "role_title": ROLE_MAX, "email": EMAIL_MAX, "phone": PHONE_MAX}
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,40}$")
WHO_KEEPS = "a member of the Modern Slavery Unit or the Home Office Sponsorship Unit"


def may_read(user) -> bool:
    return is_active_member(user) and user.organisation.department.kind in READER_KINDS


def may_keep(user) -> bool:
    return is_active_member(user) and user.organisation.slug in KEEPER_UNITS


def check_can_read(user) -> None:
    if not may_read(user):
        raise NotAllowed(Problem("Only people of the Home Office and the Commissioner's office can see the "
                                 f"directory of contacts ({CLAUSE}).", clause=CLAUSE))


def check_can_keep(user) -> None:
    if not may_keep(user):
        raise NotAllowed(Problem(f"Only {WHO_KEEPS} can change the directory of contacts ({CLAUSE}).",
                                 clause=CLAUSE))


def directory_organisations():
    return Organisation.objects.filter(kind__in=DIRECTORY_KINDS).order_by("name")


def contacts_of(organisation: Organisation | None):
    """What the §18 draft page offers once its department is chosen."""
    if organisation is None or organisation.kind not in DIRECTORY_KINDS:
        return Contact.objects.none()
    return Contact.objects.filter(organisation=organisation).select_related("unit", "last_checked_by")


# --- units ------------------------------------------------------------------------------------------------

def add_unit(*, by: User, organisation: Organisation | None, name: str) -> Unit:
    check_can_keep(by)
    name = (name or "").strip()
    problems = [*_organisation_problems(organisation), *_text_problems({"name": name}, {"name": NAME_MAX},
                                                                       required=("name",))]
    if problems:
        raise RuleViolation(*problems)
    now = timezone.now()
    try:
        with transaction.atomic():
            unit = Unit.objects.create(organisation=organisation, name=name, last_checked_at=now, last_checked_by=by)
            _audit("contacts.unit_added", by, unit, {"organisation": organisation.pk})
    except IntegrityError:
        raise RuleViolation(Problem(f"{organisation} already has a unit of that name.", field="name",
                                    clause=CLAUSE)) from None
    return unit


def check_unit(unit: Unit | int, *, by: User, expected_version) -> Unit:
    """Record that the unit is still right, today, by this person."""
    check_can_keep(by)
    with transaction.atomic():
        locked = _lock(Unit, unit, expected_version)
        _checked(locked, by)
        locked.save()
        _audit("contacts.unit_checked", by, locked, {"organisation": locked.organisation_id})
    return locked


# --- contacts ---------------------------------------------------------------------------------------------

def add_contact(*, by: User, organisation: Organisation | None, fields: dict, unit: Unit | None = None) -> Contact:
    check_can_keep(by)
    values = _clean(fields)
    problems = [*_organisation_problems(organisation), *_contact_problems(values, organisation, unit)]
    if problems:
        raise RuleViolation(*problems)
    with transaction.atomic():
        contact = Contact(organisation=organisation, unit=unit, **values)
        _checked(contact, by)
        contact.save()
        _audit("contacts.contact_added", by, contact, {"organisation": organisation.pk,
                                                       "unit": unit.pk if unit else None})
    return contact


def update_contact(contact: Contact | int, *, by: User, expected_version, fields: dict,
                   unit: Unit | None | object = ...) -> Contact:
    """Change the fields given (and the unit, when given); the person changing it has checked it."""
    check_can_keep(by)
    with transaction.atomic():
        locked = _lock(Contact, contact, expected_version)
        values = {name: getattr(locked, name) for name in CONTACT_FIELDS} | _clean(fields)
        new_unit = locked.unit if unit is ... else unit
        problems = _contact_problems(values, locked.organisation, new_unit)
        if problems:
            raise RuleViolation(*problems)
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        if new_unit != locked.unit:
            changed.append("unit")
        for name, value in values.items():
            setattr(locked, name, value)
        locked.unit = new_unit
        _checked(locked, by)
        locked.save()
        _audit("contacts.contact_changed", by, locked, {"organisation": locked.organisation_id, "changed": changed})
    return locked


def check_contact(contact: Contact | int, *, by: User, expected_version) -> Contact:
    """Record that the contact is still right, today, by this person (an audited action: ADR 24)."""
    check_can_keep(by)
    with transaction.atomic():
        locked = _lock(Contact, contact, expected_version)
        _checked(locked, by)
        locked.save()
        _audit("contacts.contact_checked", by, locked, {"organisation": locked.organisation_id})
    return locked


# --- the rules --------------------------------------------------------------------------------------------

def _clean(fields: dict) -> dict:
    return {name: (str(fields[name]) if fields[name] is not None else "").strip()
            for name in CONTACT_FIELDS if name in fields}


def _organisation_problems(organisation) -> list[Problem]:
    if organisation is None or organisation.kind not in DIRECTORY_KINDS:
        return [Problem("Choose another government department or body.", field="organisation", clause=CLAUSE)]
    return []


def _text_problems(values: dict, limits_of: dict, required=()) -> list[Problem]:
    problems = []
    for name, limit in limits_of.items():
        value = values.get(name, "")
        if name in required and not value:
            problems.append(Problem(f"Enter the {name.replace('_', ' ')}.", field=name, clause=CLAUSE))
        elif "\x00" in value:
            problems.append(Problem("Remove the NUL character.", field=name, clause=CLAUSE))
        elif (problem := limits.text_problem(value, name, limit)) is not None:
            problems.append(Problem(problem.message, field=name, clause=CLAUSE))
    return problems


def _contact_problems(values: dict, organisation, unit) -> list[Problem]:
    problems = _text_problems(values, CONTACT_FIELDS, required=("name", "role_title"))
    bad = {p.field for p in problems}
    email, phone = values.get("email", ""), values.get("phone", "")
    if "email" not in bad and email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(Problem("Enter an email address like name@department.gov.uk.", field="email",
                                    clause=CLAUSE))
    if "phone" not in bad and phone and not PHONE.match(phone):
        problems.append(Problem("Enter a telephone number, like 020 7946 0000.", field="phone", clause=CLAUSE))
    if not email and not phone and not bad & {"email", "phone"}:
        problems.append(Problem("Give an email address or a telephone number.", field="email", clause=CLAUSE))
    if unit is not None and (organisation is None or unit.organisation_id != organisation.pk):
        problems.append(Problem("Choose a unit of the same organisation.", field="unit", clause=CLAUSE))
    return problems


def _lock(model, entry, expected_version):
    pk = getattr(entry, "pk", entry)
    locked = model.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=pk).first()
    if locked is None:
        raise RuleViolation(Problem("No such entry in the directory.", field="id"))
    if expected_version is None or str(expected_version) != str(locked.version):
        raise StaleObject(f"Someone else changed this entry since you opened it (it is now at version "
                          f"{locked.version}). Reload it, then try again.", field="version")
    return locked


def _checked(entry, by: User) -> None:
    entry.last_checked_at, entry.last_checked_by = timezone.now(), by
    if entry.pk:
        entry.version += 1


def _audit(action: str, by: User, entry, details: dict) -> None:
    record_event(action, by=by, obj=entry, organisation_id=by.organisation_id,
                 details={**details, "version": entry.version, "checked_at": entry.last_checked_at.isoformat()})
