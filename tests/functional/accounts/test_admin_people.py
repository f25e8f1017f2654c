"""The Django admin (ADR 18): no secret on any of its pages; roles, organisations and status changed through
accounts.services with their audit events; refusals as messages beside the field, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import RoleGrant, User
from accounts.roles import Role
from audit.models import AuditEvent
from clock.services import add_adjustment
from tests.integration.sharing.test_concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def superuser(person):
    return person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def ho_admin(person):
    return person("home-office", Role.ADMINISTRATOR, is_staff=True, username="ho.admin")


@pytest.fixture
def analyst(person):
    return person("ho-analysis", Role.REQUESTER, username="analyst", email="analyst@homeoffice.example")


def change_url(person) -> str:
    return reverse("admin:accounts_user_change", args=[person.pk])


def change_form(person, grants=None, add=(), delete=(), **fields) -> dict:
    """What the person's change form posts: their stored values, `fields` changed, role rows added or deleted."""
    grants = list(person.role_grants.order_by("pk")) if grants is None else grants
    data = {
        "username": person.username, "full_name": person.full_name, "first_name": person.first_name,
        "last_name": person.last_name, "email": person.email, "job_title": person.job_title,
        "organisation": person.organisation_id or "", "is_active": "on" if person.is_active else "",
        "is_staff": "on" if person.is_staff else "", "is_superuser": "on" if person.is_superuser else "",
        "role_grants-TOTAL_FORMS": str(len(grants) + len(add)), "role_grants-INITIAL_FORMS": str(len(grants)),
        "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
    }
    for index, grant in enumerate(grants):
        data.update({f"role_grants-{index}-id": grant.pk, f"role_grants-{index}-user": person.pk,
                     f"role_grants-{index}-role": grant.role})
        if grant.role in delete:
            data[f"role_grants-{index}-DELETE"] = "on"
    for offset, role in enumerate(add, start=len(grants)):
        data.update({f"role_grants-{offset}-user": person.pk, f"role_grants-{offset}-role": role})
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


# No secrets ----------------------------------------------------------------------------------------------------

@pytest.fixture
def everything_registered(superuser, analyst, orgs):
    totp = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=analyst, name="backup codes")
    token = StaticToken.objects.create(device=static, token="zq7x9w2k")
    add_adjustment("england-and-wales", date(2021, 6, 16), "closure", "Office move", by=superuser)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(username="analyst", ip_address="192.0.2.1", user_agent="test", path_info="/login/",
                             **extra)
    return totp, token


def secrets_of(analyst, totp, token) -> list[str]:
    algorithm, iterations, salt, digest = analyst.password.split("$")
    return [totp.key, totp.key.upper(), mfa.base32_secret(totp), token.token, analyst.password, salt, digest,
            salt[:6], digest[:6]]


def every_admin_page(client, superuser) -> dict[str, object]:
    """The list, and the change and history pages of up to three objects, of every model on the admin site."""
    pages, request = {}, RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages[prefix] = client.get(reverse(f"{prefix}_changelist"))
        for obj in model_admin.get_queryset(request)[:3]:
            for view in ("change", "history"):
                url = reverse(f"{prefix}_{view}", args=[obj.pk])
                pages[url] = client.get(url)
    return pages


def test_no_admin_page_shows_a_key_a_code_or_a_password_hash(everything_registered, superuser, analyst,
                                                              signed_in):
    client = signed_in(superuser)
    analyst.refresh_from_db()
    secrets = secrets_of(analyst, *everything_registered)
    pages = every_admin_page(client, superuser)
    pages["password form"] = client.get(reverse("admin:auth_user_password_change", args=[analyst.pk]))
    pages["index"] = client.get(reverse("admin:index"))
    assert len(pages) > 2 * len(admin.site._registry)
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, f"{name} shows a secret"
    change_page = pages[change_url(analyst)].content.decode()
    assert "Set (change it with the password form)" in change_page and "Enrolled" in change_page


def test_authenticators_cannot_be_added_or_edited_in_the_admin(everything_registered, superuser, signed_in):
    totp, _ = everything_registered
    client = signed_in(superuser)
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    response = client.post(reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]), {"name": "x", "key": "00"})
    assert response.status_code == 403
    totp.refresh_from_db()
    assert totp.name == "phone"


# Roles through the services ------------------------------------------------------------------------------------

def test_granting_and_revoking_roles_in_the_admin_writes_their_events(ho_admin, analyst, signed_in):
    client = signed_in(ho_admin)
    response = client.post(change_url(analyst), change_form(analyst, add=[Role.ASSESSOR]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert analyst.roles == {Role.REQUESTER, Role.ASSESSOR} or set(
        RoleGrant.objects.filter(user=analyst).values_list("role", flat=True)) == {Role.REQUESTER, Role.ASSESSOR}
    granted = AuditEvent.objects.get(action="people.role_granted")
    assert granted.actor == ho_admin and granted.details["role"] == Role.ASSESSOR
    changed = AuditEvent.objects.get(action="admin.changed")
    assert changed.details["inlines"][0]["values"] == {"role": {"before": None, "after": "assessor"}}

    response = client.post(change_url(analyst), change_form(analyst, delete=[Role.REQUESTER]))
    assert response.status_code == 302
    assert set(RoleGrant.objects.filter(user=analyst).values_list("role", flat=True)) == {Role.ASSESSOR}
    assert AuditEvent.objects.get(action="people.role_revoked").details["role"] == Role.REQUESTER


def test_an_administrator_may_not_grant_themselves_a_role(ho_admin, signed_in):
    client = signed_in(ho_admin)
    response = client.post(change_url(ho_admin), change_form(ho_admin, add=[Role.APPROVER]))
    assert response.status_code == 200
    assert "You cannot change your own roles: another administrator must" in response.content.decode()
    assert not ho_admin.role_grants.filter(role=Role.APPROVER).exists()
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()


def test_an_administrator_may_not_make_themselves_superuser(ho_admin, signed_in):
    client = signed_in(ho_admin)
    response = client.post(change_url(ho_admin), change_form(ho_admin, is_superuser="on", is_staff="on"))
    assert response.status_code == 302  # the status fields are not theirs to post: shown, not editable
    ho_admin.refresh_from_db()
    assert not ho_admin.is_superuser


def test_a_superuser_may_not_remove_their_own_superuser_status_or_disable_themselves(superuser, signed_in):
    client = signed_in(superuser)
    response = client.post(change_url(superuser), change_form(superuser, is_superuser="", is_active=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "You cannot change your own superuser status" in page and "You cannot change your own account status" in page
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_active


def test_staff_without_the_administrator_role_may_not_change_people(person, analyst, signed_in):
    spoc = person("msu", Role.SPOC, is_staff=True)
    client = signed_in(spoc)
    assert client.get(change_url(analyst)).status_code == 403
    assert client.post(change_url(analyst), change_form(analyst, add=[Role.ASSESSOR])).status_code == 403
    assert set(analyst.role_grants.values_list("role", flat=True)) == {Role.REQUESTER}


def test_an_administrator_may_not_change_another_bodys_people(ho_admin, person, signed_in):
    iasc_officer = person("iasc", Role.CASE_OFFICER)
    client = signed_in(ho_admin)
    response = client.post(change_url(iasc_officer), change_form(iasc_officer, add=[Role.COMMISSIONER]))
    assert response.status_code in (302, 403, 404)
    assert set(iasc_officer.role_grants.values_list("role", flat=True)) == {Role.CASE_OFFICER}
    assert iasc_officer.username not in client.get(reverse("admin:accounts_user_changelist")).content.decode()


def test_an_administrator_may_not_move_someone_to_another_body(ho_admin, analyst, orgs, signed_in):
    response = signed_in(ho_admin).post(change_url(analyst), change_form(analyst, organisation=orgs["iasc"].pk))
    assert response.status_code == 200
    assert "You may place people only in HO" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.organisation == orgs["ho-analysis"]


def test_a_staff_administrator_may_not_change_a_superuser(ho_admin, superuser, signed_in):
    client = signed_in(ho_admin)
    response = client.post(change_url(superuser), change_form(superuser, is_active=""))
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active


def test_disabling_in_the_admin_ends_the_persons_sessions(ho_admin, analyst, signed_in):
    analysts_browser = signed_in(analyst)
    assert analysts_browser.get("/profile/").status_code == 200
    response = signed_in(ho_admin).post(change_url(analyst), change_form(analyst, is_active=""))
    assert response.status_code == 302
    assert analysts_browser.get("/profile/").status_code == 302
    assert AuditEvent.objects.get(action="people.disabled").details["sessions_ended"] == 1


def test_resetting_the_second_factor_from_the_people_list(ho_admin, analyst, signed_in):
    TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    response = signed_in(ho_admin).post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_second_factor", "_selected_action": [analyst.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert AuditEvent.objects.filter(action="people.second_factor_reset", actor=ho_admin).exists()
    assert AuditEvent.objects.filter(action="admin.action").get().details["action"] == "reset_second_factor"


def test_the_password_form_sets_it_through_the_service_and_records_no_password(ho_admin, analyst, signed_in):
    response = signed_in(ho_admin).post(reverse("admin:auth_user_password_change", args=[analyst.pk]), {
        "password1": "an entirely new passphrase", "password2": "an entirely new passphrase",
        "usable_password": "true"})
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("an entirely new passphrase")
    recorded = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert AuditEvent.objects.filter(action="people.password_set").exists()
    assert "passphrase" not in recorded and analyst.password not in recorded


def test_an_administrator_adds_a_person_to_their_department(ho_admin, orgs, signed_in):
    response = signed_in(ho_admin).post(reverse("admin:accounts_user_add"), {
        "username": "newcomer", "organisation": orgs["msu"].pk, "usable_password": "true",
        "password1": "a long enough passphrase", "password2": "a long enough passphrase",
        "role_grants-TOTAL_FORMS": "1", "role_grants-INITIAL_FORMS": "0", "role_grants-0-role": Role.SPOC})
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.organisation == orgs["msu"] and set(newcomer.role_grants.values_list("role", flat=True)) == {
        Role.SPOC}
    assert AuditEvent.objects.filter(action="people.added").exists()
    assert "passphrase" not in str(list(AuditEvent.objects.values_list("details", flat=True)))


# Malformed input -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tampered", [
    {"organisation": "not-a-number"},
    {"organisation": "99999999999999999999999"},
    {"role_grants-TOTAL_FORMS": "many"},
    {"role_grants-0-role": "emperor"},
    {"role_grants-0-id": "-1"},
    {"username": "x" * 5000},
    {"email": "not an address"},
    {"is_active": ["on", "off"]},
])
def test_malformed_admin_input_is_answered_without_a_500(superuser, analyst, signed_in, tampered):
    client = signed_in(superuser)
    data = change_form(analyst, add=[Role.ASSESSOR]) | tampered
    response = client.post(change_url(analyst), data)
    assert response.status_code in (200, 302, 400), response.status_code
    for url in (f"/admin/accounts/user/{'9' * 30}/change/", "/admin/accounts/user/abc/change/",
                f"/admin/accounts/user/{analyst.pk}/password/?x=%00"):
        assert client.get(url).status_code in (200, 302, 404)


# Any model: audited by the site ----------------------------------------------------------------------------------

def test_an_organisation_changed_in_the_admin_records_its_fields_before_and_after(orgs, superuser, signed_in):
    client = signed_in(superuser)
    msu = orgs["msu"]
    response = client.post(f"/admin/accounts/organisation/{msu.pk}/change/", {
        "slug": msu.slug, "name": "Modern Slavery Unit (renamed)", "short_name": msu.short_name, "kind": msu.kind,
        "parent": msu.parent_id, "contact_email": "msu@homeoffice.example"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.changed", object_type="accounts.organisation")
    assert event.details["fields"] == {
        "name": {"before": "Modern Slavery Unit", "after": "Modern Slavery Unit (renamed)"},
        "contact_email": {"before": "", "after": "msu@homeoffice.example"}}
    assert event.actor == superuser and event.object_id == str(msu.pk)


def test_a_staff_administrator_may_not_change_organisations(orgs, person, signed_in):
    client = signed_in(person("home-office", Role.ADMINISTRATOR, is_staff=True))
    response = client.post(f"/admin/accounts/organisation/{orgs['msu'].pk}/change/", {"name": "Taken over"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="admin.changed").exists()


def test_a_bulk_deletion_in_the_admin_is_one_transaction_with_an_event_per_object(superuser, signed_in):
    attempts = [AccessAttempt.objects.create(username=f"u{n}", ip_address="192.0.2.1", user_agent="t",
                                             path_info="/", failures_since_start=1) for n in range(3)]
    response = signed_in(superuser).post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="admin.deleted", object_type="axes.accessattempt").count() == 3


def test_changing_ones_own_password_in_the_admin_is_audited_without_the_password(superuser, signed_in):
    response = signed_in(superuser).post(reverse("admin:password_change"), {
        "old_password": "correct horse battery staple", "new_password1": "a fresh long passphrase",
        "new_password2": "a fresh long passphrase"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="people.own_password_changed")
    assert event.actor == superuser and "passphrase" not in str(event.details)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_role_added_in_the_admin_by_several_at_once_is_granted_once(person, analyst, signed_in):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    clients = [signed_in(person("home-office", Role.ADMINISTRATOR, is_staff=True)) for _ in range(6)]
    form = change_form(analyst, add=[Role.ASSESSOR])
    outcomes = run_together([lambda client=client: client.post(change_url(analyst), form) for client in clients])
    assert all(getattr(outcome, "status_code", None) in (200, 302) for outcome in outcomes), outcomes
    assert RoleGrant.objects.filter(user=analyst, role=Role.ASSESSOR).count() == 1
    assert AuditEvent.objects.filter(action="people.role_granted").count() == 1
