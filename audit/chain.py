"""The hash chain, with no Django in it: how an event's hash is computed and how a chain is checked.

Each event's hash is SHA-256 over a canonical JSON of its content and the previous event's hash,
so editing, deleting, inserting or reordering any event breaks the chain from that point on.

The hash function is public, so a hash chain alone cannot stop someone who writes the database from
rewriting it whole. Each event's hash therefore also carries a MAC under a key held outside the database
(`event_mac_message`, ADR 17): the walk is given the function that computes it and names an event whose
MAC is missing or wrong. Events written before MACs existed carry none; they are vouched for, through the
hash chain, by the first event after them that carries one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class EventContent:
    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    ip_address: str | None
    details: dict

    def canonical(self, prev_hash: str) -> bytes:
        payload = {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organisation_id": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "ip_address": self.ip_address,
            "details": self.details,
            "prev_hash": prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str).encode()


def event_hash(content: EventContent, prev_hash: str) -> str:
    return hashlib.sha256(content.canonical(prev_hash)).hexdigest()


def event_mac_message(digest: str) -> bytes:
    """What an event's MAC is computed over: its hash, which covers its content and every event before it."""
    return b"concordat-audit-event\0" + digest.encode()


def head_mac_message(count: int, digest: str) -> bytes:
    """What the head row's MAC is computed over; a different domain from events', so that an event's MAC
    cannot be copied onto a head row moved back to that event."""
    return b"concordat-audit-head\0" + f"{count}:{digest}".encode()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    first_broken_sequence: int | None = None
    problem: str = ""


def verify_chain(rows: Iterable[tuple[EventContent, str, str]], expected_head: tuple[int, str] | None = None,
                 *, stored_head: tuple[int, str] | None = None,
                 stored_head_after: Callable[[], tuple[int, str]] | None = None,
                 mac_of: Callable[[str], str] | None = None) -> ChainReport:
    """Walk (content, stored prev_hash, stored hash[, stored mac]) in sequence order and report the first break.

    `mac_of(hash)` gives the MAC each event must carry (hex, ADR 17). With it, an event whose MAC is wrong,
    or missing after an event that carried one, is named; and the chain must end on an event with a MAC.

    `expected_head` is a (count, hash) pair recorded earlier outside the system: the chain must still
    contain that event with that hash, so a wholesale rewrite of the table is caught too.

    `stored_head` is the database's own head row (audit.models.AuditHead) as (count, hash), read before
    the walk, and `stored_head_after` reads the same row again after it (by default it is not re-read).
    Every event is written with its head row in one transaction, so the chain must end exactly at the
    head row: a deleted last event, a truncated chain, a rewrite with every later hash recomputed, events
    inserted past the head, and a head row edited by hand all show here. Reading the row on both sides of
    the walk lets events appended meanwhile pass: the chain may then end anywhere between the two reads.
    """
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    head_seen = expected_head is None
    count = 0
    macs = _MacWalk(mac_of)
    for content, stored_prev, stored_hash, *stored_mac in rows:
        if content.sequence != expected_sequence:
            problem = (
                f"event {expected_sequence} is missing" if content.sequence > expected_sequence
                else f"event {content.sequence} appears out of order"
            )
            return ChainReport(False, count, prev_hash, expected_sequence, problem)
        if stored_prev != prev_hash:
            return ChainReport(False, count, prev_hash, content.sequence,
                               f"event {content.sequence} does not follow the event before it")
        if event_hash(content, stored_prev) != stored_hash:
            return ChainReport(False, count, prev_hash, content.sequence,
                               f"event {content.sequence} was altered after it was written")
        mac_problem = macs.check(content.sequence, stored_hash, stored_mac[0] if stored_mac else None)
        if mac_problem:
            return ChainReport(False, count, prev_hash, content.sequence, mac_problem)
        if expected_head and content.sequence == expected_head[0]:
            if stored_hash != expected_head[1]:
                return ChainReport(False, count, prev_hash, content.sequence,
                                   f"event {content.sequence} no longer matches the recorded head")
            head_seen = True
        if stored_head and content.sequence == stored_head[0] and stored_hash != stored_head[1]:
            return ChainReport(False, count, prev_hash, content.sequence,
                               f"event {content.sequence} does not match the stored head row"
                               f" ({_short(stored_head)}): the event was rewritten, or the head row edited")
        prev_hash = stored_hash
        expected_sequence += 1
        count += 1
    if not head_seen:
        return ChainReport(False, count, prev_hash, expected_head[0],
                           f"the chain is shorter than the recorded head ({expected_head[0]} events)")
    if stored_head is not None:
        after = stored_head_after() if stored_head_after else stored_head
        problem = _compare_with_stored_head(count, prev_hash, stored_head, after)
        if problem:
            return ChainReport(False, count, prev_hash, problem[0], problem[1])
    unauthenticated = macs.unauthenticated_tail(count)
    if unauthenticated:
        return ChainReport(False, count, prev_hash, count, unauthenticated)
    return ChainReport(True, count, prev_hash)


class _MacWalk:
    """The MAC rule along the walk: every event from the first that carries a MAC on must carry the right one."""

    def __init__(self, mac_of: Callable[[str], str] | None):
        self.mac_of = mac_of
        self.first_authenticated: int | None = None

    def check(self, sequence: int, digest: str, mac: str | None) -> str:
        if self.mac_of is None:
            return ""
        if not mac:
            if self.first_authenticated is None:
                return ""  # written before MACs: vouched for by the first event after it that has one
            return (f"event {sequence} carries no MAC although event {self.first_authenticated} before it does:"
                    f" it was written or rewritten without the audit key")
        if not hmac.compare_digest(mac, self.mac_of(digest)):
            return (f"event {sequence} does not carry a valid MAC: it was forged or rewritten without the audit key"
                    f" (or the key configured is not the one it was written with)")
        if self.first_authenticated is None:
            self.first_authenticated = sequence
        return ""

    def unauthenticated_tail(self, count: int) -> str:
        """A chain whose last event carries no MAC proves nothing against someone who can write the table."""
        if self.mac_of is None or count == 0 or self.first_authenticated is not None:
            return ""
        return (f"no event carries a MAC: the {count} events cannot be told from a rewrite; if they were written"
                f" before MACs existed, `manage.py seal_audit` writes an authenticated event vouching for them")


def _short(head: tuple[int, str]) -> str:
    return f"{head[0]}:{head[1][:12]}…"


def _compare_with_stored_head(count: int, last_hash: str, before: tuple[int, str],
                              after: tuple[int, str]) -> tuple[int, str] | None:
    """(first wrong sequence, problem) when a whole chain of `count` events ending in `last_hash`
    disagrees with the stored head row, or None when it agrees."""
    if count < before[0]:
        missing = (f"event {before[0]} (the last) is missing" if before[0] == count + 1
                   else f"events {count + 1} to {before[0]} (the last) are missing")
        ends = f"the chain ends at event {count}" if count else "the chain is empty"
        return count + 1, (f"{ends} but the stored head row records {before[0]}"
                           f" events: {missing}; the chain was truncated, or the head row edited")
    if count > after[0]:
        beyond = f"event {count} lies" if count == after[0] + 1 else f"events {after[0] + 1} to {count} lie"
        head = f"the stored head row ({after[0] or 'missing, or 0'} events)"
        return after[0] + 1, (f"{beyond} past {head}: written outside the audit service,"
                              f" or the head row was moved back")
    if count == after[0] == 0 and last_hash != after[1]:
        return 0, f"the chain is empty but the stored head row ({_short(after)}) is not the starting head"
    if count == after[0] and last_hash != after[1]:
        return count, (f"the chain's last event {count} does not match the stored head row"
                       f" ({_short(after)}): the event was rewritten, or the head row edited")
    return None
