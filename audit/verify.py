"""Verifying the stored chain: the walk (audit.chain), the MACs under the audit key, the head row, the parties'
signed checkpoints (audit.checkpoints), and with `state=True` the rows and timelines of every case against the
chain (audit.state). ADR 2 and ADR 17."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from audit import keys
from audit.chain import (
    GENESIS_HASH,
    ChainReport,
    EventContent,
    event_mac_message,
    head_mac_message,
    verify_chain,
)
from audit.checkpointing import stored_checkpoints, witnessed_checkpoints
from audit.checkpoints import CheckpointReport, check_checkpoints
from audit.models import AuditEvent, AuditHead
from audit.state import StateReport

FIELDS = ("sequence", "occurred_at", "actor_id", "actor_label", "organisation_id", "action",
          "object_type", "object_id", "ip_address", "details", "prev_hash", "hash", "mac")


def stored_rows(chunk_size: int = 5000):
    rows = AuditEvent.objects.order_by("sequence").values_list(*FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        yield EventContent(*row[:10]), row[10], row[11], row[12]


def stored_head_row() -> tuple[int, str, str | None]:
    """The head row record_event keeps beside the chain, as (count, hash, mac); no row yet is the empty chain."""
    row = AuditHead.objects.filter(id=1).values_list("count", "hash", "mac").first()
    return row if row else (0, GENESIS_HASH, None)


def stored_head() -> tuple[int, str]:
    return stored_head_row()[:2]


def verify_stored_chain(expected_head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the stored chain, checking each event's MAC, and compare it with the stored head row, read before and
    after the walk so that events appended meanwhile are not taken for tampering; then check the head row's own
    MAC. With `expected_head` (COUNT:HASH kept outside the system) the chain must also still contain that event."""
    key = keys.mac_key()
    after: list[tuple[int, str, str | None]] = []

    def head_after() -> tuple[int, str]:
        after.append(stored_head_row())
        return after[-1][:2]

    report = verify_chain(stored_rows(), expected_head, stored_head=stored_head(), stored_head_after=head_after,
                          mac_of=lambda digest: key.mac(event_mac_message(digest)).hex())
    if report.ok and after and after[-1][0]:
        count, digest, mac = after[-1]
        if not mac or not hmac.compare_digest(mac, key.mac(head_mac_message(count, digest)).hex()):
            return ChainReport(False, report.count, report.head_hash, count,
                               f"the stored head row ({count} events) does not carry a valid MAC: it was moved or"
                               f" edited without the audit key")
    return report


def verify_checkpoints(chain_count: int) -> CheckpointReport:
    """Every checkpoint in the table and in the witness files, against the parties' public keys (from settings)
    and the chain as it stands, knowing the restores recorded on it (ADR 46)."""
    from audit.restores import recorded_restores  # it verifies the chain with this module's walk

    witnessed, problems = witnessed_checkpoints()
    stored = stored_checkpoints()
    counts = {checkpoint.count for checkpoint in [*stored, *witnessed] if 0 < checkpoint.count <= chain_count}
    hashes = dict(AuditEvent.objects.filter(sequence__in=counts).values_list("sequence", "hash"))
    report = check_checkpoints(stored, witnessed, keys.public_keys(), chain_count, hashes.get, recorded_restores())
    report.problems[:0] = problems
    return report


@dataclass
class Verification:
    chain: ChainReport
    checkpoints: CheckpointReport
    state: StateReport | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_all(expected_head: tuple[int, str] | None = None, *, state: bool = False) -> Verification:
    """Everything verify_audit and the auditors' page check, each problem named."""
    chain = verify_stored_chain(expected_head)
    # The table as it is now, not where the walk stopped: a checkpoint signed over events appended during the walk
    # is not a truncation.
    checkpoints = verify_checkpoints(_stored_count())
    problems = [] if chain.ok else [chain.problem]
    problems += checkpoints.problems
    state_report = None
    if state:
        from audit.replay import verify_state

        state_report = verify_state()
        problems += state_report.problems
    return Verification(chain, checkpoints, state_report, problems)


def _stored_count() -> int:
    """The last sequence the table holds now."""
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
