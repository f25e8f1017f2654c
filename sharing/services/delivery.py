"""Providing the information (§6, §7(e)), one-off or occasion by occasion, and downloading what was provided."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from retention import services as retention
from sharing import files as file_checks
from sharing import permissions, policies, rules
from sharing.cases import LOCKED_RELATIONS, REQUESTS
from sharing.models import Delivery, DeliveryFile, DeliveryOccasion, Request
from sharing.services import reading
from sharing.states import Action, RequestState
from vault import services as vault


def deliver(request: Request | int, *, by: User, expected_version: int, description: str, marking: str,
            uploads: Iterable = (), occasion_id: int | None = None, answer: str = "") -> Delivery:
    """Provide the information, or one occasion of a regular request (§6), with its marking (§7(e))."""
    limits.check_texts(description=description, answer=answer)
    uploads = list(uploads)
    saved: list[str] = []
    try:
        with REQUESTS.acting(request, by=by, action=Action.DELIVER, expected_version=expected_version) as locked:
            checked = [file_checks.check_upload(upload, settings.CONCORDAT_MAX_FILE_BYTES) for upload in uploads]
            problems = _delivery_problems(locked, description, marking)
            if not uploads and not answer.strip():
                problems.append(Problem("Attach the information, or write the answer in full.", field="files"))
            occasion = _occasion_for(locked, occasion_id)
            if problems:
                raise RuleViolation(*problems)
            now = timezone.now()
            delivery = Delivery.objects.create(request=locked, occasion=occasion, description=description.strip(),
                                               answer=answer.strip(), marking=marking, delivered_by=by,
                                               delivered_at=now)
            stored: list[DeliveryFile] = []
            for upload, facts in zip(uploads, checked, strict=True):
                # Encrypted at rest in the vault (ADR 27), marked as the delivery is (§7(e)).
                record, vaulted = vault.store_checked(DeliveryFile, upload, facts, marking=marking, by=by,
                                                      uploaded_at=now, delivery=delivery)
                stored.append(record)
                saved.append(vaulted.storage_name)
            # Held until element (f)'s date, then disposed of (§6(f)–(g), ADR 33).
            retention.open_for(delivery, by=by)
            REQUESTS.advance(locked, by, Action.DELIVER, description, to=_after_delivery(locked), details={
                "delivery": delivery.pk, "marking": marking, "occasion": occasion.sequence if occasion else None,
                "files": [_file_details(row, facts) for row, facts in zip(stored, checked, strict=True)]})
            # ADR 28: formula-like cells are flagged on the event (DeliveryFile has no column for them), not altered.
            delivery.flagged_files = [(row.original_name, facts.flagged_total)
                                      for row, facts in zip(stored, checked, strict=True) if facts.flagged_total]
    except BaseException:
        for name in saved:  # the transaction did not commit: no ciphertext outlives it
            vault.discard(name)
        raise
    return delivery


def _file_details(row: DeliveryFile, facts: file_checks.CheckedFile) -> dict:
    """What the upload's event records of one file; `flagged` only when cells could run as formulas (ADR 28)."""
    details = {"file": row.pk, "sha256": facts.sha256, "size": facts.size, "content_type": facts.content_type}
    if facts.flagged_total:
        details["flagged"] = facts.flags_summary()
    return details


def _after_delivery(request: Request) -> RequestState:
    """§6: a regular request owes provision until its last occasion is delivered."""
    if request.is_regular and policies.open_occasions(request):
        return RequestState.PROVISION_OWED
    return RequestState.PROVIDED


def _delivery_problems(request: Request, description: str, marking: str) -> list[Problem]:
    spec = rules.spec_of(request)
    problems = [] if description.strip() else [Problem("Say what is being provided.", field="description")]
    marking_problem = rules.classification_problem(spec, marking, field="marking")
    if marking_problem:
        return problems + [marking_problem]
    if rules.marking_rank(spec, marking) > rules.marking_rank(spec, request.classification):
        problems.append(Problem(f"This request is {request.classification}: material marked {marking} needs a "
                                "request of that classification.", field="marking", clause=spec.classifications.clause))
    return problems


def _occasion_for(request: Request, occasion_id: int | None) -> DeliveryOccasion | None:
    if not request.is_regular:
        if occasion_id is not None:
            raise RuleViolation("A one-off request has no scheduled occasions.", field="occasion")
        return None
    open_occasions = policies.open_occasions(request)
    if occasion_id is None:
        return open_occasions[0]
    for occasion in open_occasions:
        if occasion.pk == occasion_id:
            return occasion
    raise RuleViolation("Choose an occasion not yet delivered.", field="occasion")


def file_for_download(file_id: int, *, by: User) -> DeliveryFile:
    """A delivered file for someone allowed to see its request. The download goes on the record once, as the
    vault's `vault.file_read` (with the request's reference and this file's id), when the vault serves it."""
    delivery_file = vault.owned_file(DeliveryFile, file_id,
                                     related=[f"delivery__request__{relation}" for relation in LOCKED_RELATIONS])
    if delivery_file is None or not permissions.user_can_view(by, delivery_file.delivery.request):
        reading.refused_lookup("download", file_id, by=by)
        raise NotAllowed("You cannot see this file.")
    return delivery_file
