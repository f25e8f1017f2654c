"""The compliance statistics against hand-worked fixtures (tests/support/scrutiny.py says how each was worked)."""

from datetime import date

import polars as pl
import pytest

from scrutiny import compliance
from tests.support.clock import deadlines
from tests.support.scrutiny import (
    CALENDARS,
    TODAY,
    at,
    hand_worked_requests,
    hand_worked_steps,
    request_row,
)


def _timeliness(frame, grouping):
    """The acknowledgement and provision tables' rows of each group, side by side."""
    acknowledgement, provision = compliance.request_timeliness(frame, grouping, TODAY, CALENDARS)
    return [{**ack, **provided} for ack, provided in zip(acknowledgement.as_dicts(), provision.as_dicts(),
                                                         strict=True)]


def test_the_hand_worked_deadlines_are_the_clocks():
    r1 = deadlines(date(2021, 6, 7))
    assert (r1.acknowledge_by, r1.provide_by) == (date(2021, 6, 10), date(2021, 6, 21))
    assert deadlines(date(2021, 6, 7), "OFFICIAL-SENSITIVE").provide_by == date(2021, 6, 28)
    r3 = deadlines(date(2021, 5, 31))  # the Spring bank holiday
    assert (r3.received_on, r3.acknowledge_by) == (date(2021, 6, 1), date(2021, 6, 4))


def test_timeliness_of_the_hand_worked_requests():
    [row] = _timeliness(hand_worked_requests(), "all")
    assert row["received"] == 3
    assert (row["ack_due"], row["ack_on_time"], row["ack_share"]) == (3, 2, 66.7)  # R2 a day late
    assert (row["ack_median"], row["ack_p90"]) == (3.0, 3.8)  # [3, 3, 4]
    assert (row["provide_due"], row["provide_on_time"], row["provide_share"]) == (2, 1, 50.0)  # R3 declined
    assert (row["provide_median"], row["provide_p90"]) == (13.0, 15.4)  # [10, 16]


def test_acknowledged_on_the_deadline_day_is_on_time_and_a_day_late_is_not():
    by_class = {row["group"]: row for row in _timeliness(hand_worked_requests(), "classification")}
    assert by_class["OFFICIAL"]["ack_on_time"] == 2  # R1 on the deadline day, R3
    assert by_class["OFFICIAL-SENSITIVE"]["ack_on_time"] == 0  # R2: 00:30 on Friday in London
    assert by_class["OFFICIAL-SENSITIVE"]["ack_median"] == 4.0


def test_acknowledged_on_the_bank_holiday_it_arrived_counts_zero_working_days():
    frame = pl.concat([hand_worked_requests(), pl.DataFrame([request_row(
        4, date(2021, 6, 1), date(2021, 6, 4), date(2021, 6, 15), at(2021, 5, 31, 12, 0), decision="")],
        schema=hand_worked_requests().schema)])
    days = compliance.working_days(frame.with_columns(done=compliance.london_date("acknowledged_at")),
                                   "received_on", "done", CALENDARS)
    assert days.to_list() == [3, 4, 3, 0]


def test_an_unanswered_request_past_its_date_counts_as_late_and_one_withdrawn_first_does_not():
    frame = pl.DataFrame([
        request_row(1, date(2021, 6, 7), date(2021, 6, 10), date(2021, 6, 21), decision=""),
        request_row(2, date(2021, 6, 7), date(2021, 6, 10), date(2021, 6, 21), decision="",
                    withdrawn_at=at(2021, 6, 8, 9, 0)),
        request_row(3, date(2021, 7, 29), date(2021, 8, 3), date(2021, 8, 12), decision=""),  # not yet due
    ], schema=hand_worked_requests().schema)
    [row] = _timeliness(frame, "all")
    assert (row["received"], row["ack_due"], row["ack_on_time"], row["ack_share"]) == (3, 1, 0, 0.0)
    assert (row["provide_due"], row["ack_median"]) == (1, None)


@pytest.mark.parametrize(("grouping", "groups"), [
    ("quarter", ["2021 Q2"]), ("year", ["2021"]), ("direction", ["iasc_to_ho"]),
    ("organisation", ["Home Office"]), ("category", ["none recorded"]),
])
def test_every_grouping(grouping, groups):
    assert [row["group"] for row in _timeliness(hand_worked_requests(), grouping)] == groups


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="Unknown grouping"):
        compliance.request_timeliness(hand_worked_requests(), "colour", TODAY, CALENDARS)


def test_declines_by_checklist_item():
    table = compliance.declines_by_item(hand_worked_requests(), "all", {"necessity": "Necessity (§7(a))"})
    assert [(r["item"], r["declined"]) for r in table.as_dicts()] == [("Necessity (§7(a))", 1), ("proportionality", 1)]


def test_an_escalation_that_went_to_rung_3():
    rungs = compliance.escalations_by_rung(hand_worked_steps(), "all", CALENDARS).as_dicts()
    assert [(r["position"], r["outcome"], r["escalations"], r["median_days"]) for r in rungs] == [
        (1, "Not resolved", 1, 2.0), (2, "Not resolved", 1, 5.0), (3, "Still waiting", 1, None)]
    [height] = compliance.escalations_by_highest_rung(hand_worked_steps(), "all").as_dicts()
    assert (height["position"], height["rung"], height["escalations"]) == (3, "Senior Sponsor", 1)


def test_approvals_and_how_long_they_took():
    frame = pl.DataFrame([
        {"id": 1, "kind": "Classification (§10)", "state": "Approved", "requested_at": at(2021, 6, 7, 9),
         "decided_at": at(2021, 6, 9, 9), "calendar": "england-and-wales", "direction": "iasc_to_ho",
         "organisation": "Home Office", "classification": "OFFICIAL-SENSITIVE", "category": ""},
        {"id": 2, "kind": "Classification (§10)", "state": "Asked", "requested_at": at(2021, 6, 7, 9),
         "decided_at": None, "calendar": "england-and-wales", "direction": "iasc_to_ho",
         "organisation": "Home Office", "classification": "OFFICIAL-SENSITIVE", "category": ""},
    ], schema_overrides={"decided_at": pl.Datetime("us", "UTC"), "requested_at": pl.Datetime("us", "UTC")})
    rows = compliance.approvals_table(frame, "all", CALENDARS).as_dicts()
    assert [(r["state"], r["approvals"], r["median_days"]) for r in rows] == [("Approved", 1, 2.0), ("Asked", 1, None)]


def test_an_empty_history_gives_empty_tables():
    empty = hand_worked_requests().clear()
    assert all(table.rows == () for table in compliance.request_timeliness(empty, "quarter", TODAY, CALENDARS))
    assert compliance.escalations_by_rung(hand_worked_steps().clear(), "year", CALENDARS).rows == ()


def test_a_decline_with_no_checklist_item_recorded_is_counted_as_such():
    frame = pl.DataFrame([request_row(1, date(2021, 6, 7), date(2021, 6, 10), date(2021, 6, 21),
                                      decision="declined")], schema=hand_worked_requests().schema)
    rows = compliance.declines_by_item(frame, "all", {}).as_dicts()
    assert [(r["item"], r["declined"]) for r in rows] == [("none recorded", 1)]
