"""The working-day clock: calendars of working days and the §12 counting rule, with no Django in it.

A working day is Monday to Friday, less the bank holidays of the calendar's part of the UK (from the
`holidays` package), less the closures and plus the openings an administrator has added.

The counting rule (§12), in one place:
- the date of receipt is the date in Europe/London at the moment the request arrived;
- a request received on a day that is not a working day counts as received on the next working day;
- the first working day after the day of receipt is day 1, and a deadline of N working days is day N.

The calendars cover 1 January 2000 to 31 December 2050; any date outside that range is refused.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache, cached_property
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from protocols import markings

LONDON = ZoneInfo("Europe/London")

DEFAULT_CALENDAR = "england-and-wales"
ANY_PART_OF_UK = "any-part-of-uk"
CALENDAR_LABELS: Mapping[str, str] = MappingProxyType({
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    ANY_PART_OF_UK: "Any part of the UK (Freedom of Information Act 2000, s10(6))",
})
CALENDAR_NAMES: tuple[str, ...] = tuple(CALENDAR_LABELS)

# The parts of the UK each calendar follows, and the `holidays` subdivisions of each part. Under FOI s10(6)
# a day is not a working day if it is a bank holiday in any part of the UK, hence the union of all three.
_ENGLAND_AND_WALES = ("England and Wales", ("ENG", "WLS"))
_SCOTLAND = ("Scotland", ("SCT",))
_NORTHERN_IRELAND = ("Northern Ireland", ("NIR",))
_REGIONS: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = MappingProxyType({
    "england-and-wales": (_ENGLAND_AND_WALES,),
    "scotland": (_SCOTLAND,),
    "northern-ireland": (_NORTHERN_IRELAND,),
    ANY_PART_OF_UK: (_ENGLAND_AND_WALES, _SCOTLAND, _NORTHERN_IRELAND),
})

FIRST_SUPPORTED_DAY = date(2000, 1, 1)
LAST_SUPPORTED_DAY = date(2050, 12, 31)
MAX_WORKING_DAYS = 1000
DUE_SOON_WORKING_DAYS = 2

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


class ClockError(ValueError):
    """Input the clock refuses rather than answer with a wrong date."""


class UnknownCalendar(ClockError):
    pass


class DateOutOfRange(ClockError):
    pass


class BadWorkingDayCount(ClockError):
    pass


class NaiveDatetime(ClockError):
    pass


class UnknownClassification(ClockError):
    pass


@dataclass(frozen=True)
class ProtocolTimings:
    """The shape of protocols.schema.Timings, for the defaults below and for tests."""

    clause: str
    calendar: str
    acknowledge_working_days: int
    provide_working_days: Mapping[str, int]


# §12: acknowledge within 3 working days; provide OFFICIAL within 10 and OFFICIAL-SENSITIVE within 15
# working days of the request. Used only when no protocol definition has been loaded.
SECTION_12_DEFAULT_TIMINGS = ProtocolTimings(
    clause="§12",
    calendar=DEFAULT_CALENDAR,
    acknowledge_working_days=3,
    provide_working_days=MappingProxyType({"OFFICIAL": 10, "OFFICIAL-SENSITIVE": 15}),
)


class SkipKind(StrEnum):
    WEEKEND = "weekend"
    BANK_HOLIDAY = "bank_holiday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class SkippedDay:
    """A day that was not counted, and why."""

    day: date
    reason: str
    kind: str = ""


class MilestoneState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class MilestoneStatus:
    state: MilestoneState
    working_days: int  # left until due, late by, or early by, depending on the state
    label: str


@dataclass(frozen=True)
class Deadlines:
    received_on: date  # the working day the request counts as received on (§12)
    acknowledge_by: date
    provide_by: date
    arrived_on: date | None = None  # the London date it arrived, before moving to a working day


# ---------------------------------------------------------------------------------------------------------
# Calendars


def check_calendar_name(name: str) -> str:
    if name not in CALENDAR_LABELS:
        raise UnknownCalendar(f"Unknown calendar {name!r}. Choose one of: {', '.join(CALENDAR_NAMES)}.")
    return name


def check_day(day: date) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ClockError(f"Expected a date, not {day!r}.")
    if not FIRST_SUPPORTED_DAY <= day <= LAST_SUPPORTED_DAY:
        raise DateOutOfRange(
            f"{day.isoformat()} is outside the years the working-day calendars cover "
            f"({FIRST_SUPPORTED_DAY.year} to {LAST_SUPPORTED_DAY.year})."
        )
    return day


def check_working_day_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise BadWorkingDayCount(f"A number of working days must be a whole number, not {n!r}.")
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise BadWorkingDayCount(f"A number of working days must be between 0 and {MAX_WORKING_DAYS}, not {n}.")
    return int(n)


@cache
def bank_holidays(name: str) -> Mapping[date, str]:
    """Every bank holiday of a calendar in the supported years, by name (read once per process)."""
    regions = _REGIONS[check_calendar_name(name)]
    per_region = {region: _holiday_names(subdivisions) for region, subdivisions in regions}
    every_day = sorted(set().union(*per_region.values()))
    return MappingProxyType({day: _describe_holiday(day, per_region) for day in every_day})


@cache
def _holiday_names(subdivisions: tuple[str, ...]) -> dict[date, list[str]]:
    years = range(FIRST_SUPPORTED_DAY.year, LAST_SUPPORTED_DAY.year + 1)
    names: dict[date, list[str]] = {}
    for subdivision in subdivisions:
        table = holidays.country_holidays("GB", subdiv=subdivision, years=years)
        for day in table:
            known = names.setdefault(day, [])
            known.extend(name for name in table.get_list(day) if name not in known)
    return names


def _describe_holiday(day: date, per_region: dict[str, dict[date, list[str]]]) -> str:
    """'Christmas Day', or with the parts of the UK that keep it when not all of them do."""
    regions_by_name: dict[str, list[str]] = {}
    for region, names in per_region.items():
        for name in names.get(day, ()):
            regions_by_name.setdefault(name, []).append(region)
    return "; ".join(_where_kept(name, regions, list(per_region)) for name, regions in regions_by_name.items())


def _where_kept(name: str, kept_in: list[str], every_region: list[str]) -> str:
    if len(kept_in) == len(every_region):
        return name
    if len(kept_in) == 1:
        return f"{name} ({kept_in[0]})"
    not_kept = [region for region in every_region if region not in kept_in]
    return f"{name} (not {' or '.join(not_kept)})"


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """Monday to Friday, less bank holidays and closures, plus openings (which only ever reopen a weekday)."""

    name: str
    bank_holidays: Mapping[date, str] = field(repr=False)
    closures: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))
    openings: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def named(cls, name: str = DEFAULT_CALENDAR, *, closures: Mapping[date, str] | None = None,
              openings: Mapping[date, str] | None = None) -> WorkingCalendar:
        """The calendar of that name with an administrator's closures and openings (day -> reason)."""
        closures, openings = dict(closures or {}), dict(openings or {})
        for day in [*closures, *openings]:
            check_day(day)
        return cls(name=check_calendar_name(name), bank_holidays=bank_holidays(name),
                   closures=MappingProxyType(closures), openings=MappingProxyType(openings))

    @property
    def label(self) -> str:
        return CALENDAR_LABELS[self.name]

    @cached_property
    def non_working_weekdays(self) -> tuple[date, ...]:
        """Weekdays that are not working days, in order: the holidays for numpy's busdaycalendar."""
        closed = (set(self.bank_holidays) | set(self.closures)) - set(self.openings)
        return tuple(sorted(day for day in closed if day.weekday() < 5))

    @cached_property
    def _closed_weekdays(self) -> frozenset[date]:
        return frozenset(self.non_working_weekdays)

    def is_working_day(self, day: date) -> bool:
        check_day(day)
        return day.weekday() < 5 and day not in self._closed_weekdays

    def why_not_working(self, day: date) -> SkippedDay | None:
        """None for a working day; otherwise the day with its reason."""
        if self.is_working_day(day):
            return None
        holiday = self.bank_holidays.get(day)
        if day.weekday() >= 5:
            also = f" ({holiday})" if holiday else ""
            return SkippedDay(day, f"Weekend{also}", SkipKind.WEEKEND)
        reasons = [f"Bank holiday: {holiday}"] if holiday else []
        if day in self.closures:
            reasons.append(f"Closure: {self.closures[day]}")
        kind = SkipKind.BANK_HOLIDAY if holiday else SkipKind.CLOSURE
        return SkippedDay(day, "; ".join(reasons), kind)


# ---------------------------------------------------------------------------------------------------------
# The counting rule (§12)


def london_date(received_at: datetime | date) -> date:
    """The date in Europe/London at that moment; a plain date is taken as already a London date."""
    if not isinstance(received_at, datetime):
        return check_day(received_at)
    if received_at.utcoffset() is None:
        raise NaiveDatetime(
            f"{received_at.isoformat()} has no time zone, so the date of receipt is unknown: "
            "give the offset, for example 2021-06-15T23:30:00+00:00."
        )
    try:
        in_london = received_at.astimezone(LONDON)
    except OverflowError as error:
        raise DateOutOfRange(f"{received_at.isoformat()} is outside the years the working-day calendars cover "
                             f"({FIRST_SUPPORTED_DAY.year} to {LAST_SUPPORTED_DAY.year}).") from error
    return check_day(in_london.date())


def next_working_day_from(day: date, cal: WorkingCalendar) -> date:
    """The day itself if it is a working day, otherwise the next working day."""
    current = check_day(day)
    while not cal.is_working_day(current):
        current = _following_day(current, counting_from=day)
    return current


def receipt_day(received_at: datetime | date, cal: WorkingCalendar) -> date:
    """§12: the London date of receipt, moved to the next working day if it is not one."""
    return next_working_day_from(london_date(received_at), cal)


def add_working_days(day: date, n: int, cal: WorkingCalendar) -> date:
    """§12: day N, where day 1 is the first working day after `day` (after the next working day if
    `day` is not one)."""
    n = check_working_day_count(n)
    current = next_working_day_from(day, cal)
    counted = 0
    while counted < n:
        current = _following_day(current, counting_from=day)
        counted += cal.is_working_day(current)
    return current


def working_days_between(start: date, end: date, cal: WorkingCalendar) -> int:
    """The working days elapsed from `start` to `end`: the inverse of add_working_days, so that
    working_days_between(d, add_working_days(d, n, cal), cal) == n. Never negative."""
    check_day(start)
    check_day(end)
    if end < start:
        raise ClockError(f"The end date {end.isoformat()} is before the start date {start.isoformat()}.")
    # Working days from start to end inclusive, less the one `start` counts as (itself or the next).
    working = sum(cal.is_working_day(day) for day in days_from(start, end))
    return max(0, working - 1)


def days_from(first: date, last: date) -> Iterator[date]:
    """Every date from first to last inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _following_day(day: date, *, counting_from: date) -> date:
    if day >= LAST_SUPPORTED_DAY:
        raise DateOutOfRange(
            f"Counting working days from {counting_from.isoformat()} runs past "
            f"{LAST_SUPPORTED_DAY.isoformat()}, the last day the working-day calendars cover."
        )
    return day + timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------
# Milestones and request deadlines


def milestone_status(due: date, today: date, met_on: date | None, cal: WorkingCalendar) -> MilestoneStatus:
    """Where a milestone stands on `today`, or how it was met."""
    if met_on is not None:
        return _met_status(due, met_on, cal)
    if today > due:
        late = working_days_between(due, today, cal)
        return MilestoneStatus(MilestoneState.OVERDUE, late,
                               f"Overdue by {_working_days(late)}" if late else "Overdue")
    left = working_days_between(today, due, cal)
    if left > DUE_SOON_WORKING_DAYS:
        return MilestoneStatus(MilestoneState.NOT_YET_DUE, left, f"Due in {_working_days(left)}")
    if left:
        return MilestoneStatus(MilestoneState.DUE_SOON, left, f"Due in {_working_days(left)}")
    label = "Due today" if today == due else "Due on the next working day"
    return MilestoneStatus(MilestoneState.DUE_SOON, 0, label)


def _met_status(due: date, met_on: date, cal: WorkingCalendar) -> MilestoneStatus:
    if met_on <= due:
        early = working_days_between(met_on, due, cal)
        label = f"Met on time, {_working_days(early)} early" if early else "Met on time"
        return MilestoneStatus(MilestoneState.MET_ON_TIME, early, label)
    late = working_days_between(due, met_on, cal)
    return MilestoneStatus(MilestoneState.MET_LATE, late, f"Met {_working_days(late)} late" if late else "Met late")


def _working_days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def provide_working_days(classification: str, timings) -> int:
    """§12: the working days allowed to provide information at this classification."""
    wanted = normalise_classification(classification)
    allowed = {normalise_classification(level): days for level, days in timings.provide_working_days.items()}
    if wanted not in allowed:
        raise UnknownClassification(
            f"Unknown classification {classification!r}. Choose one of: {', '.join(allowed)}."
        )
    return check_working_day_count(allowed[wanted])


def normalise_classification(classification: str) -> str:
    """'official-sensitive', 'Official Sensitive' and 'OFFICIAL_SENSITIVE' all mean OFFICIAL-SENSITIVE."""
    if not isinstance(classification, str):
        raise UnknownClassification(f"A classification must be text, not {classification!r}.")
    return markings.normalise(classification)


def request_deadlines(received_at: datetime | date, classification: str, timings,
                      cal: WorkingCalendar) -> Deadlines:
    """§12: the day of receipt, and the acknowledgement and provision due dates.

    `timings` is a protocols.schema.Timings, or SECTION_12_DEFAULT_TIMINGS when no protocol is loaded.
    """
    arrived_on = london_date(received_at)
    received_on = next_working_day_from(arrived_on, cal)
    acknowledge_days = check_working_day_count(timings.acknowledge_working_days)
    provide_days = provide_working_days(classification, timings)
    return Deadlines(
        received_on=received_on,
        acknowledge_by=add_working_days(received_on, acknowledge_days, cal),
        provide_by=add_working_days(received_on, provide_days, cal),
        arrived_on=arrived_on,
    )


# ---------------------------------------------------------------------------------------------------------
# How was this worked out


def non_working_days(first: date, last: date, cal: WorkingCalendar, *,
                     include_weekends: bool = True) -> list[SkippedDay]:
    """Every day from first to last inclusive that is not a working day, with the reason."""
    check_day(first)
    check_day(last)
    skipped = (cal.why_not_working(day) for day in days_from(first, last))
    return [day for day in skipped if day is not None and (include_weekends or day.kind != SkipKind.WEEKEND)]


def explain(received_on: date, due: date, cal: WorkingCalendar) -> list[SkippedDay]:
    """The days between receipt and the due date that were not counted, and why."""
    if due < received_on:
        raise ClockError(f"The due date {due.isoformat()} is before the date of receipt {received_on.isoformat()}.")
    return non_working_days(received_on, due, cal)


def long_date(day: date) -> str:
    """'Tuesday 15 June 2021', the GOV.UK style."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
