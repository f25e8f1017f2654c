"""People are changed only through accounts.services (ADR 18): who may, separation of duties, one audit event each
with the before and after and no secret, sessions ended when an account is disabled, one grant per role even when
two arrive at once."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import RoleGrant
from accounts.roles import Role
from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation
from tests.factories import verified_client
from tests.integration.sharing.test_concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def ho_admin(person):
    return person("home-office", Role.ADMINISTRATOR, is_staff=True, username="ho.admin")


@pytest.fixture
def superuser(person):
    return person("home-office", is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def analyst(person):
    return person("ho-analysis", Role.REQUESTER, username="analyst")


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-sequence").first()


def test_an_administrator_grants_a_role_in_their_department_with_before_and_after(ho_admin, analyst):
    services.grant_role(analyst, Role.ASSESSOR, by=ho_admin)
    assert analyst.role_grants.filter(role=Role.ASSESSOR).exists()
    event = last_event("people.role_granted")
    assert event.actor == ho_admin and event.object_id == str(analyst.pk)
    assert event.details == {"before": ["requester"], "after": ["assessor", "requester"], "role": "assessor"}


def test_an_administrator_revokes_a_role(ho_admin, analyst):
    services.revoke_role(analyst.role_grants.get(), by=ho_admin)
    assert not analyst.role_grants.exists()
    assert last_event("people.role_revoked").details == {"before": ["requester"], "after": [], "role": "requester"}


def test_granting_a_role_held_already_changes_nothing(ho_admin, analyst):
    events = AuditEvent.objects.count()
    grant = services.grant_role(analyst, Role.REQUESTER, by=ho_admin)
    assert grant == analyst.role_grants.get() and AuditEvent.objects.count() == events


def test_an_unknown_role_is_refused_naming_the_field(ho_admin, analyst):
    with pytest.raises(RuleViolation) as refused:
        services.grant_role(analyst, "emperor", by=ho_admin)
    assert refused.value.problems[0].field == "role"


def test_a_person_without_the_administrator_role_may_not_administer(person, analyst):
    spoc = person("msu", Role.SPOC, is_staff=True)
    with pytest.raises(NotAllowed, match="manage organisations and people"):
        services.grant_role(analyst, Role.ASSESSOR, by=spoc)
    assert not analyst.role_grants.filter(role=Role.ASSESSOR).exists()


def test_an_administrator_may_not_act_on_another_bodys_people(ho_admin, person):
    iasc_officer = person("iasc", Role.CASE_OFFICER)
    for attempt in (lambda: services.grant_role(iasc_officer, Role.ASSESSOR, by=ho_admin),
                    lambda: services.set_active(iasc_officer, False, by=ho_admin),
                    lambda: services.reset_second_factor(iasc_officer, by=ho_admin)):
        with pytest.raises(NotAllowed, match="only people of HO"):
            attempt()
    iasc_officer.refresh_from_db()
    assert iasc_officer.is_active and iasc_officer.roles == {Role.CASE_OFFICER}


def test_an_administrator_may_not_move_someone_out_of_their_department(ho_admin, analyst, orgs):
    with pytest.raises(NotAllowed, match="place people only in HO"):
        services.move_to_organisation(analyst, orgs["iasc"], by=ho_admin)
    services.move_to_organisation(analyst, orgs["msu"], by=ho_admin)
    analyst.refresh_from_db()
    assert analyst.organisation == orgs["msu"]
    assert last_event("people.moved").details == {"before": orgs["ho-analysis"].pk, "after": orgs["msu"].pk}


@pytest.mark.parametrize("attempt", [
    lambda me: services.grant_role(me, Role.APPROVER, by=me),
    lambda me: services.revoke_role(me.role_grants.get(), by=me),
    lambda me: services.set_superuser(me, True, by=me),
    lambda me: services.set_active(me, False, by=me),
    lambda me: services.reset_second_factor(me, by=me),
])
def test_nobody_changes_their_own_roles_or_status(superuser, attempt):
    RoleGrant.objects.create(user=superuser, role=Role.ADMINISTRATOR)
    with pytest.raises(NotAllowed, match="your own|only a superuser|Only a superuser"):
        attempt(superuser)


def test_an_administrator_may_not_make_themselves_superuser(ho_admin):
    with pytest.raises(NotAllowed, match="Only a superuser may change superuser status"):
        services.set_superuser(ho_admin, True, by=ho_admin)
    ho_admin.refresh_from_db()
    assert not ho_admin.is_superuser


def test_only_a_superuser_changes_a_superuser_or_makes_staff(ho_admin, superuser, analyst):
    with pytest.raises(NotAllowed, match="Only a superuser may change a superuser"):
        services.set_active(superuser, False, by=ho_admin)
    with pytest.raises(NotAllowed, match="Only a superuser may change staff status"):
        services.set_staff(analyst, True, by=ho_admin)
    services.set_staff(analyst, True, by=superuser)
    analyst.refresh_from_db()
    assert analyst.is_staff and last_event("people.is_staff_changed").details == {"before": False, "after": True}


def test_disabling_an_account_ends_its_sessions_at_once(ho_admin, analyst, person):
    client = verified_client(analyst)
    other = verified_client(person("msu", Role.SPOC))
    assert client.get("/profile/").status_code == 200
    services.set_active(analyst, False, by=ho_admin)
    assert client.get("/profile/").status_code == 302
    assert other.get("/profile/").status_code == 200
    assert last_event("people.disabled").details == {"before": True, "after": False, "sessions_ended": 1}
    assert Session.objects.count() == 1


def test_resetting_the_second_factor_removes_every_authenticator_and_records_no_secret(ho_admin, analyst):
    totp = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=analyst, name="backup")
    token = StaticToken.objects.create(device=static, token="abcd1234")
    assert services.reset_second_factor(analyst, by=ho_admin) == 2
    assert not TOTPDevice.objects.filter(user=analyst).exists() and not StaticDevice.objects.exists()
    event = last_event("people.second_factor_reset")
    assert event.details == {"before": 2, "after": 0, "sessions_ended": 0}
    assert totp.key not in str(event.details) and token.token not in str(event.details)


def test_setting_a_password_records_that_it_changed_never_the_password(ho_admin, analyst):
    services.set_password(analyst, "a new long passphrase 42", by=ho_admin)
    analyst.refresh_from_db()
    assert analyst.check_password("a new long passphrase 42")
    details = str(last_event("people.password_set").details)
    assert "passphrase" not in details and analyst.password not in details


def test_an_administrator_changes_their_own_name_but_not_others_elsewhere(ho_admin, person):
    services.change_details(ho_admin, {"full_name": "H. O. Admin"}, by=ho_admin)
    ho_admin.refresh_from_db()
    assert ho_admin.full_name == "H. O. Admin"
    with pytest.raises(NotAllowed):
        services.change_details(person("iasc"), {"full_name": "Renamed"}, by=ho_admin)


def test_each_service_writes_its_event_in_its_own_transaction_and_the_chain_verifies(ho_admin, analyst):
    services.grant_role(analyst, Role.ASSESSOR, by=ho_admin)
    services.set_active(analyst, False, by=ho_admin)
    services.set_active(analyst, True, by=ho_admin)
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_role_granted_by_many_at_once_is_granted_once(person):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    admins = [person("home-office", Role.ADMINISTRATOR) for _ in range(8)]
    analyst = person("ho-analysis", Role.REQUESTER)
    outcomes = run_together([lambda by=by: services.grant_role(analyst, Role.ASSESSOR, by=by) for by in admins])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert RoleGrant.objects.filter(user=analyst, role=Role.ASSESSOR).count() == 1
    assert len({o.pk for o in outcomes}) == 1
    assert AuditEvent.objects.filter(action="people.role_granted").count() == 1
    assert verify_stored_chain().ok
