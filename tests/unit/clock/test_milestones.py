"""A milestone is not yet due, due within 2 working days, overdue, met on time or met late."""

from datetime import date

from clock.core import MilestoneState, milestone_status
from tests.support.clock import calendar

DUE = date(2021, 6, 29)  # a Tuesday


def status(today, met_on=None):
    return milestone_status(DUE, today, met_on, calendar())


def test_a_milestone_more_than_two_working_days_away_is_not_yet_due():
    result = status(date(2021, 6, 21))
    assert (result.state, result.working_days, result.label) == (MilestoneState.NOT_YET_DUE, 6,
                                                               "Due in 6 working days")


def test_a_milestone_two_working_days_away_over_a_weekend_is_due_soon():
    result = status(date(2021, 6, 25))  # Friday: Monday and Tuesday are left
    assert (result.state, result.working_days, result.label) == (MilestoneState.DUE_SOON, 2,
                                                               "Due in 2 working days")


def test_a_milestone_due_today_is_due_soon():
    result = status(DUE)
    assert (result.state, result.working_days, result.label) == (MilestoneState.DUE_SOON, 0, "Due today")


def test_a_milestone_due_on_monday_seen_at_the_weekend_is_due_on_the_next_working_day():
    result = milestone_status(date(2021, 6, 28), date(2021, 6, 26), None, calendar())
    assert (result.state, result.working_days, result.label) == (MilestoneState.DUE_SOON, 0,
                                                               "Due on the next working day")


def test_a_milestone_not_met_by_its_due_date_is_overdue_by_working_days():
    result = status(date(2021, 7, 2))
    assert (result.state, result.working_days, result.label) == (MilestoneState.OVERDUE, 3,
                                                               "Overdue by 3 working days")


def test_a_milestone_met_before_its_due_date_was_met_on_time_with_working_days_to_spare():
    result = status(date(2021, 7, 10), met_on=date(2021, 6, 24))
    assert (result.state, result.working_days, result.label) == (MilestoneState.MET_ON_TIME, 3,
                                                               "Met on time, 3 working days early")


def test_a_milestone_met_on_its_due_date_was_met_on_time():
    result = status(date(2021, 7, 10), met_on=DUE)
    assert (result.state, result.working_days, result.label) == (MilestoneState.MET_ON_TIME, 0, "Met on time")


def test_a_milestone_met_after_its_due_date_was_met_late_by_working_days():
    result = status(date(2021, 7, 10), met_on=date(2021, 6, 30))
    assert (result.state, result.working_days, result.label) == (MilestoneState.MET_LATE, 1,
                                                               "Met 1 working day late")


def test_bank_holidays_do_not_count_towards_lateness():
    # Due Thursday 23 December 2021; met on Wednesday 29th: 24th is the only working day between.
    result = milestone_status(date(2021, 12, 23), date(2022, 1, 5), date(2021, 12, 29), calendar())
    assert (result.state, result.working_days) == (MilestoneState.MET_LATE, 2)


def test_the_state_compares_equal_to_its_plain_value():
    assert status(DUE).state == "due_soon"
