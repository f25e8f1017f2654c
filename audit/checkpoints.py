"""Signed checkpoints of the audit chain, with no Django in it (ADR 17).

Each party (the Home Office and the IASC, the protocol's two parties) signs, with its own Ed25519 key held
outside the database, a statement of the chain's head: how many events, the last event's hash, and when.
As a certificate transparency witness does (RFC 9162 §4.10), it vouches that the chain held exactly these
events then. Anyone with the public keys can later prove the chain up to the latest checkpoint without a head
kept by hand: the chain must still hold that event with that hash, and a chain shorter than it was truncated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

LOG_NAME = "concordat-audit-chain"


def statement(party: str, count: int, head_hash: str, signed_at: datetime) -> bytes:
    """The exact bytes a party signs."""
    return json.dumps({"log": LOG_NAME, "party": party, "count": count, "hash": head_hash,
                       "signed_at": _iso(signed_at)}, sort_keys=True, separators=(",", ":")).encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Checkpoint:
    party: str
    count: int
    head_hash: str
    signed_at: datetime
    key_id: str
    signature: str  # hex

    def statement(self) -> bytes:
        return statement(self.party, self.count, self.head_hash, self.signed_at)

    def identity(self) -> tuple:
        return self.party, self.count, self.head_hash, _iso(self.signed_at), self.signature

    def describe(self) -> str:
        return f"{self.party}'s checkpoint at event {self.count} signed {_iso(self.signed_at)}"

    def to_line(self) -> str:
        """One line of the party's witness file."""
        return json.dumps({**asdict(self), "signed_at": _iso(self.signed_at)}, sort_keys=True)

    @classmethod
    def from_line(cls, line: str) -> Checkpoint:
        data = json.loads(line)
        return cls(data["party"], int(data["count"]), data["head_hash"], datetime.fromisoformat(data["signed_at"]),
                   data["key_id"], data["signature"])


def sign(key: Ed25519PrivateKey, key_id: str, party: str, count: int, head_hash: str,
         signed_at: datetime) -> Checkpoint:
    signature = key.sign(statement(party, count, head_hash, signed_at)).hex()
    return Checkpoint(party, count, head_hash, signed_at, key_id, signature)


def signature_valid(checkpoint: Checkpoint, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(bytes.fromhex(checkpoint.signature), checkpoint.statement())
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class CheckpointReport:
    problems: list[str] = field(default_factory=list)
    latest: dict[str, Checkpoint] = field(default_factory=dict)  # party -> latest valid checkpoint
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_checkpoints(stored: Iterable[Checkpoint], witnessed: Iterable[Checkpoint],
                      public_keys: Mapping[str, Ed25519PublicKey], chain_count: int,
                      hash_at: Callable[[int], str | None]) -> CheckpointReport:
    """Check every checkpoint, from the table and from the witness files, against the parties' public keys and
    the chain as it stands (`chain_count` events, `hash_at(n)` the stored hash of event n).

    Named: a signature that does not verify (forged), a witnessed checkpoint missing from the table (its row
    deleted), a checkpointed event whose hash changed (rewritten), and a chain shorter than a checkpoint
    (truncated)."""
    report = CheckpointReport()
    stored, witnessed = list(stored), list(witnessed)
    in_table = {checkpoint.identity() for checkpoint in stored}
    for checkpoint in witnessed:
        if checkpoint.identity() not in in_table:
            report.problems.append(f"{checkpoint.describe()} is in its witness file but not in the checkpoint"
                                   f" table: the row was deleted")
    seen = set()
    for checkpoint in [*stored, *witnessed]:
        if checkpoint.identity() in seen:
            continue
        seen.add(checkpoint.identity())
        report.checked += 1
        problem = _check_one(checkpoint, public_keys, chain_count, hash_at)
        if problem:
            report.problems.append(problem)
        elif checkpoint.count >= getattr(report.latest.get(checkpoint.party), "count", -1):
            report.latest[checkpoint.party] = checkpoint
    return report


def _check_one(checkpoint: Checkpoint, public_keys: Mapping[str, Ed25519PublicKey], chain_count: int,
               hash_at: Callable[[int], str | None]) -> str:
    key = public_keys.get(checkpoint.party)
    if key is None:
        return f"{checkpoint.describe()} cannot be checked: no public key is configured for {checkpoint.party}"
    if not signature_valid(checkpoint, key):
        return (f"{checkpoint.describe()} does not verify with {checkpoint.party}'s public key: the checkpoint"
                f" was forged or altered")
    if checkpoint.count > chain_count:
        missing = (f"event {checkpoint.count} is" if checkpoint.count == chain_count + 1
                   else f"events {chain_count + 1} to {checkpoint.count} are")
        return (f"the chain ends at event {chain_count} but {checkpoint.describe()} vouches for"
                f" {checkpoint.count}: {missing} missing; the chain was truncated")
    if checkpoint.count and hash_at(checkpoint.count) != checkpoint.head_hash:
        return (f"event {checkpoint.count} no longer has the hash {checkpoint.describe()} vouches for"
                f" ({checkpoint.head_hash[:12]}…): the chain was rewritten")
    return ""
