"""Does a hold stop this processing? The interface other apps use (sharing requests here, research projects in
`research`), without the holds app importing them.

    holds_applying(data_source=..., purpose=..., category=..., on=None) -> [Hold]   # in force, covering
    verdict(data_source=..., purpose=..., category=...) -> HoldVerdict(blocked, holds, reason)
    register_subject("request", label=..., blocked_by=..., people=..., reference=..., link=...,
                     on_placed=..., on_lifted=...)

A hold covers processing when its data source is the one drawn on, and the purpose and the personal-data category
(§15–17) are among its own: the letters' "research using this type of sensitive and personal data" was halted while
"professional insights, anonymised information, other data and statistics" were not (30 November 2021). The verdict
gives its reason either way, so that nobody has to guess which side of the line a piece of work is on.

Subjects: an app whose work can fall inside a hold registers a `Subject` in its AppConfig.ready(), saying how to
find its open work inside a hold (`blocked_by(hold, viewer)`, only what `viewer` may see when one is given), who is
to be told about it (`people(item)`), and how to name and link an item. The holds app then lists the work a hold
blocks on its page and tells those people when the hold is placed, reviewed, overdue or lifted. A subject may also
act on its own work when a hold is placed or lifted (`on_placed(hold)`, `on_lifted(hold)`): holds.services runs them
after the placing or lifting commits (research suspends the projects a new hold covers), never inside it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.utils import timezone

from holds.models import Hold
from holds.states import HoldState
from protocols.scope import DataSource, Purpose

UNSTATED = "Not checked against processing holds: the data source, purpose and personal-data category are not all stated."


@dataclass(frozen=True)
class HoldVerdict:
    blocked: bool
    holds: list[Hold]
    reason: str

    @property
    def status(self) -> str:
        return "blocked by hold" if self.blocked else "not blocked"


def _in_force_on(on: date | None):
    if on is None:
        return Hold.objects.filter(state=HoldState.IN_FORCE)
    holds = Hold.objects.filter(began_on__lte=on)
    return [hold for hold in holds if hold.lifted_at is None or timezone.localdate(hold.lifted_at) > on]


def holds_applying(*, data_source: str, purpose: str, category: str, on: date | None = None) -> list[Hold]:
    """The holds in force (today, or on the date `on`) that cover this processing, oldest first."""
    if not (data_source and purpose and category):
        return []
    if on is not None:
        return sorted((hold for hold in _in_force_on(on)
                       if hold.covers(data_source=data_source, purpose=purpose, category=category)),
                      key=lambda hold: (hold.began_on, hold.pk))
    # The lists (purposes, categories) are compared here, on SQLite and PostgreSQL alike: read them alone first,
    # then only the holds that cover it.
    scopes = (Hold.objects.filter(state=HoldState.IN_FORCE, data_source=str(data_source))
              .values_list("pk", "purposes", "personal_data_categories"))
    covering = [pk for pk, purposes, categories in scopes
                if str(purpose) in (purposes or []) and str(category) in (categories or [])]
    if not covering:
        return []
    return list(Hold.objects.filter(pk__in=covering).order_by("began_on", "pk"))


def verdict(*, data_source: str, purpose: str, category: str) -> HoldVerdict:
    """Blocked or not, with the holds that block it, and the reason in words either way."""
    if not (data_source and purpose and category):
        return HoldVerdict(False, [], UNSTATED)
    applying = holds_applying(data_source=data_source, purpose=purpose, category=category)
    if applying:
        names = ", ".join(f"{hold.reference} ({hold.title})" for hold in applying)
        return HoldVerdict(True, applying, f"{_scope_words(data_source, purpose, category)} falls inside "
                                           f"{names}, in force: it can be asked for and assessed, not provided.")
    return HoldVerdict(False, [], _why_not(str(data_source), str(purpose), str(category)))


def _why_not(data_source: str, purpose: str, category: str) -> str:
    on_source = list(Hold.objects.filter(state=HoldState.IN_FORCE, data_source=data_source).order_by("pk"))
    source, category_words = _label(DataSource, data_source), category_label(category)
    if not on_source:
        return f"{category_words}: no hold in force covers data from this source ({source})."
    if not any(purpose in (hold.purposes or []) for hold in on_source):
        return (f"{_label(Purpose, purpose)}: the holds in force on this source cover other purposes "
                f"({', '.join(hold.reference for hold in on_source)}).")
    return (f"{category_words}: no hold in force covers {category_words.lower()} data from this source "
            f"({', '.join(hold.reference for hold in on_source)} cover other categories).")


def _scope_words(data_source: str, purpose: str, category: str) -> str:
    """'Personal data (Victim data held under the Modern Slavery Victim Care contract) for research'."""
    return f"{category_label(category)} ({_label(DataSource, data_source)}) for {_label(Purpose, purpose).lower()}"


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def category_labels() -> dict[str, str]:
    """Every personal-data category of the protocols loaded (§15–17), key -> label, in the protocol's order."""
    from protocols.models import Protocol

    current: dict[str, int] = {}
    for slug, pk in Protocol.objects.order_by("slug", "-last_updated", "-loaded_at", "-pk").values_list("slug", "pk"):
        current.setdefault(slug, pk)  # one query, without the definitions
    key = tuple(sorted(current.items()))
    if key not in _LABELS:  # a loaded protocol version never changes: its labels are read once per process
        found: dict[str, str] = {}
        for protocol in Protocol.objects.filter(pk__in=current.values()).order_by("slug"):
            spec = protocol.spec.personal_data
            found.update({category: spec.label(category) for category in spec.categories})
        _LABELS.clear()
        _LABELS[key] = found
    return dict(_LABELS[key])


_LABELS: dict[tuple, dict[str, str]] = {}


def category_label(category: str) -> str:
    return category_labels().get(str(category), str(category).replace("_", " ").capitalize())


# --- the work a hold blocks, declared by the apps that own it --------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A kind of work that can fall inside a hold (a request, a research project)."""

    kind: str
    label: str
    # The open items of this kind inside the hold's scope; with a viewer, only those the viewer may see.
    blocked_by: Callable[[Hold, Any], Iterable[Any]]
    # The people to tell about an item when a hold over it is placed, reviewed, overdue or lifted.
    people: Callable[[Any], Iterable[Any]] = field(default=lambda item: [])
    reference: Callable[[Any], str] = field(default=str)
    link: Callable[[Any], str] = field(default=lambda item: "")
    # Run after a hold is placed / lifted and committed, with the hold (e.g. research suspends what it covers).
    on_placed: Callable[[Hold], Any] | None = None
    on_lifted: Callable[[Hold], Any] | None = None


_SUBJECTS: dict[str, Subject] = {}


def register_subject(kind: str, *, label: str, blocked_by: Callable[[Hold, Any], Iterable[Any]],
                     people: Callable[[Any], Iterable[Any]] | None = None, reference: Callable[[Any], str] = str,
                     link: Callable[[Any], str] | None = None, on_placed: Callable[[Hold], Any] | None = None,
                     on_lifted: Callable[[Hold], Any] | None = None) -> Subject:
    """Declare a kind of work that holds can block (call from AppConfig.ready(); registering again replaces)."""
    subject = Subject(kind=kind, label=label, blocked_by=blocked_by, people=people or (lambda item: []),
                      reference=reference, link=link or (lambda item: ""), on_placed=on_placed, on_lifted=on_lifted)
    _SUBJECTS[kind] = subject
    return subject


def subjects() -> list[Subject]:
    return list(_SUBJECTS.values())


def after_commit(hold: Hold, hook: str) -> None:
    """Run each subject's `on_placed` / `on_lifted` with the hold once the current transaction commits (each on its
    own: one subject's failure is logged by Django's on_commit (robust) and does not stop the others)."""
    from django.db import transaction

    for subject in subjects():
        callback = getattr(subject, hook)
        if callback is not None:
            transaction.on_commit(lambda callback=callback: callback(hold), robust=True)


@dataclass(frozen=True)
class BlockedItem:
    subject: Subject
    item: Any

    @property
    def reference(self) -> str:
        return self.subject.reference(self.item)

    @property
    def link(self) -> str:
        return self.subject.link(self.item)


def blocked_work(hold: Hold, viewer=None, limit: int | None = None) -> list[BlockedItem]:
    """Every registered kind's open work inside the hold; with a viewer, only what the viewer may see; with a
    limit, at most that many of each kind."""
    return [BlockedItem(subject, item) for subject in subjects()
            for item in islice(subject.blocked_by(hold, viewer), limit)]


def affected_people(hold: Hold) -> list:
    """Everyone whose work the hold blocks, once each, in id order."""
    people = {}
    for blocked in blocked_work(hold):
        for person in blocked.subject.people(blocked.item):
            if person is not None and person.is_active:
                people.setdefault(person.pk, person)
    return [people[pk] for pk in sorted(people)]
