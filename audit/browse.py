"""The audit log browser's reading of the chain (ADR 42): filters by person, case, action and date, each event in
words with a link to its case, who read which OFFICIAL-SENSITIVE case, and the checkpoints' status. Reading
only: nothing here writes to the chain.

Every filter is bounded and checked (a period ending before it starts is refused, naming the field); the page
reads one page of events and then, for its links, one query per kind of case on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from concordat.errors import Problem, RuleViolation

MAX_TEXT = 100
PAGE_SIZE = 50
# What people and systems did that is not a case's own action, in words.
WORDS = {
    "auth.login": "Signed in",
    "auth.mfa_enrolled": "Set up a one-time code",
    "documents.downloaded": "Downloaded a generated document",
    "documents.bundle_downloaded": "Downloaded a delivery's files as one bundle",
    "documents.file_changed": "A delivered file no longer matched its recorded hash",
    "sharing.file_downloaded": "Downloaded a delivered file",
    "sharing.request_refused": "Asked for a request they may not see",
    "sharing.download_refused": "Asked for a file they may not see",
    "vault.file_read": "Read a stored file",
    "sharing.viewed": "Opened a request (its page or API detail)",
    "vault.read_refused": "Was refused a stored file",
    "vault.read_failed": "A stored file failed its integrity check",
    "vault.file_stored": "Stored a file, encrypted",
    "protocol.loaded": "Loaded a protocol version",
    "clock.adjustment_added": "Added a closure or opening to the working-day calendar",
    "clock.adjustment_removed": "Removed a closure or opening from the working-day calendar",
    "audit.sealed": "Sealed the events written before MACs",
    "audit.restored": "Restored the service from a backup (events after its head were lost)",
    "api_token.created": "Created an API token",
    "api_token.revoked": "Revoked an API token",
    "people.delegate_named": "Named a person to decide for the Commissioner (§14)",
    "people.delegate_revoked": "Removed a person deciding for the Commissioner (§14)",
}
# Reads of a case's information: the events "who looked at which OFFICIAL-SENSITIVE case" lists (each carries the
# marking of what was read in its details; a request's page or API detail, sharing.viewed, carries its classification).
READ_ACTIONS = ("documents.downloaded", "documents.bundle_downloaded", "vault.file_read", "sharing.viewed")
SENSITIVE = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class LogFilter:
    person: str = ""
    case: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({"person": self.person, "case": self.case, "action": self.action,
                          "from": self.start or "", "to": self.end or ""})


def parse_filter(params) -> LogFilter:
    problems = []
    texts = {name: str(params.get(name) or "").strip()[:MAX_TEXT] for name in ("person", "case", "action")}
    for name, text in texts.items():
        if any(not ch.isprintable() for ch in text):
            problems.append(Problem(f"The {name} filter holds a character that cannot be searched for.", field=name))
    start, end = _date(params, "from", problems), _date(params, "to", problems)
    if start and end and end < start:
        problems.append(Problem(f"The period ends ({end:%-d %B %Y}) before it starts ({start:%-d %B %Y}): give "
                                "an end on or after the start.", field="to"))
    if problems:
        raise RuleViolation(*problems)
    return LogFilter(texts["person"], texts["case"], texts["action"], start, end)


def _date(params, name: str, problems: list) -> date | None:
    text = str(params.get(name) or "").strip()[:20]
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(f"“{text}” is not a date: give it as YYYY-MM-DD.", field=name))
        return None
    if not date(2000, 1, 1) <= value <= date(2050, 12, 31):
        problems.append(Problem("Give a date from 2000 to 2050.", field=name))
        return None
    return value


def filtered_events(log_filter: LogFilter):
    events = AuditEvent.objects.order_by("-sequence").only(
        "sequence", "occurred_at", "actor_label", "action", "object_type", "object_id", "details", "hash")
    if log_filter.person:
        events = events.filter(actor_label__icontains=log_filter.person)
    if log_filter.action:
        events = events.filter(action__startswith=log_filter.action)
    if log_filter.start:
        events = events.filter(occurred_at__gte=datetime.combine(log_filter.start, time.min, UTC))
    if log_filter.end:
        events = events.filter(occurred_at__lt=datetime.combine(log_filter.end + timedelta(days=1), time.min, UTC))
    if log_filter.case:
        events = events.filter(**_case_lookup(log_filter.case))
    return events


def _case_lookup(case: str) -> dict:
    """A request's reference, or a case as its page names it ("Escalation 12", "approval 3")."""
    from sharing.models import Request
    from workflow import registry

    match = re.fullmatch(r"([A-Za-z ]+?)[ :#]+(\d{1,18})", case)
    if match:
        label = match.group(1).strip().lower()
        for case_type in registry.case_types():
            if label in (case_type.kind, case_type.label.lower()):
                return {"object_type": case_type.model._meta.label_lower, "object_id": match.group(2)}
    found = Request.objects.filter(reference=case).values_list("pk", flat=True).first()
    return {"object_type": Request._meta.label_lower, "object_id": str(found or "")}


@dataclass(frozen=True)
class EventLine:
    event: AuditEvent
    words: str
    case: str  # the case's reference, in words
    link: str  # its page, when the reader may see it


def described(events, user) -> list[EventLine]:
    """Each event in words, with its case's reference and a link to it for a reader who may see it."""
    from workflow import registry

    events = list(events)
    by_model = {case_type.model._meta.label_lower: case_type for case_type in registry.case_types()}
    by_prefix = {case_type.audit_prefix or case_type.kind: case_type for case_type in registry.case_types()}
    cases = {}
    for object_type, case_type in by_model.items():
        ids = {event.object_id for event in events if event.object_type == object_type and event.object_id.isdigit()}
        if ids:
            found = case_type.model.objects.in_bulk([int(pk) for pk in ids])
            cases.update({(object_type, str(pk)): (case_type, case) for pk, case in found.items()})
    references = _requests_read(events)
    lines = []
    for event in events:
        case_type, case = cases.get((event.object_type, event.object_id), (None, None))
        reference, link = "", ""
        if case is not None:
            reference = case_type.reference(case)
            link = case_type.link(case) if case_type.can_view(user, case) else ""
        elif _read_reference(event) in references:
            request = references[_read_reference(event)]
            reference = request.reference
            link = reverse("sharing:request_detail", args=[request.reference]) if _sees(user, request) else ""
        lines.append(EventLine(event, _words(event, by_prefix), reference, link))
    return lines


def _read_reference(event) -> str:
    details = event.details if isinstance(event.details, dict) else {}
    return str(details.get("reference") or details.get("request") or details.get("case") or "")[:40]


def _requests_read(events) -> dict:
    from sharing.models import Request

    wanted = {_read_reference(event) for event in events} - {""}
    return {request.reference: request for request in Request.objects.filter(reference__in=wanted)} if wanted else {}


def _sees(user, request) -> bool:
    from sharing.cases import REQUESTS

    return REQUESTS.can_view(user, request)


def _words(event, by_prefix) -> str:
    if event.action in WORDS:
        return WORDS[event.action]
    prefix, _, action = event.action.partition(".")
    case_type = by_prefix.get(prefix)
    if case_type is not None and action in case_type.machine.transitions:
        return case_type.phrase(action)[:1].upper() + case_type.phrase(action)[1:]
    return event.action.replace(".", ": ").replace("_", " ").capitalize()


def sensitive_reads(limit: int = 20):
    """The latest reads of OFFICIAL-SENSITIVE cases' information: who read what, and when."""
    sensitive = Q(details__marking=SENSITIVE) | Q(action="sharing.viewed", details__classification=SENSITIVE)
    return AuditEvent.objects.filter(sensitive, action__in=READ_ACTIONS).order_by(
        "-sequence").only("sequence", "occurred_at", "actor_label", "action", "object_type", "object_id",
                          "details")[:limit]
