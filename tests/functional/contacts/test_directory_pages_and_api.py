"""The §18 directory through the pages and the API, and the §18 draft page offering the chosen department's
contacts (no JavaScript: a GET form of its own, then the department stays chosen in the request)."""

from __future__ import annotations

import pytest

from contacts import services
from contacts.models import Contact, Unit
from tests.support.requests import draft

pytestmark = pytest.mark.django_db
FIELDS = {"name": "Nadia Hussain", "role_title": "Head of Fraud and Error Statistics",
          "email": "nadia.hussain@dwp.example", "phone": "020 7946 0101"}
OGD = "/requests/new/other_government_departments/"


@pytest.fixture
def contact(cast, orgs):
    return services.add_contact(by=cast.sponsorship_officer, organisation=orgs["dwp"], fields=FIELDS)


def test_the_draft_page_offers_the_chosen_departments_contacts_without_javascript(cast, orgs, signed_in, contact):
    services.add_contact(by=cast.spoc, organisation=orgs["ukvi"], fields={**FIELDS, "name": "Ukvi Person"})
    requester = signed_in(cast.iasc_requester)
    page = requester.get(OGD).content.decode()
    assert 'data-testid="contacts-finder"' in page and 'data-testid="offered-contacts"' not in page
    page = requester.get(f"{OGD}?holder_org={orgs['dwp'].pk}").content.decode()
    assert 'data-testid="offered-contacts"' in page and "Nadia Hussain" in page and "020 7946 0101" in page
    assert "Ukvi Person" not in page  # only the chosen department's
    assert f'<option value="{orgs["dwp"].pk}" selected>' in page  # the request's own choice follows it
    # A form sent back with a problem keeps offering them
    page = requester.post(OGD, {"holder_org": orgs["dwp"].pk, "title": "x" * 300, "save": "1"}).content.decode()
    assert "Nadia Hussain" in page
    # and the saved draft's page offers the contacts of its department
    saved = draft(cast.iasc_requester, "other_government_departments", holder_org=orgs["dwp"])
    assert "Nadia Hussain" in requester.get(f"/requests/{saved.reference}/edit/").content.decode()
    # Nonsense in the department: no contacts offered, no error
    for value in ("x", "99999999999999999999", str(orgs["iasc"].pk)):
        page = requester.get(f"{OGD}?holder_org={value}")
        assert page.status_code == 200 and "Nadia Hussain" not in page.content.decode()
    # A protocol request offers none
    assert 'contacts-finder' not in requester.get("/requests/new/iasc_to_ho/").content.decode()


def test_the_directory_page_for_readers_and_keepers(cast, signed_in, contact):
    page = signed_in(cast.iasc_requester).get("/contacts/").content.decode()
    assert "Nadia Hussain" in page and "Add a contact" not in page and "Still right" not in page
    page = signed_in(cast.spoc).get("/contacts/?organisation=dwp").content.decode()
    assert "Add a contact" in page and "Still right" in page and 'data-testid="due-check"' not in page
    Contact.objects.filter(pk=contact.pk).update(last_checked_at=contact.last_checked_at.replace(year=2020))
    assert 'data-testid="due-check"' in signed_in(cast.spoc).get("/contacts/").content.decode()
    assert signed_in(cast.dwp_officer).get("/contacts/").status_code == 403
    assert signed_in(cast.nobody).get("/contacts/").status_code == 403


def test_keepers_add_change_and_check_through_the_pages(cast, orgs, signed_in, contact):
    keeper = signed_in(cast.sponsorship_officer)
    response = keeper.post("/contacts/new/", {"organisation": orgs["dwp"].pk, "name": "Owen Price",
                                               "role_title": "Policy lead", "email": "owen.price@dwp.example"})
    assert response.status_code == 302 and response["Location"] == "/contacts/?organisation=dwp"
    response = keeper.post(f"/contacts/{contact.pk}/", {"version": 1, **FIELDS, "phone": "020 7946 0999"})
    assert response.status_code == 302 and Contact.objects.get(pk=contact.pk).phone == "020 7946 0999"
    assert keeper.post(f"/contacts/{contact.pk}/check/", {"version": 2}).status_code == 302
    assert Contact.objects.get(pk=contact.pk).version == 3
    assert keeper.post(f"/contacts/{contact.pk}/check/", {"version": 2}).status_code == 409
    assert keeper.post(f"/contacts/{contact.pk}/check/", {}).status_code == 400
    assert keeper.get(f"/contacts/{contact.pk}/check/").status_code == 405
    response = keeper.post("/contacts/units/new/", {"organisation": orgs["dwp"].pk, "name": "UC Policy"})
    assert response.status_code == 302
    unit = Unit.objects.get()
    assert keeper.post(f"/contacts/units/{unit.pk}/check/", {"version": 1}).status_code == 302


def test_people_outside_the_two_units_are_refused_on_the_pages(cast, orgs, signed_in, contact):
    for person in (cast.iasc_requester, cast.ho_analyst, cast.dwp_officer):
        client = signed_in(person)
        assert client.get("/contacts/new/").status_code == 403
        assert client.post(f"/contacts/{contact.pk}/", {"version": 1, **FIELDS, "name": "X"}).status_code == 403
        assert client.post(f"/contacts/{contact.pk}/check/", {"version": 1}).status_code == 403
        assert client.post("/contacts/units/new/", {"organisation": orgs["dwp"].pk, "name": "U"}).status_code == 403
    assert Contact.objects.get().version == 1 and Contact.objects.get().name == FIELDS["name"]


def test_malformed_input_on_the_page_is_shown_in_the_error_summary(cast, orgs, signed_in):
    keeper = signed_in(cast.spoc)
    response = keeper.post("/contacts/new/", {"organisation": orgs["dwp"].pk, "name": "A", "role_title": "B",
                                               "email": "nope", "phone": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and "Enter an email address" in page
    assert keeper.post("/contacts/new/", {"organisation": orgs["iasc"].pk, **FIELDS}).status_code == 400
    assert keeper.post("/contacts/new/", {"organisation": "2" * 30, **FIELDS}).status_code == 400
    assert not Contact.objects.exists()


def test_the_api_reads_adds_changes_and_checks_on_the_same_services(cast, api, contact):
    reader, keeper = api(cast.iasc_requester), api(cast.spoc)
    listed = reader.get("/api/contacts/").json()["results"]
    assert [c["name"] for c in listed] == ["Nadia Hussain"] and listed[0]["check_due"] is False
    assert listed[0]["last_checked_by"]["id"] == cast.sponsorship_officer.pk
    assert reader.get("/api/contacts/?organisation=ukvi").json()["results"] == []
    assert len(reader.get("/api/contacts/?organisation=dwp").json()["results"]) == 1
    assert reader.get("/api/contacts/?organisation=<b>").status_code == 400
    created = keeper.post("/api/contacts/", {"organisation": "dwp", "name": "Owen Price", "role_title": "Lead",
                                             "email": "owen.price@dwp.example"}, format="json")
    assert created.status_code == 201, created.json()
    changed = keeper.patch(f"/api/contacts/{contact.pk}/", {"version": 1, "phone": "020 7946 0999"}, format="json")
    assert changed.status_code == 200 and changed.json()["phone"] == "020 7946 0999"
    assert keeper.patch(f"/api/contacts/{contact.pk}/", {"version": 1, "phone": "0"}, format="json").status_code == 409
    checked = api(cast.sponsorship_officer).post(f"/api/contacts/{contact.pk}/check/", {"version": 2}, format="json")
    assert checked.status_code == 200 and checked.json()["last_checked_by"]["id"] == cast.sponsorship_officer.pk
    refused = reader.post(f"/api/contacts/{contact.pk}/check/", {"version": 3}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["clause"] == "§18"
    assert api(cast.dwp_officer).get("/api/contacts/").status_code == 403
    bad = keeper.post("/api/contacts/", {"organisation": "iasc", "name": "", "role_title": "R", "email": "x"},
                      format="json")
    assert bad.status_code == 400
    unit = keeper.post("/api/contact-units/", {"organisation": "dwp", "name": "UC Policy"}, format="json")
    assert unit.status_code == 201
    assert keeper.post(f"/api/contact-units/{unit.json()['id']}/check/", {"version": 1},
                       format="json").status_code == 200
    moved = keeper.patch(f"/api/contacts/{contact.pk}/", {"version": 3, "unit": unit.json()["id"]}, format="json")
    assert moved.status_code == 200 and moved.json()["unit"] == unit.json()["id"]
