""""How was this worked out": the days not counted, and why, for any deadline."""

from datetime import date

from django.template.loader import render_to_string

from clock.core import SkipKind, SkippedDay, WorkingCalendar, explain, non_working_days
from tests.support.clock import calendar, deadlines


def test_the_explanation_of_a_christmas_deadline_names_each_day_skipped_and_why():
    result = deadlines(date(2021, 12, 23), "OFFICIAL")
    assert explain(result.received_on, result.provide_by, calendar()) == [
        SkippedDay(date(2021, 12, 25), "Weekend (Christmas Day)", SkipKind.WEEKEND),
        SkippedDay(date(2021, 12, 26), "Weekend (Boxing Day)", SkipKind.WEEKEND),
        SkippedDay(date(2021, 12, 27), "Bank holiday: Christmas Day (observed)", SkipKind.BANK_HOLIDAY),
        SkippedDay(date(2021, 12, 28), "Bank holiday: Boxing Day (observed)", SkipKind.BANK_HOLIDAY),
        SkippedDay(date(2022, 1, 1), "Weekend (New Year's Day)", SkipKind.WEEKEND),
        SkippedDay(date(2022, 1, 2), "Weekend", SkipKind.WEEKEND),
        SkippedDay(date(2022, 1, 3), "Bank holiday: New Year's Day (observed)", SkipKind.BANK_HOLIDAY),
        SkippedDay(date(2022, 1, 8), "Weekend", SkipKind.WEEKEND),
        SkippedDay(date(2022, 1, 9), "Weekend", SkipKind.WEEKEND),
    ]


def test_the_explanation_names_the_state_funeral_and_the_coronation():
    assert explain(date(2022, 9, 16), date(2022, 9, 22), calendar())[-1] == SkippedDay(
        date(2022, 9, 19), "Bank holiday: State Funeral of Queen Elizabeth II", SkipKind.BANK_HOLIDAY)
    assert explain(date(2023, 5, 5), date(2023, 5, 11), calendar())[-1] == SkippedDay(
        date(2023, 5, 8), "Bank holiday: Coronation of Charles III", SkipKind.BANK_HOLIDAY)


def test_the_explanation_gives_a_closures_reason():
    closed = WorkingCalendar.named(closures={date(2021, 6, 16): "Office move to Marsham Street"})
    assert explain(date(2021, 6, 15), date(2021, 6, 21), closed)[0] == SkippedDay(
        date(2021, 6, 16), "Closure: Office move to Marsham Street", SkipKind.CLOSURE)


def test_a_sunday_arrival_is_explained_from_the_day_it_arrived():
    result = deadlines(date(2021, 6, 20))
    skipped = explain(result.arrived_on, result.acknowledge_by, calendar())
    assert skipped == [SkippedDay(date(2021, 6, 20), "Weekend", SkipKind.WEEKEND)]


def test_a_years_non_working_weekdays_can_be_listed_without_the_weekends():
    scotland_2022 = non_working_days(date(2022, 1, 1), date(2022, 12, 31), calendar("scotland"),
                                     include_weekends=False)
    assert [day.day for day in scotland_2022][:3] == [date(2022, 1, 3), date(2022, 1, 4), date(2022, 4, 15)]
    assert all(day.kind != SkipKind.WEEKEND for day in scotland_2022)


def test_the_explanation_template_is_a_govuk_details_element_with_a_table_of_the_days():
    result = deadlines(date(2021, 12, 23))
    html = render_to_string("clock/explanation.html", {
        "explanation": explain(result.received_on, result.acknowledge_by, calendar()),
        "received_on": result.received_on, "due": result.acknowledge_by,
    })
    assert 'class="govuk-details"' in html
    assert 'class="govuk-table"' in html
    assert "How was 30 December 2021 worked out?" in html
    assert "Thursday 23 December 2021" in html
    assert '<time datetime="2021-12-27">Monday 27 December 2021</time>' in html
    assert "Bank holiday: Christmas Day (observed)" in html


def test_the_explanation_template_says_so_when_no_day_was_skipped():
    html = render_to_string("clock/explanation.html", {
        "explanation": [], "received_on": date(2021, 6, 14), "due": date(2021, 6, 17)})
    assert "Every day from receipt to the due date was a working day." in html
    assert "govuk-table" not in html
