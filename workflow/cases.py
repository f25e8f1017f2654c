"""A case type: a model with a `state` and a `version`, a Machine, a timeline, and the few rules that are its
own (who may act, what else its state requires). Everything else comes from here:

    with APPROVALS.acting(approval, by=person, action="approve", expected_version=3) as locked:
        locked.decided_at = now
        APPROVALS.advance(locked, person, "approve", note)

`acting` locks the row, compares the version the person loaded (StaleObject: 409 / "changed under you"),
checks who may act and what the state allows, and runs the change in one transaction; `advance` moves
the state, raises the version, writes one timeline entry and one audit event, and sends the case type's
notifications after commit.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.keys import mac_key
from audit.services import record_event
from audit.state import entry_digest, entry_fields
from concordat.errors import NotAllowed, Problem, RuleViolation, StaleObject
from protocols.markings import BASE_MARKING
from workflow import tasks
from workflow.machine import Machine
from workflow.work import WorkCounts, WorkItem, counts_of

# For a case moved as part of another case's action (an approval returned moves its request): lock it as it is
# now; the person's own version check was on the case they acted on.
CURRENT = object()


class CaseType:
    kind: str  # "request", "approval": the key in notifications and the audit record
    label: str
    model: type[models.Model]
    machine: Machine
    timeline: type[models.Model] | None = None  # a TimelineEntry subclass
    timeline_case_field: str = ""  # its foreign key to the case
    audit_prefix: str = ""
    locked_relations: tuple[str, ...] = ()
    phrases: Mapping[str, str] = {}  # action -> "approve this request": "Only … can <phrase>"
    state_labels: Mapping[str, str] = {}
    diagram_path: str = ""  # docs/…md holding the machine's diagram, checked by a test
    # The fields each audit event snapshots, so that `verify_audit --state` can replay the chain against the rows
    # (ADR 17). Structured values only (ADR 2): states, markings, keys, dates; never free text.
    audited_fields: tuple[str, ...] = ("state",)

    # --- what each case type says of itself ------------------------------------------------------

    def reference(self, case) -> str:
        return f"{self.label} {case.pk}"

    def link(self, case) -> str:
        return ""

    def visible(self, user) -> QuerySet:
        return self.model.objects.none()

    def can_view(self, user, case) -> bool:
        return False

    def who_may(self, action: str, case) -> tuple[Any, str]:
        """(predicate(user, case) -> bool, "who, in words") for this action. Fails closed: a case type that
        does not say who may act lets nobody act."""
        return (lambda user, case: False), "nobody"

    def rule_problem(self, action: str, case) -> Problem | None:
        """What else than the state stops the action (e.g. nothing left to deliver)."""
        return None

    def waiting_on(self, user) -> Q:
        """The cases whose next move is this person's: 'My work'."""
        return Q(pk__in=[])

    # True when work_items gives one item per waiting case, unfiltered in Python, and counts_of(those items)
    # equals work_counts: then a page that has them all counts them without asking again (work.items_and_counts).
    counts_follow_items = False

    def work_items(self, user, today, limit: int) -> list[WorkItem]:
        """A WorkItem for each case waiting on this person (a case type with due dates orders them itself)."""
        waiting = self.visible(user).filter(self.waiting_on(user)).order_by("pk")[:limit]
        return [WorkItem(self.kind, self.reference(case), str(getattr(case, "title", "")),
                         self.state_label(case.state), BASE_MARKING, None, False, False, self.link(case), case)
                for case in waiting]

    notified_actions: frozenset[str] = frozenset()  # the actions whose entries tell people something

    def send_notifications(self, entry) -> int:
        """Run by a Celery worker after commit, for each entry whose action is in notified_actions."""
        return 0

    def work_counts(self, user, today) -> WorkCounts:
        return counts_of(self.work_items(user, today, limit=10_000), today)

    def audit_organisation(self, case) -> int | None:
        return None

    def before_save(self, case) -> None:
        """Keep what a case type derives from its state up to date, as each action saves it."""

    # --- the machinery -------------------------------------------------------------------------------

    def phrase(self, action: str) -> str:
        return self.phrases.get(str(action), f"{action} this {self.label.lower()}")

    owner_labels: Mapping[str, str] = {}

    def owner_label(self, owner: str) -> str:
        return self.owner_labels.get(str(owner), str(owner).replace("_", " ").capitalize())

    def state_label(self, state: str) -> str:
        return self.state_labels.get(str(state), str(state).replace("_", " "))

    def may_act(self, user, action: str, case) -> bool:
        if not self.can_view(user, case):
            return False
        allowed, _ = self.who_may(action, case)
        return allowed(user, case)

    def check_actor(self, user, action: str, case) -> None:
        if not self.can_view(user, case):
            raise NotAllowed(f"You cannot see this {self.label.lower()}.")
        allowed, who = self.who_may(action, case)
        if not allowed(user, case):
            raise NotAllowed(f"Only {who} can {self.phrase(action)}.")

    def action_problem(self, action: str, case) -> Problem | None:
        if not self.machine.allows(action, case.state):
            return Problem(f"You cannot {self.phrase(action)} while it is {self.state_label(case.state).lower()}.",
                           field="state")
        return self.rule_problem(action, case)

    def action_allowed(self, action: str, case) -> bool:
        return self.action_problem(action, case) is None

    def check_action(self, action: str, case) -> None:
        problem = self.action_problem(action, case)
        if problem is not None:
            raise RuleViolation(problem)

    def available_actions(self, user, case) -> list[str]:
        return [action for action in self.machine.transitions
                if self.may_act(user, action, case) and self.action_allowed(action, case)]

    def owner_actions(self, user, case) -> list[str]:
        """The actions that would move this person's own work on: what 'My work' must agree with."""
        return [action for action in self.available_actions(user, case)
                if self.machine.transitions[action].by_owner]

    def lock(self, case, by, expected_version) -> models.Model:
        pk = getattr(case, "pk", case)
        locked = (self.model.objects.select_for_update(of=("self",)).select_related(*self.locked_relations)
                  .filter(pk=pk).first())
        if locked is None or not self.can_view(by, locked):
            raise NotAllowed(f"You cannot see this {self.label.lower()}.")
        if expected_version is not CURRENT and (expected_version is None
                                                or str(expected_version) != str(locked.version)):
            raise StaleObject(
                f"Someone else changed {self.reference(locked)} since you opened it (it is now at version "
                f"{locked.version}). Reload it to see what changed, then try again.", field="version")
        return locked

    @contextlib.contextmanager
    def acting(self, case, *, by, action: str, expected_version) -> Iterator[models.Model]:
        with transaction.atomic():
            locked = self.lock(case, by, expected_version)
            self.check_actor(by, action, locked)
            self.check_action(action, locked)
            yield locked

    def advance(self, case, by, action: str, note: str = "", *, details: dict | None = None, to=None):
        """Move to the action's target state (`to` chooses among several), raise the version, record it."""
        from_state = case.state
        case.state = self.machine.target(action, from_state, to)
        case.version += 1
        self.before_save(case)
        case.save()
        return self.record(case, by, action, from_state, note, details=details)

    def record(self, case, by, action: str, from_state: str, note: str = "", *, details: dict | None = None):
        """One timeline entry and one audit event; the case type's notifications after commit.

        The event carries a snapshot of the case's audited fields and a keyed digest of the entry, and the entry
        carries the event's sequence, so each can be checked against the other (ADR 17)."""
        details = _plain(details or {})
        entry = None
        if self.timeline is not None:
            entry = self.timeline(**{self.timeline_case_field: case}, action=str(action), actor=by,
                                  occurred_at=timezone.now(), from_state=from_state, to_state=case.state,
                                  note=(note or "").strip(), details=details)
        # The audit record carries the structure, not the free text people wrote.
        audit_details = {"reference": self.reference(case), "from_state": from_state, "to_state": case.state,
                         "version": case.version, **details, "snapshot": self.snapshot(case)}
        if entry is not None:
            audit_details["entry"] = timeline_digest(entry)
        event = record_event(f"{self.audit_prefix or self.kind}.{action}", by=by, obj=case,
                             organisation_id=None if by else self.audit_organisation(case), details=audit_details)
        if entry is not None:
            entry.audit_sequence = event.sequence
            entry.save(force_insert=True)
            if str(action) in self.notified_actions:
                transaction.on_commit(lambda: tasks.notify_entry.delay(self.kind, entry.pk))
        return entry

    def record_timeline_correction(self, case, by, reason: str):
        """When the service itself rewrites a case's timeline entries (the demo dates its story back to the
        letters), it says so on the chain: one event carrying each entry's new digest, which replay then expects
        (ADR 17). Never for people's changes: those are new entries."""
        entries = self.timeline.objects.filter(**{self.timeline_case_field: case}, audit_sequence__isnull=False)
        return record_event(f"{self.audit_prefix or self.kind}.timeline_corrected", by=by, obj=case, details={
            "reference": self.reference(case), "reason": reason,
            "entries_corrected": {str(entry.audit_sequence): timeline_digest(entry) for entry in entries}})

    def snapshot(self, case) -> dict:
        """The audited fields as the chain records them: foreign keys by id, many-to-many as sorted ids."""
        return _plain({name: _audited_value(case, name) for name in self.audited_fields})


def timeline_digest(entry) -> str:
    """The keyed digest binding a timeline entry to its audit event (audit.state.entry_digest)."""
    return entry_digest(entry_fields(entry.action, entry.actor_id, entry.occurred_at, entry.from_state,
                                     entry.to_state, entry.note, entry.details), mac_key().mac)


def _audited_value(case, name: str):
    field = case._meta.get_field(name)
    if field.many_to_many:
        if name in getattr(case, "_prefetched_objects_cache", {}):
            return sorted(item.pk for item in getattr(case, name).all())
        return sorted(getattr(case, name).values_list("pk", flat=True))
    return getattr(case, field.attname)


def _plain(details: dict) -> dict:
    return json.loads(json.dumps(details, default=str))
