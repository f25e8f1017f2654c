"""A release's protection on a real Celery worker (ADR 51), against the stack's PostgreSQL and Redis: the job is
enqueued when the draft commits, delivered twice, and exactly one result is saved with one audit event."""

from __future__ import annotations

import json
import os

import pytest
import redis

from tests.slow.conftest import BIN, REDIS_URL, wait_for

pytestmark = pytest.mark.slow


def test_a_real_worker_protects_a_drafted_table_once_though_the_job_arrives_twice(processes):
    stack = processes
    broker_url = f"{REDIS_URL}/12"
    redis.Redis.from_url(broker_url).flushdb()
    env = {"CELERY_BROKER_URL": broker_url}
    made = stack.run("-m", "tests.slow.release_world", "draft", env=env)
    assert made.returncode == 0, made.stderr[-3000:]
    drafted = json.loads(made.stdout)
    assert drafted["protection"] == "protecting"
    stack.start("release-worker", [str(BIN / "celery"), "-A", "concordat", "worker", "--concurrency", "1",
                                   "--loglevel", "warning", "--without-gossip", "--without-mingle",
                                   "-Q", "celery,heavy", "--hostname", f"release-{os.getpid()}@%h"], env=env)

    def state() -> dict:
        done = stack.run("-m", "tests.slow.release_world", "state", str(drafted["release"]), env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    broker = redis.Redis.from_url(broker_url)
    wait_for(lambda: broker.llen("heavy") == 0 and broker.hlen("unacked") == 0 and state()["saved"] == 1,
             "the worker to take both deliveries", 180, 1)
    final = state()
    assert (final["protection"], final["saved"], final["audited"]) == ("ready", 1, 1), stack.log("release-worker")
    assert final["version"] == drafted["version"] + 1 and final["cells"] > 0
