"""Signing checkpoints and reading them back, from the table and from each party's witness file (ADR 17)."""

from __future__ import annotations

import hmac
import json
import os
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from audit import keys
from audit.chain import GENESIS_HASH, event_mac_message, head_mac_message
from audit.checkpoints import Checkpoint, sign
from audit.models import AuditCheckpoint, AuditEvent, AuditHead


class CheckpointRefused(Exception):
    """The party will not vouch for a head that does not verify."""


def sign_checkpoint(party: str, *, signed_by: str) -> AuditCheckpoint:
    """The party signs the head of the chain as it is now, after checking that the head row and its last event
    carry valid MACs and that its own previous checkpoint still holds; the row is stored, then the checkpoint is
    appended to the party's witness file outside the database."""
    if party not in keys.parties():
        raise CheckpointRefused(f"{party} is not a party that signs checkpoints ({', '.join(keys.parties())}).")
    private = keys.signing_key(party)
    key_id = keys.public_key_id(private.public_key())
    with transaction.atomic():
        count, digest = _checked_head(party)
        checkpoint = sign(private, key_id, party, count, digest, timezone.now().astimezone(UTC))
        row = AuditCheckpoint.objects.create(
            party=party, count=count, head_hash=digest, signed_at=checkpoint.signed_at, key_id=key_id,
            signature=checkpoint.signature, signed_by=signed_by)
    append_to_witness(checkpoint)
    return row


def _checked_head(party: str) -> tuple[int, str]:
    head = AuditHead.objects.select_for_update().filter(id=1).values_list("count", "hash", "mac").first()
    count, digest, head_mac = head or (0, GENESIS_HASH, None)
    if count == 0:
        return count, digest
    key = keys.mac_key()
    if not head_mac or not hmac.compare_digest(head_mac, key.mac(head_mac_message(count, digest)).hex()):
        raise CheckpointRefused(f"The head row ({count} events) does not carry a valid MAC: run verify_audit.")
    last = AuditEvent.objects.filter(sequence=count).values_list("hash", "mac").first()
    if last is None or last[0] != digest or not last[1] or not hmac.compare_digest(
            last[1], key.mac(event_mac_message(digest)).hex()):
        raise CheckpointRefused(f"Event {count} does not match the head row: run verify_audit.")
    previous = AuditCheckpoint.objects.filter(party=party).order_by("-count", "-id").first()
    if previous and previous.count and AuditEvent.objects.filter(sequence=previous.count).values_list(
            "hash", flat=True).first() != previous.head_hash:
        raise CheckpointRefused(f"Event {previous.count} no longer matches {party}'s previous checkpoint:"
                                f" run verify_audit.")
    return count, digest


def append_to_witness(checkpoint: Checkpoint) -> None:
    path = keys.witness_path(checkpoint.party)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(checkpoint.to_line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def stored_checkpoints() -> list[Checkpoint]:
    rows = AuditCheckpoint.objects.order_by("id").values_list(
        "party", "count", "head_hash", "signed_at", "key_id", "signature")
    return [Checkpoint(*row) for row in rows]


def witnessed_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """Every line of every party's witness file, and the problems found reading them."""
    found, problems = [], []
    for party in keys.parties():
        path = keys.witness_path(party)
        if path is None or not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                found.append(Checkpoint.from_line(line))
            except (ValueError, KeyError, TypeError, json.JSONDecodeError):
                problems.append(f"line {number} of {path} is not a checkpoint: the witness file was altered")
    return found, problems


def latest_checkpoints() -> list[AuditCheckpoint]:
    """The latest stored checkpoint of each party, for the audit log page."""
    return [row for party in keys.parties()
            if (row := AuditCheckpoint.objects.filter(party=party).order_by("-count", "-id").first())]
