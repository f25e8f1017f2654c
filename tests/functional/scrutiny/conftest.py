from tests.support.escalations import *  # noqa: F401,F403
from tests.support.protocol_files import definition, write_definition  # noqa: F401
from tests.support.sharing_fixtures import *  # noqa: F401,F403
from tests.support.snapshots import history, on_worker  # noqa: F401  (ADR 53's tests)
