"""Emails about approvals: approvers hear they are asked; the person who asked hears the outcome."""

from __future__ import annotations

from accounts.models import Organisation, User
from approvals.states import ApprovalAction
from sharing import permissions
from workflow.notify import send_once

WORDS = {
    ApprovalAction.ASK: "approval asked", ApprovalAction.APPROVE: "approved",
    ApprovalAction.REFUSE: "approval refused", ApprovalAction.RETURN: "more justification asked",
}


def approvers(approval) -> list[User]:
    if approval.deciding_organisation_id is not None:  # a research review: its organisation's people
        deciding = approval.deciding_organisation
        people = (User.objects.filter(is_active=True, role_grants__role=approval.role_required)
                  .filter(organisation__in=_department_organisations(deciding.pk))
                  .exclude(pk=approval.requested_by_id).select_related("organisation").distinct())
        return list(people)
    holder = approval.request.holder_org
    department = holder.parent_id or holder.pk
    people = (User.objects.filter(is_active=True, role_grants__role=approval.role_required)
              .filter(organisation__in=_department_organisations(department))
              .exclude(pk=approval.requested_by_id).select_related("organisation").distinct())
    return list(people)


def _department_organisations(department: int):
    return Organisation.objects.filter(pk=department) | Organisation.objects.filter(parent=department)


def send(case_type, entry) -> int:
    approval = entry.approval
    if approval.request_id is None:
        return _send_about_subject(case_type, entry, approval)
    request = approval.request
    people = approvers(approval) if entry.action == ApprovalAction.ASK else [approval.requested_by]
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    subject = f"{request.classification}: {request.reference} {what}"
    lines = [f"Request {request.reference}: {approval.get_kind_display()}.",
             f"{approval.get_state_display()}."]
    return sum(send_once(case_type=case_type, case=approval, kind=f"approval_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking=request.classification)
               for person in people if person is not None and permissions.user_can_view(person, request))


def _send_about_subject(case_type, entry, approval) -> int:
    """A review of another subject (a research project): its reviewers hear they are asked, the person who asked
    hears the outcome; the reference and what happened, never the content."""
    from approvals import subjects

    policy = subjects.policy_of(approval)
    what = WORDS.get(entry.action)
    if policy is None or what is None:
        return 0
    people = approvers(approval) if entry.action == ApprovalAction.ASK else [approval.requested_by]
    reference = policy.reference(approval.subject)
    lines = [f"{reference}: {approval.get_kind_display()}.", f"{approval.get_state_display()}."]
    return sum(send_once(case_type=case_type, case=approval, kind=f"approval_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=f"OFFICIAL: {reference} {what}",
                         lines=lines, marking="OFFICIAL")
               for person in people if person is not None and policy.can_view(person, approval.subject))
