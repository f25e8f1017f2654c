"""The pure parts of ADR 17, with no database: the MAC rule along the walk, checkpoints, and replaying snapshots
and timeline digests."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.chain import (
    GENESIS_HASH,
    EventContent,
    event_hash,
    event_mac_message,
    head_mac_message,
    verify_chain,
)
from audit.checkpoints import Checkpoint, check_checkpoints, sign, signature_valid
from audit.state import StateReport, compare_cases, compare_timeline, entry_digest, entry_fields, replay

KEY = b"k" * 32
WHEN = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def mac_of(digest: str) -> str:
    return hmac.new(KEY, event_mac_message(digest), hashlib.sha256).hexdigest()


def chain(length: int, *, macs_from: int = 1):
    rows, prev = [], GENESIS_HASH
    for n in range(1, length + 1):
        content = EventContent(n, WHEN, None, "system", None, "test.event", "", "", None, {"n": n})
        digest = event_hash(content, prev)
        rows.append((content, prev, digest, mac_of(digest) if n >= macs_from else None))
        prev = digest
    return rows


def test_a_chain_with_every_mac_verifies_and_a_wrong_one_is_named():
    rows = chain(3)
    assert verify_chain(rows, mac_of=mac_of).ok
    rows[1] = (*rows[1][:3], "0" * 64)
    report = verify_chain(rows, mac_of=mac_of)
    assert report.first_broken_sequence == 2 and "does not carry a valid MAC" in report.problem


def test_events_before_the_first_mac_are_vouched_for_but_not_after_it():
    assert verify_chain(chain(4, macs_from=3), mac_of=mac_of).ok
    rows = chain(4, macs_from=2)
    rows[3] = (*rows[3][:3], None)
    assert "event 4 carries no MAC although event 2" in verify_chain(rows, mac_of=mac_of).problem
    assert "no event carries a MAC" in verify_chain(chain(2, macs_from=9), mac_of=mac_of).problem


def test_the_head_and_event_macs_are_in_different_domains():
    assert event_mac_message("a" * 64) != head_mac_message(1, "a" * 64)


def signed(key, party: str, count: int, digest: str) -> Checkpoint:
    return sign(key, "id", party, count, digest, WHEN)


def test_a_checkpoint_verifies_with_its_party_key_only():
    ho, iasc = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    checkpoint = signed(ho, "home-office", 3, "a" * 64)
    assert signature_valid(checkpoint, ho.public_key()) and not signature_valid(checkpoint, iasc.public_key())
    assert Checkpoint.from_line(checkpoint.to_line()) == checkpoint


def test_checkpoints_name_truncation_rewrite_forgery_and_a_deleted_row():
    key = Ed25519PrivateKey.generate()
    keys = {"iasc": key.public_key()}
    hashes = {2: "b" * 64}
    kept = signed(key, "iasc", 2, "b" * 64)
    assert check_checkpoints([kept], [kept], keys, 2, hashes.get).ok
    assert "truncated" in check_checkpoints([signed(key, "iasc", 5, "c" * 64)], [], keys, 2, hashes.get).problems[0]
    assert "rewritten" in check_checkpoints([signed(key, "iasc", 2, "d" * 64)], [], keys, 2, hashes.get).problems[0]
    forged = signed(Ed25519PrivateKey.generate(), "iasc", 2, "b" * 64)
    assert "forged" in check_checkpoints([forged], [], keys, 2, hashes.get).problems[0]
    assert "row was deleted" in check_checkpoints([], [kept], keys, 2, hashes.get).problems[0]


def test_replay_takes_the_last_snapshot_and_names_each_changed_field():
    events = [(1, "sharing.request", "7", {"reference": "R-1", "snapshot": {"state": "draft", "people": [1]}}),
              (2, "sharing.request", "7", {"reference": "R-1", "snapshot": {"state": "submitted", "people": [1]}})]
    report = StateReport()
    compare_cases(report, "sharing.request", "Request", replay(events, {}),
                  {"7": {"state": "submitted", "people": [1, 4]}, "8": {"state": "draft", "people": []}})
    assert report.problems == ['Request R-1 (id 7): people is [1, 4] in the table but [1] in the chain (event 2):'
                               ' changed outside the service']
    assert "1 requests have no snapshot in the chain" in report.notes[0]


def test_timeline_entries_are_bound_by_keyed_digest_and_sequence():
    mac = lambda data: hmac.new(KEY, data, hashlib.sha256).digest()  # noqa: E731
    entry = entry_fields("submit", 3, WHEN, "draft", "submitted", "Please.", {})
    digest = entry_digest(entry, mac)
    assert digest != entry_digest({**entry, "note": "Please!"}, mac)
    chain_replay = replay([(5, "sharing.request", "7", {"reference": "R-1", "entry": digest})],
                          {"sharing.request": "sharing.requestevent"})
    report = StateReport()
    compare_timeline(report, "sharing.requestevent", "Request timeline", chain_replay, [(11, 5, digest)])
    assert report.ok
    compare_timeline(report, "sharing.requestevent", "Request timeline", chain_replay, [])
    assert "recorded by audit event 5 is missing" in report.problems[0]
