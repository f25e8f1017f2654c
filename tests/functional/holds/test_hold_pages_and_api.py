"""Processing holds through the pages and the API: the same services, the same refusals. Everyone signed in at
either organisation sees every hold; only the department keeps them; a request shows "blocked by hold" or "not
blocked" with the reason, to those who may see the request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from holds.models import Hold
from tests.support.holds import (
    ANONYMISED_STATISTICS,
    JUNE_2021_PARTS,
    PERSONAL_RESEARCH,
    msvc_fields,
    overdue,
    placed,
    today,
)
from tests.support.requests import DECIDED, draft, walk


def _typed(**dates) -> dict:
    """Dates as the GOV.UK date input sends them: day, month and year boxes."""
    return {f"{name}_{index}": part for name, when in dates.items()
            for index, part in enumerate((when.day, when.month, when.year))}


def _json(fields: dict) -> dict:
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in fields.items()}


def test_the_department_places_a_hold_through_the_api_and_reviews_then_lifts_it(cast, api):
    fields = _json({**msvc_fields(cast), "owner": cast.ho_approver.username})
    made = api(cast.ho_dpo).post("/api/holds/", fields, format="json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["state"], body["reference"], body["department"], body["data_source"]) == (
        "in_force", f"HOLD-{body['id']:04d}", "home-office", "msvc_contract")
    assert [step["action"] for step in body["history"]] == ["place"] and body["age_days"] == 30
    pk = body["id"]
    review = {"version": 1, "next_review_on": (today() + timedelta(days=30)).isoformat(), "note": "Still needed."}
    assert api(cast.iasc_requester).post(f"/api/holds/{pk}/review/", review, format="json").status_code == 403
    assert api(cast.ho_approver).post(f"/api/holds/{pk}/review/", review, format="json").status_code == 200
    assert api(cast.ho_dpo).post(f"/api/holds/{pk}/review/", review, format="json").status_code == 409  # stale
    lift = api(cast.ho_approver).post(f"/api/holds/{pk}/lift/", {"version": 2, "lifted_because": "CCN 14"},
                                      format="json")
    assert lift.status_code == 200 and lift.json()["state"] == "lifted" and lift.json()["lifted_because"] == "CCN 14"
    again = api(cast.ho_approver).post(f"/api/holds/{pk}/lift/", {"version": 3, "lifted_because": "CCN 15"},
                                       format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "state"


@pytest.mark.parametrize(("body", "field"), [
    ({"reason": ""}, "reason"), ({"owner": ""}, "owner"), ({"owner": "nobody-here"}, "owner"),
    ({"next_review_on": None}, "next_review_on"), ({"next_review_on": "2020-01-01"}, "next_review_on"),
    ({"purposes": []}, "purposes"), ({"purposes": ["fun"]}, "purposes"), ({"data_source": "moon"}, "data_source"),
    ({"personal_data_categories": ["secret"]}, "personal_data_categories"), ({"began_on": "yesterday"}, "began_on"),
    ({"reason": "x" * 10_001}, "reason"),
])
def test_the_api_refuses_bad_input_naming_the_field(cast, api, body, field):
    fields = _json({**msvc_fields(cast), "owner": cast.ho_approver.username, **body})
    response = api(cast.ho_dpo).post("/api/holds/", fields, format="json")
    assert response.status_code == 400, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Hold.objects.exists()


def test_the_wrong_organisation_cannot_place_review_or_lift(cast, api, signed_in):
    hold = placed(cast)
    fields = _json({**msvc_fields(cast), "owner": cast.ho_approver.username})
    for who in (cast.iasc_approver, cast.commissioner, cast.dwp_officer):
        assert api(who).post("/api/holds/", fields, format="json").status_code == 403
        assert api(who).post(f"/api/holds/{hold.pk}/lift/", {"version": 1, "lifted_because": "x"},
                             format="json").status_code == 403
    nobody = signed_in(cast.nobody)  # in no organisation: no token, and no hold seen
    assert nobody.get(f"/api/holds/{hold.pk}/").status_code == 404
    assert hold.reference not in nobody.get("/api/holds/").content.decode()


def test_everyone_at_both_organisations_sees_the_list_and_an_overdue_review_is_marked(cast, signed_in):
    hold = overdue(placed(cast))
    for who in (cast.iasc_requester, cast.researcher, cast.spoc, cast.dwp_officer):
        page = signed_in(who).get("/holds/")
        assert page.status_code == 200 and hold.reference in page.content.decode()
        assert 'data-testid="review-overdue"' in page.content.decode()
    detail = signed_in(cast.iasc_requester).get(f"/holds/{hold.pk}/").content.decode()
    assert "Review overdue" in detail and "passed with no review" in detail and "Placed" in detail
    assert "Record a review" not in detail  # the IASC sees it, the department keeps it
    assert "Record a review" in signed_in(cast.ho_approver).get(f"/holds/{hold.pk}/").content.decode()


def test_placing_on_the_page_and_its_refusals(cast, signed_in):
    assert signed_in(cast.iasc_requester).get("/holds/new/").status_code == 403
    form = signed_in(cast.ho_dpo).get("/holds/new/")
    assert form.status_code == 200 and "Place the hold" in form.content.decode()
    empty = signed_in(cast.ho_dpo).post("/holds/new/", {"title": ""})
    assert empty.status_code == 400
    assert {"reason", "owner", "next_review_on", "title"} <= set(empty.context["form"].errors)
    fields = msvc_fields(cast)
    dates = {name: fields.pop(name) for name in ("began_on", "next_review_on")}
    made = signed_in(cast.ho_dpo).post("/holds/new/", {**fields, **_typed(**dates)})
    hold = Hold.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/holds/{hold.pk}/"


def test_reviewing_on_the_page_refuses_a_past_date_and_a_stale_version(cast, signed_in):
    hold = placed(cast)
    url = f"/holds/{hold.pk}/review/"
    past = signed_in(cast.ho_approver).post(url, {"version": 1, "note": "Ok.",
                                                  **_typed(next_review_on=today() - timedelta(days=1))})
    assert past.status_code == 400 and "in the past is refused" in str(past.context["form"].errors["next_review_on"])
    ok = signed_in(cast.ho_approver).post(url, {"version": 1, "note": "Ok.",
                                                **_typed(next_review_on=today() + timedelta(days=9))})
    assert ok.status_code == 302
    stale = signed_in(cast.ho_dpo).post(url, {"version": 1, "note": "Ok.",
                                              **_typed(next_review_on=today() + timedelta(days=19))})
    assert stale.status_code == 409
    assert signed_in(cast.iasc_requester).get(url).status_code == 403
    assert signed_in(cast.nobody).get(url).status_code == 404


def test_the_request_page_shows_blocked_by_hold_to_both_sides_and_not_blocked_with_the_reason(cast, signed_in):
    hold = overdue(placed(cast))
    blocked = walk(draft(cast.iasc_requester, **PERSONAL_RESEARCH), cast, DECIDED)
    for who in (cast.iasc_requester, cast.msu_assessor):
        page = signed_in(who).get(f"/requests/{blocked.reference}/").content.decode()
        assert "Blocked by hold" in page and hold.reference in page and "Review overdue" in page
        assert f"History of {hold.reference}" in page
    deliver = signed_in(cast.msu_assessor).get(f"/requests/{blocked.reference}/deliver/")
    assert "Blocked by a processing hold" in deliver.content.decode()
    free = draft(cast.iasc_requester, **ANONYMISED_STATISTICS)
    page = signed_in(cast.iasc_requester).get(f"/requests/{free.reference}/").content.decode()
    assert "Not blocked" in page and "no hold in force covers data from this source" in page
    # need-to-know: a draft of the IASC's is not the Home Office's to see, hold or no hold
    joint = draft(cast.iasc_requester, parts=JUNE_2021_PARTS)
    assert signed_in(cast.spoc).get(f"/requests/{joint.reference}/").status_code == 404


def test_the_request_api_gives_each_parts_verdict(cast, api):
    placed(cast)
    joint = draft(cast.iasc_requester, parts=JUNE_2021_PARTS)
    body = api(cast.iasc_requester).get(f"/api/requests/{joint.pk}/").json()
    assert [(v["part"], v["status"]) for v in body["holds"]] == [(1, "not blocked"), (2, "blocked by hold")]
    assert body["holds"][1]["holds"][0]["next_review_on"] and len(body["parts"]) == 2


def test_the_draft_page_takes_a_scope_and_parts(cast, signed_in):
    request = draft(cast.iasc_requester)
    url = f"/requests/{request.reference}/edit/"
    page = signed_in(cast.iasc_requester).get(url)
    assert page.status_code == 200 and "Part 1: what it asks for" in page.content.decode()
    data = {name: value for name, value in page.context["form"].initial.items()
            if value not in (None, []) and not hasattr(value, "pk")}
    data.update(version=request.version, data_source="msvc_contract", purpose_kind="research",
                part_1_what="Case notes", part_1_data_source="msvc_contract", part_1_purpose_kind="research",
                part_1_personal_data_category="personal", part_2_what="Counts")  # part 2 is missing its scope
    refused = signed_in(cast.iasc_requester).post(url, data)
    assert refused.status_code == 400 and "part_1_what" in refused.context["form"].errors
    data.update(part_2_data_source="nrm_case_records", part_2_purpose_kind="statistics",
                part_2_personal_data_category="anonymised")
    saved = signed_in(cast.iasc_requester).post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    request.refresh_from_db()
    assert (request.data_source, [p.what for p in request.parts.all()]) == ("msvc_contract", ["Case notes", "Counts"])
