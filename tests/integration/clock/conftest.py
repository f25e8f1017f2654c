from tests.support.clock_fixtures import *  # noqa: F401,F403
