"""The shape of a protocol definition, and the protocol's own rules about it.

Pure pydantic, no Django: the loader, tests and other pure modules (the clock) use it directly. Every
model refuses unknown keys. A rule that a value breaks raises `refuse(...)`, which carries one or more
`RuleProblem`s with a path relative to the object being checked and, where a rule is more specific than
the enclosing object's clause, that clause; protocols.loader turns them into "<key path>: <what> (§N)".

Clause numbers in comments are those of the HO–IASC protocol of 13 May 2020; the clause a message shows
comes from the definition itself, so another protocol's numbering is respected.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Nothing above OFFICIAL-SENSITIVE is handled here: higher material needs separate arrangements (§10).
from protocols.markings import CLASSIFICATION_ORDER, SERVICE_CEILING, rank

# The seven elements every first request must set out (§6 a–g, §8 a–g), in the protocol's order.
ELEMENT_KEYS = ("necessity", "information", "purpose", "publication", "access", "storage_retention", "disposal")
ElementKey = Literal["necessity", "information", "purpose", "publication", "access", "storage_retention", "disposal"]


# The working-day calendars the clock can count in (§12); "any-part-of-uk" counts as the FOI Act does.
CALENDARS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "any-part-of-uk": "Any part of the UK",
}

# The values of accounts.roles.Role, held here so this module stays free of Django;
# tests/protocols/test_schema.py fails if the two drift apart.
ROLE_VALUES = frozenset({
    "requester", "case_officer", "spoc", "assessor", "approver",
    "escalation_policy_lead", "escalation_director", "escalation_senior_sponsor", "escalation_minister",
    "commissioner", "commissioner_delegate", "minister", "dpo", "output_checker", "auditor", "administrator",
    "researcher", "contracts_team", "supplier_reviewer", "service_provider",
})

# Personal-data categories and the safeguards a disclosure can require (§15–17).
PERSONAL_DATA_CATEGORIES = ("none", "anonymised", "pseudonymised", "personal", "special_category", "criminal_offence")
PERSONAL_DATA_REQUIREMENTS = (
    "legal_basis", "compliance_check", "senior_official_approval", "ministerial_approval",
    "data_sharing_arrangement", "impact_assessment",
)
APPROVAL_REQUIREMENTS = frozenset({"senior_official_approval", "ministerial_approval"})

REQUEST_KINDS = {"one_off": "One-off request", "regular": "Regular provision of specified information"}

OTHER_ROUTE_KINDS = {
    "other_government_department": "Other government department",  # §18
    "schedule3_authority": "Schedule 3 authority (s43 duty to co-operate)",  # §4 fn 1
}


class RuleProblem(NamedTuple):
    path: tuple[str | int, ...]  # relative to the object the rule was checked on
    message: str
    clause: str = ""  # only when more specific than the enclosing object's clause


def refuse(*problems: RuleProblem) -> PydanticCustomError:
    return PydanticCustomError("protocol_rule", "; ".join(p.message for p in problems), {"problems": list(problems)})


def raise_if(problems: list[RuleProblem]) -> None:
    if problems:
        raise refuse(*problems)


# Field types -------------------------------------------------------------------------------------

def _clause(value: str) -> str:
    if not re.match(r"^§\d", value):
        raise PydanticCustomError("clause", "must be a clause reference such as §6(a)")
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be blank")
    return value.strip()


def _key(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise PydanticCustomError("key", "must be lower-case letters, digits and underscores, starting with a letter")
    return value


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise PydanticCustomError("slug", "must be lower-case letters and digits separated by hyphens")
    return value


def _version(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
        raise PydanticCustomError("version", "must be letters, digits, dots, hyphens or underscores, e.g. \"2020-05-13\"")
    return value


def _role(value: str) -> str:
    if value not in ROLE_VALUES:
        raise PydanticCustomError("role", "'{value}' is not a role in this service; use one of: {roles}",
                                  {"value": value, "roles": ", ".join(sorted(ROLE_VALUES))})
    return value


def _working_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PydanticCustomError("working_days", "must be a whole number of working days greater than 0")
    return value


Clause = Annotated[str, AfterValidator(_clause)]
Text = Annotated[str, AfterValidator(_text)]
Key = Annotated[str, AfterValidator(_key)]
OrganisationSlug = Annotated[str, AfterValidator(_slug)]
RoleValue = Annotated[str, AfterValidator(_role)]
WorkingDays = Annotated[int, BeforeValidator(_working_days)]


def duplicate_key_problems(items: list, noun: str) -> list[RuleProblem]:
    counts = Counter(item.key for item in items)
    return [RuleProblem((index, "key"), f"{noun} '{item.key}' appears more than once; keys must be unique")
            for index, item in enumerate(items) if counts[item.key] > 1]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Note(Strict):
    clause: Clause
    text: Text


# Requests, checklists, routing and escalation --------------------------------------------------

class Element(Strict):
    """One of the seven required elements of a request (§6 a–g / §8 a–g)."""

    key: ElementKey
    clause: Clause
    label: Text  # the protocol's own words, in the third person
    hint: str = ""
    # What the request form asks the requester, in the second person ("Who will have access to the
    # information?"). Optional, so definitions without it still load; the form then asks the wording file
    # of that version (protocols.wording), and failing that shows the label.
    question: Text | None = None


class ChecklistItem(Strict):
    """One point the holder must be satisfied of before sharing (§7 a–e / §9 a–e)."""

    key: Key
    clause: Clause
    label: Text


class Routing(Strict):
    """Where a request to the holder goes first, and who it may be passed on to (§11)."""

    clause: Clause
    recipient_organisation: OrganisationSlug
    recipient_role: RoleValue
    reassign_within: OrganisationSlug | None
    note: str = ""


class EscalationRung(Strict):
    """One step of an escalation ladder (§13). `role` is who decides at this step; None at working level."""

    key: Key
    title: Text
    role: RoleValue | None
    clause: Clause
    gate: str = ""  # the condition the protocol attaches to this step
    description: str = ""  # the protocol's words for this step
    must_record: list[Text] = []  # what the person escalating sets out at this step
    last_resort: bool = False
    # A protocol may set how many working days a step should take; the HO–IASC protocol sets none (§13).
    target_working_days: Annotated[int, Field(strict=True, ge=1, le=250)] | None = None


class Escalation(Strict):
    """The escalation ladder of a direction (§13), or its absence (§14)."""

    clause: Clause
    available: Annotated[bool, Field(strict=True)]
    ladder: list[EscalationRung] = Field(default_factory=list, validate_default=True)
    final_decision_note: str = ""  # §14: the holder's decision is final

    @field_validator("ladder")
    @classmethod
    def ladder_matches_availability(cls, ladder: list[EscalationRung], info) -> list[EscalationRung]:
        available = info.data.get("available")
        if available is False and ladder:
            raise refuse(RuleProblem((), "this direction has no escalation process, so it cannot have a ladder"))
        if available is True and not ladder:
            raise refuse(RuleProblem((), "escalation is available, so the ladder needs at least one step"))
        raise_if(duplicate_key_problems(ladder, "step"))
        return ladder

    def rung(self, key: str) -> EscalationRung:
        for rung in self.ladder:
            if rung.key == key:
                return rung
        raise KeyError(f"No escalation step '{key}'")

    def next_rung(self, key: str) -> EscalationRung | None:
        position = self.ladder.index(self.rung(key))
        return self.ladder[position + 1] if position + 1 < len(self.ladder) else None


class Direction(Strict):
    """Requests one party makes of the other: what they must state, what the holder checks, where they go."""

    key: Key
    title: Text
    clause: Clause
    description: str = ""
    requester_party: Key
    holder_party: Key
    necessity_basis: Text
    request_kinds: list[Literal["one_off", "regular"]] = ["one_off", "regular"]  # §6, §8
    notes: list[Note] = []
    required_elements: list[Element]
    assessment_checklist: list[ChecklistItem]
    routing: Routing | None  # None: the request goes to the holder party's organisation itself
    escalation: Escalation

    @field_validator("required_elements")
    @classmethod
    def exactly_the_seven_elements(cls, elements: list[Element], info) -> list[Element]:
        keys = [element.key for element in elements]
        if keys == list(ELEMENT_KEYS):
            return elements
        clause = _element_clause(elements, info.data.get("clause", ""))
        missing = [key for key in ELEMENT_KEYS if key not in keys]
        if missing:
            raise refuse(*[RuleProblem((), f"the seven elements of {clause} are required; missing '{key}'",
                                       f"{clause}({'abcdefg'[ELEMENT_KEYS.index(key)]})") for key in missing])
        raise refuse(RuleProblem((), f"the seven elements of {clause} must each appear once, in this order: "
                                     f"{', '.join(ELEMENT_KEYS)}", clause))

    @field_validator("assessment_checklist")
    @classmethod
    def checklist_has_unique_points(cls, items: list[ChecklistItem]) -> list[ChecklistItem]:
        if not items:
            raise refuse(RuleProblem((), "the holder's assessment checklist needs at least one point"))
        raise_if(duplicate_key_problems(items, "checklist point"))
        return items

    @model_validator(mode="after")
    def parties_differ(self) -> Direction:
        if self.requester_party == self.holder_party:
            raise refuse(RuleProblem(("holder_party",), "the holder must be the other party, not the requester"))
        return self


def _element_clause(elements: list[Element], direction_clause: str) -> str:
    """The clause the elements share ("§6" for §6(a)–(g)), otherwise the direction's own clause."""
    stems = {re.sub(r"\(.*$", "", element.clause) for element in elements}
    return stems.pop() if len(stems) == 1 else direction_clause


# Parties, classifications, timings, personal data, other routes --------------------------------

class Party(Strict):
    key: Key
    clause: str = ""
    name: Text
    short_name: str = ""
    organisation: OrganisationSlug


class Classifications(Strict):
    """The classification levels a request may carry and the ceiling above them (§10)."""

    clause: Clause
    levels: list[str]  # lowest first
    ceiling: str
    above_ceiling_message: Text
    approval_required: list[str] = []  # levels whose sharing may need senior or ministerial approval
    approval_when_holder_is: list[Key] = []  # parties whose officials seek that approval (empty: every holder)
    approval_note: str = ""

    @model_validator(mode="after")
    def within_the_ceiling(self) -> Classifications:
        problems = [*self._level_problems(), *self._ceiling_problems()]
        problems += [RuleProblem(("approval_required", index), f"{level} is not one of the levels")
                     for index, level in enumerate(self.approval_required) if level not in self.levels]
        raise_if(problems)
        return self

    def _level_problems(self) -> list[RuleProblem]:
        if not self.levels:
            return [RuleProblem(("levels",), "at least one classification level is needed")]
        unknown = [level for level in self.levels if level not in CLASSIFICATION_ORDER]
        if unknown:
            return [RuleProblem(("levels",), f"{level} is not a Government Security Classification; "
                                             f"use {' or '.join(self._service_levels())}") for level in unknown]
        too_high = [level for level in self.levels if rank(level) > rank(self._effective_ceiling())]
        if too_high:
            return [RuleProblem(("levels",), f"{level} is above the {self._effective_ceiling()} ceiling; "
                                             "separate arrangements are needed") for level in too_high]
        if self.levels != sorted(set(self.levels), key=rank):
            return [RuleProblem(("levels",), "each level must appear once, lowest first")]
        return []

    def _ceiling_problems(self) -> list[RuleProblem]:
        if self.ceiling in CLASSIFICATION_ORDER and rank(self.ceiling) > rank(SERVICE_CEILING):
            return [RuleProblem(("ceiling",), f"{self.ceiling} is above {SERVICE_CEILING}, the highest "
                                              "classification shared under a protocol; separate arrangements are needed")]
        if self.ceiling not in self.levels:
            return [RuleProblem(("ceiling",), f"the ceiling must be one of the levels: {', '.join(self.levels)}")]
        return []

    def _effective_ceiling(self) -> str:
        if self.ceiling in CLASSIFICATION_ORDER and rank(self.ceiling) <= rank(SERVICE_CEILING):
            return self.ceiling
        return SERVICE_CEILING

    @staticmethod
    def _service_levels() -> list[str]:
        return [level for level in CLASSIFICATION_ORDER if rank(level) <= rank(SERVICE_CEILING)]

    def allows(self, level: str) -> bool:
        return level in self.levels

    def needs_approval(self, level: str, holder_party: str) -> bool:
        """Whether sharing at this level may need senior or ministerial approval (§10)."""
        holder_ok = not self.approval_when_holder_is or holder_party in self.approval_when_holder_is
        return holder_ok and level in self.approval_required


class Timings(Strict):
    """Working days to acknowledge and to provide, per classification, and the calendar they count in (§12)."""

    clause: Clause
    calendar: str
    acknowledge_working_days: WorkingDays
    provide_working_days: dict[str, WorkingDays]
    note: str = ""

    @field_validator("calendar")
    @classmethod
    def known_calendar(cls, calendar: str) -> str:
        if calendar not in CALENDARS:
            raise refuse(RuleProblem((), f"'{calendar}' is not a working-day calendar; use one of: {', '.join(CALENDARS)}"))
        return calendar

    @model_validator(mode="after")
    def acknowledge_before_provide(self) -> Timings:
        if not self.provide_working_days:
            raise refuse(RuleProblem(("provide_working_days",), "a time to provide is needed for each classification level"))
        quickest = min(self.provide_working_days.values())
        if self.acknowledge_working_days > quickest:
            raise refuse(RuleProblem(("acknowledge_working_days",),
                                     f"must not be more than the {quickest} working days allowed to provide"))
        return self

    def provide_days(self, classification: str) -> int:
        return self.provide_working_days[classification]


class PersonalData(Strict):
    """Personal data: anonymised by default (§15); routine sharing (§16); ad hoc sharing (§17)."""

    clause: Clause
    categories: list[str]
    default: str
    personal_categories: list[str]  # the categories that count as personal data
    ad_hoc_requires: list[str]  # §17
    routine_requires: list[str]  # §16, and §17's approvals for routine sharing
    approvals_when_holder_is: list[Key] = []  # parties whose officials seek the approvals (empty: every holder)
    labels: dict[str, Text] = {}
    notes: list[Note] = []

    @model_validator(mode="after")
    def consistent_categories(self) -> PersonalData:
        problems = _unknown_values("categories", self.categories, PERSONAL_DATA_CATEGORIES)
        if self.default not in self.categories:
            problems.append(RuleProblem(("default",), "the default category must be one of the categories"))
        elif self.default in self.personal_categories:
            problems.append(RuleProblem(("default",), "the default must not be personal data; personal data is "
                                                      "anonymised in the ordinary course"))
        problems += [RuleProblem(("personal_categories", index), f"'{category}' is not one of the categories")
                     for index, category in enumerate(self.personal_categories) if category not in self.categories]
        problems += _unknown_values("ad_hoc_requires", self.ad_hoc_requires, PERSONAL_DATA_REQUIREMENTS)
        problems += _unknown_values("routine_requires", self.routine_requires, PERSONAL_DATA_REQUIREMENTS)
        problems += [RuleProblem(("labels", key), "labels only categories and requirements")
                     for key in self.labels if key not in (*PERSONAL_DATA_CATEGORIES, *PERSONAL_DATA_REQUIREMENTS)]
        raise_if(problems)
        return self

    def is_personal(self, category: str) -> bool:
        return category in self.personal_categories

    def requirements(self, *, routine: bool, holder_party: str) -> list[str]:
        """What sharing personal data needs; approvals only where the holder's officials seek them (§17)."""
        required = self.routine_requires if routine else self.ad_hoc_requires
        if self.approvals_when_holder_is and holder_party not in self.approvals_when_holder_is:
            return [item for item in required if item not in APPROVAL_REQUIREMENTS]
        return list(required)

    def label(self, key: str) -> str:
        return self.labels.get(key, key.replace("_", " ").capitalize())


def _unknown_values(field: str, values: list[str], known: tuple[str, ...]) -> list[RuleProblem]:
    problems = [RuleProblem((field, index), f"'{value}' is not one of: {', '.join(known)}")
                for index, value in enumerate(values) if value not in known]
    counts = Counter(values)
    problems += [RuleProblem((field, index), f"'{value}' appears more than once")
                 for index, value in enumerate(values) if counts[value] > 1 and value in known]
    return problems


class OtherRoute(Strict):
    """A way to information that this protocol does not govern (§4 fn 1, §18): tracked outside its timings."""

    key: Key
    clause: Clause
    title: Text
    description: Text
    organisation_kind: Literal["other_government_department", "schedule3_authority"]
    timings: Text = "set by the requester"
    bodies: list[Text] = []  # named bodies on this route
    contact_help_from: list[OrganisationSlug] = []  # organisations that help find the right contact


class Scope(Strict):
    """What the protocol covers and what it does not (§1–3)."""

    clause: Clause
    summary: Text
    covers: list[Text] = []
    excludes: list[Text] = []
    notes: list[Note] = []


class ProtocolDefinition(Strict):
    slug: OrganisationSlug
    version: Annotated[str, AfterValidator(_version)]
    title: Text
    last_updated: date
    source: str = ""
    signatories: list[Text] = []
    scope: Scope | None = None
    parties: list[Party]
    directions: list[Direction]
    classifications: Classifications
    timings: Timings
    personal_data: PersonalData
    other_routes: list[OtherRoute] = []

    @field_validator("parties")
    @classmethod
    def two_or_more_parties(cls, parties: list[Party]) -> list[Party]:
        if len(parties) < 2:
            raise refuse(RuleProblem((), "a protocol is between at least two parties"))
        raise_if(duplicate_key_problems(parties, "party"))
        return parties

    @field_validator("directions")
    @classmethod
    def one_or_more_directions(cls, directions: list[Direction]) -> list[Direction]:
        if not directions:
            raise refuse(RuleProblem((), "at least one direction of sharing is needed"))
        raise_if(duplicate_key_problems(directions, "direction"))
        return directions

    @field_validator("other_routes")
    @classmethod
    def unique_routes(cls, routes: list[OtherRoute]) -> list[OtherRoute]:
        raise_if(duplicate_key_problems(routes, "route"))
        return routes

    @model_validator(mode="after")
    def references_resolve(self) -> ProtocolDefinition:
        raise_if([*self._party_reference_problems(), *self._timing_problems()])
        return self

    def _party_reference_problems(self) -> list[RuleProblem]:
        known = {party.key for party in self.parties}
        references = [(("directions", index, field), getattr(direction, field))
                      for index, direction in enumerate(self.directions)
                      for field in ("requester_party", "holder_party")]
        references += [(("classifications", "approval_when_holder_is", index), key)
                       for index, key in enumerate(self.classifications.approval_when_holder_is)]
        references += [(("personal_data", "approvals_when_holder_is", index), key)
                       for index, key in enumerate(self.personal_data.approvals_when_holder_is)]
        return [RuleProblem(path, f"'{key}' is not one of the parties: {', '.join(sorted(known))}")
                for path, key in references if key not in known]

    def _timing_problems(self) -> list[RuleProblem]:
        """Every classification level has a time to provide, and only those levels do (§12)."""
        levels, timed = self.classifications.levels, self.timings.provide_working_days
        problems = [RuleProblem(("timings", "provide_working_days"), f"no time to provide is set for {level}; every classification level needs one")
                    for level in levels if level not in timed]
        problems += [RuleProblem(("timings", "provide_working_days", level),
                                 f"{level} is not one of the classification levels: {', '.join(levels)}")
                     for level in timed if level not in levels]
        return problems

    def direction(self, key: str) -> Direction:
        for direction in self.directions:
            if direction.key == key:
                return direction
        raise KeyError(f"No direction '{key}' in protocol {self.slug} version {self.version}")

    def party(self, key: str) -> Party:
        for party in self.parties:
            if party.key == key:
                return party
        raise KeyError(f"No party '{key}' in protocol {self.slug} version {self.version}")
