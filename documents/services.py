"""Generated documents for the people who may see their request (need-to-know, sharing.permissions), each one
rendered, then put on the record (audit) before it leaves. Views and the API call these functions alone.

A person who cannot see the request is told nothing (NotAllowed, which the pages and the API answer as 404, the
same as for a request that does not exist) and the refusal is audited, as sharing.services.reading does for files."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils import timezone

from audit.services import record_event, record_standalone
from concordat.errors import NotAllowed
from documents import kinds
from documents.rendering import PageMarks, render_pdf
from sharing import permissions, queries, rules
from sharing.cases import LOCKED_RELATIONS
from sharing.models import Delivery, Request
from sharing.states import Decision, PublicationIntent
from vault.services import FileDisposed

ASKED_MAX = 60  # what was asked for is kept on a refusal, never more than a reference's worth
REFERENCE_MAX = Request._meta.get_field("reference").max_length


class NotAvailable(Exception):
    """The person sees the request, but the step this document records has not happened (yet)."""


@dataclass(frozen=True)
class Document:
    filename: str
    content_type: str
    marking: str
    content: IO[bytes]
    size: int


def safe_filename(marking: str, reference: str, what: str, extension: str) -> str:
    """`OFFICIAL-SENSITIVE_IASC-2021-0042_decision-notice.pdf`: the marking first, then only letters, digits,
    dots and hyphens (no path separators, no quotes, nothing a header or a file system reads specially)."""
    parts = [re.sub(r"[^A-Za-z0-9.-]+", "-", part).strip("-.") or "document" for part in (marking.upper(),
                                                                                         reference, what)]
    return "_".join(parts) + "." + extension


def _printable(value) -> str:
    """What was asked for, as the record can keep it: at most ASKED_MAX characters, control characters (a NUL,
    which PostgreSQL's text and jsonb refuse) as "?"."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(value)[:ASKED_MAX])


def _refused(asked_for, what: str, *, by) -> NotAllowed:
    record_standalone("documents.download_refused", by=by,
                      details={"asked_for": _printable(asked_for), "document": what})
    return NotAllowed("You cannot see this request.")


def _visible_request(*, by, reference: str | None = None, pk: int | None = None, kind: str) -> Request:
    lookup = {"reference": reference} if reference is not None else {"pk": pk}
    if reference is not None and (len(reference) > REFERENCE_MAX or not reference.isprintable()):
        raise _refused(reference, kind, by=by)  # no reference of ours: nothing to look up
    found = (Request.objects.select_related(*LOCKED_RELATIONS, "requester", "acknowledged_by__organisation",
                                            "decided_by__organisation")
             .prefetch_related("named_people", "checklist_answers").filter(**lookup).first())
    if found is None or not permissions.user_can_view(by, found):
        raise _refused(reference if reference is not None else pk, kind, by=by)
    return found


def marks_for(req: Request, kind: str) -> PageMarks:
    return PageMarks(marking=req.classification, reference=req.reference,
                     protocol=f"{req.protocol.slug} version {req.protocol_version}",
                     clause=kinds.clause_of(req, kind))


def context_for(req: Request, kind: str) -> dict:
    """What the templates show: the request's record, and the protocol's words for it."""
    spec = rules.spec_of(req)
    requester_party = rules.party_of_organisation(spec, req.requester_org)
    holder_party = rules.party_of_organisation(spec, req.holder_org)
    direction = rules.direction_of(req)
    context = {
        "req": req, "protocol_title": spec.title, "generated_on": timezone.now(),
        "requester_party": requester_party.name if requester_party else req.requester_org,
        "holder_party": holder_party.name if holder_party else req.holder_org,
        "route_title": direction.title if direction else rules.other_route(spec, req.route).title,
        "route_clause": rules.route_clause(req), "classification_clause": spec.classifications.clause,
        "personal_data_clause": spec.personal_data.clause,
    }
    if kind == kinds.Kind.SUBMITTED_REQUEST:
        context["elements"] = queries.element_values(req)
        context["publication_display"] = (PublicationIntent(req.publication_intent).label
                                          if req.publication_intent else "Not stated")
    elif kind == kinds.Kind.ACKNOWLEDGEMENT:
        context["timings_note"] = spec.timings.note
    elif kind == kinds.Kind.DECISION_NOTICE:
        context["declined"] = [(item, answer) for item, answer in queries.checklist_rows(req)
                               if item.key in (req.declined_items or [])]
        context["next_steps"] = _next_steps(req, direction)
    return context


def _next_steps(req: Request, direction) -> str:
    if rules.decision_is_final(req):
        note = direction.escalation.final_decision_note
        return f"{direction.escalation.clause}: " + (note or "this decision is final.")
    if direction and req.decision in (Decision.DECLINED, Decision.AGREED_IN_PART):
        return (f"{direction.escalation.clause}: the requester may escalate this decision through the steps the "
                "protocol sets out.")
    if req.decision in (Decision.AGREED, Decision.AGREED_IN_PART):
        return "The information agreed will be provided by the date above, carrying its security marking."
    return "The request is closed by this decision."


def render(req: Request, kind: str) -> bytes:
    """The document as PDF bytes (no permission check: callers are request_document and the tests)."""
    return render_pdf(kinds.TEMPLATES[kind], context_for(req, kind), marks_for(req, kind))


def request_document(kind: str, *, by, reference: str | None = None, pk: int | None = None) -> Document:
    """One of the request's documents for someone who may see the request; the download is audited."""
    req = _visible_request(by=by, reference=reference, pk=pk, kind=kind)
    if kind not in kinds.Kind.values:
        raise NotAvailable("There is no such document.")
    if not kinds.exists(req, kind):
        raise NotAvailable(f"This request has no {kinds.Kind(kind).label.lower()} yet.")
    content = render(req, kind)
    marks = marks_for(req, kind)
    with transaction.atomic():
        record_event("documents.downloaded", by=by, obj=req, details={
            "reference": req.reference, "document": kind, "marking": marks.marking,
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)})
    return Document(filename=safe_filename(marks.marking, req.reference, kind, "pdf"),
                    content_type="application/pdf", marking=marks.marking, content=io.BytesIO(content),
                    size=len(content))


def delivery_bundle(delivery_id: int, *, by) -> Document:
    """A delivery's files and its cover sheet as one zip (documents.bundle), for someone who may see its request;
    the download is audited with the hash of every file in it."""
    from documents import bundle

    delivery = (Delivery.objects.select_related(*(f"request__{r}" for r in LOCKED_RELATIONS), "delivered_by",
                                                "occasion", "retention").prefetch_related("files", "request__named_people")
                .filter(pk=delivery_id).first())
    if delivery is None or not permissions.user_can_view(by, delivery.request):
        raise _refused(delivery_id, "bundle", by=by)
    disposed_at = getattr(getattr(delivery, "retention", None), "disposed_at", None)
    if disposed_at is not None:  # its files were crypto-shredded (ADR 33): nothing to bundle, ever again
        raise FileDisposed(f"This delivery was disposed of on {disposed_at:%d %B %Y}: its files have been destroyed "
                           "and can no longer be downloaded by anyone. Its disposal certificate says who disposed of "
                           "it and how.")
    try:
        made = bundle.build(delivery)
    except bundle.FileChanged as changed:
        # Nothing is served; the mismatch is on the record for the auditors (a file changed at rest)
        record_standalone("documents.file_changed", by=by, obj=delivery, details={
            "reference": delivery.request.reference, "file": changed.file_id, "sha256_recorded": changed.recorded})
        raise
    with transaction.atomic():
        record_event("documents.bundle_downloaded", by=by, obj=delivery, details={
            "reference": delivery.request.reference, "marking": delivery.marking, "size": made.size,
            "files": [{"sha256": f.sha256, "size": f.size} for f in made.files]})
    return Document(filename=safe_filename(delivery.marking, delivery.request.reference,
                                           f"delivery-{delivery.pk}", "zip"),
                    content_type="application/zip", marking=delivery.marking, content=made.content, size=made.size)
