"""Emails about processing holds: its keepers (the owner, and the approvers and DPOs of its department) and the
people whose work it blocks (each registered subject's `people`, holds.coverage) hear when it is placed, reviewed
or lifted, and when its review date passes with no review (reminders.py). A hold's existence and scope are not
secret; the email still carries only the reference and what happened, marking first."""

from __future__ import annotations

from accounts.models import Organisation, User
from clock.core import long_date
from holds import coverage, permissions
from holds.states import HoldAction
from protocols.markings import BASE_MARKING
from workflow.notify import send_once

WORDS = {HoldAction.PLACE: "placed", HoldAction.REVIEW: "reviewed", HoldAction.LIFT: "lifted"}


def keepers(hold) -> list[User]:
    """The owner, and the active approvers and DPOs of the department (its units included)."""
    department = hold.department_id
    organisations = Organisation.objects.filter(pk=department) | Organisation.objects.filter(parent=department)
    people = {person.pk: person for person in User.objects.filter(
        is_active=True, organisation__in=organisations, role_grants__role__in=list(permissions.KEEPER_ROLES))
        .select_related("organisation").distinct()}
    if hold.owner.is_active:
        people.setdefault(hold.owner_id, hold.owner)
    return [people[pk] for pk in sorted(people)]


def concerned(hold) -> list[User]:
    """Its keepers and everyone whose work it blocks, once each."""
    people = {person.pk: person for person in keepers(hold)}
    for person in coverage.affected_people(hold):
        people.setdefault(person.pk, person)
    return [people[pk] for pk in sorted(people)]


def lines_for(hold, what: str) -> list[str]:
    lines = [f"Processing hold {hold.reference} {what}.", f"It is now {hold.get_state_display().lower()}."]
    if hold.in_force:
        lines.append(f"Its next review is due on {long_date(hold.next_review_on)}.")
    return lines


def send(case_type, entry) -> int:
    hold = entry.hold
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    subject = f"{BASE_MARKING}: processing hold {hold.reference} {what}"
    return sum(send_once(case_type=case_type, case=hold, kind=f"hold_{entry.action}", milestone=f"event-{entry.pk}",
                         recipient=person, subject=subject, lines=lines_for(hold, what), marking=BASE_MARKING)
               for person in concerned(hold) if person.pk != entry.actor_id)
