"""Retention and disposal through the pages and the API (ADR 33): element (f)'s date on the draft form and API,
the list of what falls due, the disposal with its confirmation, the certificate; the wrong person 403, another
organisation 404, a stale page 409, malformed input 400 naming the field, a second disposal refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from retention.models import Retention
from retention.states import RetentionState
from sharing import services as sharing
from sharing.states import RequestState
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
API = "/api/retention/"
HOW = "Deleted from the share."


def held(cast, days=3) -> Retention:
    request = walk(draft(cast.iasc_requester, retain_until=timezone.localdate() + timedelta(days=days)), cast,
                   RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", b"region,n\nNE,4\n")])
    return Retention.objects.get()


def test_element_f_date_through_the_api_is_validated_with_its_clause(cast, api):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = api(cast.iasc_requester).post("/api/requests/", {"direction": "iasc_to_ho", "retain_until": past},
                                             format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["clause"]) == ("retain_until", "§6(f)")
    later = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = api(cast.iasc_requester).post("/api/requests/", {"direction": "iasc_to_ho", "retain_until": later},
                                             format="json")
    assert response.status_code == 201 and response.json()["retain_until"] == later
    assert api(cast.iasc_requester).post("/api/requests/", {"direction": "iasc_to_ho", "retain_until": "soon"},
                                         format="json").status_code == 400


def test_the_draft_form_offers_element_f_date(cast, signed_in):
    page = signed_in(cast.iasc_requester).get("/requests/new/iasc_to_ho/").content.decode()
    assert "Keep the information until" in page and 'name="retain_until' in page


def test_list_dispose_and_certificate_through_the_api(cast, api):
    retention = held(cast)
    client = api(cast.iasc_requester)
    listed = client.get(API).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [retention.pk] and rows[0]["keep_until"] == retention.keep_until.isoformat()
    assert client.get(f"{API}{retention.pk}/certificate/").status_code == 400  # not disposed of yet
    response = client.post(f"{API}{retention.pk}/dispose/", {"version": retention.version, "method": HOW,
                                                              "confirmed": True}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "disposed" and body["method"] == HOW and all(f["disposed"] for f in body["files"])
    certificate = client.get(f"{API}{retention.pk}/certificate/")
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf"
    assert certificate["Content-Disposition"].startswith('attachment; filename="OFFICIAL_')
    again = client.post(f"{API}{retention.pk}/dispose/", {"version": body["version"], "method": HOW,
                                                           "confirmed": True}, format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "state"


def test_the_wrong_person_and_organisation_and_a_stale_version(cast, api):
    retention = held(cast)
    body = {"version": retention.version, "method": HOW, "confirmed": True}
    assert api(cast.msu_assessor).post(f"{API}{retention.pk}/dispose/", body, format="json").status_code == 403
    assert api(cast.dwp_officer).post(f"{API}{retention.pk}/dispose/", body, format="json").status_code == 404
    assert api(cast.dwp_officer).get(f"{API}{retention.pk}/").status_code == 404
    stale = {**body, "version": retention.version + 1}
    assert api(cast.iasc_requester).post(f"{API}{retention.pk}/dispose/", stale, format="json").status_code == 409
    assert Retention.objects.get().state == RetentionState.HELD


@pytest.mark.parametrize("body", [{}, {"version": "x", "method": HOW, "confirmed": True},
                                  {"version": 1, "method": "x" * 2001, "confirmed": True},
                                  {"version": 1, "method": HOW, "confirmed": "perhaps"},
                                  {"version": 1, "method": HOW, "confirmed": False}])
def test_malformed_bodies_are_400_naming_the_field(cast, api, body):
    retention = held(cast)
    response = api(cast.iasc_requester).post(f"{API}{retention.pk}/dispose/", body, format="json")
    assert response.status_code == 400 and all(error["field"] for error in response.json()["errors"])
    assert Retention.objects.get().state == RetentionState.HELD


def test_the_pages_list_dispose_and_offer_the_certificate(cast, signed_in):
    retention = held(cast)
    requester = signed_in(cast.iasc_requester)
    listing = requester.get("/retention/").content.decode()
    assert f"/retention/{retention.pk}/" in listing
    page = requester.get(f"/retention/{retention.pk}/")
    assert "Dispose of it" in page.content.decode()
    refused = requester.post(f"/retention/{retention.pk}/", {"version": retention.version, "method": HOW})
    assert refused.status_code == 400 and "Confirm that you understand" in refused.content.decode()
    done = requester.post(f"/retention/{retention.pk}/", {"version": retention.version, "method": HOW,
                                                          "confirmed": ["yes"]})
    assert done.status_code == 302
    page = requester.get(f"/retention/{retention.pk}/").content.decode()
    assert "Download the disposal certificate" in page and "Dispose of it" not in page
    certificate = requester.get(f"/retention/{retention.pk}/certificate/")
    assert certificate.status_code == 200 and certificate["Cache-Control"] == "no-store"
    # The holder of the original sees the case but may not dispose of it
    assert "Dispose of it" not in signed_in(cast.msu_assessor).get(f"/retention/{retention.pk}/").content.decode()
    assert signed_in(cast.dwp_officer).get(f"/retention/{retention.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_case_or_many(cast, signed_in):
    held(cast)
    requester = signed_in(cast.iasc_requester)
    requester.get("/retention/?show=held")
    with CaptureQueriesContext(connection) as one:
        requester.get("/retention/?show=held")
    for _ in range(3):
        request = walk(draft(cast.iasc_requester, retain_until=timezone.localdate() + timedelta(days=5)), cast,
                       RequestState.AGREED)
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="More",
                        marking="OFFICIAL", uploads=[SimpleUploadedFile("more.csv", b"a,b\n1,2\n")])
    with CaptureQueriesContext(connection) as many:
        page = requester.get("/retention/?show=held").content.decode()
    assert page.count("/retention/") >= 4 and len(many) == len(one)


def test_the_request_page_links_the_retention_and_stops_offering_destroyed_files(cast, signed_in):
    retention = held(cast)
    requester = signed_in(cast.iasc_requester)
    page = requester.get(f"/requests/{retention.request.reference}/").content.decode()
    assert f"/retention/{retention.pk}/" in page and "/files/" in page.split("What was provided")[1]
    requester.post(f"/retention/{retention.pk}/", {"version": retention.version, "method": HOW, "confirmed": ["yes"]})
    page = requester.get(f"/requests/{retention.request.reference}/").content.decode()
    provided = page.split("What was provided")[1].split("delivery-retention")[0]
    assert "Disposed of on" in page and ": destroyed" in provided and 'download>' not in provided


def test_a_disposed_deliverys_bundle_is_gone(cast, api, signed_in):
    retention = held(cast)
    api(cast.iasc_requester).post(f"{API}{retention.pk}/dispose/", {"version": retention.version, "method": HOW,
                                                                    "confirmed": True}, format="json")
    response = api(cast.iasc_requester).get(f"/api/deliveries/{retention.delivery_id}/bundle/")
    assert response.status_code == 410 and b"disposed of" in response.content
    page = signed_in(cast.iasc_requester).get(f"/deliveries/{retention.delivery_id}/bundle/")
    assert page.status_code == 410
