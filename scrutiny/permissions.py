"""Who may read which figures.

Counts are not need-to-know: every active member of an organisation may read the statistics, which carry no
request's content, title or reference (ADR 41). A person's dashboard lists only the cases they see (each case
type's `visible`), as "My work" does. The audit log browser is for auditors (accounts.permissions VIEW_AUDIT).

Recomputing the statistics now (ADR 53) costs a worker's time, so it is for the parties' own staff: the Home
Office (its units included) and the Commissioner's office, not suppliers, researchers or other departments, who
read the figures the schedule keeps fresh."""

from __future__ import annotations

from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind

PARTY_KINDS = (OrganisationKind.COMMISSIONER_OFFICE, OrganisationKind.GOVERNMENT_DEPARTMENT)


def may_read_statistics(user) -> bool:
    return is_active_member(user)


def may_recompute_statistics(user) -> bool:
    return is_active_member(user) and user.organisation.department.kind in PARTY_KINDS
