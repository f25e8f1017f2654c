"""Emails about publication proposals: the holder's deciders hear of a proposal; the person who proposed hears
the holder's decision (§7(b), §9(b)). Never the text: the marking, the reference and what happened."""

from __future__ import annotations

from accounts.models import Organisation, User
from publications.states import ProposalAction
from sharing import permissions
from workflow.notify import send_once

WORDS = {ProposalAction.PROPOSE: "publication proposed", ProposalAction.AGREE: "publication agreed",
         ProposalAction.AGREE_WITH_CHANGES: "publication agreed with changes",
         ProposalAction.REFUSE: "publication refused"}


def deciders(proposal) -> list[User]:
    from publications.cases import DECIDER_ROLES, may_decide

    holder = proposal.request.holder_org
    department = holder.parent_id or holder.pk
    organisations = Organisation.objects.filter(pk=department) | Organisation.objects.filter(parent=department)
    people = (User.objects.filter(is_active=True, role_grants__role__in=DECIDER_ROLES, organisation__in=organisations)
              .select_related("organisation").distinct().order_by("pk"))
    return [person for person in people if may_decide(person, proposal)]


def send(case_type, entry) -> int:
    proposal = entry.proposal
    request = proposal.request
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    people = deciders(proposal) if entry.action == ProposalAction.PROPOSE else [proposal.proposed_by]
    subject = f"{request.classification}: {request.reference} {what}"
    lines = [f"Request {request.reference}: a proposal to publish.", f"{proposal.get_state_display()}."]
    return sum(send_once(case_type=case_type, case=proposal, kind=f"publication_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking=request.classification)
               for person in people if person is not None and permissions.user_can_view(person, request))
