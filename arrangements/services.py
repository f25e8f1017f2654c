"""Every change to an arrangement (§16): drafted and changed by a party, signed off by an approver or data
protection officer of a party who did not draft it (its DPIA recorded), reviewed (which sets the next review
date), suspended, resumed and ended. Each runs in the workflow core's acting wrapper: lock, version, who may
act, what the state allows, one timeline entry and one audit event; nothing is half-saved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from arrangements import permissions
from arrangements.cases import ARRANGEMENTS, CLAUSE, DRAFTERS
from arrangements.models import DPIA_REFERENCE_MAX, TITLE_MAX, Arrangement
from arrangements.states import ArrangementAction, DpiaOutcome
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from protocols.models import Protocol
from protocols.services import current_protocol

TEXT_FIELDS = ("purpose", "data_items", "lawful_basis")
DATE_FIELDS = ("starts_on", "review_on", "ends_on")
DPIA_FIELDS = ("dpia_reference", "dpia_completed_on", "dpia_outcome")
FIELDS = ("title", *TEXT_FIELDS, "personal_data_categories", *DATE_FIELDS, *DPIA_FIELDS)
PARTIES_MAX = 20


def personal_categories() -> dict[str, str]:
    """The personal-data categories of the protocols loaded (§15–17), key -> label."""
    found: dict[str, str] = {}
    for slug in sorted(set(Protocol.objects.values_list("slug", flat=True))):
        spec = current_protocol(slug).spec.personal_data
        found.update({key: spec.label(key) for key in spec.personal_categories})
    return found


def create(*, by: User, parties: Iterable, fields: dict) -> Arrangement:
    """A new draft arrangement between `parties` (departments, the drafter's own among them)."""
    if not permissions.may_draft(by):
        raise NotAllowed(f"Only {DRAFTERS} can draft a data sharing arrangement.", clause=CLAUSE)
    with transaction.atomic():
        arrangement = Arrangement(drafted_by=by, drafted_at=timezone.now())
        _apply(arrangement, fields, require_all=True)
        chosen = _parties(parties, by)
        arrangement.save()
        arrangement.parties.set(chosen)
        ARRANGEMENTS.record(arrangement, by, ArrangementAction.CREATE, "", details={"parties": [p.pk for p in chosen]})
    return arrangement


def update(arrangement: Arrangement | int, *, by: User, expected_version, fields: dict,
           parties: Iterable | None = None) -> Arrangement:
    """Change a draft; what was signed off is never changed (a review records what changed since)."""
    with ARRANGEMENTS.acting(arrangement, by=by, action=ArrangementAction.UPDATE,
                             expected_version=expected_version) as locked:
        changed = _apply(locked, fields, require_all=False)
        if parties is not None:
            locked.parties.set(_parties(parties, by))
            changed.append("parties")
        ARRANGEMENTS.advance(locked, by, ArrangementAction.UPDATE, details={"changed": changed})
    return locked


def sign_off(arrangement: Arrangement | int, *, by: User, expected_version, note: str = "") -> Arrangement:
    """§16: an approver or DPO of a party who did not draft it; the DPIA must be recorded (CaseType.rule_problem)."""
    limits.check_texts(note=note)
    with ARRANGEMENTS.acting(arrangement, by=by, action=ArrangementAction.SIGN_OFF,
                             expected_version=expected_version) as locked:
        locked.signed_off_by, locked.signed_off_at = by, timezone.now()
        ARRANGEMENTS.advance(locked, by, ArrangementAction.SIGN_OFF, note,
                             details={"dpia_outcome": locked.dpia_outcome})
    return locked


def review(arrangement: Arrangement | int, *, by: User, expected_version, next_review_on, note: str,
           dpia: dict | None = None) -> Arrangement:
    """Record a review: what it found, the next review date, and a new DPIA if one was done."""
    _require(note, "note", "Say what the review found.")
    with ARRANGEMENTS.acting(arrangement, by=by, action=ArrangementAction.REVIEW,
                             expected_version=expected_version) as locked:
        previous = locked.review_on
        problems = []
        if not isinstance(next_review_on, date):
            problems.append(Problem("Give the date of the next review.", field="next_review_on", clause=CLAUSE))
        elif next_review_on <= timezone.localdate():
            problems.append(Problem("The next review must be after today.", field="next_review_on", clause=CLAUSE))
        elif next_review_on > locked.ends_on:
            problems.append(Problem(f"The next review must be on or before the arrangement ends "
                                    f"({locked.ends_on:%-d %B %Y}).", field="next_review_on", clause=CLAUSE))
        if dpia and any(dpia.get(name) for name in DPIA_FIELDS):
            for name in DPIA_FIELDS:
                setattr(locked, name, dpia.get(name) or ("" if name != "dpia_completed_on" else None))
            problems += _dpia_problems(locked)
        if problems:
            raise RuleViolation(*problems)
        locked.review_on = next_review_on
        locked.last_reviewed_by, locked.last_reviewed_at = by, timezone.now()
        ARRANGEMENTS.advance(locked, by, ArrangementAction.REVIEW, note,
                             details={"review_was_due": previous, "next_review_on": next_review_on,
                                      "dpia_outcome": locked.dpia_outcome})
    return locked


def suspend(arrangement: Arrangement | int, *, by: User, expected_version, reasons: str) -> Arrangement:
    """Stop relying on it for a while: no request is covered while it is suspended."""
    return _with_reasons(arrangement, ArrangementAction.SUSPEND, by, expected_version, reasons)


def resume(arrangement: Arrangement | int, *, by: User, expected_version, note: str = "") -> Arrangement:
    limits.check_texts(note=note)
    with ARRANGEMENTS.acting(arrangement, by=by, action=ArrangementAction.RESUME,
                             expected_version=expected_version) as locked:
        ARRANGEMENTS.advance(locked, by, ArrangementAction.RESUME, note)
    return locked


def end(arrangement: Arrangement | int, *, by: User, expected_version, reasons: str) -> Arrangement:
    """End it for good (or abandon a draft): no request is covered by it from now on."""
    return _with_reasons(arrangement, ArrangementAction.END, by, expected_version, reasons)


def _with_reasons(arrangement, action, by, expected_version, reasons) -> Arrangement:
    _require(reasons, "reasons", "Give the reasons.")
    with ARRANGEMENTS.acting(arrangement, by=by, action=action, expected_version=expected_version) as locked:
        ARRANGEMENTS.advance(locked, by, action, reasons)
    return locked


# --- what an arrangement must state ------------------------------------------------------------------------

def _apply(arrangement: Arrangement, fields: dict, *, require_all: bool) -> list[str]:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise RuleViolation(*[Problem("This cannot be changed here.", field=name) for name in unknown])
    for name, value in fields.items():
        if name in DATE_FIELDS or name == "dpia_completed_on":
            setattr(arrangement, name, value or None)
        elif name == "personal_data_categories":
            setattr(arrangement, name, value)
        else:
            setattr(arrangement, name, (value or "").strip() if isinstance(value, str) or value is None else value)
    problems = _problems(arrangement, require_all or bool(fields))
    if problems:
        raise RuleViolation(*problems)
    return sorted(fields)


def _problems(arrangement: Arrangement, check: bool) -> list[Problem]:
    if not check:
        return []
    problems = []
    title = arrangement.title
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem("Give the arrangement a short title.", field="title"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem(f"Keep the title to {TITLE_MAX} characters.", field="title"))
    labels = {"purpose": "the purpose of the sharing", "data_items": "the data items shared, and why each is needed",
              "lawful_basis": "the lawful basis for the sharing"}
    for name in TEXT_FIELDS:
        value = getattr(arrangement, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"Required: {labels[name]}.", field=name, clause=CLAUSE))
        elif p := limits.text_problem(value, name, limits.ELEMENT_MAX):
            problems.append(p)
    problems += _category_problems(arrangement.personal_data_categories)
    problems += _date_problems(arrangement)
    problems += _dpia_problems(arrangement)
    return problems


def _category_problems(categories) -> list[Problem]:
    known = personal_categories()
    if (not isinstance(categories, list) or not categories or len(categories) > len(known) + 1
            or not all(isinstance(c, str) and c in known for c in categories)):
        return [Problem(f"Choose the personal-data categories it covers, from: {', '.join(known.values())}.",
                        field="personal_data_categories", clause="§15–17")]
    return []


def _date_problems(arrangement: Arrangement) -> list[Problem]:
    problems = [Problem("Give a date.", field=name, clause=CLAUSE) for name in DATE_FIELDS
                if not isinstance(getattr(arrangement, name), date)]
    if problems:
        return problems
    if arrangement.ends_on < arrangement.starts_on:
        problems.append(Problem("The end date must be on or after the start date.", field="ends_on", clause=CLAUSE))
    if arrangement.review_on > arrangement.ends_on:
        problems.append(Problem("The review date must be on or before the end date.", field="review_on",
                                clause=CLAUSE))
    elif arrangement.review_on < arrangement.starts_on:
        problems.append(Problem("The review date must be on or after the start date.", field="review_on",
                                clause=CLAUSE))
    return problems


def _dpia_problems(arrangement: Arrangement) -> list[Problem]:
    """The DPIA is recorded whole (reference, date completed, outcome) or not yet at all."""
    reference, completed, outcome = (arrangement.dpia_reference, arrangement.dpia_completed_on,
                                     arrangement.dpia_outcome)
    problems = []
    if not isinstance(reference, str):
        problems.append(Problem("Give the DPIA's reference as text.", field="dpia_reference", clause=CLAUSE))
        reference = ""
    if completed is not None and not isinstance(completed, date):
        problems.append(Problem("Give a date.", field="dpia_completed_on", clause=CLAUSE))
        completed = None
    if outcome and outcome not in DpiaOutcome.values:
        problems.append(Problem(f"Choose one of: {', '.join(DpiaOutcome.labels)}.", field="dpia_outcome",
                                clause=CLAUSE))
    if problems:
        return problems
    if len(reference) > DPIA_REFERENCE_MAX:
        problems.append(Problem(f"Keep the reference to {DPIA_REFERENCE_MAX} characters.", field="dpia_reference",
                                clause=CLAUSE))
    given = [bool(reference), completed is not None, bool(outcome)]
    if any(given) and not all(given):
        missing = {"dpia_reference": "its reference", "dpia_completed_on": "the date it was completed",
                   "dpia_outcome": "its outcome"}
        problems += [Problem(f"Record the impact assessment whole: give {missing[name]}.", field=name, clause=CLAUSE)
                     for name, present in zip(DPIA_FIELDS, given, strict=True) if not present]
    if completed is not None and completed > timezone.localdate():
        problems.append(Problem("The DPIA cannot be completed in the future.", field="dpia_completed_on",
                                clause=CLAUSE))
    return problems


def _parties(parties: Iterable, by: User) -> list[Organisation]:
    ids = {getattr(party, "pk", party) for party in parties}
    if len(ids) > PARTIES_MAX or not all(limits.is_id(pk) for pk in ids):
        raise RuleViolation(f"Name at most {PARTIES_MAX} parties, each by its id.", field="parties", clause=CLAUSE)
    found = list(Organisation.objects.filter(pk__in={int(pk) for pk in ids}, parent__isnull=True).order_by("pk"))
    if len(found) != len(ids) or len(found) < 2:
        raise RuleViolation("Choose two or more parties, each a department or office (not a unit).",
                            field="parties", clause=CLAUSE)
    if permissions.department_of(by) not in {party.pk for party in found}:
        raise NotAllowed("You can only record an arrangement your own organisation is party to.", field="parties",
                         clause=CLAUSE)
    return found


def _require(text: str, field: str, message: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise RuleViolation(Problem(message, field=field, clause=CLAUSE))
    limits.check_texts(**{field: text})
