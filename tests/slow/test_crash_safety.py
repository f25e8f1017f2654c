"""Crash safety (issue 14 item 2, ADR 40), against real gunicorn and Celery processes on PostgreSQL and Redis.

- A gunicorn worker SIGKILLed in the middle of a transition and of a delivery upload, 50 times each, at kill points
  spread over every SQL statement the request makes: every case is afterwards wholly changed or untouched, every
  stored key has its ciphertext, the sweep leaves no ciphertext without a key, the audit chain and `--state` verify,
  and the untouched cases can be acted on again.
- Two gunicorn instances given the same 50 conflicting transitions at once: exactly one succeeds each time.
- A Celery worker killed mid-task: the task runs again (acks_late, reject_on_worker_lost), and every notification
  is sent exactly once.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
import urllib.parse
import uuid
from collections import Counter

import pytest
import redis

from tests.slow.conftest import REDIS_URL, wait_for

pytestmark = pytest.mark.slow
KILLS = 50
UNHARMED = 2
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"


def post(base: str, path: str, token: str, body: bytes, content_type: str, headers: dict | None = None):
    """(status, headers) of a POST, or (None, {}) when the worker died before answering."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={
            "Authorization": f"Token {token}", "Content-Type": content_type, **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        return None, {}
    finally:
        connection.close()


def acknowledge(base, token, pk, version, headers=None):
    return post(base, f"/api/requests/{pk}/acknowledge/", token, json.dumps({"version": version}).encode(),
                "application/json", headers)


def deliver(base, token, pk, version, marking, headers=None):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in [("version", str(version)), ("description", "Tables"), ("marking", marking)]:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="tables.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + PDF + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return post(base, f"/api/requests/{pk}/deliver/", token, b"".join(parts),
                f"multipart/form-data; boundary={boundary}", headers)


def timed(report, what, work):
    started = time.monotonic()
    result = work()
    report(f"{what}: {time.monotonic() - started:.1f} s")
    return result


def kill_points(total_queries: int, count: int = KILLS) -> list[int]:
    """`count` kill points spread evenly over statements 1..total_queries (each a point inside the request)."""
    return [1 + (index * total_queries) // count for index in range(count)]


def assert_audit_verifies(stack):
    for argv in (["verify_audit"], ["verify_audit", "--state"]):
        done = stack.manage(*argv)
        assert done.returncode == 0, f"{' '.join(argv)}: {done.stdout[-2000:]}{done.stderr[-2000:]}"


def crash_many(stack, report, *, kind, act, cases):
    """Act twice unharmed to count the request's statements (the first also notes the token's use), then once per
    case with a kill point inside it."""
    base = stack.web(f"web-{kind}", workers=1)  # each request after a kill meets a fresh worker, as these did
    started = time.monotonic()
    unharmed, rest = cases[:UNHARMED], cases[UNHARMED:]
    for case in unharmed:
        status, headers = act(base, case)
        assert status in (200, 201), stack.log(f"web-{kind}")
    total = int(headers["X-Queries"])
    answered = Counter()
    for case, kill_at in zip(rest, kill_points(total, len(rest)), strict=True):
        status, _ = act(base, case, {"X-Crash-After-Queries": str(kill_at)})
        answered["killed" if status is None else status] += 1
    report(f"{len(rest)} requests, {total} SQL statements each, kill points 1..{total}: answers {dict(answered)} "
           f"in {time.monotonic() - started:.1f} s")
    assert answered["killed"] == len(rest), f"every kill point lies inside the request: {answered}"
    return base


def test_a_worker_killed_mid_transition_leaves_each_case_whole(processes, worlds, report):
    stack = processes
    world = timed(report, "waiting for its cases", lambda: worlds.get("transition"))
    token, cases = world["spoc_token"], world["submitted"]

    def act(base, case, headers=None):
        return acknowledge(base, token, case[0], case[1], headers)

    base = crash_many(stack, report, kind="transition", act=act, cases=cases)
    checked = stack.world("check", "--submitted", json.dumps(cases[UNHARMED:]))
    outcomes = Counter(value if value in {"changed", "untouched"} else "partial"
                       for value in checked["outcomes"].values())
    report(f"outcomes after {KILLS} kills: {dict(outcomes)}")
    assert outcomes["partial"] == 0, [v for v in checked["outcomes"].values() if v.startswith("partial")]
    untouched = [case for case in cases[UNHARMED:] if checked["outcomes"][f"acknowledge:{case[0]}"] == "untouched"]
    assert all(act(base, case)[0] == 200 for case in untouched), "an untouched case can be acted on again"
    assert_audit_verifies(stack)


def test_a_worker_killed_mid_upload_leaves_each_case_whole_and_no_orphan(processes, worlds, report):
    stack = processes
    world = timed(report, "waiting for its cases", lambda: worlds.get("upload"))
    token, cases = world["assessor_token"], world["agreed"]

    def act(base, case, headers=None):
        return deliver(base, token, case[0], case[1], case[2], headers)

    crash_many(stack, report, kind="upload", act=act, cases=cases)
    stack.stop_all()
    checked = stack.world("check", "--agreed", json.dumps(cases[UNHARMED:]))
    outcomes = Counter(value if value in {"changed", "untouched"} else "partial"
                       for value in checked["outcomes"].values())
    report(f"outcomes after {KILLS} kills: {dict(outcomes)}; ciphertexts left without a key before the sweep: "
           f"{len(checked['orphan_ciphertexts'])}")
    assert outcomes["partial"] == 0, [v for v in checked["outcomes"].values() if v.startswith("partial")]
    assert checked["keys_without_ciphertext"] == []
    swept = stack.manage("sweep_vault", "--grace-seconds", "0")
    assert swept.returncode == 0, swept.stderr
    after = stack.world("check", "--agreed", json.dumps(cases[UNHARMED:]))
    assert after["orphan_ciphertexts"] == [] and after["keys_without_ciphertext"] == [] and after["orphan_keys"] == []
    assert after["outcomes"] == checked["outcomes"], "the sweep removed nothing a case holds"
    assert_audit_verifies(stack)


def test_two_instances_given_the_same_transition_let_exactly_one_succeed(processes, worlds, report):
    stack = processes
    world = timed(report, "waiting for its cases", lambda: worlds.get("race"))
    token, cases = world["spoc_token"], world["submitted"]
    bases = [stack.web("race-a", workers=2), stack.web("race-b", workers=2)]
    results = []
    for pk, version in cases:
        answers, barrier = [None, None], threading.Barrier(2)

        def race(index, pk=pk, version=version, answers=answers, barrier=barrier):
            barrier.wait()
            answers[index] = acknowledge(bases[index], token, pk, version)[0]

        threads = [threading.Thread(target=race, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.append(tuple(sorted(answers)))
    report(f"{len(cases)} races: {dict(Counter(results))}")
    assert set(results) == {(200, 409)}
    checked = stack.world("check", "--submitted", json.dumps(cases))
    assert set(checked["outcomes"].values()) == {"changed"}
    assert_audit_verifies(stack)


def test_a_celery_worker_killed_mid_task_retries_it_and_sends_each_notification_once(processes, worlds, report):
    stack = processes
    world = worlds.get("mail")
    broker_url = f"{REDIS_URL}/11"
    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    mail = stack.work / "mail"
    env = {"CELERY_BROKER_URL": broker_url, "CRASH_MAIL_DIR": str(mail), "CRASH_MAIL_DELAY": "1",
           "CELERY_VISIBILITY_TIMEOUT": "30"}
    case_ids = json.dumps([pk for pk, _ in world["submitted"]])
    before = stack.world("notifications", "--cases", case_ids)["count"]
    base = stack.web("mail-web", env=env)
    worker = stack.start("worker", [str(stack_bin("celery")), "-A", "concordat", "worker", "--concurrency", "1",
                                    "--loglevel", "warning", "--without-gossip", "--without-mingle",
                                    "-Q", "celery,heavy", "--hostname", f"slow-{os.getpid()}@%h"], env=env)
    for pk, version in world["submitted"]:
        assert acknowledge(base, world["spoc_token"], pk, version)[0] == 200

    wait_for(lambda: any(p.name.startswith("attempt-") for p in mail.iterdir()), "a task to start sending", 60)
    first = next(p.name for p in mail.iterdir() if p.name.startswith("attempt-"))
    task_id, pid, _ = first[len("attempt-"):].rsplit("-", 2)
    os.kill(int(pid), signal.SIGKILL)  # the pool process running the task, mid-send

    def quiet() -> bool:
        return broker.llen("celery") == 0 and broker.hlen("unacked") == 0
    wait_for(lambda: quiet() and time.sleep(1) is None and quiet(), "every task to finish", 120, 0.5)
    assert worker.poll() is None, stack.log("worker")

    attempts = Counter(p.name[len("attempt-"):].rsplit("-", 2)[0] for p in mail.iterdir()
                       if p.name.startswith("attempt-"))
    sent = [p.read_text() for p in mail.iterdir() if p.name.startswith("mail-")]
    rows = stack.world("notifications", "--cases", case_ids)["count"] - before
    report(f"task {task_id} killed in pid {pid}; attempts per task: {sorted(attempts.values())}; "
           f"{len(sent)} emails, {rows} notification rows")
    assert attempts[task_id] >= 2, "the killed task ran again"
    assert len(sent) == rows > 0 and len(set(sent)) == len(sent), "each notification sent exactly once"


def stack_bin(name: str):
    from tests.slow.conftest import BIN

    return BIN / name
