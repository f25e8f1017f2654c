"""The API's read serializers answer by a plan made once per class (concordat.api_representation, ADR 59): the
bytes of every answer must be those DRF's own field-by-field walk gives, for requests at every stage, plain and
OFFICIAL-SENSITIVE, to people who see them and people who see fewer."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from concordat.api_representation import PlannedRepresentation
from sharing.states import Decision, RequestState
from tests.support.requests import draft, walk

SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}


@pytest.fixture
def requests_at_every_stage(cast):
    made = [draft(cast.iasc_requester), draft(cast.iasc_requester, **SENSITIVE,
                                               named_people=[cast.iasc_case_officer.pk])]
    for until in (RequestState.SUBMITTED, RequestState.ACKNOWLEDGED, RequestState.UNDER_ASSESSMENT,
                  RequestState.PROVIDED, RequestState.CLOSED):
        made.append(walk(draft(cast.iasc_requester), cast, until))
    made.append(walk(draft(cast.iasc_requester), cast, RequestState.DECLINED, decision=Decision.DECLINED))
    made.append(walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED))
    made.append(walk(draft(cast.ho_requester, "ho_to_iasc"), cast, RequestState.ACKNOWLEDGED))
    return made


def answers(clients, paths) -> list[tuple[int, bytes]]:
    return [(response.status_code, response.content)
            for response in (client.get(path) for client in clients for path in paths)]


def test_the_planned_answers_are_drf_s_byte_for_byte(cast, api, requests_at_every_stage, monkeypatch):
    people = [cast.iasc_requester, cast.iasc_case_officer, cast.spoc, cast.msu_assessor, cast.ho_auditor,
              cast.ho_requester]
    clients = [api(person) for person in people]
    paths = ["/api/requests/", "/api/requests/?ordering=reference",
             *[f"/api/requests/{request.pk}/" for request in requests_at_every_stage]]
    for client in clients:  # a token's first use from an address is recorded once: not part of the comparison
        client.get("/api/requests/")
    planned = answers(clients, paths)
    monkeypatch.setattr(PlannedRepresentation, "to_representation", serializers.Serializer.to_representation)
    generic = answers(clients, paths)
    assert planned == generic
    shown = [body for status, body in planned if body.startswith(b'{"id"')]
    assert len(shown) > len(people) * 4  # most requests shown to most people: the comparison covers them
    assert any(b"OFFICIAL-SENSITIVE" in body for body in shown)
    assert any(b'"deliveries":[{' in body for body in shown) and any(b'"approvals":[{' in body for body in shown)
    assert any(b'"satisfied":' in body for body in shown) and any(b'"skipped":[{' in body for body in shown)
    assert any(status == 404 for status, _ in planned)  # and some refused to who may not see them
