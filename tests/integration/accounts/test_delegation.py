"""§14: the IASC's decision on an HO request is final, and the Commissioner takes it, or a person she names to take it
on her behalf, recorded as such (accounts.delegation). Naming and revoking are hers alone, audited, and the role they
grant comes and goes only with the record."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts import delegation
from accounts import services as people
from accounts.delegation_models import REASON_MAX_LENGTH, Delegation
from accounts.models import RoleGrant, User
from accounts.roles import Role
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation
from sharing import permissions, services
from sharing.states import Action, Decision, RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.requests import draft, fresh, walk
from tests.support.sharing_fixtures import *  # noqa: E402,F401,F403  (cast, protocol)

pytestmark = pytest.mark.django_db
REASON = "While the Commissioner is on leave, 1 to 14 March."


def fresh_user(user) -> User:
    return User.objects.get(pk=user.pk)  # roles are cached per loaded person


def name(cast, delegate=None):
    return delegation.name_delegate(by=cast.commissioner, delegate=delegate or cast.iasc_case_officer, reason=REASON)


def ho_request_under_assessment(cast):
    request = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, RequestState.UNDER_ASSESSMENT)
    entries = [services.ChecklistEntry(item.key, True, "") for item in permissions.rules.checklist_of(request)]
    return services.record_checklist(request, by=cast.commissioner, expected_version=request.version,
                                     answers=entries)


def test_the_commissioner_names_a_delegate_who_then_holds_the_role_with_an_audit_event(cast):
    named = name(cast)

    assert named.live and named.named_by == cast.commissioner and named.reason == REASON
    assert fresh_user(cast.iasc_case_officer).has_role(Role.COMMISSIONER_DELEGATE)
    event = AuditEvent.objects.get(action="people.delegate_named")
    assert event.details["delegate"] == cast.iasc_case_officer.pk and event.details["clause"] == "§14"


def test_a_delegate_decides_an_ho_request_and_the_decision_is_recorded_as_on_her_behalf(cast, signed_in):
    request = ho_request_under_assessment(cast)
    officer = fresh_user(cast.iasc_case_officer)
    with pytest.raises(NotAllowed, match="decision maker"):
        services.decide(request, by=officer, expected_version=fresh(request).version, decision=Decision.AGREED)

    name(cast)
    officer = fresh_user(cast.iasc_case_officer)
    services.decide(request, by=officer, expected_version=fresh(request).version, decision=Decision.AGREED)

    decided = fresh(request)
    assert decided.state == RequestState.AGREED and decided.decided_by == officer
    entry = decided.events.get(action=Action.DECIDE)
    assert entry.details["on_behalf_of_commissioner"] is True
    assert AuditEvent.objects.filter(action="sharing.decide").last().details["on_behalf_of_commissioner"] is True
    page = signed_in(cast.ho_requester).get(f"/requests/{decided.reference}/")
    assert "on behalf of the Commissioner (§14)" in page.content.decode()


def test_the_commissioners_own_decision_is_not_marked_as_on_her_behalf(cast):
    request = ho_request_under_assessment(cast)
    services.decide(request, by=cast.commissioner, expected_version=fresh(request).version, decision=Decision.AGREED)
    assert "on_behalf_of_commissioner" not in fresh(request).events.get(action=Action.DECIDE).details


def test_a_revoked_delegate_can_no_longer_decide(cast):
    request = ho_request_under_assessment(cast)
    named = name(cast)
    delegation.revoke_delegate(by=cast.commissioner, delegation=named)

    officer = fresh_user(cast.iasc_case_officer)
    assert not officer.has_role(Role.COMMISSIONER_DELEGATE)
    with pytest.raises(NotAllowed):
        services.decide(request, by=officer, expected_version=fresh(request).version, decision=Decision.AGREED)
    assert AuditEvent.objects.filter(action="people.delegate_revoked").count() == 1
    delegation.revoke_delegate(by=cast.commissioner, delegation=named)  # a second click changes nothing
    assert AuditEvent.objects.filter(action="people.delegate_revoked").count() == 1


def test_a_delegate_decides_nothing_on_requests_to_the_home_office(cast):
    """§13 requests to the HO are decided by the HO: the delegate role is the Commissioner's, for her office's."""
    name(cast)
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    assert not permissions.user_can(fresh_user(cast.iasc_case_officer), Action.DECIDE, request)


@pytest.mark.parametrize("who", ["iasc_case_officer", "iasc_assessor", "ho_approver", "msu_assessor"])
def test_only_the_commissioner_names(cast, who):
    with pytest.raises(NotAllowed, match="Only the Commissioner"):
        delegation.name_delegate(by=getattr(cast, who), delegate=cast.iasc_requester, reason=REASON)
    assert not Delegation.objects.exists() and not AuditEvent.objects.filter(action__startswith="people.").exists()


def test_only_the_commissioner_revokes(cast):
    named = name(cast)
    for who in (cast.iasc_case_officer, cast.ho_approver):
        with pytest.raises(NotAllowed):
            delegation.revoke_delegate(by=who, delegation=named)
    assert Delegation.objects.get().live


@pytest.mark.parametrize(("delegate", "reason", "field", "message"), [
    ("msu_assessor", REASON, "delegate", "Choose a person of your office"),  # another organisation
    ("commissioner", REASON, "delegate", "name someone else"),
    ("iasc_case_officer", "   ", "reason", "Say why"),
    ("iasc_case_officer", "x" * (REASON_MAX_LENGTH + 1), "reason", f"{REASON_MAX_LENGTH} characters"),
])
def test_bad_naming_is_refused_naming_the_field_and_nothing_is_saved(cast, delegate, reason, field, message):
    with pytest.raises(RuleViolation, match=message) as refused:
        delegation.name_delegate(by=cast.commissioner, delegate=getattr(cast, delegate), reason=reason)
    assert refused.value.problems[0].field == field
    assert not Delegation.objects.exists() and not RoleGrant.objects.filter(role=Role.COMMISSIONER_DELEGATE).exists()


def test_an_unknown_or_huge_person_id_is_refused_without_an_error(cast):
    for pk in (999_999, 10**30, "7"):
        with pytest.raises(RuleViolation, match="Choose a person of your office"):
            delegation.name_delegate(by=cast.commissioner, delegate=pk, reason=REASON)


def test_naming_the_same_person_twice_is_refused(cast):
    name(cast)
    with pytest.raises(RuleViolation, match="already decides"):
        name(cast)
    assert Delegation.objects.count() == 1


def test_administrators_cannot_grant_or_revoke_the_delegate_role_around_the_record(cast, person):
    admin = person("iasc", Role.ADMINISTRATOR)
    with pytest.raises(RuleViolation, match="Only the Commissioner names"):
        people.grant_role(cast.iasc_case_officer, Role.COMMISSIONER_DELEGATE, by=admin)
    name(cast)
    grant = RoleGrant.objects.get(role=Role.COMMISSIONER_DELEGATE)
    with pytest.raises(RuleViolation, match="Only the Commissioner names"):
        people.revoke_role(grant, by=admin)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_person_named_from_six_sessions_at_once_is_named_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks between concurrent connections")
    outcomes = run_together([lambda: name(cast) for _ in range(6)])
    assert sum(isinstance(o, Delegation) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, RuleViolation) for o in outcomes if not isinstance(o, Delegation)), outcomes
    assert Delegation.objects.count() == 1
    assert AuditEvent.objects.filter(action="people.delegate_named").count() == 1
