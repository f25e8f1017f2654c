"""Emails about research projects: the institution's researchers and the contracts team hear of each step; a
withdrawal tells the researchers that a participant's data is to be deleted. Never the content, never a
participant reference: the reference, the marking and what happened."""

from __future__ import annotations

from accounts.models import Organisation, User
from accounts.roles import Role
from research.states import ProjectAction
from workflow.notify import send_once

WORDS = {ProjectAction.SUBMIT: "put forward for review", ProjectAction.APPROVE: "approved",
         ProjectAction.SUSPEND: "suspended by a processing hold", ProjectAction.RESUME: "back under review",
         ProjectAction.CANCEL: "cancelled",
         ProjectAction.RECORD_WITHDRAWAL: "a participant withdrew: their data is to be deleted"}


def _people(organisation_id: int, role: str):
    organisations = Organisation.objects.filter(pk=organisation_id) | Organisation.objects.filter(
        parent=organisation_id)
    return User.objects.filter(is_active=True, role_grants__role=role, organisation__in=organisations).distinct()


def recipients(project, action: str) -> list[User]:
    people = {p.pk: p for p in _people(project.institution_id, Role.RESEARCHER)}
    people.setdefault(project.principal_investigator_id, project.principal_investigator)
    if action in (ProjectAction.SUBMIT, ProjectAction.SUSPEND, ProjectAction.CANCEL):
        people.update({p.pk: p for p in _people(project.department_id, Role.CONTRACTS_TEAM)})
    return [people[pk] for pk in sorted(people)]


def send(case_type, entry) -> int:
    project = entry.project
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    subject = f"OFFICIAL: {project.reference} {what}"
    lines = [f"Research project {project.reference}: {what}.", f"{project.get_state_display()}."]
    return sum(send_once(case_type=case_type, case=project, kind=f"research_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking="OFFICIAL")
               for person in recipients(project, entry.action)
               if person is not None and person.is_active and case_type.can_view(person, project))
