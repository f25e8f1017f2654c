"""Signed checkpoints of the audit chain, with no Django in it (ADR 17).

Each party (the Home Office and the IASC, the protocol's two parties) signs, with its own Ed25519 key held
outside the database, a statement of the chain's head: how many events, the last event's hash, and when.
As a certificate transparency witness does (RFC 9162 §4.10), it vouches that the chain held exactly these
events then. Anyone with the public keys can later prove the chain up to the latest checkpoint without a head
kept by hand: the chain must still hold that event with that hash, and a chain shorter than it was truncated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
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


@dataclass(frozen=True)
class Restore:
    """A restore from a backup recorded on the chain (event `sequence`, `audit.restored`, ADR 46): the chain before
    it is the backup's, and checkpoints signed before `restored_at` over later events vouch for events it lost."""

    sequence: int
    restored_at: datetime

    @property
    def restored_count(self) -> int:
        return self.sequence - 1


@dataclass
class CheckpointReport:
    problems: list[str] = field(default_factory=list)
    latest: dict[str, Checkpoint] = field(default_factory=dict)  # party -> latest valid checkpoint
    checked: int = 0
    # Checkpoints signed after a backup that was later restored, over events the restore lost: reported, not
    # problems (ADR 46).
    lost_in_restore: list[str] = field(default_factory=list)

    @property
    def verified(self) -> int:
        """The checkpoints that vouch for this chain: those checked, less those lost in a restore."""
        return self.checked - len(self.lost_in_restore)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_checkpoints(stored: Iterable[Checkpoint], witnessed: Iterable[Checkpoint],
                      public_keys: Mapping[str, Ed25519PublicKey], chain_count: int,
                      hash_at: Callable[[int], str | None], restores: Sequence[Restore] = ()) -> CheckpointReport:
    """Check every checkpoint, from the table and from the witness files, against the parties' public keys and
    the chain as it stands (`chain_count` events, `hash_at(n)` the stored hash of event n).

    Named: a signature that does not verify (forged), a witnessed checkpoint missing from the table (its row
    deleted), a checkpointed event whose hash changed (rewritten), and a chain shorter than a checkpoint
    (truncated). A checkpoint signed before a recorded restore over events after the head it restored vouches for
    a chain the restore lost: listed in `lost_in_restore`, not a problem; its signature must still verify."""
    report = CheckpointReport()
    stored, witnessed = list(stored), list(witnessed)
    restores = sorted(restores, key=lambda restore: restore.sequence)
    in_table = {checkpoint.identity() for checkpoint in stored}
    for checkpoint in witnessed:
        if checkpoint.identity() not in in_table and lost_by(checkpoint, restores) is None:
            report.problems.append(f"{checkpoint.describe()} is in its witness file but not in the checkpoint"
                                   f" table: the row was deleted")
    seen = set()
    for checkpoint in [*stored, *witnessed]:
        if checkpoint.identity() in seen:
            continue
        seen.add(checkpoint.identity())
        report.checked += 1
        problem, about_the_chain = _check_one(checkpoint, public_keys, chain_count, hash_at)
        restore = lost_by(checkpoint, restores) if about_the_chain else None
        if restore is not None:
            report.lost_in_restore.append(
                f"{checkpoint.describe()} was signed after the backup restored at event {restore.sequence}"
                f" ({_iso(restore.restored_at)}): it vouches for events {restore.restored_count + 1} to"
                f" {checkpoint.count}, which are not in this restored chain")
        elif problem:
            report.problems.append(problem)
        elif checkpoint.count >= getattr(report.latest.get(checkpoint.party), "count", -1):
            report.latest[checkpoint.party] = checkpoint
    return report


def lost_by(checkpoint: Checkpoint, restores: Sequence[Restore]) -> Restore | None:
    """The restore that lost the events this checkpoint vouches for, if any: the first restore after it was signed
    (the chain before that restore is the history it saw), when it vouches for more than that restore kept."""
    restore = next((restore for restore in restores if checkpoint.signed_at < restore.restored_at), None)
    return restore if restore is not None and checkpoint.count > restore.restored_count else None


def _check_one(checkpoint: Checkpoint, public_keys: Mapping[str, Ed25519PublicKey], chain_count: int,
               hash_at: Callable[[int], str | None]) -> tuple[str, bool]:
    """(the problem or "", whether it is about the chain rather than the checkpoint's own signature)."""
    key = public_keys.get(checkpoint.party)
    if key is None:
        return f"{checkpoint.describe()} cannot be checked: no public key is configured for {checkpoint.party}", False
    if not signature_valid(checkpoint, key):
        return (f"{checkpoint.describe()} does not verify with {checkpoint.party}'s public key: the checkpoint"
                f" was forged or altered"), False
    if checkpoint.count > chain_count:
        missing = (f"event {checkpoint.count} is" if checkpoint.count == chain_count + 1
                   else f"events {chain_count + 1} to {checkpoint.count} are")
        return (f"the chain ends at event {chain_count} but {checkpoint.describe()} vouches for"
                f" {checkpoint.count}: {missing} missing; the chain was truncated"), True
    if checkpoint.count and hash_at(checkpoint.count) != checkpoint.head_hash:
        return (f"event {checkpoint.count} no longer has the hash {checkpoint.describe()} vouches for"
                f" ({checkpoint.head_hash[:12]}…): the chain was rewritten"), True
    return "", False
