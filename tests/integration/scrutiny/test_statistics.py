"""The statistics read from the database: the frames carry what the services stored, the tables count them, in a
number of queries that does not grow with the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concordat.errors import NotAllowed, RuleViolation
from escalations import services as esc
from escalations.states import Outcome
from scrutiny import services
from sharing.states import Decision, RequestState
from tests.support.escalations import declined_request, escalated
from tests.support.requests import DECIDED, draft, fresh, walk

pytestmark = pytest.mark.django_db


def _query(by="all"):
    today = timezone.localdate()
    return services.parse_query({"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat(),
                                 "by": by}, today)


def _tables(user, by="all"):
    return {table.key: table for table in services.statistics(user, _query(by))}


def _to_rung_3(cast, ladder_people):
    escalation = escalated(cast)
    for rung in (ladder_people.policy_lead, ladder_people.director):
        escalation = esc.decide(escalation, by=rung, outcome=Outcome.NOT_RESOLVED, note="Not mine.",
                                expected_version=escalation.version)
        escalation = esc.go_up(escalation, by=cast.iasc_requester, expected_version=escalation.version)
    return escalation


def test_requests_escalations_and_approvals_as_stored(cast, ladder_people):
    walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.PROVIDED)
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    _to_rung_3(cast, ladder_people)

    tables = _tables(cast.commissioner)
    [acknowledged], [provided] = tables["acknowledgement"].as_dicts(), tables["provision"].as_dicts()
    timeliness = {**acknowledged, **provided}
    assert timeliness["received"] == 3
    assert (timeliness["ack_due"], timeliness["ack_on_time"], timeliness["ack_median"]) == (2, 2, 0.0)
    assert (timeliness["provide_due"], timeliness["provide_on_time"], timeliness["provide_median"]) == (1, 1, 0.0)
    assert [row["declined"] for row in tables["declines"].as_dicts()] == [1]
    heights = tables["escalation_heights"].as_dicts()
    assert [(row["position"], row["escalations"]) for row in heights] == [(3, 1)]
    assert heights[0]["rung"] == "Senior Sponsor (DG SOC)"
    rungs = [(row["position"], row["outcome"]) for row in tables["escalation_rungs"].as_dicts()]
    assert rungs == [(1, "Not resolved"), (2, "Not resolved"), (3, "Still waiting")]
    [approval] = tables["approvals"].as_dicts()  # §10: the OFFICIAL-SENSITIVE one, approved at once
    assert (approval["kind"], approval["state"], approval["median_days"]) == (
        "OFFICIAL-SENSITIVE information (§10)", "Approved", 0.0)


def test_the_number_of_queries_does_not_grow_with_the_history(cast, ladder_people):
    walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    escalated(cast)
    with CaptureQueriesContext(connection) as few:
        _tables(cast.commissioner, by="quarter")
    for _ in range(3):
        walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.PROVIDED)
        escalated(cast, declined_request(cast))
    with CaptureQueriesContext(connection) as more:
        _tables(cast.commissioner, by="quarter")
    # 12 for requests, escalations and approvals; 8 more for holds (2 frames, a calendar), research projects (2
    # frames) and releases (3 frames, the protocols' labels): one query per frame (scrutiny/casework.py).
    assert len(more) == len(few) <= 20


def test_grouped_by_classification(cast):
    walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    rows = _tables(cast.iasc_requester, by="classification")["acknowledgement"].as_dicts()
    assert [(row["group"], row["received"]) for row in rows] == [("OFFICIAL", 1), ("OFFICIAL-SENSITIVE", 1)]


def test_someone_in_no_organisation_reads_no_figures(person):
    with pytest.raises(NotAllowed):
        services.statistics(person(None), _query())


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"from": "2021-06-30", "to": "2021-06-01"}, "to", "ends (1 June 2021) before it starts (30 June 2021)"),
    ({"by": "colour"}, "by", "There is no grouping called “colour”"),
    ({"from": "30/06/2021"}, "from", "is not a date"),
    ({"to": "1999-12-31"}, "to", "from 2000 to 2050"),
    ({"by": "x" * 5000}, "by", "There is no grouping"),
])
def test_bad_queries_are_refused_naming_the_field(params, field, words):
    with pytest.raises(RuleViolation) as refused:
        services.parse_query(params, timezone.localdate())
    [problem] = refused.value.problems
    assert problem.field == field and words in problem.message


def test_an_unknown_table_is_refused_with_the_names_there_are(cast):
    with pytest.raises(RuleViolation, match="the tables are acknowledgement, provision, declines"):
        services.table_named(cast.iasc_requester, _query(), "secrets")


def test_the_frames_take_the_stored_dates_not_todays(cast):
    req = walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    type(req).objects.filter(pk=req.pk).update(acknowledged_at=timezone.now() + timedelta(days=40))
    [row] = _tables(cast.iasc_requester)["acknowledgement"].as_dicts()
    assert row["ack_on_time"] == 0 and row["ack_median"] > 3  # acknowledged after its stored date
    assert fresh(req).acknowledge_by < timezone.localdate() + timedelta(days=40)
