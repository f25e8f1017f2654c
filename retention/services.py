"""The only code that changes a retention case (ADR 33): opened when a delivery is provided, disposed of by the
people who hold it. Disposal crypto-shreds each of the delivery's files in the vault (ADR 32: the data key destroyed
in the key store, the ciphertext deleted) in the same transaction as the case's step and its audit event, and
records who, when and how; the disposal certificate is rendered from that record, marked on every page."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record_event, record_standalone
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from documents.rendering import PageMarks, render_pdf
from documents.services import Document, context_for, safe_filename
from retention import reminders
from retention.cases import RETENTION
from retention.models import METHOD_MAX, Retention
from retention.states import RetentionAction, RetentionState
from vault import services as vault

SHREDDING = ("Crypto-shredding: each file's data key was destroyed in the vault's key store, which keeps no old "
             "keys, and its ciphertext deleted, so no copy of the file, nor any backup of the database, can be "
             "decrypted again.")


def disposal_clause(request) -> str:
    """Element (g) of the request's direction: §6(g) or §8(g) (outside the protocol, the route's own)."""
    from sharing import rules

    element = next((e for e in rules.request_element_fields(request) if e.key == "disposal"), None)
    return element.clause if element is not None else rules.route_clause(request)


def open_for(delivery, *, by) -> Retention:
    """Inside the delivery's transaction: the delivery is held until its request's element (f) date."""
    retention = Retention.objects.create(delivery=delivery, request=delivery.request,
                                         keep_until=delivery.request.retain_until)
    RETENTION.record(retention, by, RetentionAction.OPEN, "", details={
        "delivery": delivery.pk, "keep_until": retention.keep_until})
    return retention


def for_person(pk, *, by) -> Retention:
    """A retention case for someone who sees its request; NotAllowed (audited) for anyone else or no such case."""
    found = (Retention.objects.select_related(*RETENTION.locked_relations, "disposed_by", "delivery__delivered_by")
             .filter(pk=pk).first()) if limits.is_id(pk) else None
    if found is None or not RETENTION.can_view(by, found):
        with transaction.atomic():
            record_standalone("retention.lookup_refused", by=by,
                              details={"asked_for": "".join(c if c.isprintable() else "?" for c in str(pk)[:40])})
        raise NotAllowed("No such retention case, or you cannot see it.")
    return found


def listed(by, *, today: date, which: str = "due") -> QuerySet:
    """The cases this person sees: "due" (falling due within the reminder window or overdue), "overdue", "held"
    (everything still held) or "disposed"."""
    cases = (RETENTION.visible(by).select_related("request__requester_org", "delivery")
             .order_by("request__requester_org__name", "keep_until", "pk"))
    held = cases.filter(state=RetentionState.HELD)
    if which == "overdue":
        return held.filter(keep_until__lt=today)
    if which == "due":
        return held.filter(keep_until__lte=reminders.horizon(today))
    if which == "disposed":
        return cases.filter(state=RetentionState.DISPOSED)
    return held


def dispose(retention: Retention | int, *, by, expected_version, method: str, confirmed: bool) -> Retention:
    """Dispose of a delivery (element (g)): crypto-shred its files, record who, when and how. A second disposal is
    refused (the case is disposed of); of two at once, exactly one wins (the row lock and the version)."""
    limits.check_texts(METHOD_MAX, method=method)
    with RETENTION.acting(retention, by=by, action=RetentionAction.DISPOSE, expected_version=expected_version) as locked:
        clause = disposal_clause(locked.request)
        problems = []
        if not confirmed:
            problems.append(Problem("Confirm that you understand the files will be destroyed and cannot be "
                                    "recovered by anyone.", field="confirmed", clause=clause))
        if not method.strip():
            problems.append(Problem("Say how the information was disposed of, including any copies outside "
                                    "Concordat (element (g)).", field="method", clause=clause))
        if problems:
            raise RuleViolation(*problems)
        files = []
        for delivered in locked.delivery.files.select_related("vault_file").order_by("pk"):
            stored = getattr(delivered, "vault_file", None)
            if stored is not None and not stored.is_disposed:
                vault.shred(stored, by=by)
            files.append({"file": delivered.pk, "name": delivered.original_name, "sha256": delivered.sha256,
                          "size": delivered.size})
        locked.disposed_by, locked.disposed_at, locked.method = by, timezone.now(), method.strip()
        RETENTION.advance(locked, by, RetentionAction.DISPOSE, method.strip(), details={
            "files": files, "how": "crypto-shredding", "clause": clause})
    return locked


def certificate(pk, *, by) -> Document:
    """The disposal certificate of a disposed case, for someone who sees its request; its download is audited."""
    retention = for_person(pk, by=by)
    if retention.state != RetentionState.DISPOSED:
        raise RuleViolation("This information has not been disposed of yet: there is no certificate.",
                            field="state")
    request = retention.request
    marks = PageMarks(marking=request.classification, reference=request.reference,
                      protocol=f"{request.protocol.slug} version {request.protocol_version}",
                      clause=disposal_clause(request))
    entry = retention.events.filter(action=RetentionAction.DISPOSE).get()
    content = render_pdf("retention/pdf/disposal_certificate.html", {
        **context_for(request, ""), "retention": retention, "req": request, "files": entry.details.get("files", []), "shredding": SHREDDING,
        "generated_on": timezone.now()}, marks)
    with transaction.atomic():
        record_event("retention.certificate_downloaded", by=by, obj=retention, details={
            "reference": RETENTION.reference(retention), "marking": marks.marking,
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)})
    return Document(filename=safe_filename(marks.marking, request.reference,
                                           f"disposal-certificate-{retention.delivery_id}", "pdf"),
                    content_type="application/pdf", marking=marks.marking, content=io.BytesIO(content),
                    size=len(content))
