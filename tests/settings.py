"""The project's settings, plus a toy case type that exists only for the tests (tests/toy)."""

import os

# The suite signs sessions and tokens with its own key; the demo stays off unless a test turns it on.
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)

from concordat.settings import *  # noqa: E402,F403
from concordat.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
