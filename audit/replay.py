"""`verify_audit --state`: replay the chain against the rows and timelines of every case type (ADR 17).

The pure comparison is in audit.state; this module reads the events, the rows (through each case type's own
snapshot, so the chain and the rows are turned into values the same way) and the timeline entries."""

from __future__ import annotations

from audit.models import AuditEvent
from audit.state import Replay, StateReport, compare_cases, compare_timeline, replay
from workflow import registry
from workflow.cases import timeline_digest


def verify_state() -> StateReport:
    case_types = registry.case_types()
    timeline_of = {case_type.model._meta.label_lower: case_type.timeline._meta.label_lower
                   for case_type in case_types if case_type.timeline is not None}
    events = (AuditEvent.objects.filter(object_type__in=[t.model._meta.label_lower for t in case_types])
              .order_by("sequence").values_list("sequence", "object_type", "object_id", "details")
              .iterator(chunk_size=5000))
    chain = replay(events, timeline_of)
    report = StateReport()
    for case_type in case_types:
        _compare_rows(report, case_type, chain)
        if case_type.timeline is not None:
            _compare_timeline(report, case_type, chain)
    return report


def _compare_rows(report: StateReport, case_type, chain: Replay) -> None:
    model = case_type.model
    many = [name for name in case_type.audited_fields if model._meta.get_field(name).many_to_many]
    rows = {str(case.pk): case_type.snapshot(case)
            for case in model.objects.order_by("pk").prefetch_related(*many).iterator(chunk_size=2000)}
    compare_cases(report, model._meta.label_lower, case_type.label, chain, rows)


def _compare_timeline(report: StateReport, case_type, chain: Replay) -> None:
    timeline = case_type.timeline
    entries = [(entry.pk, entry.audit_sequence, timeline_digest(entry))
               for entry in timeline.objects.order_by("pk").iterator(chunk_size=5000)]
    compare_timeline(report, timeline._meta.label_lower, f"{case_type.label} timeline", chain, entries)
