"""The crash tests' stack (ADR 40): a fresh PostgreSQL database, keys and a vault directory of the session's own,
and helpers that start real gunicorn and Celery processes on it and stop them, whatever happens."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("SLOW_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("SLOW_REDIS_URL", "redis://127.0.0.1:6379")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    env: dict
    work: Path
    processes: list = field(default_factory=list)

    def run(self, *argv: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *argv], cwd=ROOT, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)

    def manage(self, *argv: str, **kwargs) -> subprocess.CompletedProcess:
        return self.run("manage.py", *argv, **kwargs)

    def world(self, *argv: str, env: dict | None = None) -> dict:
        done = self.run("-m", "tests.slow.world", *argv, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    def start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "ab")
        process = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def web(self, name: str, *, workers: int = 2, env: dict | None = None) -> str:
        """A gunicorn instance (deploy/gunicorn.conf.py, app preloaded so a killed worker is replaced by a fork);
        its base URL once /healthz answers."""
        port = free_port()
        self.start(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--preload",
                          "concordat.wsgi:application"],
                   env={"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
                        "GUNICORN_PROC_NAME": f"concordat-slow-{name}", **(env or {})})
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(base + "/healthz"), f"{name} to answer /healthz")
        return base

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown; Celery's warm one
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            self.stop(process)
        self.processes.clear()

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(condition, what: str, timeout: float = 90, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("stack")
    database = f"cc_slow_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    for directory in ("keys", "data-keys", "vault", "witness", "mail", "mail-setup"):
        (work / directory).mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "CONCORDAT_", "AUDIT_", "VAULT_", "CELERY_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.slow.crash_settings", "DATABASE_URL": f"{PG_URL}/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_MAC_KEY": secrets.token_hex(32),
        "VAULT_KEK": secrets.token_hex(32), "AUDIT_SIGNING_KEY_DIR": str(work / "keys"),
        "AUDIT_PUBLIC_KEY_DIR": str(work / "keys"), "AUDIT_WITNESS_DIR": str(work / "witness"),
        "VAULT_ROOT": str(work / "vault"), "VAULT_DATA_KEY_DIR": str(work / "data-keys"),
        "CRASH_MAIL_DIR": str(work / "mail-setup"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING", "API_TOKEN_RATE": "1000000/hour",
        "PYTHONPATH": str(ROOT),
    })
    stack = Stack(env=env, work=work)
    for step in (["create_audit_keys"], ["migrate", "--noinput", "-v0"]):
        done = stack.manage(*step)
        assert done.returncode == 0, done.stderr[-3000:]
    stack.world("base")
    try:
        yield stack
    finally:
        stack.stop_all()
        subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"],
                       capture_output=True)


# Each test's cases, made by tests/slow/world.py in processes that run side by side from the session's start.
PREPARATIONS = {
    "transition": ["prepare", "ack", "--submitted", "52"],
    "upload": ["prepare", "up", "--agreed", "52"],
    "race": ["prepare", "race", "--submitted", "50"],
    "mail": ["prepare", "mail", "--submitted", "4"],
}


class Worlds:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.started = {name: (time.monotonic(), subprocess.Popen(
            [sys.executable, "-m", "tests.slow.world", *argv], cwd=ROOT, env=stack.env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)) for name, argv in PREPARATIONS.items()}
        self.results: dict[str, dict] = {}

    def get(self, name: str) -> dict:
        if name not in self.results:
            began, process = self.started[name]
            out, err = process.communicate(timeout=600)
            assert process.returncode == 0, err[-3000:]
            self.results[name] = {**json.loads(out), "waited": round(time.monotonic() - began, 1)}
        return self.results[name]

    def stop(self) -> None:
        for _, process in self.started.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


@pytest.fixture(scope="session")
def worlds(stack):
    worlds = Worlds(stack)
    yield worlds
    worlds.stop()


@pytest.fixture
def processes(stack):
    """Stops every process a test started, pass or fail."""
    yield stack
    stack.stop_all()


REPORTED: list[str] = []


@pytest.fixture
def report(request):
    """report(line): printed in the summary at the end of the run, for the figures in the lead's note."""
    return lambda line: REPORTED.append(f"{request.node.name}: {line}")


def pytest_terminal_summary(terminalreporter):
    if REPORTED:
        terminalreporter.section("crash safety figures")
        for line in REPORTED:
            terminalreporter.write_line(line)
