"""The one way to write to the audit chain."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, EventContent, event_hash, event_mac_message, head_mac_message
from audit.context import client_address
from audit.keys import mac_key
from audit.models import AuditEvent, AuditHead


class AuditOutsideTransaction(RuntimeError):
    pass


def client_ip(request) -> str | None:
    """The address of the web request being served (audit.context), or of `request` when given."""
    if request is None:
        return client_address.get()
    return request.META.get("REMOTE_ADDR") or None


def describe_object(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return str(obj[0]), str(obj[1])
    return obj._meta.label_lower, str(obj.pk)


def record_event(action: str, *, by=None, obj: Any = None, details: dict | None = None, request=None,
                 organisation_id: int | None = None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    It must run in the same transaction as the change it records, so that neither can be saved
    without the other: calling it outside a transaction is a programming error. The event and the head row
    each carry a MAC under the audit key (ADR 17); with no key, nothing is written (MissingAuditKey).
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("record_event must be called inside transaction.atomic()")
    key = mac_key()
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"hash": GENESIS_HASH})
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    object_type, object_id = describe_object(obj)
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    content = EventContent(
        sequence=head.count + 1,
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor else None,
        actor_label=actor.get_username() if actor else (str(by) if by else "system"),
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_ip(request),
        details=_jsonable(details or {}),
    )
    digest = event_hash(content, head.hash)
    event = AuditEvent.objects.create(
        sequence=content.sequence, occurred_at=content.occurred_at, actor_id=content.actor_id,
        actor_label=content.actor_label, organisation_id=content.organisation_id, action=action,
        object_type=object_type, object_id=object_id, ip_address=content.ip_address,
        details=content.details, prev_hash=head.hash, hash=digest,
        mac=key.mac(event_mac_message(digest)).hex(), mac_key_id=key.key_id,
    )
    AuditHead.objects.filter(id=1).update(count=content.sequence, hash=digest,
                                          mac=key.mac(head_mac_message(content.sequence, digest)).hex())
    return event


def _jsonable(details: dict) -> dict:
    """Round-trip through JSON so the hashed content is exactly what the database returns later."""
    return json.loads(json.dumps(details, default=str))


@transaction.atomic
def record_standalone(action: str, **kwargs) -> AuditEvent:
    """For events with no state change of their own (log-in, log-out, failed log-in)."""
    return record_event(action, **kwargs)


@transaction.atomic
def seal(by=None) -> AuditEvent:
    """Write one authenticated event: it vouches, through the hash chain, for every event before it, such as
    those written before MACs existed (ADR 17). `manage.py seal_audit`."""
    return record_event("audit.sealed", by=by)
