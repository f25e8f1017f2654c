"""Escalation emails (§13): the people of the rung it reaches, then the IASC on each outcome; the marking, the
reference and what happened, never the reasons anyone wrote."""

from __future__ import annotations

import pytest

from escalations import services as esc
from escalations.models import Escalation
from escalations.states import Outcome
from tests.support.escalations import RECORD, declined_request, escalated
from workflow.models import Notification

pytestmark = pytest.mark.django_db


def test_each_rung_hears_it_is_theirs_and_the_iasc_hears_each_outcome(cast, ladder_people, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    request = declined_request(cast, classification="OFFICIAL-SENSITIVE")
    with django_capture_on_commit_callbacks(execute=True):
        escalation = escalated(cast, request)
    assert {m.to[0] for m in mailoutbox} == {ladder_people.policy_lead.email}
    [mail] = mailoutbox
    assert mail.subject.startswith("OFFICIAL-SENSITIVE: ") and "HO Policy lead on Modern Slavery" in mail.subject
    assert RECORD["reasons"] not in mail.body and RECORD["ho_objections"] not in mail.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        esc.decide(escalation, by=ladder_people.policy_lead, outcome=Outcome.NOT_RESOLVED, note="Secret reasoning.",
                   expected_version=escalation.version)
    assert {m.to[0] for m in mailoutbox} == {cast.iasc_requester.email}
    assert "Secret reasoning" not in mailoutbox[0].body
    mailoutbox.clear()
    escalation = Escalation.objects.get(pk=escalation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        esc.go_up(escalation, by=cast.iasc_requester, expected_version=escalation.version)
    assert {m.to[0] for m in mailoutbox} == {ladder_people.director.email}  # the next rung only
    assert Notification.objects.filter(case_kind="escalation", recipient=ladder_people.director).count() == 1
