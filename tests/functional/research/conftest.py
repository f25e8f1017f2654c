import pytest

from tests.support.research import participant_keys, research_cast  # noqa: F401
from tests.support.sharing_fixtures import *  # noqa: F401,F403


@pytest.fixture
def rc(person, cast):
    return research_cast(person, cast)
