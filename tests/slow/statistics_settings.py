"""Settings for the statistics real-worker test (ADR 53): the crash tests' settings plus a test-only figure
provider that records each attempt and then takes STATS_PROVIDER_DELAY seconds, so that the test can kill the
worker in the middle of a recompute. Never deployed."""

from tests.slow.crash_settings import *  # noqa: F403
from tests.slow.crash_settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.slow.slow_figures.SlowFiguresConfig"]
