"""verify_chain against the stored head row, with no database: the chain must end where the head row says,
except for events appended while the chain was being walked."""

from datetime import UTC, datetime

from audit.chain import GENESIS_HASH, EventContent, event_hash, verify_chain


def chain(length: int) -> list[tuple[EventContent, str, str]]:
    rows, prev = [], GENESIS_HASH
    for n in range(1, length + 1):
        content = EventContent(n, datetime(2026, 1, 1, tzinfo=UTC), None, "system", None, "test.event", "", "",
                               None, {"n": n})
        digest = event_hash(content, prev)
        rows.append((content, prev, digest))
        prev = digest
    return rows


def head(rows, count: int) -> tuple[int, str]:
    return (count, rows[count - 1][2]) if count else (0, GENESIS_HASH)


def test_a_chain_that_ends_at_its_head_row_verifies():
    rows = chain(4)
    report = verify_chain(rows, stored_head=head(rows, 4))
    assert report.ok and report.count == 4 and report.head_hash == rows[-1][2]


def test_events_appended_during_the_walk_are_not_tampering():
    rows = chain(6)
    # Head row read at 3 before the walk, the walk saw 5, and the head row says 6 afterwards.
    report = verify_chain(rows[:5], stored_head=head(rows, 3), stored_head_after=lambda: head(rows, 6))
    assert report.ok and report.count == 5


def test_a_missing_last_event_is_named():
    rows = chain(4)
    report = verify_chain(rows[:3], stored_head=head(rows, 4))
    assert (report.ok, report.first_broken_sequence) == (False, 4)
    assert report.problem.startswith("the chain ends at event 3 but the stored head row records 4 events:"
                                     " event 4 (the last) is missing")


def test_an_emptied_chain_is_named():
    rows = chain(2)
    report = verify_chain([], stored_head=head(rows, 2))
    assert report.first_broken_sequence == 1 and report.problem.startswith("the chain is empty but")


def test_events_past_the_head_row_read_after_the_walk_are_named():
    rows = chain(5)
    report = verify_chain(rows, stored_head=head(rows, 3), stored_head_after=lambda: head(rows, 3))
    assert report.first_broken_sequence == 4 and report.problem.startswith("events 4 to 5 lie past")


def test_a_head_row_with_another_hash_is_named():
    rows = chain(3)
    report = verify_chain(rows, stored_head=(3, "a" * 64))
    assert report.first_broken_sequence == 3
    assert "does not match the stored head row (3:aaaaaaaaaaaa…)" in report.problem
    report = verify_chain(rows, stored_head=head(rows, 2), stored_head_after=lambda: (3, "a" * 64))
    assert report.first_broken_sequence == 3
    assert report.problem.startswith("the chain's last event 3 does not match")


def test_an_empty_chain_needs_the_starting_head():
    assert verify_chain([], stored_head=(0, GENESIS_HASH)).ok
    assert not verify_chain([], stored_head=(0, "b" * 64)).ok


def test_a_break_in_the_chain_is_named_before_the_head_row():
    rows = chain(4)
    del rows[1]
    report = verify_chain(rows, stored_head=(9, "c" * 64))
    assert report.first_broken_sequence == 2 and report.problem == "event 2 is missing"
