"""The tampering catalogue (issue 8, item 5; ADR 17): an attacker who can write the database, past the models and the
append-only triggers, but cannot read the audit MAC key nor a party's signing key. Each case must be detected by
`verify_audit --state` and named. Runs on SQLite and PostgreSQL.

The world: an OFFICIAL-SENSITIVE request from the IASC, approved (§10) and agreed, both parties' checkpoints,
two more events, and both parties' checkpoints again."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.models import Approval, ApprovalEvent
from audit.chain import event_hash
from audit.checkpointing import sign_checkpoint
from audit.checkpoints import sign
from audit.models import AuditCheckpoint, AuditEvent
from audit.services import record_standalone
from audit.verify import verify_all
from sharing.models import RequestEvent
from sharing.states import RequestState
from tests.support.audit_keys import checkpoint_keys  # noqa: F401
from tests.support.requests import DECIDED, draft, walk
from tests.support.tamper import events_sql, head_row, last_sequence, set_head, sql

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, cast):
        self.cast = cast
        request = draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE",
                        named_people=[cast.iasc_requester])
        self.request = walk(request, cast, DECIDED)
        self.approval = Approval.objects.filter(request=self.request, state="approved").first()
        assert self.request.state == RequestState.AGREED and self.approval is not None
        sign_both()
        self.earlier_head = head_row()  # a copy the attacker kept of the head row, MAC and all
        record_standalone("test.after", details={"n": 1})
        record_standalone("test.after", details={"n": 2})
        sign_both()


def sign_both():
    for party in ("home-office", "iasc"):
        sign_checkpoint(party, signed_by="test")


@pytest.fixture
def world(cast, checkpoint_keys):  # noqa: F811
    return World(cast)


# --- the tampering, one function each ------------------------------------------------------------------------------

def truncate(world):
    """The last two events deleted; the head row left alone."""
    events_sql("DELETE FROM audit_auditevent WHERE sequence > %s", [last_sequence() - 2])


def truncate_and_move_head_back(world):
    """The last two events deleted and the head row moved back to the new last event (no key for its MAC)."""
    count = last_sequence() - 2
    events_sql("DELETE FROM audit_auditevent WHERE sequence > %s", [count])
    set_head(count, AuditEvent.objects.get(sequence=count).hash)


def truncate_and_replay_head(world):
    """The last two events deleted and the head row replaced by an earlier copy, MAC and all: only the parties'
    signed checkpoints still say how long the chain was."""
    count = world.earlier_head[0]
    events_sql("DELETE FROM audit_auditevent WHERE sequence > %s", [count])
    set_head(*world.earlier_head)


def rehash_everything(world):
    """Event 2 edited, every hash from it on recomputed with the public function, the head row moved."""
    events_sql("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE sequence = 2")
    prev = AuditEvent.objects.get(sequence=1).hash
    for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
        digest = event_hash(event.content(), prev)
        events_sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE sequence = %s",
                   [prev, digest, event.sequence])
        prev = digest
    set_head(last_sequence(), prev)


def forge_append(world):
    """A well-formed event appended with the public hash function, a MAC copied from the last event, head moved."""
    last = AuditEvent.objects.order_by("-sequence").first()
    forged = type(last.content())(**{**last.content().__dict__, "sequence": last.sequence + 1,
                                     "action": "sharing.viewed"})
    digest = event_hash(forged, last.hash)
    events_sql("INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, action, object_type, object_id,"
               " details, prev_hash, hash, mac) VALUES (%s, %s, %s, %s, '', '', %s, %s, %s, %s)",
               [forged.sequence, forged.occurred_at, forged.actor_label, forged.action, '{"n": 2}', last.hash,
                digest, last.mac])
    set_head(forged.sequence, digest)


def edit_event(world):
    """One event's details changed in place."""
    target = AuditEvent.objects.filter(action="sharing.decide").values_list("sequence", flat=True).get()
    events_sql("UPDATE audit_auditevent SET details = %s WHERE sequence = %s", ['{"decision": "declined"}', target])


def delete_checkpoint_row(world):
    """The IASC's latest checkpoint row deleted: its witness file outside the database still holds it."""
    latest = AuditCheckpoint.objects.filter(party="iasc").order_by("-count").first()
    sql("DELETE FROM audit_auditcheckpoint WHERE id = %s", [latest.pk], table="audit_auditcheckpoint")


def forge_checkpoint(world):
    """A checkpoint row claiming the Home Office vouched for a rewritten head, signed with the attacker's key."""
    forged = sign(Ed25519PrivateKey.generate(), "attacker", "home-office", last_sequence(), "f" * 64,
                  timezone.now())
    AuditCheckpoint.objects.create(party="home-office", count=forged.count, head_hash=forged.head_hash,
                                   signed_at=forged.signed_at, key_id=forged.key_id, signature=forged.signature,
                                   signed_by="schedule")


def lower_classification(world):
    sql("UPDATE sharing_request SET classification = 'OFFICIAL' WHERE id = %s", [world.request.pk])


def change_decision(world):
    sql("UPDATE sharing_request SET state = 'declined', decision = 'declined' WHERE id = %s", [world.request.pk])


def change_approval(world):
    sql("UPDATE approvals_approval SET state = 'refused' WHERE id = %s", [world.approval.pk])


def add_named_person(world):
    sql("INSERT INTO sharing_request_named_people (request_id, user_id) VALUES (%s, %s)",
        [world.request.pk, world.cast.dwp_officer.pk])


def change_timeline_entry(world):
    entry = RequestEvent.objects.filter(request=world.request, action="decide").get()
    sql("UPDATE sharing_requestevent SET note = 'Declined: not necessary.' WHERE id = %s", [entry.pk])


def delete_timeline_entry(world):
    entry = RequestEvent.objects.filter(request=world.request, action="acknowledge").get()
    sql("DELETE FROM sharing_requestevent WHERE id = %s", [entry.pk])


def change_approval_timeline_entry(world):
    entry = ApprovalEvent.objects.filter(approval=world.approval, action="approve").get()
    sql("UPDATE approvals_approvalevent SET actor_id = %s WHERE id = %s", [world.cast.iasc_approver.pk, entry.pk])


# The tampering, and what verification must say of it.
TAMPERING = {
    "truncation (last events deleted)": (truncate, r"the stored head row records \d+ events"),
    "truncation with the head row moved back": (truncate_and_move_head_back, "head row .* does not carry a valid MAC"),
    "truncation with an earlier head row replayed": (truncate_and_replay_head,
                                                    r"checkpoint at event \d+ .* vouches for \d+: events .* missing"),
    "full rehash with the public hash function": (rehash_everything, "event 2 does not carry a valid MAC"),
    "forged append with the head row moved": (forge_append, r"event \d+ does not carry a valid MAC: it was forged"),
    "an event edited": (edit_event, r"event \d+ was altered after it was written"),
    "a checkpoint row deleted": (delete_checkpoint_row, "iasc's checkpoint .* is in its witness file but not in the"
                                                        " checkpoint table: the row was deleted"),
    "a checkpoint signature forged": (forge_checkpoint, "home-office's checkpoint .* does not verify with"
                                                        " home-office's public key"),
    "a request's classification lowered by SQL": (lower_classification, 'classification is "OFFICIAL" in the table'
                                                                        ' but "OFFICIAL-SENSITIVE" in the chain'),
    "a request's decision changed by SQL": (change_decision, 'decision is "declined" in the table but "agreed"'),
    "an approval changed by SQL": (change_approval, r'Approval .*: state is "refused" in the table but "approved"'),
    "a named person added by SQL": (add_named_person, r"named_people is \[\d+, \d+\] in the table but \[\d+\]"),
    "a timeline entry changed by SQL": (change_timeline_entry, r"Request timeline entry \d+ of IASC-.* differs from"
                                                               r" what audit event \d+ recorded"),
    "an approval's timeline entry changed by SQL": (change_approval_timeline_entry,
                                                    r"Approval timeline entry \d+ .* differs"),
    "a timeline entry deleted by SQL": (delete_timeline_entry, r"the request timeline entry of IASC-.* recorded by"
                                                               r" audit event \d+ is missing"),
}


def verify_command(*args) -> str:
    out = StringIO()
    call_command("verify_audit", "--state", *args, stdout=out)
    return out.getvalue()


def test_the_untouched_world_verifies(world):
    output = verify_command()
    assert "Checkpoints: 4 signed checkpoints verify" in output
    assert "State: 2 cases" in output or "State:" in output
    result = verify_all(state=True)
    assert result.ok, result.problems
    assert set(result.checkpoints.latest) == {"home-office", "iasc"}
    assert result.state.cases >= 2 and result.state.entries >= 8


@pytest.mark.parametrize("case", list(TAMPERING))
def test_each_tampering_is_detected_and_named(world, case):
    tamper, expected = TAMPERING[case]
    tamper(world)
    with pytest.raises(CommandError, match=expected):
        verify_command()


def test_every_case_is_detected(world):
    """The count the issue asks for, on whichever database the suite runs: N tamper cases, N detected. Each case
    runs in a savepoint rolled back afterwards, on one world."""
    from django.db import transaction

    detected = []
    for case, (tamper, _) in TAMPERING.items():
        try:
            with transaction.atomic():
                tamper(world)
                if not verify_all(state=True).ok:
                    detected.append(case)
                raise _Undo
        except _Undo:
            pass
    undetected = sorted(set(TAMPERING) - set(detected))
    assert not undetected, f"{len(TAMPERING)} tamper cases, {len(detected)} detected; not: {undetected}"


class _Undo(Exception):
    pass
