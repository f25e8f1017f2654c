"""The page "Who decides for the Commissioner" (§14): her office reads it, she alone names and revokes."""

from __future__ import annotations

import pytest

from accounts.delegation_models import Delegation
from accounts.roles import Role
from tests.support.sharing_fixtures import *  # noqa: E402,F401,F403  (cast, protocol)

pytestmark = pytest.mark.django_db


def test_the_commissioner_names_a_person_of_her_office_and_revokes_them(cast, signed_in):
    client = signed_in(cast.commissioner)
    page = client.get("/delegates/")
    assert page.status_code == 200 and "Nobody has been named" in page.content.decode()

    answer = client.post("/delegates/", {"delegate": cast.iasc_case_officer.pk, "reason": "On leave in March"})
    assert answer.status_code == 302
    named = Delegation.objects.get()
    assert "Can decide" in client.get("/delegates/").content.decode()

    assert client.post(f"/delegates/{named.pk}/revoke/").status_code == 302
    assert not Delegation.objects.get().live


def test_the_form_names_each_missing_field(cast, signed_in):
    page = signed_in(cast.commissioner).post("/delegates/", {"delegate": "", "reason": ""})
    body = page.content.decode()
    assert page.status_code == 400
    assert "Choose the person who will decide on your behalf" in body and "Say why you are naming" in body


def test_a_person_of_another_organisation_is_not_offered_and_not_accepted(cast, signed_in):
    client = signed_in(cast.commissioner)
    assert str(cast.msu_assessor) not in client.get("/delegates/").content.decode()
    answer = client.post("/delegates/", {"delegate": cast.msu_assessor.pk, "reason": "x"})
    assert answer.status_code == 400 and "Choose a person of your office" in answer.content.decode()
    assert not Delegation.objects.exists()


def test_her_office_reads_the_page_without_the_form_and_cannot_post(cast, signed_in):
    client = signed_in(cast.iasc_case_officer)
    page = client.get("/delegates/")
    assert page.status_code == 200 and "Name a person" not in page.content.decode()
    assert client.post("/delegates/", {"delegate": cast.iasc_requester.pk, "reason": "x"}).status_code == 403
    assert not Delegation.objects.exists()


def test_the_home_office_cannot_see_the_page(cast, signed_in, person):
    assert signed_in(cast.msu_assessor).get("/delegates/").status_code == 403
    assert signed_in(person("home-office", Role.ADMINISTRATOR)).get("/delegates/").status_code == 403
