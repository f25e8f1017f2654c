"""The hash chain, with no Django in it: how an event's hash is computed and how a chain is checked.

Each event's hash is SHA-256 over a canonical JSON of its content and the previous event's hash,
so editing, deleting, inserting or reordering any event breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
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


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    first_broken_sequence: int | None = None
    problem: str = ""


def verify_chain(rows: Iterable[tuple[EventContent, str, str]], expected_head: tuple[int, str] | None = None,
                 *, stored_head: tuple[int, str] | None = None,
                 stored_head_after: Callable[[], tuple[int, str]] | None = None) -> ChainReport:
    """Walk (content, stored prev_hash, stored hash) in sequence order and report the first break.

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
    for content, stored_prev, stored_hash in rows:
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
    return ChainReport(True, count, prev_hash)


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
