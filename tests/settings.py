"""The project's settings, plus a toy case type that exists only for the tests (tests/toy)."""

from concordat.settings import *  # noqa: F403
from concordat.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
