"""Research projects as a case type of the workflow core (issue 11, items 2–4).

Who sees a project: the people of its institution, of its partner (e.g. the Commissioner's office), of the
department that owns the contract (and its units), and of each supplier involved.
Who acts: researchers of the institution put it forward, complete it, record its NDAs and deletions; the
department's contracts team approves it (once every review has approved it and no hold applies) and puts a
suspended project back under review; either may cancel it; service providers of a supplier involved record
survivors' choices; a hold in force suspends it (the service, on the hold's authority)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from accounts.permissions import is_active_member
from accounts.roles import Role
from concordat.errors import Problem
from research import notifications
from research.models import ProjectEvent, ResearchProject
from research.states import PROJECT_MACHINE, ProjectAction, ProjectState
from workflow.cases import CaseType
from workflow.work import WorkItem

WHO_RESEARCHES = "a researcher of the project's institution"
WHO_CONTRACTS = "the department's contracts team"
WHO_PROVIDES = "a service provider of a supplier involved in the project"
WHO_CANCELS = f"{WHO_RESEARCHES} or {WHO_CONTRACTS}"


def _org(user):
    return user.organisation if is_active_member(user) else None


def _within(user, organisation_id) -> bool:
    org = _org(user)
    return org is not None and organisation_id is not None and (org.pk == organisation_id
                                                                 or org.parent_id == organisation_id)


def is_researcher(user, project) -> bool:
    return _within(user, project.institution_id) and user.has_role(Role.RESEARCHER)


def is_contracts_team(user, project) -> bool:
    return _within(user, project.department_id) and user.has_role(Role.CONTRACTS_TEAM)


def supplier_of(user, project):
    """The supplier involved in the project that this person belongs to, or None."""
    org = _org(user)
    if org is None:
        return None
    return next((s for s in project.suppliers.all() if s.pk in (org.pk, org.parent_id)), None)


def is_service_provider(user, project) -> bool:
    return user.has_role(Role.SERVICE_PROVIDER) and supplier_of(user, project) is not None


def _researcher_or_contracts(user, project) -> bool:
    return is_researcher(user, project) or is_contracts_team(user, project)


def of_the_project(user, project) -> bool:
    """A researcher of the institution, or a requester or case officer of its partner (who makes its requests)."""
    return is_researcher(user, project) or (_within(user, project.partner_id)
                                            and user.has_role(Role.REQUESTER, Role.CASE_OFFICER))


def _nobody(user, project) -> bool:
    return False


WHO_MAY = {
    ProjectAction.SUBMIT: (is_researcher, WHO_RESEARCHES),
    ProjectAction.COMPLETE: (is_researcher, WHO_RESEARCHES),
    ProjectAction.RECORD_DELETION: (is_researcher, WHO_RESEARCHES),
    ProjectAction.APPROVE: (is_contracts_team, WHO_CONTRACTS),
    ProjectAction.RESUME: (is_contracts_team, WHO_CONTRACTS),
    ProjectAction.CANCEL: (_researcher_or_contracts, WHO_CANCELS),
    ProjectAction.RECORD_NDA: (_researcher_or_contracts, WHO_CANCELS),
    ProjectAction.LINK_REQUEST: (of_the_project, f"{WHO_RESEARCHES}, or a requester of its partner"),
    ProjectAction.RECORD_CONSENT: (is_service_provider, WHO_PROVIDES),
    ProjectAction.RECORD_WITHDRAWAL: (is_service_provider, WHO_PROVIDES),
    ProjectAction.SUSPEND: (_nobody, "the service, when a processing hold in force covers the project"),
}


def visible_projects(user):
    org = _org(user)
    if org is None:
        return ResearchProject.objects.none()
    mine = {org.pk, org.department.pk}
    return ResearchProject.objects.filter(Q(institution__in=mine) | Q(partner__in=mine) | Q(department__in=mine)
                                          | Q(suppliers__in=mine)).distinct()


def can_view(user, project) -> bool:
    org = _org(user)
    if org is None:
        return False
    mine = {org.pk, org.department.pk}
    return bool({project.institution_id, project.partner_id, project.department_id} & mine) or any(
        s.pk in mine for s in project.suppliers.all())


class ProjectCaseType(CaseType):
    kind = "research_project"
    label = "Research project"
    model = ResearchProject
    machine = PROJECT_MACHINE
    timeline = ProjectEvent
    timeline_case_field = "project"
    audit_prefix = "research"
    locked_relations = ("institution", "department", "partner", "principal_investigator", "suspended_by_hold")
    phrases = {ProjectAction.SUBMIT: "put this project forward for review",
               ProjectAction.APPROVE: "approve this research project",
               ProjectAction.RESUME: "put this project back under review",
               ProjectAction.CANCEL: "cancel this research project",
               ProjectAction.COMPLETE: "record this project as completed",
               ProjectAction.SUSPEND: "suspend this project",
               ProjectAction.RECORD_NDA: "record a non-disclosure agreement for this project",
               ProjectAction.RECORD_CONSENT: "record a survivor's choice about this project",
               ProjectAction.RECORD_WITHDRAWAL: "record a survivor's withdrawal from this project",
               ProjectAction.RECORD_DELETION: "record that a withdrawn participant's data was deleted",
               ProjectAction.LINK_REQUEST: "link a request to this project"}
    state_labels = dict(ProjectState.choices)
    owner_labels = {"researchers": "Researchers of the institution",
                    "reviewers": "The department's contracts team (with each supplier involved, through approvals)",
                    "nobody": "Nobody (finished)"}
    notified_actions = frozenset({ProjectAction.SUBMIT.value, ProjectAction.APPROVE.value,
                                  ProjectAction.SUSPEND.value, ProjectAction.RESUME.value,
                                  ProjectAction.CANCEL.value, ProjectAction.RECORD_WITHDRAWAL.value})
    diagram_path = "docs/research.md"
    audited_fields = ("state", "institution", "department", "principal_investigator", "data_sources",
                      "personal_data_categories", "processes_contract_personal_data", "approved_by", "approved_at",
                      "suspended_by_hold")  # ADR 17

    def reference(self, case) -> str:
        return case.reference

    def link(self, case) -> str:
        return reverse("research:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        return visible_projects(user)

    def can_view(self, user, case) -> bool:
        return can_view(user, case)

    def who_may(self, action, case):
        return WHO_MAY.get(str(action), (_nobody, "nobody"))

    def rule_problem(self, action, case) -> Problem | None:
        from research import rules

        return rules.problem(action, case)

    def waiting_on(self, user) -> Q:
        org = _org(user)
        if org is None:
            return Q(pk__in=[])
        mine = {org.pk, org.department.pk}
        condition = Q(pk__in=[])
        if user.has_role(Role.RESEARCHER):
            condition |= Q(state__in=[ProjectState.PROPOSED, ProjectState.APPROVED], institution__in=mine)
        if user.has_role(Role.CONTRACTS_TEAM):
            condition |= Q(state__in=[ProjectState.UNDER_REVIEW, ProjectState.SUSPENDED], department__in=mine)
        return condition

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        """The projects this person can move on now (a suspended project only once no hold applies)."""
        waiting = (self.visible(user).filter(self.waiting_on(user)).select_related(*self.locked_relations)
                   .prefetch_related("suppliers", "reviews").order_by("pk")[:limit])
        return [WorkItem(self.kind, p.reference, p.title, self.state_label(p.state), "OFFICIAL", None, False,
                         False, self.link(p), p) for p in waiting if self.owner_actions(user, p)]

    def audit_organisation(self, case):
        return case.department_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


PROJECTS = ProjectCaseType()
