"""Who may read which figures.

Counts are not need-to-know: every active member of an organisation may read the statistics, which carry no
request's content, title or reference (ADR 41). A person's dashboard lists only the cases they see (each case
type's `visible`), as "My work" does. The audit log browser is for auditors (accounts.permissions VIEW_AUDIT)."""

from __future__ import annotations

from accounts.permissions import is_active_member


def may_read_statistics(user) -> bool:
    return is_active_member(user)
