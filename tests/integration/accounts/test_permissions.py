"""The foundation's permission matrix: role × organisation × action."""

import pytest

from accounts.permissions import ALLOWED_ROLES, Action, check, user_can
from accounts.roles import Role
from concordat.errors import NotAllowed

pytestmark = pytest.mark.django_db

ORGANISATIONS = ["home-office", "msu", "iasc", "dwp", "rights-lab"]


@pytest.mark.parametrize("org_slug", ORGANISATIONS)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_may_do_exactly_what_the_matrix_allows(person, role, org_slug):
    user = person(org_slug, role)
    for action in Action.values:
        expected = role in ALLOWED_ROLES[action]
        assert user_can(user, action) is expected, (role, org_slug, action)


def test_a_person_with_no_organisation_may_do_nothing(person):
    user = person(None, Role.ADMINISTRATOR)
    assert not any(user_can(user, action) for action in Action.values)


def test_a_disabled_person_may_do_nothing(person):
    user = person("iasc", Role.ADMINISTRATOR, is_active=False)
    assert not any(user_can(user, action) for action in Action.values)


def test_anonymous_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not any(user_can(AnonymousUser(), action) for action in Action.values)


def test_check_refuses_with_a_message_naming_the_action(person):
    with pytest.raises(NotAllowed, match="permission to load a protocol version"):
        check(person("iasc", Role.REQUESTER), Action.LOAD_PROTOCOL)


def test_every_action_has_a_rule():
    assert set(ALLOWED_ROLES) == set(Action.values)
