from audit.chain import GENESIS_HASH, ChainReport, EventContent, verify_chain
from audit.models import AuditEvent, AuditHead

FIELDS = ("sequence", "occurred_at", "actor_id", "actor_label", "organisation_id", "action",
          "object_type", "object_id", "ip_address", "details", "prev_hash", "hash")


def stored_rows(chunk_size: int = 5000):
    rows = AuditEvent.objects.order_by("sequence").values_list(*FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        yield EventContent(*row[:10]), row[10], row[11]


def stored_head() -> tuple[int, str]:
    """The head row record_event keeps beside the chain, as (count, hash); no row yet is the empty chain."""
    row = AuditHead.objects.filter(id=1).values_list("count", "hash").first()
    return row if row else (0, GENESIS_HASH)


def verify_stored_chain(expected_head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the stored chain and compare it with the stored head row, read before and after the walk so
    that events appended meanwhile are not taken for tampering; with `expected_head` (COUNT:HASH kept
    outside the system) the chain must also still contain that event."""
    return verify_chain(stored_rows(), expected_head,
                        stored_head=stored_head(), stored_head_after=stored_head)
