"""Emails about arrangements: its owners (the signatories of its parties, and its drafter) hear when it is
signed off, suspended, resumed or ended, and when its review falls due (reminders.py). The reference and what
happened, never the content."""

from __future__ import annotations

from accounts.models import Organisation, User
from arrangements import permissions
from arrangements.states import ArrangementAction
from protocols.markings import BASE_MARKING
from workflow.notify import send_once

WORDS = {ArrangementAction.SIGN_OFF: "signed off", ArrangementAction.SUSPEND: "suspended",
         ArrangementAction.RESUME: "resumed", ArrangementAction.END: "ended"}


def owners(arrangement) -> list[User]:
    """The active signatories of its parties (their units included), and its drafter while still a party member."""
    departments = [party.pk for party in arrangement.parties.all()]
    organisations = Organisation.objects.filter(pk__in=departments) | Organisation.objects.filter(
        parent__in=departments)
    people = list(User.objects.filter(is_active=True, organisation__in=organisations,
                                      role_grants__role__in=list(permissions.SIGNATORY_ROLES))
                  .select_related("organisation").distinct().order_by("pk"))
    drafter = arrangement.drafted_by
    if drafter.pk not in {p.pk for p in people} and permissions.is_party_member(drafter, arrangement):
        people.append(drafter)
    return people


def send(case_type, entry) -> int:
    arrangement = entry.arrangement
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    subject = f"{BASE_MARKING}: {arrangement.reference} {what}"
    lines = [f"Data sharing arrangement {arrangement.reference} {what} (§16).",
             f"It is now {arrangement.get_state_display().lower()}."]
    return sum(send_once(case_type=case_type, case=arrangement, kind=f"arrangement_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking=BASE_MARKING)
               for person in owners(arrangement) if person.pk != entry.actor_id)
