"""Every change to a processing hold: placed by the department (an approver or DPO of a government department),
reviewed by its owner or the department's approvers and DPOs (recording what the review found and the next review
date), and lifted, recording what lifted it (e.g. the Contract Change Notice). Each runs in the workflow core's
acting wrapper: lock, version, who may act, what the state allows, one timeline entry and one audit event; the
people concerned are told after commit (notifications.py). Nothing is half-saved."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from holds import coverage, permissions
from holds.cases import HOLDS
from holds.models import LIFTED_BECAUSE_MAX, TITLE_MAX, Hold
from holds.states import HoldAction
from protocols.scope import DataSource, Purpose

# The letters of November 2021 are the authority for holds; the protocol's own clauses are those of the
# personal-data categories a hold covers (§15–17).
CATEGORY_CLAUSE = "§15–17"
TEXT_FIELDS = {"reason": "Say why processing is halted.",
               "lifting_conditions": "Say what must happen for the hold to be lifted."}
FIELDS = ("title", "data_source", "purposes", "personal_data_categories", "reason", "advice", "owner",
          "began_on", "next_review_on", "lifting_conditions")
LIST_MAX = 20
BLOCKED_RECORDED = 200  # of each kind, on the lifting's event: what the hold was holding up when it was lifted


def place(*, by: User, fields: dict) -> Hold:
    """A new hold, in force at once, owned by a person of the placer's department."""
    if not permissions.may_place(by):
        raise NotAllowed(f"Only {permissions.WHO_PLACES} can place a processing hold.", field="department")
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise RuleViolation(*[Problem("This cannot be set here.", field=name) for name in unknown])
    department = permissions.department_of(by)
    hold = Hold(department=department, placed_by=by, placed_at=timezone.now())
    problems = _scope_problems(hold, fields) + _text_problems(hold, fields) + _owner_problems(hold, fields)
    problems += _date_problems(hold, fields)
    if problems:
        raise RuleViolation(*problems)
    with transaction.atomic():
        hold.save()
        HOLDS.record(hold, by, HoldAction.PLACE, "", details={"next_review_on": hold.next_review_on})
        coverage.after_commit(hold, "on_placed")
    return hold


def review(hold: Hold | int, *, by: User, expected_version, next_review_on, note: str) -> Hold:
    """Record a review: what it found, and the date of the next one (after today)."""
    problems = []
    if not isinstance(note, str) or not note.strip():
        problems.append(Problem("Say what the review found.", field="note"))
    elif p := limits.text_problem(note, "note"):
        problems.append(p)
    problems += _next_review_problems(next_review_on)
    if problems:
        raise RuleViolation(*problems)
    with HOLDS.acting(hold, by=by, action=HoldAction.REVIEW, expected_version=expected_version) as locked:
        previous = locked.next_review_on
        locked.next_review_on = next_review_on
        locked.last_reviewed_by, locked.last_reviewed_at = by, timezone.now()
        HOLDS.advance(locked, by, HoldAction.REVIEW, note,
                      details={"review_was_due": previous, "next_review_on": next_review_on,
                               "overdue": previous < timezone.localdate()})
    return locked


def lift(hold: Hold | int, *, by: User, expected_version, lifted_because: str, note: str = "") -> Hold:
    """Lift the hold, recording what lifted it; everyone whose work it blocked is told (notifications.py)."""
    problems = []
    if not isinstance(lifted_because, str) or not lifted_because.strip():
        problems.append(Problem("Say what lifted the hold (e.g. the Contract Change Notice).",
                                field="lifted_because"))
    elif p := limits.text_problem(lifted_because, "lifted_because", LIFTED_BECAUSE_MAX):
        problems.append(p)
    if not isinstance(note, str):
        problems.append(Problem("Give the note as text.", field="note"))
    elif p := limits.text_problem(note, "note"):
        problems.append(p)
    if problems:
        raise RuleViolation(*problems)
    with HOLDS.acting(hold, by=by, action=HoldAction.LIFT, expected_version=expected_version) as locked:
        locked.lifted_by, locked.lifted_at, locked.lifted_because = by, timezone.now(), lifted_because.strip()
        blocked = coverage.blocked_work(locked, limit=BLOCKED_RECORDED)
        HOLDS.advance(locked, by, HoldAction.LIFT, note,
                      details={"blocked": [f"{b.subject.kind}:{b.reference}" for b in blocked]})
        coverage.after_commit(locked, "on_lifted")
    return locked


# --- what a hold must state ---------------------------------------------------------------------------------------

def _scope_problems(hold: Hold, fields: dict) -> list[Problem]:
    problems = []
    source = fields.get("data_source")
    if not isinstance(source, str) or source not in DataSource.values:
        problems.append(Problem(f"Choose the data source it covers, from: {', '.join(DataSource.labels)}.",
                                field="data_source"))
    else:
        hold.data_source = source
    purposes = _choices(fields.get("purposes"), set(Purpose.values))
    if purposes is None:
        problems.append(Problem(f"Choose one or more purposes it covers, from: {', '.join(Purpose.labels)}.",
                                field="purposes"))
    else:
        hold.purposes = purposes
    known = coverage.category_labels()
    categories = _choices(fields.get("personal_data_categories"), set(known))
    if categories is None:
        problems.append(Problem(f"Choose one or more personal-data categories it covers, from: "
                                f"{', '.join(known.values())}.", field="personal_data_categories",
                                clause=CATEGORY_CLAUSE))
    else:
        hold.personal_data_categories = categories
    return problems


def _choices(values, known: set[str]) -> list[str] | None:
    """The values, deduplicated in their given order, if they are one or more of `known`; otherwise None."""
    if not isinstance(values, list | tuple) or not values or len(values) > LIST_MAX:
        return None
    if not all(isinstance(value, str) and value in known for value in values):
        return None
    return list(dict.fromkeys(values))


def _text_problems(hold: Hold, fields: dict) -> list[Problem]:
    problems = []
    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem("Give the hold a short title.", field="title"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem(f"Keep the title to {TITLE_MAX} characters.", field="title"))
    else:
        hold.title = title.strip()
    for name, message in TEXT_FIELDS.items():
        value = fields.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(message, field=name))
        elif p := limits.text_problem(value, name):
            problems.append(p)
        else:
            setattr(hold, name, value.strip())
    advice = fields.get("advice") or ""
    if not isinstance(advice, str):
        problems.append(Problem("Give the advice as text.", field="advice"))
    elif p := limits.text_problem(advice, "advice"):
        problems.append(p)
    else:
        hold.advice = advice.strip()
    return problems


def _owner_problems(hold: Hold, fields: dict) -> list[Problem]:
    owner = fields.get("owner")
    pk = getattr(owner, "pk", owner)
    found = User.objects.filter(pk=int(pk), is_active=True).select_related("organisation").first() \
        if limits.is_id(pk) else None
    if found is None or not permissions.is_of_department(found, hold.department_id):
        return [Problem(f"Name the hold's owner: an active person of {hold.department}.", field="owner")]
    hold.owner = found
    return []


def _date_problems(hold: Hold, fields: dict) -> list[Problem]:
    today = timezone.localdate()
    problems = []
    began_on = fields.get("began_on") or today
    if not isinstance(began_on, date):
        problems.append(Problem("Give the date the hold began.", field="began_on"))
    elif began_on > today:
        problems.append(Problem("A hold is placed when it begins: the date it began cannot be in the future.",
                                field="began_on"))
    else:
        hold.began_on = began_on
    next_review_on = fields.get("next_review_on")
    review_problems = _next_review_problems(next_review_on)
    if review_problems:
        problems += review_problems
    else:
        hold.next_review_on = next_review_on
    return problems


def _next_review_problems(next_review_on) -> list[Problem]:
    if not isinstance(next_review_on, date):
        return [Problem("Give the date of the next review.", field="next_review_on")]
    if next_review_on <= timezone.localdate():
        return [Problem("The next review date must be after today: a review date in the past is refused.",
                        field="next_review_on")]
    return []
