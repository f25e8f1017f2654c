"""Data sharing arrangements as a case type of the workflow core (§16). A draft waits on the signatories of
its parties once its DPIA is recorded; an active arrangement waits on them when its review falls due."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from arrangements import notifications, permissions, reminders
from arrangements.models import Arrangement, ArrangementEvent
from arrangements.states import ARRANGEMENT_MACHINE, ArrangementAction, ArrangementState
from concordat.errors import Problem
from protocols.markings import BASE_MARKING
from workflow.cases import CaseType
from workflow.work import WorkItem

DRAFTERS = "a case officer, approver or data protection officer of a party"
SIGNATORIES = "an approver or data protection officer of a party"
SIGN_OFF_WHO = f"{SIGNATORIES} who did not draft it or change the draft (§16)"
CLAUSE = "§16"


def review_horizon(today: date) -> date:
    """The last review date that is 'due' today: reviews within the reminder window
    (reminders.REMINDER_WORKING_DAYS) are people's work, and are reminded."""
    return reminders.horizon(today)


class ArrangementCaseType(CaseType):
    kind = "arrangement"
    label = "Arrangement"
    model = Arrangement
    machine = ARRANGEMENT_MACHINE
    timeline = ArrangementEvent
    timeline_case_field = "arrangement"
    audit_prefix = "arrangements"
    phrases = {ArrangementAction.UPDATE: "change this arrangement",
               ArrangementAction.SIGN_OFF: "sign off this arrangement",
               ArrangementAction.REVIEW: "record a review of this arrangement",
               ArrangementAction.SUSPEND: "suspend this arrangement",
               ArrangementAction.RESUME: "resume this arrangement",
               ArrangementAction.END: "end this arrangement"}
    state_labels = dict(ArrangementState.choices)
    owner_labels = {"signatory": "An approver or data protection officer of a party (to sign off: not its drafter)",
                    "nobody": "Nobody (ended)"}
    notified_actions = frozenset({ArrangementAction.SIGN_OFF.value, ArrangementAction.SUSPEND.value,
                                  ArrangementAction.RESUME.value, ArrangementAction.END.value})
    diagram_path = "docs/arrangements.md"
    audited_fields = ("state", "parties", "personal_data_categories", "dpia_completed_on", "dpia_outcome",
                      "starts_on", "review_on", "ends_on", "signed_off_by", "signed_off_at")  # ADR 17

    def reference(self, case) -> str:
        return case.reference

    def link(self, case) -> str:
        return reverse("arrangements:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return Arrangement.objects.filter(pk__in=Arrangement.objects.filter(permissions.visible_q(user)).values("pk"))

    def can_view(self, user, case) -> bool:
        return permissions.is_party_member(user, case)

    def who_may(self, action, case):
        if action == ArrangementAction.UPDATE:
            return permissions.may_change, DRAFTERS
        if action == ArrangementAction.SIGN_OFF:
            return permissions.may_sign_off, SIGN_OFF_WHO
        if action == ArrangementAction.END and case.state == ArrangementState.DRAFT:
            return permissions.may_change, DRAFTERS
        return permissions.is_signatory, SIGNATORIES

    def rule_problem(self, action, case) -> Problem | None:
        if action == ArrangementAction.SIGN_OFF:
            if not case.dpia_recorded:
                return Problem("Record the data protection impact assessment (reference, date completed and "
                               "outcome) before signing off.", field="dpia_reference", clause=CLAUSE)
            if case.ends_on < timezone.localdate():
                return Problem("The arrangement has already ended: change its end date first.", field="ends_on",
                               clause=CLAUSE)
        return None

    counts_follow_items = True  # work.items_and_counts (ADR 50)

    def waiting_on(self, user) -> Q:
        department = permissions.department_of(user)
        if department is None or not (user.roles & permissions.SIGNATORY_ROLES):
            return Q(pk__in=[])
        today = timezone.localdate()
        drafts = (Q(state=ArrangementState.DRAFT) & ~Q(dpia_reference="") & Q(ends_on__gte=today)
                  & ~permissions.authored_q(user))
        reviews = Q(state=ArrangementState.ACTIVE, review_on__lte=review_horizon(today))
        return Q(parties=department) & (drafts | reviews | Q(state=ArrangementState.SUSPENDED))

    def owner_actions(self, user, case) -> list[str]:
        """A review is this person's work only once it falls due (within the reminder window, or overdue)."""
        actions = super().owner_actions(user, case)
        if case.state == ArrangementState.ACTIVE and case.review_on > review_horizon(timezone.localdate()):
            actions = [a for a in actions if a != ArrangementAction.REVIEW]
        return actions

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        """Due on the review date; a draft to sign off or a suspended arrangement has no date."""
        waiting = (Arrangement.objects.filter(self.waiting_on(user)).distinct()
                   .order_by("review_on", "pk")[:limit])
        items = []
        for case in waiting:
            reviewing = case.state == ArrangementState.ACTIVE
            what = {ArrangementState.DRAFT: "Sign off the arrangement (§16)",
                    ArrangementState.ACTIVE: "Review the arrangement (§16)",
                    ArrangementState.SUSPENDED: "Resume or end the suspended arrangement"}[case.state]
            due = case.review_on if reviewing else None
            items.append(WorkItem(self.kind, case.reference, case.title, what, BASE_MARKING, due,
                                  bool(due and due < today), False, self.link(case), case))
        return items

    def audit_organisation(self, case):
        return case.drafted_by.organisation_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


ARRANGEMENTS = ArrangementCaseType()
