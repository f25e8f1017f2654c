"""Notifications leave the web process: with a broker configured, a submitted request's email is sent by a
real Celery worker through the machine's Redis, after the transaction commits."""

import socket
import time

import pytest
from django.core import mail

from concordat.celery import app
from tests.support.requests import draft
from workflow.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)
REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def worker(settings):
    if not redis_is_up():
        pytest.skip("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    from celery.contrib.testing.worker import start_worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    changed = {"broker_url": "redis://127.0.0.1:6379/15", "result_backend": None, "task_always_eager": False,
               "task_ignore_result": True}
    previous = {key: app.conf.get(key) for key in changed}
    app.conf.update(**changed)
    forget_connections()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            yield
    finally:
        app.conf.update(**previous)
        forget_connections()


def forget_connections():
    """Celery keeps its connection and producer pools once made, bound to the broker of that moment (as after
    a fork, which is when Celery itself drops them): make the next message use the broker configured now."""
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(condition, seconds=20.0):
    """Poll until the worker has done its part; a bound, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_sends_the_submission_email_through_redis(cast, worker):
    request = draft(cast.iasc_requester)
    from sharing import services

    services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert wait_for(lambda: Notification.objects.for_case("request", request.pk).filter(kind="submitted").exists())
    assert any(request.reference in message.subject for message in mail.outbox)
