"""Requests as a case type of the workflow core: the machine in sharing.states, who may act in
sharing.permissions, what else a state requires in sharing.policies, and the emails in sharing.notifications."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from sharing import notifications, permissions, policies, queries, schedule
from sharing.models import Request, RequestEvent
from sharing.states import ACTION_PHRASES, REQUEST_MACHINE, RequestState, StateOwner
from workflow.cases import CaseType
from workflow.work import WorkCounts, WorkItem, capped_counts

LOCKED_RELATIONS = ("protocol", "requester_org", "holder_org", "routed_to", "assigned_org")


class RequestCaseType(CaseType):
    kind = "request"
    label = "Request"
    model = Request
    machine = REQUEST_MACHINE
    timeline = RequestEvent
    timeline_case_field = "request"
    audit_prefix = "sharing"
    locked_relations = LOCKED_RELATIONS
    phrases = {str(action): phrase for action, phrase in ACTION_PHRASES.items()}
    state_labels = dict(RequestState.choices)
    owner_labels = dict(StateOwner.choices)
    notified_actions = frozenset(str(action) for action in notifications.EVENT_NOTIFICATIONS)
    diagram_path = "docs/lifecycle.md"
    # What `verify_audit --state` replays (ADR 17): the state, the marking (§10), the parties, who may see it
    # (named people) and the decision; structured values only, never the reasons people wrote.
    audited_fields = ("state", "classification", "requester_org", "holder_org", "named_people", "decision",
                      "decided_by", "decided_at")

    def reference(self, case) -> str:
        return case.reference

    def link(self, case) -> str:
        return reverse("sharing:request_detail", kwargs={"reference": case.reference})

    def visible(self, user):
        return permissions.visible_requests(user)

    def can_view(self, user, case) -> bool:
        return permissions.user_can_view(user, case)

    def who_may(self, action, case):
        return permissions.ACTORS[action]

    def rule_problem(self, action, case):
        return policies.extra_problem(action, case)

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        return queries.waiting_on_q(user)

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        return [WorkItem("request", r.reference, r.title, r.get_state_display(), r.classification, r.next_due_on,
                         r.is_overdue, r.state == RequestState.DRAFT, self.link(r), r)
                for r in queries.my_work(user, today)[:limit]]

    def work_counts(self, user, today) -> WorkCounts:
        waiting = queries.waiting_requests(user)
        return capped_counts(waiting, "next_due_on", today, drafts=Q(state=RequestState.DRAFT))

    def before_save(self, case) -> None:
        case.next_due_on = schedule.next_due_on(case)

    def audit_organisation(self, case):
        return case.holder_org_id

    def send_notifications(self, entry) -> int:
        return notifications.send_event_notifications(entry.pk)


REQUESTS = RequestCaseType()
