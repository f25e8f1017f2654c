import pytest

from tests.factories import make_person, standard_organisations, verified_client


@pytest.fixture
def orgs(db):
    return standard_organisations()


@pytest.fixture
def person(orgs):
    """person("iasc", Role.REQUESTER) -> a new User of that organisation with those roles."""

    def build(org_slug: str | None, *roles, **extra):
        return make_person(orgs[org_slug] if org_slug else None, *roles, **extra)

    return build


@pytest.fixture
def signed_in():
    """signed_in(user) -> a Django test client past password and second factor."""
    return verified_client
