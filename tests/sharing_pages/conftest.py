"""The request pages: the shipped protocol and the same cast as the domain tests, served by the real URLs."""

import pytest

from tests.sharing.conftest import Cast, fast_password_hashing, files_in_tmp, protocol  # noqa: F401


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)
