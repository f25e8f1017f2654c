from tests.support.protocol_files import *  # noqa: F401,F403
