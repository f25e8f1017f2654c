"""The research pages and API cost the same number of queries however many projects, reviews and participants
there are (issue 11): counted, never timed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from research import services
from tests.support.research import approved, fresh, proposed, today

pytestmark = pytest.mark.django_db
API = "/api/research-projects/"


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _choices(rc, project, n: int, start: int) -> None:
    for i in range(start, start + n):
        services.record_choice(fresh(project), by=rc.tsa_reviewer, expected_version=fresh(project).version,
                               case_identifier=f"TSA-{i}", told_on=today(), agreed=bool(i % 2),
                               scope="interview" if i % 2 else "")


def test_the_project_page_and_api_do_not_grow_with_participants(rc, signed_in):
    project = approved(rc)
    _choices(rc, project, 2, 1)
    researcher = signed_in(rc.researcher)
    page_few, api_few = _count(researcher, f"/research/{project.pk}/"), _count(researcher, f"{API}{project.pk}/")
    _choices(rc, project, 10, 3)
    page_many, api_many = _count(researcher, f"/research/{project.pk}/"), _count(researcher, f"{API}{project.pk}/")
    print(f"\nproject page: {page_few} queries with 2 participants, {page_many} with 12; "
          f"API detail: {api_few} and {api_many}")
    assert page_many == page_few and api_many == api_few


def test_the_list_and_the_api_list_do_not_grow_with_projects(rc, signed_in):
    for _ in range(2):
        proposed(rc)
    contracts = signed_in(rc.contracts)
    list_few, api_few = _count(contracts, "/research/"), _count(contracts, API)
    for _ in range(6):
        proposed(rc)
    list_many, api_many = _count(contracts, "/research/"), _count(contracts, API)
    print(f"\nlist page: {list_few} queries with 2 projects, {list_many} with 8; API list: {api_few} and {api_many}")
    assert api_many == api_few
    assert list_many == list_few
