from audit.chain import ChainReport, EventContent, verify_chain
from audit.models import AuditEvent

FIELDS = ("sequence", "occurred_at", "actor_id", "actor_label", "organisation_id", "action",
          "object_type", "object_id", "ip_address", "details", "prev_hash", "hash")


def stored_rows(chunk_size: int = 5000):
    rows = AuditEvent.objects.order_by("sequence").values_list(*FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        yield EventContent(*row[:10]), row[10], row[11]


def verify_stored_chain(expected_head: tuple[int, str] | None = None) -> ChainReport:
    return verify_chain(stored_rows(), expected_head)
