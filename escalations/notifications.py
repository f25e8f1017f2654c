"""Emails about escalations (§13): the people of the rung it reaches hear it is theirs; the IASC (who opened it
and the requester) hears each rung's outcome. The marking, the reference and what happened, never the content."""

from __future__ import annotations

from accounts.models import Organisation, User
from escalations import ladder
from escalations.states import EscalationAction
from sharing import permissions
from workflow.notify import send_once


def rung_people(escalation) -> list[User]:
    holder = escalation.request.holder_org
    department = holder.parent_id or holder.pk
    organisations = Organisation.objects.filter(pk=department) | Organisation.objects.filter(parent=department)
    return list(User.objects.filter(is_active=True, role_grants__role=escalation.rung_role,
                                    organisation__in=organisations).select_related("organisation").distinct())


def send(case_type, entry) -> int:
    escalation = entry.escalation
    request = escalation.request
    rung = ladder.rung_at(request, escalation.position)
    if entry.action in (EscalationAction.ESCALATE, EscalationAction.GO_UP):
        people, what = rung_people(escalation), f"escalated to {rung.title} ({rung.clause})"
    elif entry.action == EscalationAction.DECIDE:
        people = list({p.pk: p for p in (escalation.opened_by, request.requester) if p is not None}.values())
        what = f"{rung.title}: {escalation.get_state_display().lower()} ({rung.clause})"
    else:
        return 0
    subject = f"{request.classification}: {request.reference} {what}"
    lines = [f"Request {request.reference}: escalation {escalation.pk}.", f"{what[0].upper()}{what[1:]}."]
    return sum(send_once(case_type=case_type, case=escalation, kind=f"escalation_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking=request.classification)
               for person in people if permissions.user_can_view(person, request))
