import pytest

from accounts.roles import Role
from audit.models import AuditHead
from audit.services import record_standalone

pytestmark = pytest.mark.django_db


def test_an_auditor_reads_the_log_and_verifies_the_chain(person, signed_in):
    auditor = person("iasc", Role.AUDITOR)
    record_standalone("test.event")
    client = signed_in(auditor)
    response = client.get("/audit/")
    assert response.status_code == 200 and b"test.event" in response.content
    response = client.post("/audit/verify/")
    assert b"The audit chain is intact" in response.content


def test_the_verify_page_names_a_chain_shorter_than_its_head_row(person, signed_in):
    client = signed_in(person("iasc", Role.AUDITOR))
    event = record_standalone("test.event")
    # As after the last event was deleted by SQL: the head row records one event more than the chain holds.
    AuditHead.objects.filter(id=1).update(count=event.sequence + 1)
    response = client.post("/audit/verify/")
    assert b"The audit chain is broken" in response.content
    assert f"event {event.sequence + 1} (the last) is missing".encode() in response.content


@pytest.mark.parametrize("role", [Role.REQUESTER, Role.SPOC, Role.ASSESSOR, Role.COMMISSIONER])
def test_people_who_are_not_auditors_cannot_read_the_log(person, signed_in, role):
    client = signed_in(person("home-office", role))
    assert client.get("/audit/").status_code == 403
    assert client.post("/audit/verify/").status_code == 403


def test_the_verify_action_needs_a_post(person, signed_in):
    client = signed_in(person("iasc", Role.AUDITOR))
    assert client.get("/audit/verify/").status_code == 405
