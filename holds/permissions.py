"""Who may see and act on a processing hold. A hold's existence and scope are not secret: the point is that both
sides can see what is blocked and what is not (issue 11), so every signed-in, active member of any organisation
sees every hold and its history. The department places, reviews and lifts holds: an approver or data protection
officer of a government department places one for that department; its owner, or an approver or DPO of the
department, reviews and lifts it. No new roles (accounts/roles.py is shared)."""

from __future__ import annotations

from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind, Role

KEEPER_ROLES = frozenset({Role.APPROVER, Role.DPO})
WHO_PLACES = "an approver or data protection officer of a government department"
WHO_KEEPS = "the hold's owner, or an approver or data protection officer of the department that placed it"


def department_of(user):
    """The department a person answers through (a unit's parent), or None for anyone not an active member."""
    if not is_active_member(user):
        return None
    return user.organisation.department


def may_see(user) -> bool:
    return is_active_member(user)


def may_place(user) -> bool:
    department = department_of(user)
    return (department is not None and department.kind == OrganisationKind.GOVERNMENT_DEPARTMENT
            and bool(user.roles & KEEPER_ROLES))


def is_of_department(user, department_id: int) -> bool:
    department = department_of(user)
    return department is not None and department.pk == department_id


def may_keep(user, hold) -> bool:
    """Review or lift: the owner while still of the department, or an approver or DPO of the department."""
    if not is_of_department(user, hold.department_id):
        return False
    return user.pk == hold.owner_id or bool(user.roles & KEEPER_ROLES)
