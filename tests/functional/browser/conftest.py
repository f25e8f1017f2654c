from tests.support.browser import *  # noqa: F401,F403
from tests.support.sharing_fixtures import *  # noqa: F401,F403
from tests.support.snapshots import on_worker  # noqa: F401  (ADR 53's statistics page states)
