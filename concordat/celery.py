"""Celery for work that leaves the web process. With no CELERY_BROKER_URL, tasks run inline (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concordat.settings")

app = Celery("concordat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
