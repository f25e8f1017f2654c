"""The §18 directory: kept by the Modern Slavery Unit and the Home Office Sponsorship Unit only; each addition,
change and check audited with who and when; entries not checked for six months due a check; a stale page 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from contacts import services
from contacts.models import Contact, Unit
from tests.integration.sharing.test_concurrency import run_together

FIELDS = {"name": "Nadia Hussain", "role_title": "Head of Fraud and Error Statistics",
          "email": "nadia.hussain@dwp.example", "phone": "020 7946 0101"}


@pytest.fixture
def dwp(orgs):
    return orgs["dwp"]


def add(by, organisation, **fields):
    return services.add_contact(by=by, organisation=organisation, fields={**FIELDS, **fields})


def test_the_sponsorship_unit_adds_and_the_msu_checks_each_audited_with_who_and_when(cast, dwp):
    unit = services.add_unit(by=cast.sponsorship_officer, organisation=dwp, name="Fraud and Error Analysis")
    contact = services.add_contact(by=cast.sponsorship_officer, organisation=dwp, fields=FIELDS, unit=unit)
    assert (contact.last_checked_by, contact.version) == (cast.sponsorship_officer, 1)
    before = contact.last_checked_at
    checked = services.check_contact(contact, by=cast.spoc, expected_version=1)
    assert (checked.last_checked_by, checked.version) == (cast.spoc, 2) and checked.last_checked_at >= before
    events = list(AuditEvent.objects.filter(action__startswith="contacts.").order_by("sequence"))
    assert [e.action for e in events] == ["contacts.unit_added", "contacts.contact_added", "contacts.contact_checked"]
    assert events[-1].actor == cast.spoc and events[-1].object_id == str(contact.pk)
    assert events[-1].details["version"] == 2 and "Nadia" not in str(events[1].details)  # no free text on the chain
    assert services.check_unit(unit, by=cast.msu_assessor, expected_version=1).last_checked_by == cast.msu_assessor
    assert verify_stored_chain().ok


def test_a_change_records_which_fields_changed_and_counts_as_a_check(cast, dwp):
    contact = add(cast.spoc, dwp)
    changed = services.update_contact(contact, by=cast.sponsorship_officer, expected_version=1,
                                      fields={"phone": "020 7946 0999"})
    assert (changed.phone, changed.email, changed.version) == ("020 7946 0999", FIELDS["email"], 2)
    assert changed.last_checked_by == cast.sponsorship_officer
    assert AuditEvent.objects.get(action="contacts.contact_changed").details["changed"] == ["phone"]


@pytest.mark.parametrize("who", ["ho_analyst", "ho_approver", "iasc_requester", "commissioner", "dwp_officer",
                                 "nobody"])
def test_people_outside_the_two_units_cannot_change_or_check_the_directory(cast, dwp, who):
    contact = add(cast.spoc, dwp)
    person = getattr(cast, who)
    with pytest.raises(NotAllowed, match="Modern Slavery Unit or the Home Office Sponsorship Unit") as refused:
        add(person, dwp)
    assert refused.value.problems[0].clause == "§18"
    with pytest.raises(NotAllowed):
        services.check_contact(contact, by=person, expected_version=1)
    with pytest.raises(NotAllowed):
        services.update_contact(contact, by=person, expected_version=1, fields={"name": "Someone else"})
    with pytest.raises(NotAllowed):
        services.add_unit(by=person, organisation=dwp, name="A unit")
    assert Contact.objects.count() == 1 and Contact.objects.get().version == 1
    assert AuditEvent.objects.filter(action__startswith="contacts.").count() == 1


def test_who_may_read_the_directory(cast):
    assert all(services.may_read(p) for p in (cast.iasc_requester, cast.commissioner, cast.ho_analyst, cast.spoc))
    assert not any(services.may_read(p) for p in (cast.dwp_officer, cast.researcher, cast.nobody))


def test_a_stale_check_is_refused_and_nothing_is_saved(cast, dwp):
    contact = add(cast.spoc, dwp)
    services.check_contact(contact, by=cast.spoc, expected_version=1)
    with pytest.raises(StaleObject) as stale:
        services.check_contact(contact, by=cast.sponsorship_officer, expected_version=1)
    assert stale.value.problems[0].field == "version"
    assert Contact.objects.get().last_checked_by == cast.spoc


def test_an_entry_not_checked_for_six_months_is_due_a_check(cast, dwp):
    contact = add(cast.spoc, dwp)
    now = timezone.now()
    assert not contact.check_due(now)
    assert not contact.check_due(contact.last_checked_at + relativedelta(months=6) - timedelta(days=1))
    assert contact.check_due(contact.last_checked_at + relativedelta(months=6))
    assert Contact(last_checked_at=None).check_due(now)


@pytest.mark.parametrize("bad, field", [
    ({"name": ""}, "name"), ({"role_title": "  "}, "role_title"), ({"email": "not an address"}, "email"),
    ({"phone": "call me"}, "phone"), ({"email": "", "phone": ""}, "email"), ({"name": "n" * 201}, "name"),
    ({"name": "a\x00b"}, "name"),
])
def test_malformed_contacts_are_refused_naming_the_field(cast, dwp, bad, field):
    with pytest.raises(RuleViolation) as refused:
        add(cast.spoc, dwp, **bad)
    assert field in {p.field for p in refused.value.problems}
    assert not Contact.objects.exists() and not AuditEvent.objects.filter(action__startswith="contacts.").exists()


def test_only_other_departments_and_bodies_and_their_own_units(cast, orgs, dwp):
    with pytest.raises(RuleViolation) as not_ogd:
        add(cast.spoc, orgs["iasc"])
    assert not_ogd.value.problems[0].field == "organisation"
    ukvi_unit = services.add_unit(by=cast.spoc, organisation=orgs["ukvi"], name="Returns")
    with pytest.raises(RuleViolation) as wrong_unit:
        services.add_contact(by=cast.spoc, organisation=dwp, fields=FIELDS, unit=ukvi_unit)
    assert wrong_unit.value.problems[0].field == "unit"
    services.add_unit(by=cast.spoc, organisation=dwp, name="Returns")
    with pytest.raises(RuleViolation, match="already has a unit"):
        services.add_unit(by=cast.spoc, organisation=dwp, name="Returns")


def test_the_database_refuses_an_unreachable_contact_or_a_check_without_its_checker(cast, dwp):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(organisation=dwp, name="x", role_title="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(organisation=dwp, name="z", last_checked_at=timezone.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_checks_at_once_one_is_recorded(cast, orgs):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    contact = add(cast.spoc, orgs["dwp"])
    people = [cast.spoc, cast.sponsorship_officer, cast.msu_assessor, cast.ho_requester] * 3
    outcomes = run_together([lambda p=p: services.check_contact(contact.pk, by=p, expected_version=1)
                             for p in people])
    assert len([o for o in outcomes if not isinstance(o, Exception)]) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    assert Contact.objects.get().version == 2
    assert AuditEvent.objects.filter(action="contacts.contact_checked").count() == 1
