"""Who may do what, for the foundation's own actions. Each app keeps its object-level rules in its own
permissions module built on these predicates; every one is tested as a role × organisation matrix."""

from __future__ import annotations

from django.db import models

from accounts.roles import Role
from concordat.errors import NotAllowed


class Action(models.TextChoices):
    VIEW_PROTOCOL = "view_protocol", "view the protocols"
    LOAD_PROTOCOL = "load_protocol", "load a protocol version"
    MANAGE_PEOPLE = "manage_people", "manage organisations and people"
    VIEW_AUDIT = "view_audit", "read the audit log"
    VERIFY_AUDIT = "verify_audit", "verify the audit chain"
    MANAGE_CALENDAR = "manage_calendar", "add closures to the working-day calendar"


EVERY_ROLE = frozenset(Role.values)

# The roles that allow each action. A person needs one of them, an organisation, and an active account.
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    Action.VIEW_PROTOCOL: EVERY_ROLE,
    Action.LOAD_PROTOCOL: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_PEOPLE: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_AUDIT: frozenset({Role.AUDITOR, Role.ADMINISTRATOR}),
    Action.VERIFY_AUDIT: frozenset({Role.AUDITOR, Role.ADMINISTRATOR}),
    Action.MANAGE_CALENDAR: frozenset({Role.ADMINISTRATOR}),
}


def is_active_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def user_can(user, action: str) -> bool:
    return is_active_member(user) and bool(user.roles & ALLOWED_ROLES[action])


def check(user, action: str) -> None:
    if not user_can(user, action):
        raise NotAllowed(f"You do not have permission to {Action(action).label}.")
