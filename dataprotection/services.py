"""Every change to a personal-data record (§15–17, Annex B): saved by the requesting side while the request is a
draft or further information is asked for, and confirmed by the holder as part of its assessment (§17). Each runs
in one transaction with the request's row locked (so a submission, a decision and an edit never interleave), checks
who is acting, and writes one audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_active_member
from accounts.roles import Role
from audit.services import record_event
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation, StaleObject
from dataprotection import rules
from dataprotection.legislation import (
    Article6Basis,
    Article9Condition,
    Article10Authority,
    Schedule1Condition,
)
from dataprotection.models import DATA_ITEMS_MAX, ITEM_MAX, SHORT_MAX, TEXT_MAX, DataItem, PersonalDataRecord
from sharing import permissions
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import RequestState
from workflow.cases import CURRENT

CHOICE_FIELDS = {
    "article6_basis": Article6Basis, "article9_condition": Article9Condition,
    "schedule1_condition": Schedule1Condition, "article10_authority": Article10Authority,
    "criminal_schedule1_condition": Schedule1Condition,
}
SHORT_FIELDS = ("policy_document", "statutory_power", "dpia_reference")
LONG_FIELDS = ("necessity", "retention", "deletion", "dpo_view", "individual_rights")
RECORD_FIELDS = (*CHOICE_FIELDS, *SHORT_FIELDS, *LONG_FIELDS)
# The requesting side keeps the record while it can still change the request (§10: further information).
EDITABLE_STATES = frozenset({RequestState.DRAFT, RequestState.FURTHER_INFORMATION_REQUESTED})
EDITORS = "a requester or case officer of the requesting organisation"
CONFIRMERS = "the holder's decision maker or its data protection officer"


def may_edit(user, request: Request) -> bool:
    return permissions.user_can_view(user, request) and permissions.is_requester_side(user, request)


def may_confirm(user, request: Request) -> bool:
    """§17: the holder satisfies itself; its decision maker (the assessor, or the Commissioner where the decision
    is final, §14) or its data protection officer confirms."""
    if not permissions.user_can_view(user, request) or not is_active_member(user):
        return False
    department = user.organisation.department.pk
    holder = request.holder_org
    dpo_of_holder = user.has_role(Role.DPO) and department in (holder.pk, holder.parent_id)
    return permissions.is_decider(user, request) or dpo_of_holder


def save_record(request: Request | int, *, by: User, expected_version: int | None, fields: Mapping | None = None,
                items: Iterable[Mapping] | None = None) -> PersonalDataRecord:
    """Create or change the record. `expected_version` is the record's version as the person loaded it (0 when
    there was none yet). `items` replaces the data items when given: [{"item": ..., "reason": ...}, ...]."""
    fields = dict(fields or {})
    rows = _parsed_items(items) if items is not None else None
    _check_fields(fields)
    with transaction.atomic():
        locked = REQUESTS.lock(request, by, CURRENT)
        if not permissions.is_requester_side(by, locked):
            raise NotAllowed(f"Only {EDITORS} can change the personal-data record.", clause="§15–17")
        if locked.state not in EDITABLE_STATES:
            raise RuleViolation(f"The request is {locked.get_state_display().lower()}: its personal-data record can "
                                "be changed only while it is a draft or further information is asked for.",
                                field="state")
        record = PersonalDataRecord.objects.select_for_update().filter(request=locked).first()
        _check_version(record, expected_version, locked)
        now, created = timezone.now(), record is None
        if created:
            record = PersonalDataRecord(request=locked, version=1)
        else:
            record.version += 1
        for name, value in fields.items():
            setattr(record, name, value)
        record.updated_by, record.updated_at = by, now
        record.save()
        if rows is not None:
            record.items.all().delete()
            DataItem.objects.bulk_create([DataItem(record=record, position=index, item=item, reason=reason)
                                          for index, (item, reason) in enumerate(rows, start=1)])
        record_event("dataprotection.record_saved", by=by, obj=record, details={
            "reference": locked.reference, "request": locked.pk, "version": record.version, "created": created,
            "changed": sorted(fields) + (["data_items"] if rows is not None else []),
            "choices": {name: getattr(record, name) for name in CHOICE_FIELDS},
            "data_items": record.items.count(), "complete": not rules.record_problems(locked, record)})
    return record


def confirm(request: Request | int, *, by: User, expected_version: int | None, note: str = "") -> PersonalDataRecord:
    """§17: the holder confirms that the disclosure, as the record describes it, complies with data protection law.
    The confirmation is of this version of the record: a later change asks for it again."""
    limits.check_texts(note=note)
    with transaction.atomic():
        locked = REQUESTS.lock(request, by, CURRENT)
        if not may_confirm(by, locked):
            raise NotAllowed(f"Only {CONFIRMERS} can confirm the personal-data record.", clause="§17")
        if locked.state != RequestState.UNDER_ASSESSMENT:
            raise RuleViolation(f"The request is {locked.get_state_display().lower()}: the personal-data record is "
                                "confirmed during the assessment.", field="state", clause="§17")
        if not rules.needs_record(locked):
            raise RuleViolation("This request asks for no personal data: there is nothing to confirm.",
                                field="confirmation", clause="§17")
        record = PersonalDataRecord.objects.select_for_update().filter(request=locked).first()
        _check_version(record, expected_version, locked)
        problems = rules.record_problems(locked, record)
        if problems:
            raise RuleViolation(Problem("The personal-data record is not complete: ask the requester for further "
                                        "information first.", field="confirmation", clause="§17"), *problems)
        if record.is_confirmed:
            raise RuleViolation("This version of the record is already confirmed.", field="confirmation",
                                clause="§17")
        record.confirmed_by, record.confirmed_at = by, timezone.now()
        record.confirmed_version, record.confirmation_note = record.version, (note or "").strip()
        record.save(update_fields=["confirmed_by", "confirmed_at", "confirmed_version", "confirmation_note"])
        record_event("dataprotection.confirmed", by=by, obj=record, organisation_id=None, details={
            "reference": locked.reference, "request": locked.pk, "version": record.version})
    return record


def _check_version(record: PersonalDataRecord | None, expected_version, request: Request) -> None:
    current = record.version if record else 0
    if expected_version is None or str(expected_version) != str(current):
        raise StaleObject(f"Someone else changed the personal-data record of {request.reference} since you opened "
                          f"it (it is now at version {current}). Reload it to see what changed, then try again.",
                          field="version")


def _check_fields(fields: dict) -> None:
    problems = [Problem("This cannot be changed here.", field=name) for name in sorted(set(fields) - set(RECORD_FIELDS))]
    for name, value in list(fields.items()):
        if name not in RECORD_FIELDS:
            continue
        if value is None:
            fields[name] = value = ""
        if not isinstance(value, str):
            problems.append(Problem("Give text.", field=name))
            continue
        fields[name] = value = value.strip()
        if name in CHOICE_FIELDS and value and value not in CHOICE_FIELDS[name].values:
            problems.append(Problem(f"Choose one of: {', '.join(CHOICE_FIELDS[name].labels)}.", field=name,
                                    clause=rules.CLAUSES.get(name)))
        limit = SHORT_MAX if name in SHORT_FIELDS else TEXT_MAX
        if name not in CHOICE_FIELDS and (problem := limits.text_problem(value, name, limit)):
            problems.append(problem)
        if "\x00" in value:
            problems.append(Problem("Null characters are not allowed.", field=name))
    if problems:
        raise RuleViolation(*problems)


def _parsed_items(items: Iterable[Mapping]) -> list[tuple[str, str]]:
    """The data items as (item, reason), blank rows left out; at most DATA_ITEMS_MAX, each bounded and each with
    its reason (minimisation, UK GDPR Art 5(1)(c))."""
    clause = rules.CLAUSES["data_items"]
    items = list(items) if not isinstance(items, (str, bytes, Mapping)) else None
    if items is None:
        raise RuleViolation("Give the data items as a list of items, each with its reason.", field="data_items",
                            clause=clause)
    if len(items) > DATA_ITEMS_MAX:
        raise RuleViolation(f"List at most {DATA_ITEMS_MAX} data items (there are {len(items):,}): ask only for "
                            "what is needed.", field="data_items", clause=clause)
    rows, problems = [], []
    for index, row in enumerate(items, start=1):
        if not isinstance(row, Mapping) or not all(isinstance(row.get(k, ""), str) for k in ("item", "reason")):
            problems.append(Problem(f"Item {index}: give the item and the reason as text.", field="data_items",
                                    clause=clause))
            continue
        item, reason = (row.get("item") or "").strip(), (row.get("reason") or "").strip()
        if not item and not reason:
            continue
        if "\x00" in item or "\x00" in reason:
            problems.append(Problem(f"Item {index}: null characters are not allowed.", field="data_items"))
        if not item:
            problems.append(Problem(f"Item {index}: name the data item.", field="data_items", clause=clause))
        if not reason:
            problems.append(Problem(f"Item {index} ({item[:60]}): say why it is needed.", field="data_items",
                                    clause=clause))
        if len(item) > ITEM_MAX:
            problems.append(Problem(f"Item {index}: keep the item's name to {ITEM_MAX} characters.",
                                    field="data_items"))
        if len(reason) > TEXT_MAX:
            problems.append(Problem(f"Item {index}: keep the reason to {TEXT_MAX:,} characters.", field="data_items"))
        rows.append((item, reason))
    if problems:
        raise RuleViolation(*problems)
    return rows
