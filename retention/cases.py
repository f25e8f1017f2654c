"""Retention as a case type of the workflow core (ADR 33): each delivery is held by the requesting organisation
until its element (f) date, then disposed of. Who sees one: whoever sees its request (need-to-know, ADR 3). Who
disposes of it: a requester or case officer of the requesting organisation, which received it and made the
promises of elements (f) and (g)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_active_member
from retention import reminders
from retention.models import Retention, RetentionEvent
from retention.states import HOLDER, RETENTION_MACHINE, RetentionAction, RetentionState
from sharing import permissions as request_permissions
from workflow.cases import CaseType
from workflow.work import WorkCounts, WorkItem, capped_counts

WHO_DISPOSES = "a requester or case officer of the organisation that received the information (§6(g), §8(g))"


def may_dispose(user, retention: Retention) -> bool:
    return is_active_member(user) and request_permissions.is_requester_side(user, retention.request)


class RetentionCaseType(CaseType):
    kind = "retention"
    label = "Retention"
    model = Retention
    machine = RETENTION_MACHINE
    timeline = RetentionEvent
    timeline_case_field = "retention"
    audit_prefix = "retention"
    locked_relations = ("request__holder_org", "request__requester_org", "request__routed_to",
                        "request__assigned_org", "request__protocol", "delivery")
    phrases = {RetentionAction.DISPOSE: "dispose of this information"}
    state_labels = dict(RetentionState.choices)
    owner_labels = {HOLDER: "The requesting organisation's requesters and case officers, who hold it",
                    "nobody": "Nobody (disposed of)"}
    diagram_path = "docs/retention.md"
    audited_fields = ("state", "request", "delivery", "keep_until", "disposed_by", "disposed_at")  # ADR 17

    def reference(self, case) -> str:
        return f"{case.request.reference} delivery {case.delivery_id}"

    def link(self, case) -> str:
        return reverse("retention:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return Retention.objects.filter(request_permissions.visible_request_q(user))

    def can_view(self, user, case) -> bool:
        return request_permissions.user_can_view(user, case.request)

    def who_may(self, action, case):
        return may_dispose, WHO_DISPOSES

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        """Falling due (within the reminder window) or overdue, for the people who hold it."""
        if not is_active_member(user) or not user.has_role(*request_permissions.REQUESTER_ROLES):
            return Q(pk__in=[])
        return Q(state=RetentionState.HELD, request__requester_org=user.organisation_id, keep_until__isnull=False)

    def owner_actions(self, user, case) -> list[str]:
        """Disposal is this person's work only once it falls due (within the reminder window, or overdue); it may
        be done earlier, but it is not asked for."""
        actions = super().owner_actions(user, case)
        if case.keep_until is None or case.keep_until > reminders.horizon(timezone.localdate()):
            actions = [a for a in actions if a != RetentionAction.DISPOSE]
        return actions

    def _due(self, user, today):
        return self.visible(user).filter(self.waiting_on(user), keep_until__lte=reminders.horizon(today))

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        due = self._due(user, today).select_related("request").order_by("keep_until", "pk")[:limit]
        return [WorkItem(self.kind, self.reference(r), r.request.title, "Dispose of what was provided",
                         r.request.classification, r.keep_until, r.keep_until < today, False, self.link(r), r)
                for r in due]

    def work_counts(self, user, today) -> WorkCounts:
        return capped_counts(self._due(user, today).order_by(), "keep_until", today)  # ADR 45

    def audit_organisation(self, case):
        return case.request.requester_org_id


RETENTION = RetentionCaseType()
