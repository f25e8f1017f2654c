import pytest  # noqa: E402

from tests.support.releases import Checkers, uploaded  # noqa: E402
from tests.support.sharing_fixtures import *  # noqa: F401,F403


@pytest.fixture
def checkers(person):
    return Checkers(person)


@pytest.fixture
def dataset(cast):
    return uploaded(cast.msu_assessor)
