"""deploy/entrypoint.sh, run outside a container as the image runs it (ADR 39): a role it does not know is refused,
and instances that start together migrate once, under the lock, all succeeding. (`make prod-check` runs the web,
worker and beat roles.)"""

import subprocess

import pytest

from tests.slow.conftest import ROOT

pytestmark = pytest.mark.slow


def test_an_unknown_role_is_refused_before_anything_runs(stack):
    done = subprocess.run(["deploy/entrypoint.sh", "shell"], cwd=ROOT, env=stack.env, capture_output=True, text=True)
    assert done.returncode == 64 and "usage: entrypoint.sh web|worker|beat|migrate" in done.stderr


def test_instances_starting_together_each_migrate_under_the_lock(stack):
    starts = [subprocess.Popen(["deploy/entrypoint.sh", "migrate"], cwd=ROOT, env=stack.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(process.wait(timeout=180), process.stderr.read()) for process in starts]
    assert [code for code, _ in results] == [0, 0], results
    unapplied = stack.manage("migrate", "--check")
    assert unapplied.returncode == 0, unapplied.stdout
