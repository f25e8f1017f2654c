"""§12, as the protocol states it: acknowledge within 3 working days; provide OFFICIAL within 10 and
OFFICIAL-SENSITIVE within 15 working days of the request. Day 1 is the first working day after receipt."""

from datetime import UTC, date, datetime, timedelta, timezone

from clock.core import SECTION_12_DEFAULT_TIMINGS, add_working_days, receipt_day, working_days_between
from tests.support.clock import calendar, deadlines

BST = timezone(timedelta(hours=1))


def test_the_section_12_defaults_are_three_ten_and_fifteen_working_days():
    assert SECTION_12_DEFAULT_TIMINGS.acknowledge_working_days == 3
    assert dict(SECTION_12_DEFAULT_TIMINGS.provide_working_days) == {"OFFICIAL": 10, "OFFICIAL-SENSITIVE": 15}
    assert SECTION_12_DEFAULT_TIMINGS.calendar == "england-and-wales"


def test_day_one_is_the_first_working_day_after_receipt():
    assert add_working_days(date(2021, 6, 15), 1, calendar()) == date(2021, 6, 16)


def test_acknowledgement_is_due_three_working_days_after_receipt():
    assert deadlines(date(2021, 6, 15)).acknowledge_by == date(2021, 6, 18)


def test_official_is_due_ten_working_days_after_receipt():
    assert deadlines(date(2021, 6, 15), "OFFICIAL").provide_by == date(2021, 6, 29)


def test_official_sensitive_is_due_fifteen_working_days_after_receipt():
    assert deadlines(date(2021, 6, 15), "OFFICIAL-SENSITIVE").provide_by == date(2021, 7, 6)


def test_classification_may_be_written_in_lower_case_with_hyphens_or_underscores():
    for spelling in ("official-sensitive", "Official Sensitive", "OFFICIAL_SENSITIVE"):
        assert deadlines(date(2021, 6, 15), spelling).provide_by == date(2021, 7, 6)


def test_a_request_received_on_a_working_day_counts_as_received_that_day():
    received = deadlines(date(2021, 6, 15))
    assert received.received_on == received.arrived_on == date(2021, 6, 15)


def test_a_friday_evening_request_counts_as_received_on_the_friday():
    friday_evening = datetime(2021, 6, 18, 21, 30, tzinfo=BST)
    result = deadlines(friday_evening)
    assert result.received_on == date(2021, 6, 18)
    assert result.acknowledge_by == date(2021, 6, 23)  # Monday is day 1


def test_a_sunday_request_counts_as_received_on_the_monday_so_day_one_is_the_tuesday():
    sunday = datetime(2021, 6, 20, 10, 0, tzinfo=BST)
    result = deadlines(sunday)
    assert result.arrived_on == date(2021, 6, 20)
    assert result.received_on == date(2021, 6, 21)
    assert result.acknowledge_by == date(2021, 6, 24)


def test_a_request_sent_at_2330_utc_on_a_summer_evening_was_received_the_next_day_in_london():
    late_evening_utc = datetime(2021, 6, 15, 23, 30, tzinfo=UTC)  # 00:30 on the 16th, BST
    result = deadlines(late_evening_utc)
    assert result.received_on == date(2021, 6, 16)
    assert result.acknowledge_by == date(2021, 6, 21)


def test_a_request_sent_at_2330_utc_in_winter_was_received_the_same_day_in_london():
    assert receipt_day(datetime(2021, 1, 14, 23, 30, tzinfo=UTC), calendar()) == date(2021, 1, 14)


def test_a_friday_2330_utc_summer_request_arrives_on_saturday_and_counts_from_monday():
    result = deadlines(datetime(2021, 6, 18, 23, 30, tzinfo=UTC))
    assert result.arrived_on == date(2021, 6, 19)
    assert result.received_on == date(2021, 6, 21)
    assert result.acknowledge_by == date(2021, 6, 24)


def test_london_time_follows_the_clock_changes_not_a_fixed_offset():
    # British Summer Time ran until 01:00 UTC on Sunday 31 October 2021.
    assert receipt_day(datetime(2021, 10, 28, 23, 30, tzinfo=UTC), calendar()) == date(2021, 10, 29)
    assert receipt_day(datetime(2021, 11, 1, 23, 30, tzinfo=UTC), calendar()) == date(2021, 11, 1)


def test_good_friday_and_easter_monday_are_not_working_days_in_england_and_wales():
    result = deadlines(date(2021, 4, 1))  # Maundy Thursday
    assert result.acknowledge_by == date(2021, 4, 8)
    assert result.provide_by == date(2021, 4, 19)


def test_easter_monday_is_a_working_day_in_scotland():
    assert deadlines(date(2021, 4, 1), calendar_name="scotland").acknowledge_by == date(2021, 4, 7)


def test_a_request_received_on_good_friday_counts_as_received_on_the_tuesday_after_easter():
    result = deadlines(date(2021, 4, 2))
    assert result.received_on == date(2021, 4, 6)
    assert result.acknowledge_by == date(2021, 4, 9)


def test_christmas_2021_skips_the_weekend_and_both_substitute_days():
    # Christmas Day and Boxing Day fell on Saturday and Sunday: the 27th and 28th were the bank holidays.
    result = deadlines(date(2021, 12, 23))
    assert result.acknowledge_by == date(2021, 12, 30)


def test_new_year_2022_fell_on_a_saturday_so_monday_3_january_was_the_bank_holiday():
    assert deadlines(date(2021, 12, 23), "OFFICIAL").provide_by == date(2022, 1, 11)


def test_christmas_2022_fell_on_a_sunday_so_tuesday_27_december_was_the_substitute_day():
    result = deadlines(date(2022, 12, 23))
    assert result.acknowledge_by == date(2022, 12, 30)


def test_new_year_2023_fell_on_a_sunday_so_monday_2_january_was_the_bank_holiday():
    assert deadlines(date(2022, 12, 23), "OFFICIAL").provide_by == date(2023, 1, 11)


def test_the_state_funeral_of_queen_elizabeth_ii_on_19_september_2022_was_not_a_working_day_anywhere():
    for name in ("england-and-wales", "scotland", "northern-ireland", "any-part-of-uk"):
        assert deadlines(date(2022, 9, 16), calendar_name=name).acknowledge_by == date(2022, 9, 22), name


def test_the_coronation_on_8_may_2023_was_not_a_working_day_anywhere():
    for name in ("england-and-wales", "scotland", "northern-ireland", "any-part-of-uk"):
        assert deadlines(date(2023, 5, 5), calendar_name=name).acknowledge_by == date(2023, 5, 11), name


def test_counting_gives_back_the_working_days_added_across_christmas():
    cal = calendar()
    due = add_working_days(date(2021, 12, 23), 10, cal)
    assert working_days_between(date(2021, 12, 23), due, cal) == 10


def test_no_working_days_have_elapsed_between_a_weekend_receipt_and_the_monday_it_counts_as():
    assert working_days_between(date(2021, 6, 19), date(2021, 6, 21), calendar()) == 0
