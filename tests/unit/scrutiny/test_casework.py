"""The figures of processing holds, research projects and releases against hand-worked fixtures
(tests/support/casework.py says how each was worked)."""

from datetime import date

from clock.core import WorkingCalendar, working_days_between
from scrutiny import casework
from tests.support.casework import (
    DWP,
    HO,
    hand_worked_checks,
    hand_worked_hold_reviews,
    hand_worked_holds,
    hand_worked_project_events,
    hand_worked_projects,
    hand_worked_release_events,
    hand_worked_releases,
)
from tests.support.scrutiny import CALENDARS, TODAY


def _by(table, *keys):
    return {tuple(row[key] for key in keys) if len(keys) > 1 else row[keys[0]]: row for row in table.as_dicts()}


def test_the_hand_worked_working_days_are_the_clocks():
    calendar = WorkingCalendar.named("england-and-wales")
    assert working_days_between(date(2021, 6, 7), date(2021, 6, 21), calendar) == 10
    assert working_days_between(date(2021, 6, 1), TODAY, calendar) == 44
    assert working_days_between(date(2021, 7, 5), TODAY, calendar) == 20
    assert working_days_between(date(2021, 6, 11), date(2021, 6, 16), calendar) == 3


def test_holds_by_state_and_how_long_in_force():
    rows = _by(casework.hold_durations(hand_worked_holds(), "all", TODAY, CALENDARS), "state")
    assert (rows["in_force"]["holds"], rows["lifted"]["holds"]) == (2, 1)
    # In force until today: H2 44 working days (62 calendar), H3 20 (28); lifted: H1 10 (14).
    assert (rows["in_force"]["median_working_days"], rows["in_force"]["longest_working_days"]) == (32.0, 44)
    assert (rows["in_force"]["median_calendar_days"], rows["in_force"]["longest_calendar_days"]) == (45.0, 62)
    assert (rows["lifted"]["median_working_days"], rows["lifted"]["median_calendar_days"]) == (10.0, 14.0)


def test_holds_by_quarter_count_the_day_each_was_placed():
    rows = _by(casework.hold_durations(hand_worked_holds(), "quarter", TODAY, CALENDARS), "group", "state")
    assert {key: row["holds"] for key, row in rows.items()} == {
        ("2021 Q2", "in_force"): 1, ("2021 Q2", "lifted"): 1, ("2021 Q3", "in_force"): 1}


def test_reviews_made_late_and_overdue_are_missed_review_dates():
    [row] = casework.hold_reviews(hand_worked_holds(), hand_worked_hold_reviews(), "all", TODAY).as_dicts()
    assert row == {"group": "All", "holds": 3, "reviews_made": 2, "reviews_late": 1, "overdue_now": 1, "missed": 2}
    rows = _by(casework.hold_reviews(hand_worked_holds(), hand_worked_hold_reviews(), "organisation", TODAY), "group")
    assert (rows[HO]["missed"], rows[DWP]["missed"], rows[DWP]["reviews_made"]) == (2, 0, 0)


def test_a_review_due_today_is_not_missed():
    [row] = casework.hold_reviews(hand_worked_holds(), hand_worked_hold_reviews(), "all", date(2021, 7, 1)).as_dicts()
    assert row["overdue_now"] == 0  # H2's review date is today: not passed


def test_research_projects_by_state_and_time_to_decision():
    rows = _by(casework.research_decisions(hand_worked_projects(), "all", CALENDARS), "state")
    assert (rows["approved"]["decided"], rows["approved"]["median_days"]) == (1, 5.0)  # 7 → 14 June
    assert (rows["cancelled"]["decided"], rows["cancelled"]["median_days"]) == (1, 7.0)  # 1 → 10 June
    assert (rows["suspended"]["projects"], rows["suspended"]["decided"], rows["suspended"]["median_days"]) == \
        (1, 0, None)


def test_suspensions_end_when_the_project_leaves_suspended():
    spans = casework.suspensions(hand_worked_project_events(), TODAY).sort("project_id", "suspended_on")
    assert spans.rows() == [(2, date(2021, 6, 4), date(2021, 6, 10)), (3, date(2021, 7, 7), date(2021, 7, 14)),
                            (3, date(2021, 7, 26), None)]


def test_projects_suspended_by_a_hold_and_for_how_long():
    [row] = casework.research_suspensions(hand_worked_projects(), hand_worked_project_events(), "all", TODAY,
                                          CALENDARS).as_dicts()
    assert (row["projects_suspended"], row["suspensions"], row["still_suspended"]) == (2, 3, 1)
    assert (row["median_working_days"], row["longest_working_days"], row["median_calendar_days"]) == (5.0, 5, 7.0)


def test_releases_by_state():
    rows = _by(casework.release_states(hand_worked_releases(), "all"), "state")
    assert {state: row["releases"] for state, row in rows.items()} == {"approved": 1, "checking": 1, "withdrawn": 1}


def test_time_from_submission_to_consolidation_counts_each_round():
    [row] = casework.release_checking_times(hand_worked_releases(), hand_worked_release_events(), "all",
                                            CALENDARS).as_dicts()
    # L1's two rounds (2 and 3 working days) are timed; L2 still checking and L3 withdrawn are only counted.
    assert (row["submissions"], row["consolidated"], row["median_days"], row["p90_days"]) == (4, 2, 2.5, 2.9)


def test_checker_agreement_counts_rounds_with_two_verdicts():
    [row] = casework.checker_agreement(hand_worked_releases(), hand_worked_checks(), "all").as_dicts()
    assert row == {"group": "All", "rounds": 3, "both_safe": 1, "both_unsafe": 1, "disagreed": 1, "agreement": 66.7}


def test_every_grouping_works_on_frames_with_no_rows():
    for grouping in ("all", "quarter", "year", "direction", "organisation", "classification", "category"):
        empty_holds = hand_worked_holds().clear()
        assert casework.hold_durations(empty_holds, grouping, TODAY, CALENDARS).rows == ()
        assert casework.hold_reviews(empty_holds, hand_worked_hold_reviews().clear(), grouping, TODAY).rows == ()
        assert casework.research_suspensions(hand_worked_projects().clear(), hand_worked_project_events().clear(),
                                             grouping, TODAY, CALENDARS).rows == ()
        assert casework.checker_agreement(hand_worked_releases().clear(), hand_worked_checks().clear(),
                                          grouping).rows == ()
        assert casework.release_checking_times(hand_worked_releases(), hand_worked_release_events(), grouping,
                                               CALENDARS).rows
