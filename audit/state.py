"""Replaying the chain against the current rows, with no Django in it (ADR 17).

Each case event carries a snapshot of its case's audited fields (`workflow.cases.CaseType.audited_fields`) and
a keyed digest of the timeline entry written with it; the entry carries the event's sequence. Replaying the
chain is then taking the last snapshot of each case, and the last digest of each entry: a row or an entry
changed by SQL afterwards disagrees with it, and is named with the field, the chain's value and the row's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str).encode()


def entry_fields(action: str, actor_id: int | None, occurred_at: datetime, from_state: str, to_state: str,
                 note: str, details: Mapping) -> dict:
    """What binds a timeline entry to its audit event: who, when, what, from and to, and the text people read."""
    return {"action": str(action), "actor_id": actor_id,
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "from_state": str(from_state), "to_state": str(to_state), "note": note, "details": details}


def entry_digest(fields: Mapping, mac: Callable[[bytes], bytes]) -> str:
    """Keyed (the audit MAC key), so that the digest of a short note in the permanent chain cannot be guessed
    (ADR 2 rejected a plain hash for that reason)."""
    return mac(b"concordat-timeline-entry\0" + hashlib.sha256(canonical(fields)).digest()).hex()


@dataclass
class Replay:
    """The last snapshot of each case and the digest each timeline entry must have, from the chain."""

    snapshots: dict[tuple[str, str], tuple[int, dict, str]] = field(default_factory=dict)  # (type, id) -> seq, snap, ref
    entries: dict[tuple[str, int], tuple[str, str, str]] = field(default_factory=dict)  # (type, seq) -> digest, id, ref


def replay(events: Iterable[tuple[int, str, str, dict]], timeline_of: Mapping[str, str]) -> Replay:
    """Walk (sequence, object_type, object_id, details) in order. `timeline_of` maps a case's object type to
    its timeline's name."""
    result = Replay()
    for sequence, object_type, object_id, details in events:
        reference = str(details.get("reference", object_id))
        if "snapshot" in details:
            result.snapshots[(object_type, object_id)] = (sequence, details["snapshot"], reference)
        timeline = timeline_of.get(object_type)
        if timeline and "entry" in details:
            result.entries[(timeline, sequence)] = (details["entry"], object_id, reference)
        for bound, digest in details.get("entries_corrected", {}).items():
            if timeline:
                result.entries[(timeline, int(bound))] = (digest, object_id, reference)
    return result


@dataclass
class StateReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cases: int = 0
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _show(value) -> str:
    return json.dumps(value, default=str)


def compare_cases(report: StateReport, object_type: str, label: str, chain: Replay,
                  rows: Mapping[str, dict]) -> None:
    """Name each audited field whose row value differs from the last snapshot in the chain."""
    recorded = {object_id: snap for (kind, object_id), snap in chain.snapshots.items() if kind == object_type}
    for object_id, (sequence, snapshot, reference) in sorted(recorded.items()):
        report.cases += 1
        row = rows.get(object_id)
        if row is None:
            report.problems.append(f"{label} {reference} (id {object_id}), last recorded at event {sequence},"
                                   f" is no longer in the table: deleted outside the service")
            continue
        for name, chain_value in snapshot.items():
            if name in row and row[name] != chain_value:
                report.problems.append(
                    f"{label} {reference} (id {object_id}): {name} is {_show(row[name])} in the table but"
                    f" {_show(chain_value)} in the chain (event {sequence}): changed outside the service")
    unrecorded = sorted(set(rows) - set(recorded), key=lambda pk: (len(pk), pk))
    if unrecorded:
        report.notes.append(f"{len(unrecorded)} {label.lower()}s have no snapshot in the chain (written before"
                            f" snapshots, or outside the service): ids {', '.join(unrecorded[:10])}"
                            f"{'…' if len(unrecorded) > 10 else ''}")


def compare_timeline(report: StateReport, timeline: str, label: str, chain: Replay,
                     entries: Iterable[tuple[int, int | None, str]]) -> None:
    """`entries`: (entry id, the audit sequence it carries, its digest now). Name each entry changed, deleted,
    or bound to no event after binding began."""
    bound = {sequence: value for (name, sequence), value in chain.entries.items() if name == timeline}
    seen: set[int] = set()
    unbound: list[int] = []
    first_bound_id = min((entry_id for entry_id, sequence, _ in entries if sequence is not None), default=None)
    for entry_id, sequence, digest in entries:
        report.entries += 1
        if sequence is None:
            unbound.append(entry_id)
            continue
        expected = bound.get(sequence)
        if expected is None:
            report.problems.append(f"{label} entry {entry_id} claims audit event {sequence}, which recorded no"
                                   f" such entry: inserted or re-pointed outside the service")
        elif expected[0] != digest:
            report.problems.append(f"{label} entry {entry_id} of {expected[2]} differs from what audit event"
                                   f" {sequence} recorded (who, when, action, states or note): changed outside"
                                   f" the service")
        seen.add(sequence)
    for sequence in sorted(set(bound) - seen):
        _, object_id, reference = bound[sequence]
        report.problems.append(f"the {label.lower()} entry of {reference} recorded by audit event {sequence} is"
                               f" missing: deleted outside the service")
    late = [entry_id for entry_id in unbound if first_bound_id is not None and entry_id > first_bound_id]
    if late:
        report.problems.append(f"{label} entries {', '.join(map(str, late[:10]))} are bound to no audit event"
                               f" although written after binding began: inserted outside the service")
    if len(unbound) > len(late):
        report.notes.append(f"{len(unbound) - len(late)} {label.lower()} entries were written before entries were"
                            f" bound to audit events")
