"""The statistics recompute on a real Celery worker (ADR 53), against the stack's PostgreSQL and Redis: "Recompute
now" clicked twice enqueues one job; the worker is SIGKILLed mid-job and the page meanwhile still serves the older
snapshot; the job is redelivered (acks_late) and exactly one newer snapshot is saved, which the page then serves,
with one audit event for the click; the job delivered once more afterwards computes nothing."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter

import pytest
import redis

from tests.slow.conftest import BIN, REDIS_URL, wait_for

pytestmark = pytest.mark.slow
SETTINGS = {"DJANGO_SETTINGS_MODULE": "tests.slow.statistics_settings"}


def test_a_real_worker_killed_mid_recompute_leaves_the_old_snapshot_then_saves_one_newer(processes, report):
    stack = processes
    broker_url = f"{REDIS_URL}/13"
    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    attempts = stack.work / "statistics-attempts"
    attempts.mkdir()

    def world(command: str, env: dict | None = None) -> dict:
        done = stack.run("-m", "tests.slow.statistics_world", command, env={**SETTINGS, **(env or {})})
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    old = world("old")  # no broker: computed inline, then made two hours old (stale)
    assert old["state"] == "ready"
    env = {**SETTINGS, "CELERY_BROKER_URL": broker_url, "STATS_ATTEMPT_DIR": str(attempts),
           "STATS_PROVIDER_DELAY": "4", "CELERY_VISIBILITY_TIMEOUT": "30"}
    asked = world("ask", env)
    assert asked["started"] == [True, False] and asked["same"], "the second click finds the running job"
    job = str(asked["job"])
    stack.start("stats-worker", [str(BIN / "celery"), "-A", "concordat", "worker", "--concurrency", "1",
                                 "--loglevel", "warning", "--without-gossip", "--without-mingle",
                                 "-Q", "celery,heavy", "--hostname", f"stats-{os.getpid()}@%h"], env=env)

    wait_for(lambda: any(attempts.iterdir()), "the worker to start computing", 90)
    first = next(attempts.iterdir()).name
    task_id, pid, _ = first[len("attempt-"):].rsplit("-", 2)
    os.kill(int(pid), signal.SIGKILL)  # the pool process, mid-recompute
    meanwhile = world("state", env)
    assert meanwhile["jobs"][job] == "computing" and meanwhile["served"] == old["old"], meanwhile

    def quiet() -> bool:
        return broker.llen("heavy") == 0 and broker.hlen("unacked") == 0
    wait_for(lambda: quiet() and world("state", env)["jobs"][job] == "ready", "the job to be saved", 180, 1)
    tries = Counter(path.name[len("attempt-"):].rsplit("-", 2)[0] for path in attempts.iterdir())
    assert tries[task_id] >= 2, "the killed delivery ran again"
    saved = world("state", env)

    world("again", env)  # delivered once more after the result was saved
    wait_for(lambda: time.sleep(1) is None and quiet(), "the extra delivery to be taken", 60, 0.5)
    final = world("state", env)
    report(f"job {job}: task {task_id} killed in pid {pid}; attempts per task id: {dict(tries)}; final {final}")
    assert len(list(attempts.iterdir())) == sum(tries.values()), "the extra delivery computed nothing"
    assert final == saved and final["jobs"] == {str(old["old"]): "ready", job: "ready"}, final
    assert final["served"] == int(job) and final["audited"] == 2, "the old one's click and this one's, once each"
