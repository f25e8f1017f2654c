"""The audit log browser (ADR 42): filters by person, case, action and date; events in words linked to their
case; who read which OFFICIAL-SENSITIVE case; the checkpoints' status; the filtered events exported."""

import pytest

from accounts.roles import Role
from audit.services import record_standalone
from documents import services as documents
from sharing.states import RequestState
from tests.support.audit_keys import checkpoint_keys  # noqa: F401
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import cast, protocol  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(person, signed_in):
    return signed_in(person("iasc", Role.AUDITOR))


def test_events_in_words_linked_to_their_case_and_filtered_by_case(cast, auditor):  # noqa: F811
    one = walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    other = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    page = auditor.get("/audit/", {"case": one.reference}).content.decode()
    assert "Acknowledge this request" in page and f'href="/requests/{one.reference}/"' in page
    assert other.reference not in page.split('data-testid="audit-events"')[1]


def test_filtered_by_person_action_and_date(cast, auditor):  # noqa: F811
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    events = auditor.get("/audit/", {"person": cast.spoc.get_username(), "action": "sharing."}).content.decode()
    table = events.split('data-testid="audit-events"')[1]
    assert "No events." in table  # the point of contact has not acted yet
    table = auditor.get("/audit/", {"action": "sharing.submit", "from": "2000-01-01", "to": "2050-12-31"}
                        ).content.decode().split('data-testid="audit-events"')[1]
    assert "Submit this request" in table
    none = auditor.get("/audit/", {"action": "sharing.submit", "from": "2000-01-01", "to": "2000-01-02"})
    assert "No events." in none.content.decode().split('data-testid="audit-events"')[1]


@pytest.mark.parametrize(("params", "words"), [
    ({"from": "2021-06-30", "to": "2021-06-01"}, "ends (1 June 2021) before it starts (30 June 2021)"),
    ({"from": "yesterday"}, "is not a date"),
    ({"person": "a\x00b"}, "cannot be searched for"),
])
def test_a_bad_filter_is_refused_naming_the_field(auditor, params, words):
    response = auditor.get("/audit/", params)
    assert response.status_code == 400 and words in response.content.decode().replace("&#x27;", "'")


def test_who_read_which_official_sensitive_case(cast, auditor):  # noqa: F811
    sensitive = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.ACKNOWLEDGED)
    documents.request_document("acknowledgement", by=cast.iasc_requester, reference=sensitive.reference)
    reads = auditor.get("/audit/").content.decode().split('data-testid="sensitive-reads"')[1].split("</table>")[0]
    assert "Downloaded a generated document" in reads and sensitive.reference in reads
    assert cast.iasc_requester.get_username() in reads or str(cast.iasc_requester) in reads


def test_the_checkpoints_status_is_shown(auditor):
    record_standalone("test.event")
    assert 'data-testid="checkpoint-status"' in auditor.get("/audit/").content.decode()


def test_the_filtered_events_export_with_hostile_text_neutralised(person, auditor):
    hostile = person("iasc", Role.REQUESTER, username="=cmd|' /C calc'!A0")
    record_standalone("test.event", by=hostile)
    export = auditor.get("/audit/export/", {"format": "csv", "action": "test."})
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "'=cmd|" in text and ",=cmd" not in text
    assert auditor.get("/audit/export/", {"format": "exe"}).status_code == 400


@pytest.mark.parametrize("role", [Role.REQUESTER, Role.COMMISSIONER])
def test_only_auditors_export_the_log(person, signed_in, role):
    assert signed_in(person("iasc", role)).get("/audit/export/", {"format": "csv"}).status_code == 403


def test_signed_checkpoints_are_verified_on_the_page(person, signed_in, checkpoint_keys):  # noqa: F811
    from audit.checkpointing import sign_checkpoint

    record_standalone("test.event")
    client = signed_in(person("iasc", Role.AUDITOR))
    assert "No checkpoint has been signed yet" in client.get("/audit/").content.decode()
    sign_checkpoint("iasc", signed_by="test")
    status = client.get("/audit/").content.decode().split('data-testid="checkpoint-status"')[1]
    assert "Checkpoints verified" in status and "All 1 signed checkpoints verify" in status
