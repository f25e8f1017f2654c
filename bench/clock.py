"""How fast are §12 deadlines? A plain script, not a test:

    .venv/bin/python bench/clock.py [--n 1000000] [--sample 20000] [--runs 7]

For N random requests received 2015–2035 (half OFFICIAL, half OFFICIAL-SENSITIVE) it works out the day of
receipt, the acknowledgement due date (3 working days) and the provision due date (10 or 15) in the
England and Wales calendar, four ways:

- clock.vectorised.request_deadlines_many (the service's path) on all N dates;
- np.busday_offset with the same busdaycalendar, on all N dates (a reference);
- clock.core.request_deadlines (the scalar path), on a sample, extrapolated to N;
- a plain per-date loop over the `holidays` package's calendar, on a sample, extrapolated to N;
- workalendar's UnitedKingdom.add_working_days, on a sample, extrapolated to N.

Each time is the median of several runs. Every answer compared must be identical, and the script exits
with status 1 if one is not. workalendar's holidays differ from `holidays` on a few days (it has no 2023
coronation holiday): those days are listed, and dates whose count runs over one are left out of that
comparison (and counted).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

# This file is bench/clock.py: without this, `import clock` would import the script itself.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import holidays  # noqa: E402
import numpy as np  # noqa: E402
from workalendar.europe import UnitedKingdom  # noqa: E402

from clock.core import SECTION_12_DEFAULT_TIMINGS, WorkingCalendar, long_date, request_deadlines  # noqa: E402
from clock.vectorised import request_deadlines_many, working_day_table  # noqa: E402

FIRST_REQUEST = date(2015, 1, 1)
LAST_REQUEST = date(2035, 12, 31)
ACKNOWLEDGE = SECTION_12_DEFAULT_TIMINGS.acknowledge_working_days
PROVIDE = SECTION_12_DEFAULT_TIMINGS.provide_working_days
ONE_DAY = timedelta(days=1)
TARGET_SECONDS_FOR_A_MILLION = 0.5
TARGET_TIMES_FASTER_THAN_WORKALENDAR = 100


def main() -> int:
    options = parse_options()
    rng = np.random.default_rng(options.seed)
    span = (LAST_REQUEST - FIRST_REQUEST).days + 1
    arrived = np.datetime64(FIRST_REQUEST, "D") + rng.integers(0, span, options.n).astype("timedelta64[D]")
    levels = np.where(rng.random(options.n) < 0.5, "OFFICIAL", "OFFICIAL-SENSITIVE")
    provide_days = np.where(levels == "OFFICIAL", PROVIDE["OFFICIAL"], PROVIDE["OFFICIAL-SENSITIVE"])

    cal = WorkingCalendar.named("england-and-wales")
    build_seconds = timed(lambda: working_day_table(cal), runs=1)[0]
    vectorised_seconds, ours = timed(
        lambda: request_deadlines_many(arrived, levels, SECTION_12_DEFAULT_TIMINGS, cal), options.runs)
    ours = (ours.received_on, ours.acknowledge_by, ours.provide_by)

    busdaycal = working_day_table(cal).busdaycalendar
    busday_seconds, numpy_answers = timed(lambda: busday_offset_deadlines(arrived, provide_days, busdaycal),
                                          options.runs)

    sample = min(options.sample, options.n)
    sample_days = [day.item() for day in arrived[:sample]]
    sample_provide = [int(days) for days in provide_days[:sample]]
    expected = [tuple(answer[i].item() for answer in ours) for i in range(sample)]

    sample_levels = [str(level) for level in levels[:sample]]
    scalar_seconds, scalar_answers = timed(
        lambda: [scalar_deadlines(day, level, cal) for day, level in zip(sample_days, sample_levels, strict=True)],
        options.slow_runs)

    holidays_table = holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2037))
    loop_seconds, loop_answers = timed(
        lambda: [plain_loop_deadlines(day, n, holidays_table) for day, n in zip(sample_days, sample_provide,
                                                                                strict=True)],
        options.slow_runs)

    workalendar = UnitedKingdom()
    workalendar_seconds, workalendar_answers = timed(
        lambda: [workalendar_deadlines(day, n, workalendar) for day, n in zip(sample_days, sample_provide,
                                                                              strict=True)],
        options.slow_runs)

    rows = [
        ("clock.vectorised (the service's path)", options.n, vectorised_seconds),
        ("np.busday_offset, same busdaycalendar", options.n, busday_seconds),
        ("clock.core scalar path, per date", sample, scalar_seconds),
        ("plain loop over the holidays calendar", sample, loop_seconds),
        ("workalendar UnitedKingdom.add_working_days", sample, workalendar_seconds),
    ]
    print_table(options, build_seconds, rows)

    checks = [
        check_identical_arrays("np.busday_offset", ours, numpy_answers),
        check_identical("clock.core scalar path", sample_days, expected, scalar_answers),
        check_identical("plain loop over the holidays calendar", sample_days, expected, loop_answers),
        check_workalendar(cal, workalendar, sample_days, expected, workalendar_answers),
    ]
    per_date = {name: seconds / dates for name, dates, seconds in rows}
    checks.append(report_targets(options.n, vectorised_seconds, per_date))
    return 0 if all(checks) else 1


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="requests for the vectorised paths")
    parser.add_argument("--sample", type=int, default=20_000, help="requests for the per-date loops")
    parser.add_argument("--runs", type=int, default=7, help="runs of the vectorised paths (median)")
    parser.add_argument("--slow-runs", type=int, default=3, help="runs of the per-date loops (median)")
    parser.add_argument("--seed", type=int, default=2021)
    return parser.parse_args()


def timed(work: Callable, runs: int) -> tuple[float, object]:
    """The median wall time of `runs` runs, and the last run's answer."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), answer


def busday_offset_deadlines(arrived: np.ndarray, provide_days: np.ndarray, busdaycal) -> tuple:
    # roll="forward": a non-working day counts as the next working day, and day 1 follows it (§12).
    return tuple(np.busday_offset(arrived, n, roll="forward", busdaycal=busdaycal)
                 for n in (0, ACKNOWLEDGE, provide_days))


def scalar_deadlines(arrived: date, level: str, cal: WorkingCalendar) -> tuple[date, date, date]:
    deadlines = request_deadlines(arrived, level, SECTION_12_DEFAULT_TIMINGS, cal)
    return deadlines.received_on, deadlines.acknowledge_by, deadlines.provide_by


def plain_loop_deadlines(arrived: date, provide_days: int, holiday_table) -> tuple[date, date, date]:
    def is_working_day(day: date) -> bool:
        return day.weekday() < 5 and day not in holiday_table

    received = arrived
    while not is_working_day(received):
        received += ONE_DAY

    def day_number(n: int) -> date:
        day = received
        while n:
            day += ONE_DAY
            n -= is_working_day(day)
        return day

    return received, day_number(ACKNOWLEDGE), day_number(provide_days)


def workalendar_deadlines(arrived: date, provide_days: int, workalendar) -> tuple[date, date, date]:
    # find_following_working_day ignores holidays, so: the first working day after the day before.
    received = workalendar.add_working_days(arrived - ONE_DAY, 1)
    return (received, workalendar.add_working_days(received, ACKNOWLEDGE),
            workalendar.add_working_days(received, provide_days))


def print_table(options, build_seconds: float, rows) -> None:
    fastest = rows[0][2] / rows[0][1]
    print(f"§12 deadlines (day of receipt, acknowledgement in {ACKNOWLEDGE}, provision in 10 or 15 working days)")
    print(f"for random requests received {FIRST_REQUEST.year}–{LAST_REQUEST.year}, England and Wales calendar; "
          f"median of {options.runs} runs (vectorised) or {options.slow_runs} runs (per-date loops).")
    print(f"Working-day table for the calendar built once in {build_seconds * 1000:.1f} ms.\n")
    print(f"{'method':<44}{'dates timed':>12}{'median s':>11}{'µs/date':>10}"
          f"{'s for ' + format(options.n, ','):>18}{'vs vectorised':>15}")
    for name, dates, seconds in rows:
        per_date = seconds / dates
        scaled = per_date * options.n
        note = "" if dates == options.n else " (extrap.)"
        print(f"{name:<44}{dates:>12,}{seconds:>11.3f}{per_date * 1e6:>10.3f}{scaled:>9.3f}{note:<9}"
              f"{per_date / fastest:>14,.0f}×")
    print()


def check_identical_arrays(name: str, ours: tuple, theirs: tuple) -> bool:
    differing = np.flatnonzero(np.any([a != b for a, b in zip(ours, theirs, strict=True)], axis=0))
    if differing.size:
        print(f"FAIL {name}: {differing.size:,} dates differ, first at index {differing[0]}")
        return False
    print(f"Identical: {name} on all {ours[0].size:,} dates.")
    return True


def check_identical(name: str, days: list[date], expected: list, answers: list) -> bool:
    differing = [(day, ours, theirs) for day, ours, theirs in zip(days, expected, answers, strict=True)
                 if ours != theirs]
    for day, ours, theirs in differing[:10]:
        print(f"FAIL {name}: received {day}: clock {ours}, {name} {theirs}")
    if not differing:
        print(f"Identical: {name} on all {len(days):,} sampled dates.")
    return not differing


def check_workalendar(cal: WorkingCalendar, workalendar, days: list[date], expected: list, answers: list) -> bool:
    """Identical wherever the two calendars agree on every day counted; the days they disagree on are listed."""
    disagreements = calendar_disagreements(cal, workalendar, date(2015, 1, 1), date(2036, 12, 31))
    for day in disagreements:
        ours = "not a working day" if not cal.is_working_day(day) else "a working day"
        print(f"Calendars differ on {long_date(day)}: {ours} in `holidays` "
              f"({cal.bank_holidays.get(day, 'no bank holiday')}), the opposite in workalendar.")
    compared, left_out = [], []
    for day, ours, theirs in zip(days, expected, answers, strict=True):
        window_end = max(ours[2], theirs[2])
        runs_over_a_difference = any(day <= disagreement <= window_end for disagreement in disagreements)
        (left_out if runs_over_a_difference else compared).append((day, ours, theirs))
    ok = check_identical("workalendar", [c[0] for c in compared], [c[1] for c in compared], [c[2] for c in compared])
    answered_differently = sum(ours != theirs for _, ours, theirs in left_out)
    print(f"  ({len(left_out):,} of {len(days):,} sampled dates left out because their count runs over a day the "
          f"calendars differ on; {answered_differently:,} of them got a different answer from workalendar.)")
    return ok


def calendar_disagreements(cal: WorkingCalendar, workalendar, first: date, last: date) -> list[date]:
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in days if cal.is_working_day(day) != workalendar.is_working_day(day)]


def report_targets(n: int, vectorised_seconds: float, per_date: dict[str, float]) -> bool:
    million_seconds = vectorised_seconds / n * 1_000_000
    ratio = per_date["workalendar UnitedKingdom.add_working_days"] / per_date["clock.vectorised (the service's path)"]
    fast_enough = million_seconds < TARGET_SECONDS_FOR_A_MILLION
    faster_enough = ratio >= TARGET_TIMES_FASTER_THAN_WORKALENDAR
    print(f"\nTarget: 1,000,000 deadlines in under {TARGET_SECONDS_FOR_A_MILLION} s: "
          f"{'met' if fast_enough else 'NOT MET'} ({million_seconds:.3f} s).")
    print(f"Target: at least {TARGET_TIMES_FASTER_THAN_WORKALENDAR}× faster per date than workalendar: "
          f"{'met' if faster_enough else 'NOT MET'} ({ratio:,.0f}×).")
    return fast_enough and faster_enough


if __name__ == "__main__":
    sys.exit(main())
