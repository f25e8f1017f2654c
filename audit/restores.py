"""A restore from a backup, recorded on the chain itself (ADR 46).

Checkpoints signed after a backup vouch for events the restore lost: the restored chain ends earlier, and the events
written on it afterwards have other hashes than the lost ones. `deploy/restore.sh` therefore appends one
`audit.restored` event, authenticated like every other, naming the head it restored (the event before it), the head
recorded when the backup was taken and the SHA-256 of the dump. The checkpoint check reads these events: a checkpoint
signed before a restore over events after the restored head is reported as signed after the backup and not in this
restored chain, not as tampering; every other checkpoint must hold as before.

Only whoever holds the audit MAC key can write the event, so someone who can write the database cannot pass off a
truncation as a restore: an `audit.restored` row whose hash or MAC does not verify is not taken for one.
"""

from __future__ import annotations

import hmac
import re

from django.db import transaction

from audit import keys
from audit.chain import EventContent, event_hash, event_mac_message
from audit.checkpoints import Restore
from audit.models import AuditEvent
from audit.services import record_event
from audit.verify import FIELDS, verify_stored_chain

ACTION = "audit.restored"
SHA256 = re.compile(r"[0-9a-f]{64}")


class RestoreRefused(Exception):
    """The restored chain does not verify, or what was given about the backup is malformed: nothing is recorded."""


def record_restore(*, head_at_backup: tuple[int, str] | None, dump_sha256: str, backup: str = "") -> AuditEvent:
    """Append the restore event to a chain just restored from a backup, after checking that the chain verifies
    and still extends the head recorded when the backup was taken."""
    if not SHA256.fullmatch(dump_sha256 or ""):
        raise RestoreRefused("--dump-sha256 must be the dump's SHA-256: 64 lower-case hex digits")
    chain = verify_stored_chain(head_at_backup)
    if not chain.ok:
        raise RestoreRefused(f"the restored chain does not verify, so no restore is recorded: {chain.problem}")
    with transaction.atomic():
        event = record_event(ACTION, by="restore.sh", details={
            "restored_head": {"count": chain.count, "hash": chain.head_hash},
            "head_at_backup": f"{head_at_backup[0]}:{head_at_backup[1]}" if head_at_backup else None,
            "dump_sha256": dump_sha256, "backup": backup[:200]})
        if event.sequence != chain.count + 1:  # written to meanwhile: the event would name the wrong head
            raise RestoreRefused("the chain was written to while the restore was being recorded; run it again")
    return event


def recorded_restores() -> list[Restore]:
    """The restores on the chain, oldest first: only events whose content still hashes to their stored hash and
    whose MAC verifies (a row edited into a restore by someone without the key is not one)."""
    key = keys.mac_key()
    restores = []
    for row in AuditEvent.objects.filter(action=ACTION).order_by("sequence").values_list(*FIELDS):
        content, prev_hash, digest, mac = EventContent(*row[:10]), row[10], row[11], row[12]
        if event_hash(content, prev_hash) != digest or not mac or not hmac.compare_digest(
                mac, key.mac(event_mac_message(digest)).hex()):
            continue
        restores.append(Restore(sequence=content.sequence, restored_at=content.occurred_at))
    return restores
