"""python manage.py deadline 2021-06-15 --classification official-sensitive [--calendar NAME]"""

from __future__ import annotations

import importlib
import inspect
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from clock.calendar_store import get_calendar
from clock.core import (
    CALENDAR_NAMES,
    SECTION_12_DEFAULT_TIMINGS,
    ClockError,
    explain,
    long_date,
    normalise_classification,
    provide_working_days,
    request_deadlines,
)


class Command(BaseCommand):
    help = ("Work out the §12 acknowledgement and provision due dates for a request received on a date "
            "(or at an ISO datetime with an offset), and show how they were worked out.")

    def add_arguments(self, parser):
        parser.add_argument("received", help="2021-06-15, or 2021-06-15T23:30:00+00:00 (an offset is required)")
        parser.add_argument("--classification", required=True, help="official or official-sensitive")
        parser.add_argument("--calendar", choices=CALENDAR_NAMES,
                            help="the working-day calendar (default: the protocol's, or england-and-wales)")
        parser.add_argument("--protocol", help="the slug of the protocol whose timings apply (default: newest)")

    def handle(self, *args, received: str, classification: str, calendar: str | None, protocol: str | None,
               **options):
        timings, source = protocol_timings(protocol)
        try:
            cal = get_calendar(calendar or timings.calendar)
        except DatabaseError as error:
            raise CommandError(f"The calendar's closures and openings could not be read ({error}): "
                               "run `manage.py migrate` first.") from error
        try:
            deadlines = request_deadlines(parse_received(received), classification, timings, cal)
            provide_days = provide_working_days(classification, timings)
            skipped = explain(deadlines.arrived_on, deadlines.provide_by, cal)
        except ClockError as error:
            raise CommandError(str(error)) from error
        self._print(deadlines, cal, source, timings, provide_days, classification, skipped)

    def _print(self, deadlines, cal, source, timings, provide_days, classification, skipped):
        write = self.stdout.write
        write(f"Calendar: {cal.label} ({cal.name})")
        write(f"Timings: {source}")
        write(f"Date of receipt: {long_date(deadlines.received_on)}")
        if deadlines.arrived_on != deadlines.received_on:
            write(f"  (arrived {long_date(deadlines.arrived_on)}, not a working day, so counted as received "
                  "on the next working day)")
        write(f"Acknowledge by: {long_date(deadlines.acknowledge_by)} "
              f"({timings.acknowledge_working_days} working days)")
        write(f"Provide {normalise_classification(classification)} by: {long_date(deadlines.provide_by)} ({provide_days} working days)")
        write("How this was worked out: day 1 is the first working day after the date of receipt. "
              "Days not counted:" if skipped else "How this was worked out: every day counted was a working day.")
        for day in skipped:
            write(f"  {long_date(day.day)}: {day.reason}")


def parse_received(text: str) -> date | datetime:
    """A date, or an ISO datetime; a datetime without an offset is refused by the clock (NaiveDatetime)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date (2021-06-15) or an ISO datetime with an offset "
                           "(2021-06-15T23:30:00+00:00).") from error


def protocol_timings(slug: str | None):
    """The §12 timings of the newest loaded protocol, or the defaults, with a note of which was used."""
    protocol = newest_protocol(slug)
    if protocol is None:
        if slug:
            raise CommandError(f"No protocol {slug!r} has been loaded.")
        return SECTION_12_DEFAULT_TIMINGS, "§12 defaults (no protocol loaded)"
    timings = protocol.spec.timings
    name = " ".join(str(part) for part in (getattr(protocol, "slug", ""), getattr(protocol, "version", "")) if part)
    return timings, f"{timings.clause} of protocol {name}"


def newest_protocol(slug: str | None):
    try:
        current_protocol = importlib.import_module("protocols.services").current_protocol
    except (ImportError, AttributeError):
        return None
    try:
        if slug is None and not _callable_without_arguments(current_protocol):
            slug = _newest_protocol_slug()
            if slug is None:
                return None
        return current_protocol(slug) if slug is not None else current_protocol()
    except ObjectDoesNotExist:
        return None
    except DatabaseError:  # the protocols tables are not migrated yet
        return None


def _callable_without_arguments(function) -> bool:
    try:
        inspect.signature(function).bind()
    except TypeError:
        return False
    return True


def _newest_protocol_slug() -> str | None:
    try:
        protocol_model = importlib.import_module("protocols.models").Protocol
    except (ImportError, AttributeError):
        return None
    return protocol_model.objects.order_by("-loaded_at").values_list("slug", flat=True).first()
