"""The hash chain, with no Django in it: how an event's hash is computed and how a chain is checked.

Each event's hash is SHA-256 over a canonical JSON of its content and the previous event's hash,
so editing, deleting, inserting or reordering any event breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
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


def verify_chain(rows: Iterable[tuple[EventContent, str, str]], expected_head: tuple[int, str] | None = None) -> ChainReport:
    """Walk (content, stored prev_hash, stored hash) in sequence order and report the first break.

    `expected_head` is a (count, hash) pair recorded earlier outside the system: the chain must still
    contain that event with that hash, so a wholesale rewrite of the table is caught too.
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
        prev_hash = stored_hash
        expected_sequence += 1
        count += 1
    if not head_seen:
        return ChainReport(False, count, prev_hash, expected_head[0],
                           f"the chain is shorter than the recorded head ({expected_head[0]} events)")
    return ChainReport(True, count, prev_hash)
