"""Celery for work that leaves the web process. With no CELERY_BROKER_URL, tasks run inline (eager).

Workers acknowledge a task only when it has finished and requeue one whose worker died (settings: ADR 40), and
each task's log lines carry its id as their request id (ADR 39)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concordat.settings")

app = Celery("concordat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_task_tokens: dict[str, object] = {}


@task_prerun.connect
def _log_with_task_id(task_id=None, **_):
    from concordat.request_log import current_request_id

    _task_tokens[task_id] = current_request_id.set(f"task-{task_id}")


@task_postrun.connect
def _forget_task_id(task_id=None, **_):
    from concordat.request_log import current_request_id

    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)
