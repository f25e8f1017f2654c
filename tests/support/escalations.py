"""The people of the §13 ladder, and requests ready to escalate."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.roles import Role
from escalations import services as escalation_services
from sharing.states import Decision, RequestState
from tests.support.requests import DECIDED, draft, fresh, walk

RECORD = {"reasons": "The Commissioner needs the counts to scrutinise the response to re-trafficking (s41).",
          "ho_objections": "The HO said the data are not held in that form.",
          "attempts": "Two letters and a meeting at working level, June to October 2021."}


@dataclass
class Rungs:
    policy_lead: object
    director: object
    sponsor: object
    minister: object
    iasc_policy_lead: object  # the role, but in the IASC: not the holder's department


def rungs(person) -> Rungs:
    return Rungs(person("msu", Role.ESCALATION_POLICY_LEAD, email="policy.lead@example.org"),
                 person("home-office", Role.ESCALATION_DIRECTOR, email="director@example.org"),
                 person("home-office", Role.ESCALATION_SENIOR_SPONSOR, email="sponsor@example.org"),
                 person("home-office", Role.ESCALATION_MINISTER, email="minister@example.org"),
                 person("iasc", Role.ESCALATION_POLICY_LEAD, email="iasc.policy.lead@example.org"))


@pytest.fixture
def ladder_people(person, protocol):
    return rungs(person)


def declined_request(cast, **fields):
    return walk(draft(cast.iasc_requester, **fields), cast, DECIDED, decision=Decision.DECLINED)


def escalated(cast, request=None, **overrides):
    request = request or declined_request(cast)
    record = {**RECORD, **overrides}
    return escalation_services.escalate(fresh(request), by=cast.iasc_requester, grounds="declined",
                                        expected_version=fresh(request).version, **record)


def submitted_request(cast, **fields):
    return walk(draft(cast.iasc_requester, **fields), cast, RequestState.SUBMITTED)
