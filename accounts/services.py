"""People are changed only here (ADR 18): roles, organisation, active, staff and superuser status, the second
factor, and the account itself. Each function checks who may, locks the person, runs in one transaction and
writes one audit event with the before and after (never a password, key or code).

Who may administer people: a superuser, anywhere; or a person holding the administrator role (Action.MANAGE_PEOPLE
in accounts.permissions), for people of their own department (their organisation or its units, never another
body's). Nobody changes their own roles, organisation, status or second factor (separation of duties); only a
superuser changes a superuser, or makes anyone staff or superuser.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp import devices_for_user

from accounts.models import Organisation, RoleGrant, User
from accounts.permissions import Action, user_can
from accounts.roles import Role
from audit.services import record_event
from concordat.errors import NotAllowed, Problem, RuleViolation

DETAIL_FIELDS = ("username", "full_name", "first_name", "last_name", "email", "job_title")


def may_administer_people(actor) -> bool:
    if not (actor and actor.is_authenticated and actor.is_active):
        return False
    return actor.is_superuser or user_can(actor, Action.MANAGE_PEOPLE)


def within_reach(actor, organisation: Organisation | None) -> bool:
    """Whether `organisation` is in the actor's department (anything, for a superuser)."""
    if actor.is_superuser:
        return True
    if organisation is None or actor.organisation is None:
        return False
    return organisation.department.pk == actor.organisation.department.pk


def refusal(actor, person: User, what: str) -> str | None:
    """Why `actor` may not change `what` ("roles", "organisation"…) of the stored `person`; None if they may."""
    if not may_administer_people(actor):
        return f"You do not have permission to {Action.MANAGE_PEOPLE.label}."
    if person.pk is not None and person.pk == actor.pk:
        return f"You cannot change your own {what}: another administrator must (separation of duties)."
    if person.is_superuser and not actor.is_superuser:
        return "Only a superuser may change a superuser."
    if not within_reach(actor, person.organisation):
        return f"You may change only people of {actor.organisation.department if actor.organisation else 'your department'}."
    return None


def superuser_refusal(actor, person: User, what: str) -> str | None:
    if not (actor and actor.is_authenticated and actor.is_active and actor.is_superuser):
        return f"Only a superuser may change {what}."
    return refusal(actor, person, what)


def organisation_refusal(actor, organisation: Organisation | None) -> str | None:
    if not may_administer_people(actor):
        return f"You do not have permission to {Action.MANAGE_PEOPLE.label}."
    if organisation is None and not actor.is_superuser:
        return "Choose an organisation: only a superuser may leave a person without one."
    if not within_reach(actor, organisation):
        return f"You may place people only in {actor.organisation.department if actor.organisation else 'your department'}."
    return None


def _check(problem: str | None, field: str) -> None:
    if problem:
        raise NotAllowed(Problem(problem, field))


def _locked(person: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("organisation__parent").get(pk=person.pk)


def _roles_of(person: User) -> list[str]:
    return sorted(RoleGrant.objects.filter(user=person).values_list("role", flat=True))


def _record(action: str, by, person: User, before, after, **extra) -> None:
    record_event(action, by=by, obj=person, details={"before": before, "after": after, **extra},
                 organisation_id=person.organisation_id)


def end_sessions(person: User) -> int:
    """Delete every stored session of `person` at once (the database session store)."""
    ended = [session.session_key for session in Session.objects.filter(expire_date__gt=timezone.now())
             if str(session.get_decoded().get("_auth_user_id")) == str(person.pk)]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def add_person(person: User, *, by) -> User:
    """Save a new person built by a form (password already hashed on it), with no roles yet."""
    _check(refusal(by, User(organisation=person.organisation), "people"), "organisation")
    _check(organisation_refusal(by, person.organisation), "organisation")
    if person.is_staff or person.is_superuser:
        _check(superuser_refusal(by, User(organisation=person.organisation), "staff or superuser status"),
               "is_superuser")
    with transaction.atomic():
        person.save()
        _record("people.added", by, person, None, _summary(person))
    return person


def _summary(person: User) -> dict:
    return {**{name: getattr(person, name) for name in DETAIL_FIELDS}, "organisation": person.organisation_id,
            "is_active": person.is_active, "is_staff": person.is_staff, "is_superuser": person.is_superuser}


def change_details(person: User, changes: dict, *, by) -> User:
    """Names, username, email and job title. A person may not change these of another body's people."""
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise RuleViolation(Problem(f"{sorted(unknown)[0]} is not a detail that can be changed here.",
                                    sorted(unknown)[0]))
    with transaction.atomic():
        stored = _locked(person)
        field = next(iter(changes), None)
        if not may_administer_people(by):
            _check(f"You do not have permission to {Action.MANAGE_PEOPLE.label}.", field)
        if stored.pk != by.pk:  # a person's own name and email are theirs to correct
            _check(refusal(by, stored, "details"), field)
        before = {name: getattr(stored, name) for name in changes if getattr(stored, name) != changes[name]}
        if not before:
            return stored
        for name in before:
            setattr(stored, name, changes[name])
        stored.save(update_fields=list(before))
        _record("people.details_changed", by, stored, before, {name: changes[name] for name in before})
    return stored


def grant_role(person: User, role: str, *, by) -> RoleGrant:
    """Grant `role`; granting a role the person already holds (even at the same instant) changes nothing."""
    if role not in Role.values:
        raise RuleViolation(Problem(f"“{role}” is not a role.", "role"))
    _check_not_delegation(role)
    with transaction.atomic():
        stored = _locked(person)
        _check(refusal(by, stored, "roles"), "role")
        existing = RoleGrant.objects.filter(user=stored, role=role).first()
        if existing:
            return existing
        before = _roles_of(stored)
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(user=stored, role=role)
        except IntegrityError:  # granted by a concurrent transaction that committed first
            return RoleGrant.objects.get(user=stored, role=role)
        _record("people.role_granted", by, stored, before, _roles_of(stored), role=role)
    return grant


def revoke_role(grant: RoleGrant, *, by) -> None:
    _check_not_delegation(grant.role)
    with transaction.atomic():
        stored = _locked(grant.user)
        _check(refusal(by, stored, "roles"), "role")
        current = RoleGrant.objects.filter(pk=grant.pk, user=stored).first()
        if current is None:
            return
        before = _roles_of(stored)
        current.delete()
        _record("people.role_revoked", by, stored, before, _roles_of(stored), role=current.role)


def _check_not_delegation(role: str) -> None:
    """The delegate role comes and goes only with the Commissioner's record of it (accounts.delegation, §14)."""
    if role == Role.COMMISSIONER_DELEGATE:
        raise RuleViolation(Problem("Only the Commissioner names who decides on her behalf, on the page “Who decides "
                                    "for the Commissioner” (§14).", "role"))


def move_to_organisation(person: User, organisation: Organisation | None, *, by) -> User:
    with transaction.atomic():
        stored = _locked(person)
        _check(refusal(by, stored, "organisation"), "organisation")
        _check(organisation_refusal(by, organisation), "organisation")
        before = stored.organisation_id
        after = organisation.pk if organisation else None
        if before == after:
            return stored
        stored.organisation = organisation
        stored.save(update_fields=["organisation"])
        _record("people.moved", by, stored, before, after)
    return stored


def set_active(person: User, active: bool, *, by) -> User:
    """Enable or disable an account; disabling ends its sessions at once (sign-in already refuses it)."""
    with transaction.atomic():
        stored = _locked(person)
        _check(refusal(by, stored, "account status"), "is_active")
        if stored.is_active == active:
            return stored
        stored.is_active = active
        stored.save(update_fields=["is_active"])
        ended = 0 if active else end_sessions(stored)
        _record("people.enabled" if active else "people.disabled", by, stored, not active, active,
                sessions_ended=ended)
    return stored


def set_staff(person: User, staff: bool, *, by) -> User:
    return _set_flag(person, "is_staff", staff, "staff status", by)


def set_superuser(person: User, superuser: bool, *, by) -> User:
    return _set_flag(person, "is_superuser", superuser, "superuser status", by)


def _set_flag(person: User, field: str, value: bool, what: str, by) -> User:
    with transaction.atomic():
        stored = _locked(person)
        _check(superuser_refusal(by, stored, what), field)
        if getattr(stored, field) == value:
            return stored
        setattr(stored, field, value)
        stored.save(update_fields=[field])
        _record(f"people.{field}_changed", by, stored, not value, value)
    return stored


def set_password(person: User, raw_password: str | None, *, by) -> User:
    """Set a new password (None: no password sign-in). The audit says that it changed, never what to."""
    with transaction.atomic():
        stored = _locked(person)
        if stored.pk == getattr(by, "pk", None):
            _check("Change your own password with “Change password” at the top of the page.", "password")
        _check(refusal(by, stored, "password"), "password")
        if raw_password is None:
            stored.set_unusable_password()
        else:
            stored.set_password(raw_password)
        stored.save(update_fields=["password"])
        _record("people.password_set", by, stored, None, None, usable=raw_password is not None)
    return stored


def reset_second_factor(person: User, *, by) -> int:
    """Remove every authenticator of the person and end their sessions: they enrol again at their next sign-in."""
    with transaction.atomic():
        stored = _locked(person)
        _check(refusal(by, stored, "second factor"), "second_factor")
        devices = list(devices_for_user(stored, confirmed=None))
        for device in devices:
            device.delete()
        ended = end_sessions(stored)
        _record("people.second_factor_reset", by, stored, len(devices), 0, sessions_ended=ended)
    return len(devices)
