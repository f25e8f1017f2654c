"""The figures of processing holds, research projects and releases read from what their services stored, in a
number of queries that does not grow with the cases; and the dashboard's panels for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from holds import services as hold_services
from releases import services as release_services
from releases.cases import RELEASES
from research import services as research_services
from research.states import ProjectState
from scrutiny import dashboard, services
from tests.support.holds import overdue, placed
from tests.support.releases import Checkers, approved, checked, drafted, uploaded
from tests.support.research import participant_keys, research_cast, under_review  # noqa: F401

pytestmark = pytest.mark.django_db
CASEWORK_TABLES = ("hold_durations", "hold_reviews", "research_projects", "research_suspensions", "release_states",
                   "release_checking", "checker_agreement")


@pytest.fixture
def checkers(person):
    return Checkers(person)


@pytest.fixture
def dataset(cast):
    return uploaded(cast.msu_assessor)


def _tables(user, by="all"):
    today = timezone.localdate()
    query = services.parse_query({"from": (today - timedelta(days=400)).isoformat(), "to": today.isoformat(),
                                  "by": by}, today)
    return {table.key: table for table in services.statistics(user, query)}


def _count(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        _tables(user)
    return len(queries)


def test_holds_reviews_and_their_figures(cast):
    lifted = placed(cast)
    hold_services.lift(lifted, by=cast.ho_approver, expected_version=lifted.version,
                       lifted_because="The Contract Change Notice")
    late = overdue(placed(cast, title="A second hold"))
    hold_services.review(late, by=cast.ho_dpo, expected_version=late.version, note="Still waiting for the CCN.",
                         next_review_on=timezone.localdate() + timedelta(days=30))
    overdue(placed(cast, title="A third hold"), days=5)  # began 200 days ago, never reviewed
    tables = _tables(cast.iasc_requester)
    states = {row["state"]: row["holds"] for row in tables["hold_durations"].as_dicts()}
    assert states == {"In force": 2, "Lifted": 1}
    [reviews] = tables["hold_reviews"].as_dicts()
    assert (reviews["holds"], reviews["reviews_made"], reviews["reviews_late"], reviews["overdue_now"],
            reviews["missed"]) == (3, 1, 1, 1, 2)
    in_force = next(row for row in tables["hold_durations"].as_dicts() if row["state"] == "In force")
    assert in_force["longest_calendar_days"] == 200


def test_research_projects_and_their_suspensions(person, cast):
    rc = research_cast(person, cast)
    placed(cast)
    project = under_review(rc)  # suspended at once by the hold in force
    assert project.state == ProjectState.SUSPENDED
    [row] = _tables(cast.iasc_requester)["research_projects"].as_dicts()
    assert (row["state"], row["projects"], row["decided"], row["median_days"]) == ("Suspended by a processing hold",
                                                                                  1, 0, None)
    [suspended] = _tables(cast.iasc_requester)["research_suspensions"].as_dicts()
    assert (suspended["projects_suspended"], suspended["suspensions"], suspended["still_suspended"]) == (1, 1, 1)
    research_services.cancel(project, by=rc.contracts, expected_version=project.version, reason="Not now.")
    tables = _tables(cast.iasc_requester)
    [row] = tables["research_projects"].as_dicts()
    assert (row["state"], row["decided"], row["median_days"]) == ("Cancelled", 1, 0.0)  # the same day
    [suspended] = tables["research_suspensions"].as_dicts()
    assert (suspended["still_suspended"], suspended["median_working_days"]) == (0, 0.0)


def test_releases_checking_and_agreement(cast, checkers, dataset):
    approved(drafted(cast, dataset), checkers)
    split = checked(drafted(cast, dataset, title="By age"), checkers, verdicts=("safe", "unsafe"))
    release_services.consolidate(split, by=checkers.first, expected_version=split.version, outcome="return",
                                  note="Cell suppression needed.")
    tables = _tables(cast.iasc_requester)
    assert {row["state"]: row["releases"] for row in tables["release_states"].as_dicts()} == {
        "Approved": 1, "Draft": 1}
    [timing] = tables["release_checking"].as_dicts()
    assert (timing["submissions"], timing["consolidated"], timing["median_days"]) == (2, 2, 0.0)
    [agreement] = tables["checker_agreement"].as_dicts()
    assert (agreement["rounds"], agreement["both_safe"], agreement["disagreed"], agreement["agreement"]) == \
        (2, 1, 1, 50.0)


def test_the_queries_do_not_grow_with_the_cases(person, cast, checkers, dataset):
    rc = research_cast(person, cast)
    placed(cast)
    under_review(rc)
    approved(drafted(cast, dataset), checkers)
    few = _count(cast.iasc_requester)
    for n in range(3):
        placed(cast, title=f"Hold {n}")
        under_review(rc, title=f"Project {n}")
        approved(drafted(cast, dataset, title=f"Release {n}"), checkers)
    assert _count(cast.iasc_requester) == few


def test_every_grouping_of_the_casework_tables(cast, checkers, dataset):
    placed(cast)
    approved(drafted(cast, dataset), checkers)
    for grouping in ("quarter", "year", "direction", "organisation", "classification", "category"):
        tables = _tables(cast.iasc_requester, grouping)
        assert all(key in tables for key in CASEWORK_TABLES)
    by_organisation = _tables(cast.iasc_requester, "organisation")
    assert {row["group"] for row in by_organisation["hold_durations"].as_dicts()} == {"Home Office"}


def test_releases_awaiting_checking_panel_is_the_checkers(cast, checkers, dataset):
    waiting = release_services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    board = dashboard.dashboard(checkers.first, timezone.localdate())
    panel = next(table for table in board.tables if table.key == "releases_awaiting_checking")
    assert [row[0] for row in panel.rows] == [RELEASES.reference(waiting)]
    assert panel.rows[0][-1] == 1  # the first checking round
    author_board = dashboard.dashboard(cast.msu_assessor, timezone.localdate())  # not an output checker
    assert "releases_awaiting_checking" not in {table.key for table in author_board.tables}
    elsewhere = dashboard.dashboard(checkers.elsewhere, timezone.localdate())
    assert next(t for t in elsewhere.tables if t.key == "releases_awaiting_checking").rows == ()


def test_holds_panel_shows_review_dates_to_everyone(cast):
    due = placed(cast)
    late = overdue(placed(cast, title="Late"), days=3)
    today = timezone.localdate()
    for user in (cast.iasc_requester, cast.ho_dpo):
        panel = next(t for t in dashboard.dashboard(user, today).tables if t.key == "holds")
        assert [row[0] for row in panel.rows] == [late.reference, due.reference]
        assert panel.rows[0][5].startswith("Overdue by") and panel.rows[1][5].startswith("Due in")


def test_the_dashboards_queries_do_not_grow_with_the_holds(cast):
    placed(cast)
    overdue(placed(cast, title="Overdue already"))  # so that "My work" and the overdue panel have one each
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        dashboard.dashboard(cast.ho_dpo, today)
    for n in range(4):
        overdue(placed(cast, title=f"Hold {n}"))
    with CaptureQueriesContext(connection) as many:
        dashboard.dashboard(cast.ho_dpo, today)
    assert len(many) == len(few)
