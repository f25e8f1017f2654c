"""Releases as a case type of the workflow core (§15, ADR 34).

Who sees one: its author, and the output checkers and auditors of the department that holds its dataset.
Who acts: the author drafts, revises, submits, withdraws and delivers; an output checker of that department who
is not the author gives a verdict, once a round; one who gave a verdict this round consolidates the two."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from accounts.permissions import is_active_member
from accounts.roles import Role
from concordat.errors import NotAllowed, Problem
from protocols.markings import BASE_MARKING
from releases import notifications
from releases.datasets import department_of
from releases.models import Release, ReleaseCheck, ReleaseEvent
from releases.states import RELEASE_MACHINE, ReleaseAction, ReleaseState
from workflow.cases import CaseType
from workflow.work import WorkItem

CLAUSE = "§15"
WHO_AUTHORS = "the release's author"
WHO_CHECKS = "an output checker of the department holding the data, who is not the release's author"
WHO_CONSOLIDATES = "an output checker who gave a verdict on this round"
AUTHOR_ACTIONS = (ReleaseAction.REVISE, ReleaseAction.SUBMIT, ReleaseAction.WITHDRAW, ReleaseAction.DELIVER)


def is_author(user, release: Release) -> bool:
    return is_active_member(user) and user.pk == release.author_id


def is_checker(user, release: Release) -> bool:
    department = department_of(user)
    return (department is not None and user.has_role(Role.OUTPUT_CHECKER)
            and release.dataset.organisation_id == department.pk)


def has_verdict(user, release: Release) -> bool:
    return ReleaseCheck.objects.filter(release=release, round=release.round, checker=user).exists()


def may_check(user, release: Release) -> bool:
    return is_checker(user, release) and user.pk != release.author_id and not has_verdict(user, release)


def may_consolidate(user, release: Release) -> bool:
    return is_checker(user, release) and user.pk != release.author_id and has_verdict(user, release)


class ReleaseCaseType(CaseType):
    kind = "release"
    label = "Release"
    model = Release
    machine = RELEASE_MACHINE
    timeline = ReleaseEvent
    timeline_case_field = "release"
    audit_prefix = "releases"
    locked_relations = ("dataset", "request", "author")
    phrases = {ReleaseAction.REVISE: "revise this release", ReleaseAction.SUBMIT: "submit this release",
               ReleaseAction.CHECK: "give a verdict on this release",
               ReleaseAction.CONSOLIDATE: "consolidate the verdicts on this release",
               ReleaseAction.DELIVER: "deliver this release", ReleaseAction.WITHDRAW: "withdraw this release"}
    state_labels = dict(ReleaseState.choices)
    owner_labels = {"author": "Its author", "checkers": "Two output checkers who are not its author",
                    "nobody": "Nobody (finished)"}
    notified_actions = frozenset({ReleaseAction.SUBMIT.value, ReleaseAction.CHECK.value,
                                  ReleaseAction.CONSOLIDATE.value, ReleaseAction.DELIVER.value})
    diagram_path = "docs/releases.md"
    audited_fields = ("state", "request", "dataset", "kind", "author", "round", "consolidated_by", "outcome",
                      "delivery")

    def reference(self, case) -> str:
        return f"Release {case.pk}"

    def link(self, case) -> str:
        return reverse("releases:detail", kwargs={"pk": case.pk})

    def visible(self, user):
        department = department_of(user)
        if department is None:
            return Release.objects.none()
        seen = Q(author=user)
        if user.has_role(Role.OUTPUT_CHECKER, Role.AUDITOR):
            seen |= Q(dataset__organisation=department)
        return Release.objects.filter(seen)

    def can_view(self, user, case) -> bool:
        department = department_of(user)
        if department is None:
            return False
        return user.pk == case.author_id or (user.has_role(Role.OUTPUT_CHECKER, Role.AUDITOR)
                                             and case.dataset.organisation_id == department.pk)

    def who_may(self, action, case):
        if action in AUTHOR_ACTIONS:
            return is_author, WHO_AUTHORS
        if action == ReleaseAction.CHECK:
            return may_check, WHO_CHECKS
        if action == ReleaseAction.CONSOLIDATE:
            return may_consolidate, WHO_CONSOLIDATES
        return super().who_may(action, case)

    def check_actor(self, user, action, case) -> None:
        """Two people (§15, issue 12): the author checking or consolidating their own release is refused naming
        the field, not only with "only … can"."""
        if action in (ReleaseAction.CHECK, ReleaseAction.CONSOLIDATE) and user.pk == case.author_id \
                and self.can_view(user, case):
            raise NotAllowed(Problem("You wrote this release: two output checkers other than its author check it.",
                                     field="checker", clause=CLAUSE))
        if action == ReleaseAction.CHECK and is_checker(user, case) and has_verdict(user, case):
            raise NotAllowed(Problem("You have given your verdict on this round already.", field="verdict",
                                     clause=CLAUSE))
        super().check_actor(user, action, case)

    def waiting_on(self, user) -> Q:
        if not is_active_member(user):
            return Q(pk__in=[])
        mine = Q(author=user, state__in=[ReleaseState.DRAFT, ReleaseState.APPROVED])
        if not user.has_role(Role.OUTPUT_CHECKER):
            return mine
        given = ReleaseCheck.objects.filter(release=OuterRef("pk"), round=OuterRef("round"), checker=user)
        department = department_of(user)
        checking = (Q(dataset__organisation=department) & ~Q(author=user)
                    & ((Q(state=ReleaseState.CHECKING) & ~Q(Exists(given)))
                       | (Q(state=ReleaseState.CHECKED) & Q(Exists(given)))))
        return mine | checking

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        waiting = (self.visible(user).filter(self.waiting_on(user)).select_related("dataset")
                   .order_by("created_at", "pk")[:limit])
        return [WorkItem(self.kind, self.reference(r), r.title, self.state_label(r.state),
                         r.dataset.classification or BASE_MARKING, None, False, False, self.link(r), r)
                for r in waiting]

    def audit_organisation(self, case):
        return case.dataset.organisation_id

    def send_notifications(self, entry) -> int:
        return notifications.send(self, entry)


RELEASES = ReleaseCaseType()
