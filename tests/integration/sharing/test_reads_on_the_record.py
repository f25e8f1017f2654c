"""Reads on the record where need-to-know applies (issue 8): viewing an OFFICIAL-SENSITIVE request, and every
refused look-up and download, with the person and what was asked for; plain OFFICIAL views are not logged."""

from __future__ import annotations

from audit.models import AuditEvent
from sharing.states import RequestState
from tests.support.requests import draft, walk


def events(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_viewing_an_official_sensitive_request_is_on_the_record(cast, signed_in, api):
    sensitive = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    plain = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    assert signed_in(cast.spoc).get(f"/requests/{sensitive.reference}/").status_code == 200
    assert api(cast.spoc).get(f"/api/requests/{sensitive.pk}/").status_code == 200
    assert signed_in(cast.spoc).get(f"/requests/{plain.reference}/").status_code == 200
    viewed = events("sharing.viewed")
    assert [(e.actor_id, e.object_id, e.details["how"]) for e in viewed] == [
        (cast.spoc.pk, str(sensitive.pk), "page"), (cast.spoc.pk, str(sensitive.pk), "api")]
    assert viewed[0].ip_address == "127.0.0.1"


def test_refused_look_ups_and_downloads_leave_a_trace(cast, signed_in, api):
    sensitive = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    assert signed_in(cast.ho_analyst).get(f"/requests/{sensitive.reference}/").status_code == 404
    assert signed_in(cast.ho_analyst).get("/requests/IASC-2026-9999/").status_code == 404
    assert api(cast.ho_analyst).get(f"/api/requests/{sensitive.pk}/").status_code == 404
    assert api(cast.ho_analyst).get("/api/files/424242/download/").status_code == 404
    refused = [(e.action, e.actor_id, e.details["asked_for"]) for e in
               AuditEvent.objects.filter(action__endswith="_refused").order_by("sequence")]
    assert refused == [("sharing.lookup_refused", cast.ho_analyst.pk, sensitive.reference),
                       ("sharing.lookup_refused", cast.ho_analyst.pk, "IASC-2026-9999"),
                       ("sharing.lookup_refused", cast.ho_analyst.pk, str(sensitive.pk)),
                       ("sharing.download_refused", cast.ho_analyst.pk, "424242")]
