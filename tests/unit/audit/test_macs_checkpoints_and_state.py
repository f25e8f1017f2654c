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
from audit.checkpoints import Checkpoint, Restore, check_checkpoints, sign, signature_valid
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


def test_a_checkpoint_signed_before_a_restore_over_lost_events_is_reported_not_failed():
    key = Ed25519PrivateKey.generate()
    keys = {"iasc": key.public_key()}
    restored = Restore(sequence=3, restored_at=WHEN.replace(year=2027))  # the backup's chain ended at event 2
    hashes = {2: "b" * 64, 3: "r" * 64, 4: "e" * 64}
    lost = signed(key, "iasc", 4, "c" * 64)  # signed after the backup, before the restore, on the lost chain
    report = check_checkpoints([], [lost], keys, 4, hashes.get, [restored])
    assert report.ok and report.checked == 1 and "iasc" not in report.latest
    assert report.lost_in_restore == [f"{lost.describe()} was signed after the backup restored at event 3"
                                      f" (2027-01-01T09:00:00.000000+00:00): it vouches for events 3 to 4, which"
                                      f" are not in this restored chain"]
    # Before the chain grew past it, it is lost too (not "truncated").
    assert check_checkpoints([], [lost], keys, 2, hashes.get, [restored]).lost_in_restore


def test_a_restore_excuses_nothing_else():
    key = Ed25519PrivateKey.generate()
    keys = {"iasc": key.public_key()}
    restored = Restore(sequence=3, restored_at=WHEN.replace(year=2027))
    hashes = {2: "b" * 64, 3: "r" * 64, 4: "e" * 64}

    def problems(checkpoint, stored=()):
        report = check_checkpoints(list(stored), [checkpoint], keys, 4, hashes.get, [restored])
        return report.problems, report.lost_in_restore

    # A checkpoint within the restored chain must still match it.
    assert "rewritten" in problems(signed(key, "iasc", 2, "d" * 64))[0][-1]
    # A forged one is forged, restore or not.
    assert "forged" in problems(signed(Ed25519PrivateKey.generate(), "iasc", 4, "c" * 64))[0][-1]
    # One signed after the restore over another chain (the old service still running, say) is a real mismatch.
    later = sign(key, "id", "iasc", 4, "c" * 64, WHEN.replace(year=2028))
    found, lost = problems(later, stored=[later])
    assert not lost and "rewritten" in found[0]
    # One that matches after the restore is simply verified.
    assert check_checkpoints([], [], keys, 4, hashes.get, [restored]).ok


def test_the_first_restore_after_a_checkpoint_is_the_one_that_lost_its_events():
    key = Ed25519PrivateKey.generate()
    keys = {"iasc": key.public_key()}
    first, second = (Restore(sequence=3, restored_at=WHEN.replace(year=2027)),
                     Restore(sequence=9, restored_at=WHEN.replace(year=2029)))
    hashes = {n: f"{n:x}" * 64 for n in range(1, 12)}
    before_both = signed(key, "iasc", 5, "c" * 64)
    between = sign(key, "id", "iasc", 10, "c" * 64, WHEN.replace(year=2028))
    report = check_checkpoints([], [before_both, between], keys, 11, hashes.get, [second, first])
    assert report.ok
    assert "restored at event 3" in report.lost_in_restore[0] and "restored at event 9" in report.lost_in_restore[1]
    within_first = sign(key, "id", "iasc", 7, "c" * 64, WHEN.replace(year=2028))  # kept by the second restore
    assert "rewritten" in check_checkpoints([within_first], [], keys, 11, hashes.get, [first, second]).problems[0]


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
