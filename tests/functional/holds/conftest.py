from tests.support.sharing_fixtures import *  # noqa: F401,F403
