"""Publication proposals as a case type of the workflow core (§7(b), §9(b)).

Who may decide one: an active person of the holder's department with the assessor's, approver's or
Commissioner's role, who can see the request, is not of the requesting organisation's department and did not
propose it. Who may put one forward or withdraw it: a requester or case officer of the requesting organisation."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from accounts.permissions import is_active_member
from accounts.roles import Role
from concordat.errors import NotAllowed, Problem
from publications import notifications
from publications.models import PublicationEvent, PublicationProposal
from publications.states import DECISIONS, PUBLICATION_MACHINE, ProposalAction, ProposalState
from sharing import permissions as request_permissions
from sharing import rules
from workflow.cases import CaseType
from workflow.work import COUNT_CAP, WorkCounts, WorkItem

DECIDER_ROLES = (Role.ASSESSOR, Role.APPROVER, Role.COMMISSIONER)
WHO_DECIDES = "an assessor, approver or the Commissioner of the holder of the information (§7(b), §9(b))"
WHO_PROPOSES = "a requester or case officer of the requesting organisation"


def publication_clause(request) -> str:
    """The clause of the holder's publication check: §7(b) (IASC→HO) or §9(b) (HO→IASC); outside the protocol,
    the route's own clause (§18, §4 fn 1)."""
    item = next((item for item in rules.checklist_of(request) if item.key == "publication"), None)
    return item.clause if item is not None else rules.route_clause(request)


def _department(user):
    return user.organisation.department if user.organisation_id else None


def _part_of(org, department) -> bool:
    return department is not None and (org.pk == department.pk or org.parent_id == department.pk)


def of_requesting_side(user, request) -> bool:
    """A person of the requesting organisation's department: never the one who agrees its publication."""
    return is_active_member(user) and _part_of(request.requester_org, _department(user))


def may_decide(user, proposal: PublicationProposal) -> bool:
    request = proposal.request
    department = _department(user) if is_active_member(user) else None
    return (department is not None and user.has_role(*DECIDER_ROLES) and user.pk != proposal.proposed_by_id
            and _part_of(request.holder_org, department) and not _part_of(request.requester_org, department))


def may_propose(user, proposal: PublicationProposal) -> bool:
    return request_permissions.is_requester_side(user, proposal.request)


class PublicationCaseType(CaseType):
    kind = "publication"
    label = "Publication proposal"
    model = PublicationProposal
    machine = PUBLICATION_MACHINE
    timeline = PublicationEvent
    timeline_case_field = "proposal"
    audit_prefix = "publications"
    locked_relations = ("request__holder_org", "request__requester_org", "request__routed_to",
                        "request__assigned_org", "request__protocol")
    phrases = {ProposalAction.PROPOSE: "propose publishing this information",
               ProposalAction.AGREE: "agree this publication",
               ProposalAction.AGREE_WITH_CHANGES: "agree this publication with changes",
               ProposalAction.REFUSE: "refuse this publication",
               ProposalAction.WITHDRAW: "withdraw this publication proposal"}
    state_labels = dict(ProposalState.choices)
    owner_labels = {"holder": "The holder's assessors, approvers or Commissioner (never the requester)",
                    "nobody": "Nobody (finished)"}
    notified_actions = frozenset({ProposalAction.PROPOSE.value, ProposalAction.AGREE.value,
                                  ProposalAction.AGREE_WITH_CHANGES.value, ProposalAction.REFUSE.value})
    diagram_path = "docs/publications.md"
    audited_fields = ("state", "request", "revises", "proposed_by", "decided_by", "decided_at")  # ADR 17

    def reference(self, case) -> str:
        return f"{case.request.reference} publication {case.pk}"

    def link(self, case) -> str:
        return reverse("publications:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return PublicationProposal.objects.filter(request_permissions.visible_request_q(user))

    def can_view(self, user, case) -> bool:
        return request_permissions.user_can_view(user, case.request)

    def who_may(self, action, case):
        if action in (ProposalAction.WITHDRAW, ProposalAction.PROPOSE):
            return may_propose, WHO_PROPOSES
        return may_decide, WHO_DECIDES

    def check_actor(self, user, action, case) -> None:
        """§7(b), §9(b): it is the holder who agrees; the requester agreeing its own publication is refused with
        the field and the clause, not only "only … can"."""
        if (action in DECISIONS and self.can_view(user, case) and of_requesting_side(user, case.request)):
            raise NotAllowed(Problem(
                "The requesting organisation cannot agree its own publication: the holder of the information "
                f"decides whether it may be published ({publication_clause(case.request)}).",
                field="decided_by", clause=publication_clause(case.request)))
        super().check_actor(user, action, case)

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        if not is_active_member(user) or not user.has_role(*DECIDER_ROLES):
            return Q(pk__in=[])
        department = _department(user).pk
        return (Q(state=ProposalState.PROPOSED)
                & (Q(request__holder_org=department) | Q(request__holder_org__parent=department))
                & ~(Q(request__requester_org=department) | Q(request__requester_org__parent=department))
                & ~Q(proposed_by=user))

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        waiting = (self.visible(user).filter(self.waiting_on(user)).select_related("request")
                   .order_by("proposed_at", "pk")[:limit])
        return [WorkItem(self.kind, p.request.reference, p.request.title, "Agree publication",
                         p.request.classification, None, False, False, self.link(p), p) for p in waiting]

    def work_counts(self, user, today) -> WorkCounts:
        """In SQL, capped (ADR 45): a proposal has no due date and is never a draft."""
        waiting = self.visible(user).filter(self.waiting_on(user)).order_by()
        return WorkCounts(total=waiting[:COUNT_CAP + 1].count())

    def audit_organisation(self, case):
        return case.request.holder_org_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


PUBLICATIONS = PublicationCaseType()
