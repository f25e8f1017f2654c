"""Processing holds as a case type of the workflow core. A hold in force waits on its keepers (its owner, and the
approvers and DPOs of its department) once its review date has passed: "My work" flags an overdue review."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from holds import permissions
from holds.models import Hold, HoldEvent
from holds.states import HOLD_MACHINE, HoldAction, HoldState
from protocols.markings import BASE_MARKING
from workflow.cases import CaseType
from workflow.work import WorkCounts, WorkItem, capped_counts


class HoldCaseType(CaseType):
    kind = "hold"
    label = "Processing hold"
    model = Hold
    machine = HOLD_MACHINE
    timeline = HoldEvent
    timeline_case_field = "hold"
    audit_prefix = "holds"
    locked_relations = ("department", "owner")
    phrases = {HoldAction.REVIEW: "record a review of this hold", HoldAction.LIFT: "lift this hold"}
    state_labels = dict(HoldState.choices)
    owner_labels = {"keeper": "The hold's owner, or an approver or data protection officer of its department",
                    "nobody": "Nobody (lifted)"}
    notified_actions = frozenset({HoldAction.PLACE.value, HoldAction.REVIEW.value, HoldAction.LIFT.value})
    diagram_path = "docs/holds.md"
    audited_fields = ("state", "department", "data_source", "purposes", "personal_data_categories", "owner",
                      "began_on", "next_review_on", "placed_by", "lifted_by", "lifted_at")  # ADR 17

    def reference(self, case) -> str:
        return case.reference

    def link(self, case) -> str:
        return reverse("holds:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return Hold.objects.all() if permissions.may_see(user) else Hold.objects.none()

    def can_view(self, user, case) -> bool:
        return permissions.may_see(user)

    def who_may(self, action, case):
        return permissions.may_keep, permissions.WHO_KEEPS

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        """An in-force hold whose review date has passed with no review (issue 11: flagged on "My work")."""
        department = permissions.department_of(user)
        if department is None:
            return Q(pk__in=[])
        overdue = Q(state=HoldState.IN_FORCE, next_review_on__lt=timezone.localdate(), department=department)
        return overdue if user.roles & permissions.KEEPER_ROLES else overdue & Q(owner=user)

    def owner_actions(self, user, case) -> list[str]:
        """Reviewing is this person's work only once the review date has passed."""
        actions = super().owner_actions(user, case)
        if case.state == HoldState.IN_FORCE and case.next_review_on >= timezone.localdate():
            actions = [a for a in actions if a != HoldAction.REVIEW]
        return actions

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        waiting = self.visible(user).filter(self.waiting_on(user)).order_by("next_review_on", "pk")[:limit]
        return [WorkItem(self.kind, hold.reference, hold.title, "Review the processing hold (review overdue)",
                         BASE_MARKING, hold.next_review_on, hold.next_review_on < today, False, self.link(hold),
                         hold) for hold in waiting]

    def work_counts(self, user, today) -> WorkCounts:
        """In SQL on the review index (ADR 45): every waiting hold is past its review date, so overdue."""
        return capped_counts(self.visible(user).filter(self.waiting_on(user)).order_by(), "next_review_on", today)

    def audit_organisation(self, case):
        return case.department_id

    def send_notifications(self, entry) -> int:
        from holds import notifications

        return notifications.send(self, entry)


HOLDS = HoldCaseType()
