"""A test-only figure provider for tests/slow/test_statistics_worker.py: each computation leaves a file
`attempt-<task id>-<pid>-<random>` in STATS_ATTEMPT_DIR, then sleeps STATS_PROVIDER_DELAY seconds."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.apps import AppConfig

from scrutiny.figures import FigureProvider, register
from scrutiny.tables import Column, Table


def _slow_tables(query) -> list[Table]:
    from concordat.request_log import current_request_id

    attempts = os.environ.get("STATS_ATTEMPT_DIR")
    if attempts:
        (Path(attempts) / f"attempt-{current_request_id.get()}-{os.getpid()}-{uuid.uuid4().hex[:6]}").write_text("")
    time.sleep(float(os.environ.get("STATS_PROVIDER_DELAY", "0")))
    return [Table("slow", "Slow", "", (Column("n", "N", True),), ((1,),))]


class SlowFiguresConfig(AppConfig):
    name = "tests.slow.slow_figures"
    label = "slow_figures"

    def ready(self):
        register(FigureProvider("slow", "Slow", _slow_tables, order=999))
