import pytest

from accounts.roles import Role
from audit.models import AuditCheckpoint, AuditHead
from audit.services import record_standalone
from tests.support.audit_keys import checkpoint_keys  # noqa: F401
from tests.support.restored import restored  # noqa: F401
from tests.support.sharing_fixtures import api, cast, protocol  # noqa: F401

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


def test_an_auditor_signs_a_checkpoint_for_their_party_and_sees_it(person, signed_in, checkpoint_keys):  # noqa: F811
    auditor = person("iasc", Role.AUDITOR)
    record_standalone("test.event")
    client = signed_in(auditor)
    page = client.get("/audit/").content.decode()
    assert "Sign a checkpoint now for iasc" in page and "No checkpoint signed yet." in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post("/audit/checkpoints/sign/", follow=True)
    row = AuditCheckpoint.objects.get()
    assert (row.party, row.signed_by) == ("iasc", auditor.username)
    assert "iasc signed the chain at event" in response.content.decode()
    assert row.head_hash.encode() in response.content
    verified = client.post("/audit/verify/").content.decode()
    assert "The audit chain is intact" in verified and "1 signed checkpoint verifies" in verified


def test_signing_needs_a_post_with_its_csrf_token(person, checkpoint_keys):  # noqa: F811
    from django.test import Client

    from tests.factories import verified_client

    client = verified_client(person("iasc", Role.AUDITOR), Client(enforce_csrf_checks=True))
    assert client.get("/audit/checkpoints/sign/").status_code == 405
    assert client.post("/audit/checkpoints/sign/").status_code == 403  # no CSRF token
    assert not AuditCheckpoint.objects.exists()


def test_only_auditors_of_a_party_sign(person, signed_in, checkpoint_keys):  # noqa: F811
    assert signed_in(person("home-office", Role.REQUESTER)).post("/audit/checkpoints/sign/").status_code == 403
    dwp_auditor = signed_in(person("dwp", Role.AUDITOR))
    assert b"Sign a checkpoint now" not in dwp_auditor.get("/audit/").content
    assert dwp_auditor.post("/audit/checkpoints/sign/").status_code == 403


def test_the_verify_page_names_a_request_changed_by_sql(person, signed_in, checkpoint_keys, cast):  # noqa: F811
    from django.db import connection

    from tests.support.requests import draft

    request = draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sharing_request SET classification = 'OFFICIAL' WHERE id = %s", [request.pk])
    page = signed_in(cast.iasc_auditor).post("/audit/verify/").content.decode()
    assert "The audit chain is broken" in page
    assert "classification is &quot;OFFICIAL&quot; in the table but &quot;OFFICIAL-SENSITIVE&quot;" in page


def test_the_log_lists_who_opened_an_official_sensitive_request(cast, signed_in, api):  # noqa: F811
    """Opening an OFFICIAL-SENSITIVE request's page or API detail is a read on the record: the auditor's list of
    who looked at which OFFICIAL-SENSITIVE case shows both, one line per view; an OFFICIAL request's view is none."""
    from sharing.states import RequestState
    from tests.support.requests import draft, walk

    sensitive = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    plain = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    assert signed_in(cast.spoc).get(f"/requests/{sensitive.reference}/").status_code == 200
    assert api(cast.spoc).get(f"/api/requests/{sensitive.pk}/").status_code == 200
    assert signed_in(cast.spoc).get(f"/requests/{plain.reference}/").status_code == 200
    page = signed_in(cast.iasc_auditor).get("/audit/").content.decode()
    reads = page.split('data-testid="sensitive-reads"')[1].split("</table>")[0]
    assert reads.count("Opened a request (its page or API detail)") == 2
    assert reads.count(cast.spoc.username) == 2
    assert sensitive.reference in reads and plain.reference not in reads


def test_after_a_recorded_restore_the_pages_show_the_checkpoint_it_lost_apart_from_problems(
        person, signed_in, restored):  # noqa: F811
    from audit.restores import record_restore

    (count, digest), _ = restored
    record_restore(head_at_backup=(count, digest), dump_sha256="ab" * 32)
    client = signed_in(person("iasc", Role.AUDITOR))
    page = client.get("/audit/").content.decode()
    assert "Checkpoints verified" in page and "All 1 signed checkpoints verify" in page
    assert "iasc&#x27;s checkpoint at event 5" in page and "not in this restored chain" in page
    assert "Restored the service from a backup" in page
    verified = client.post("/audit/verify/").content.decode()
    assert "The audit chain is intact" in verified and "1 signed checkpoint verifies" in verified
    assert "restored at event 4" in verified
