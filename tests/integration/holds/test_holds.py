"""Processing holds: placed by the department, reviewed by its review date (flagged on "My work" and reminded
once it passes), lifted with what lifted it; each bad input refused with a clear message naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from holds import reminders, services
from holds.models import Hold, HoldEvent
from holds.states import HoldState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.holds import msvc_fields, overdue, placed, today
from workflow import work


def fields_of(violation) -> set:
    return {problem.field for problem in violation.value.problems}


def test_a_hold_is_placed_in_force_on_the_timeline_and_the_audit_chain(cast):
    hold = placed(cast)
    assert (hold.state, hold.department.slug, hold.owner, hold.placed_by) == (
        HoldState.IN_FORCE, "home-office", cast.ho_approver, cast.ho_dpo)
    assert hold.reference == f"HOLD-{hold.pk:04d}"
    assert [e.action for e in hold.events.all()] == ["place"]
    event = AuditEvent.objects.get(action="holds.place")
    assert event.details["snapshot"]["data_source"] == "msvc_contract"
    assert verify_stored_chain().ok


@pytest.mark.parametrize(("missing", "field"), [("reason", "reason"), ("owner", "owner"),
                                                ("next_review_on", "next_review_on"), ("title", "title"),
                                                ("lifting_conditions", "lifting_conditions"),
                                                ("purposes", "purposes"), ("data_source", "data_source"),
                                                ("personal_data_categories", "personal_data_categories")])
def test_a_hold_with_something_missing_is_refused_naming_it(cast, missing, field):
    with pytest.raises(RuleViolation) as refused:
        placed(cast, **{missing: None})
    assert field in fields_of(refused)
    assert not Hold.objects.exists() and not AuditEvent.objects.filter(action="holds.place").exists()


def test_a_review_date_in_the_past_or_today_is_refused(cast):
    for day in (today() - timedelta(days=1), today()):
        with pytest.raises(RuleViolation, match="review date in the past is refused") as refused:
            placed(cast, next_review_on=day)
        assert fields_of(refused) == {"next_review_on"}


@pytest.mark.parametrize("overrides", [
    {"purposes": ["research", "astrology"]}, {"purposes": "research"}, {"personal_data_categories": ["secret"]},
    {"data_source": "the moon"}, {"owner": 2**70}, {"owner": "x"}, {"began_on": "2021-03-01"},
    {"next_review_on": "soon"}, {"reason": "x" * 10_001}, {"title": "t" * 201}, {"purposes": ["research"] * 50},
    {"unknown_field": "value"}])
def test_malformed_input_is_refused_not_raised(cast, overrides):
    with pytest.raises(RuleViolation):
        placed(cast, **overrides)


def test_a_future_start_and_an_owner_outside_the_department_are_refused(cast):
    with pytest.raises(RuleViolation) as refused:
        placed(cast, began_on=today() + timedelta(days=1), owner=cast.iasc_requester.pk)
    assert fields_of(refused) == {"began_on", "owner"}


@pytest.mark.parametrize("who", ["iasc_requester", "commissioner", "iasc_approver", "ho_requester", "spoc",
                                 "dwp_officer", "nobody", "researcher", "ho_auditor"])
def test_only_an_approver_or_dpo_of_a_government_department_places_a_hold(cast, who):
    with pytest.raises(NotAllowed, match="approver or data protection officer of a government department"):
        placed(cast, by=getattr(cast, who))


def test_another_government_departments_dpo_places_no_hold_on_the_home_offices_data(cast, person):
    from accounts.roles import Role

    with pytest.raises(NotAllowed, match="government department") as refused:
        placed(cast, by=person("dwp", Role.DPO))  # an OGD (§18), not a party that places holds here
    assert fields_of(refused) == {"department"}


def test_a_review_sets_the_next_date_and_clears_the_flag_on_my_work(cast):
    hold = overdue(placed(cast))
    assert [item.case for item in work.items_for(cast.ho_approver, today()) if item.kind == "hold"] == [hold]
    assert [item.case for item in work.items_for(cast.ho_dpo, today()) if item.kind == "hold"] == [hold]
    assert [i for i in work.items_for(cast.iasc_requester, today()) if i.kind == "hold"] == []
    item = next(i for i in work.items_for(cast.ho_approver, today()) if i.kind == "hold")
    assert item.is_overdue and item.due_on == hold.next_review_on
    reviewed = services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                               next_review_on=today() + timedelta(days=30), note="Contract change still with TSA.")
    assert reviewed.next_review_on == today() + timedelta(days=30) and reviewed.last_reviewed_by == cast.ho_approver
    assert [e.action for e in reviewed.events.all()] == ["place", "review"]
    assert reviewed.events.last().details["overdue"] is True
    assert [i for i in work.items_for(cast.ho_approver, today()) if i.kind == "hold"] == []


def test_a_hold_not_yet_due_is_nobodys_work(cast):
    placed(cast)
    assert [i for i in work.items_for(cast.ho_approver, today()) if i.kind == "hold"] == []


def test_a_review_with_a_past_date_or_no_note_is_refused(cast):
    hold = placed(cast)
    with pytest.raises(RuleViolation) as refused:
        services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                        next_review_on=today() - timedelta(days=1), note="")
    assert fields_of(refused) == {"next_review_on", "note"}
    assert Hold.objects.get(pk=hold.pk).version == hold.version


@pytest.mark.parametrize("who", ["iasc_requester", "commissioner", "spoc", "ho_requester", "dwp_officer",
                                 "researcher", "ho_minister"])
def test_the_wrong_person_cannot_review_or_lift(cast, who):
    hold = placed(cast)
    with pytest.raises(NotAllowed, match="owner, or an approver or data protection officer"):
        services.review(hold, by=getattr(cast, who), expected_version=hold.version,
                        next_review_on=today() + timedelta(days=9), note="Fine.")
    with pytest.raises(NotAllowed):
        services.lift(hold, by=getattr(cast, who), expected_version=hold.version, lifted_because="CCN")


def test_someone_signed_in_with_no_organisation_cannot_even_see_it(cast):
    hold = placed(cast)
    with pytest.raises(NotAllowed, match="cannot see"):
        services.lift(hold, by=cast.nobody, expected_version=hold.version, lifted_because="CCN")


def test_lifting_records_what_lifted_it_and_a_lifted_hold_cannot_be_lifted_again(cast):
    hold = placed(cast)
    lifted = services.lift(hold, by=cast.ho_dpo, expected_version=hold.version,
                           lifted_because="Contract Change Notice 14 to the MSVC contract", note="Signed by TSA.")
    assert (lifted.state, lifted.lifted_by, lifted.lifted_because) == (
        HoldState.LIFTED, cast.ho_dpo, "Contract Change Notice 14 to the MSVC contract")
    with pytest.raises(RuleViolation, match="while it is lifted") as refused:
        services.lift(lifted, by=cast.ho_dpo, expected_version=lifted.version, lifted_because="Again")
    assert fields_of(refused) == {"state"}
    with pytest.raises(RuleViolation, match="while it is lifted"):
        services.review(lifted, by=cast.ho_dpo, expected_version=lifted.version,
                        next_review_on=today() + timedelta(days=9), note="Late.")


def test_lifting_without_saying_what_lifted_it_is_refused(cast):
    hold = placed(cast)
    for because in ("", "   ", None, "x" * 301):
        with pytest.raises(RuleViolation) as refused:
            services.lift(hold, by=cast.ho_dpo, expected_version=hold.version, lifted_because=because)
        assert fields_of(refused) == {"lifted_because"}


def test_a_stale_version_is_refused(cast):
    hold = placed(cast)
    services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                    next_review_on=today() + timedelta(days=9), note="Still needed.")
    with pytest.raises(StaleObject):
        services.lift(hold, by=cast.ho_dpo, expected_version=hold.version, lifted_because="CCN 14")


def test_placing_tells_the_keepers_and_lifting_tells_them_again(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hold = placed(cast)
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["ho.approver@example.org"]  # the DPO placed it; the approver owns it
    assert mail.outbox[0].subject == f"OFFICIAL: processing hold {hold.reference} placed"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lift(hold, by=cast.ho_approver, expected_version=hold.version, lifted_because="CCN 14")
    assert sorted(m.to[0] for m in mail.outbox) == ["ho.dpo@example.org"]


def test_an_overdue_review_is_reminded_once_to_the_keepers(cast):
    hold = overdue(placed(cast))
    mail.outbox.clear()
    assert reminders.send_review_reminders(today()) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ho.approver@example.org", "ho.dpo@example.org"]
    assert "review overdue" in mail.outbox[0].subject
    assert reminders.send_review_reminders(today()) == 0  # once per review date and person
    services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                    next_review_on=today() + timedelta(days=60), note="Reviewed.")
    assert reminders.send_review_reminders(today()) == 0


def test_a_review_due_within_five_working_days_is_reminded_once_per_date_then_again_when_overdue(cast):
    hold = placed(cast)  # due in 60 days: nothing yet
    mail.outbox.clear()
    assert reminders.send_review_reminders(today()) == 0
    soon = reminders.horizon(today())
    Hold.objects.filter(pk=hold.pk).update(next_review_on=soon)
    assert reminders.send_review_reminders(today()) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ho.approver@example.org", "ho.dpo@example.org"]
    assert mail.outbox[0].subject == f"OFFICIAL: processing hold {hold.reference} review due soon"
    assert "review overdue" not in mail.outbox[0].subject
    assert reminders.send_review_reminders(today()) == 0  # once per review date and person
    assert reminders.send_review_reminders(soon) == 0  # on the day itself: still the same date, already told
    assert reminders.send_review_reminders(soon + timedelta(days=1)) == 2  # then overdue, once
    assert "review overdue" in mail.outbox[-1].subject


def test_a_review_just_beyond_five_working_days_is_not_yet_reminded(cast):
    hold = placed(cast)
    Hold.objects.filter(pk=hold.pk).update(next_review_on=reminders.horizon(today()) + timedelta(days=1))
    mail.outbox.clear()
    assert reminders.send_review_reminders(today()) == 0 and mail.outbox == []


def test_a_lifted_hold_due_soon_is_reminded_to_nobody(cast):
    hold = placed(cast)
    services.lift(hold, by=cast.ho_approver, expected_version=hold.version, lifted_because="CCN 14")
    Hold.objects.filter(pk=hold.pk).update(next_review_on=today() + timedelta(days=1))
    mail.outbox.clear()
    assert reminders.send_review_reminders(today()) == 0


def test_a_new_review_date_is_reminded_afresh(cast):
    hold = placed(cast)
    Hold.objects.filter(pk=hold.pk).update(next_review_on=today() + timedelta(days=1))
    assert reminders.send_review_reminders(today()) == 2
    hold = Hold.objects.get(pk=hold.pk)
    services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                    next_review_on=reminders.horizon(today()), note="Reviewed; the contract change is drafted.")
    assert reminders.send_review_reminders(today()) == 2  # the new date, to the same people


def test_the_daily_reminders_cost_a_fixed_number_of_queries_per_hold(cast, django_assert_max_num_queries):
    from tests.support.holds import overdue as past_due

    holds = [past_due(placed(cast)) for _ in range(3)]
    reminders.send_review_reminders(today())
    with django_assert_max_num_queries(1 + 12 * len(holds)):
        assert reminders.send_review_reminders(today()) == 0


def test_my_work_for_holds_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for _ in range(5):
        overdue(placed(cast))
    approver = type(cast.ho_approver).objects.get(pk=cast.ho_approver.pk)
    from holds.cases import HOLDS

    with django_assert_max_num_queries(4):
        items = HOLDS.work_items(approver, today(), 100)
    assert len(items) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviews_at_once_exactly_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    hold = placed(cast)
    version = hold.version

    def review(who, days):
        return lambda: services.review(hold.pk, by=who, expected_version=version,
                                       next_review_on=today() + timedelta(days=days), note="Reviewed.")

    outcomes = run_together([review(cast.ho_approver, 10), review(cast.ho_dpo, 20)])
    assert sum(isinstance(o, Hold) for o in outcomes) == 1
    assert sum(isinstance(o, StaleObject) for o in outcomes) == 1
    assert HoldEvent.objects.filter(hold=hold, action="review").count() == 1
    assert verify_stored_chain().ok


def test_two_reviews_in_turn_from_the_same_version_the_second_is_stale(cast):
    hold = placed(cast)
    services.review(hold, by=cast.ho_approver, expected_version=hold.version,
                    next_review_on=today() + timedelta(days=10), note="One.")
    with pytest.raises(StaleObject):
        services.review(hold, by=cast.ho_dpo, expected_version=hold.version,
                        next_review_on=today() + timedelta(days=20), note="Two.")
    assert msvc_fields(cast)["owner"] == cast.ho_approver.pk
