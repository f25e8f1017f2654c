"""Emails about releases (§15): the department's output checkers hear a release awaits them; the checkers who gave
verdicts hear both are in (to consolidate); the author hears the outcome and the delivery. Never the figures: the
marking, the reference and what happened. A verdict itself is never in a notification."""

from __future__ import annotations

from accounts.models import Organisation, User
from accounts.roles import Role
from releases.states import ReleaseAction, ReleaseState

WORDS = {ReleaseAction.SUBMIT: "awaits output checking", ReleaseAction.CHECK: "has both verdicts: consolidate them",
         ReleaseAction.CONSOLIDATE: "has been consolidated", ReleaseAction.DELIVER: "has been delivered"}


def checkers(release) -> list[User]:
    from releases.cases import may_check

    department = release.dataset.organisation_id
    organisations = Organisation.objects.filter(pk=department) | Organisation.objects.filter(parent=department)
    people = (User.objects.filter(is_active=True, role_grants__role=Role.OUTPUT_CHECKER,
                                  organisation__in=organisations)
              .select_related("organisation").distinct().order_by("pk"))
    return [person for person in people if may_check(person, release)]


def recipients(release, action, to_state) -> list[User]:
    if action == ReleaseAction.SUBMIT:
        return checkers(release)
    if action == ReleaseAction.CHECK:
        if to_state != ReleaseState.CHECKED:
            return []  # one verdict in: nobody is told, so that the other checker learns nothing of it
        return [c.checker for c in release.checks.filter(round=release.round).select_related("checker")]
    return [release.author]


def send(case_type, entry) -> int:
    from workflow.notify import send_once

    release = entry.release
    what = WORDS.get(entry.action)
    if what is None:
        return 0
    marking = release.dataset.classification
    subject = f"{marking}: {case_type.reference(release)} {what}"
    lines = [f"{case_type.reference(release)} ({release.get_kind_display().lower()}) {what}.",
             f"{release.get_state_display()}."]
    return sum(send_once(case_type=case_type, case=release, kind=f"release_{entry.action}",
                         milestone=f"event-{entry.pk}", recipient=person, subject=subject, lines=lines,
                         marking=marking)
               for person in recipients(release, entry.action, entry.to_state) if person is not None)
