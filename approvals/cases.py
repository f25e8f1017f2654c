"""Approvals as a case type of the workflow core. Who may decide one: an active person holding its
required role in the department of the holder of the information, who did not ask for it."""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse

from accounts.permissions import is_active_member
from approvals import notifications, subjects
from approvals.models import Approval, ApprovalEvent
from approvals.states import APPROVAL_MACHINE, ApprovalAction, ApprovalState
from concordat.errors import Problem
from protocols.markings import BASE_MARKING
from sharing import permissions as request_permissions
from workflow.cases import CaseType
from workflow.work import WorkCounts, WorkItem, capped_counts

WHO = "a person with the role it needs in the holder's department, other than the one who asked (§10, §17)"


def _in_holder_department(user, approval: Approval) -> bool:
    if approval.deciding_organisation_id is not None:  # a research review: its organisation's people decide
        return bool(user.organisation_id) and user.organisation.is_part_of(approval.deciding_organisation)
    holder = approval.request.holder_org
    department = user.organisation.department.pk if user.organisation_id else None
    return department is not None and (holder.pk == department or holder.parent_id == department)


def may_decide(user, approval: Approval) -> bool:
    return (is_active_member(user) and approval.role_required in user.roles
            and user.pk != approval.requested_by_id and _in_holder_department(user, approval))


def _nobody(user, approval) -> bool:
    return False


class ApprovalCaseType(CaseType):
    kind = "approval"
    label = "Approval"
    model = Approval
    machine = APPROVAL_MACHINE
    timeline = ApprovalEvent
    timeline_case_field = "approval"
    audit_prefix = "approvals"
    locked_relations = ("request__holder_org", "request__requester_org", "request__routed_to",
                        "request__assigned_org", "request__protocol")
    phrases = {ApprovalAction.APPROVE: "approve sharing this information",
               ApprovalAction.REFUSE: "refuse this approval",
               ApprovalAction.RETURN: "ask for more justification",
               ApprovalAction.CANCEL: "cancel this approval"}
    state_labels = dict(ApprovalState.choices)
    owner_labels = {"approver": "An approver of the holder (not the person who asked)", "nobody": "Nobody (finished)"}
    notified_actions = frozenset({ApprovalAction.ASK.value, ApprovalAction.APPROVE.value,
                                  ApprovalAction.REFUSE.value, ApprovalAction.RETURN.value})
    diagram_path = "docs/approvals.md"
    audited_fields = ("state", "kind", "request", "role_required", "decided_by", "decided_at")  # ADR 17

    def reference(self, case) -> str:
        policy = subjects.policy_of(case)
        if policy is not None:
            return f"{policy.reference(case.subject)} review {case.pk}"
        return f"{case.request.reference} approval {case.pk}"

    def link(self, case) -> str:
        return reverse("approvals:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return Approval.objects.filter(request_permissions.visible_request_q(user)
                                       | subjects.visible_q(user))

    def can_view(self, user, case) -> bool:
        policy = subjects.policy_of(case)
        if policy is not None:
            return policy.can_view(user, case.subject)
        return request_permissions.user_can_view(user, case.request)

    def who_may(self, action, case):
        if action == ApprovalAction.CANCEL:
            return _nobody, "the service, when the request no longer needs it"
        return may_decide, WHO

    def rule_problem(self, action, case):
        if action == ApprovalAction.RETURN and case.request_id is None:
            return Problem("Only an approval of a request can ask for more justification: refuse this review with "
                           "reasons instead.", field="outcome")
        return None

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        if not is_active_member(user) or not user.roles:
            return Q(pk__in=[])
        department = user.organisation.department.pk
        organisation = user.organisation_id
        return (Q(state=ApprovalState.REQUESTED, role_required__in=list(user.roles))
                & ((Q(deciding_organisation__isnull=True)
                    & (Q(request__holder_org=department) | Q(request__holder_org__parent=department)))
                   | Q(deciding_organisation__in={organisation, department}))
                & ~Q(requested_by=user))

    def _waiting(self, user):
        return self.visible(user).filter(self.waiting_on(user))

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        """Due when the request they hold up is due."""
        waiting = (self._waiting(user).select_related("request", *[p.field for p in subjects.policies()])
                   .order_by(F("request__next_due_on").asc(nulls_last=True), "pk")[:limit])
        return [self._item(a, today) for a in waiting]

    def _item(self, a, today) -> WorkItem:
        policy = subjects.policy_of(a)
        if policy is not None:
            return WorkItem("approval", policy.reference(a.subject), policy.title(a.subject),
                            f"Review: {a.get_kind_display()}", BASE_MARKING, None, False, False, self.link(a), a)
        return WorkItem("approval", a.request.reference, a.request.title, f"Approve: {a.get_kind_display()}",
                        a.request.classification, a.request.next_due_on,
                        bool(a.request.next_due_on and a.request.next_due_on < today), False, self.link(a), a)

    def work_counts(self, user, today) -> WorkCounts:
        return capped_counts(self._waiting(user).order_by(), "request__next_due_on", today)  # never a draft

    def audit_organisation(self, case):
        policy = subjects.policy_of(case)
        if policy is not None:
            return policy.audit_organisation(case.subject)
        return case.request.holder_org_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


APPROVALS = ApprovalCaseType()
