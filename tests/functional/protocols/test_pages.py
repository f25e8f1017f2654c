"""The protocol pages and API: readable by people in the service, showing every clause-backed rule."""

import re
from html.parser import HTMLParser

import pytest
import yaml
from django.urls import reverse

from accounts.roles import Role
from protocols.services import load_protocol
from tests.support.protocol_files import SHIPPED

pytestmark = pytest.mark.django_db


@pytest.fixture
def protocol():
    return load_protocol(SHIPPED)


@pytest.fixture
def requester(person):
    return person("iasc", Role.REQUESTER)


def clauses_in(node) -> list[str]:
    """Every `clause` value anywhere in the definition file."""
    if isinstance(node, dict):
        own = [node["clause"]] if isinstance(node.get("clause"), str) else []
        return own + [c for value in node.values() for c in clauses_in(value)]
    if isinstance(node, list):
        return [c for item in node for c in clauses_in(item)]
    return []


def clause_numbers(clause: str) -> set[int]:
    """"§5–7" -> {5, 6, 7}; "§6(a)" -> {6}; "§4 fn 1" -> {4}."""
    first, last = re.match(r"§(\d+)(?:–(\d+))?", clause).groups()
    return set(range(int(first), int(last or first) + 1))


def shown(clause: str, html: str) -> bool:
    """The clause appears on its own, not only as the start of a longer one (§1 inside §1–3 or §10)."""
    return re.search(re.escape(clause) + r"(?![\d(–]| fn)", html) is not None


class HeadingLevels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def test_the_definition_carries_every_clause_from_1_to_18():
    covered = set().union(*(clause_numbers(c) for c in clauses_in(yaml.safe_load(SHIPPED.read_text("utf-8")))))
    assert covered >= set(range(1, 19))


def test_detail_page_shows_every_clause_the_definition_carries(signed_in, requester, protocol):
    response = signed_in(requester).get(reverse("protocols:detail", args=[protocol.slug, protocol.version]))
    assert response.status_code == 200
    html = response.content.decode()
    missing = [c for c in set(clauses_in(yaml.safe_load(SHIPPED.read_text("utf-8")))) if not shown(c, html)]
    assert missing == []


def test_detail_page_shows_the_rules_a_requester_needs(signed_in, requester, protocol):
    html = signed_in(requester).get(reverse("protocols:detail", args=[protocol.slug, protocol.version])).content.decode()
    assert "Why she considers that the information is necessary for the exercise of her functions" in html
    assert "Single point of contact, Modern Slavery Unit" in html
    assert "Escalation: Director for Tackling Slavery and Exploitation" in html
    assert "No escalation: the IASC's decision is final (§14)" in html
    assert "OFFICIAL-SENSITIVE" in html and "15 working days" in html and "England and Wales" in html
    assert "UK Visas and Immigration" in html


def test_detail_page_headings_descend_one_level_at_a_time(signed_in, requester, protocol):
    parser = HeadingLevels()
    parser.feed(signed_in(requester).get(reverse("protocols:detail", args=[protocol.slug, protocol.version]))
                .content.decode())
    assert parser.levels[0] == 1 and parser.levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(parser.levels, parser.levels[1:], strict=False))


def test_list_page_marks_the_current_version(signed_in, requester, protocol, second_version):
    later = load_protocol(second_version)
    response = signed_in(requester).get(reverse("protocols:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("protocols:detail", args=[later.slug, later.version]) in html
    assert reverse("protocols:detail", args=[protocol.slug, protocol.version]) in html
    assert html.count(">Current</strong>") == 1


def test_an_earlier_version_points_to_the_current_one(signed_in, requester, protocol, second_version):
    load_protocol(second_version)
    html = signed_in(requester).get(reverse("protocols:detail", args=[protocol.slug, protocol.version])).content.decode()
    assert "This is an earlier version" in html and "version 2021-06-01" in html


def test_every_page_links_to_the_protocols(signed_in, requester):
    client = signed_in(requester)
    assert client.get("/")["Location"] == reverse("workflow:my_work")  # home is the person's own work
    assert f'href="{reverse("protocols:list")}"' in client.get(reverse("workflow:my_work")).content.decode()


@pytest.mark.parametrize("name, args", [("protocols:list", []), ("protocols:detail", ["ho-iasc", "2020-05-13"])])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, protocol, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_with_no_role_may_not_read_the_protocols(signed_in, person, protocol):
    assert signed_in(person("iasc")).get(reverse("protocols:list")).status_code == 403


def test_an_unknown_version_is_not_found(signed_in, requester, protocol):
    assert signed_in(requester).get(reverse("protocols:detail", args=["ho-iasc", "1999-01-01"])).status_code == 404


@pytest.mark.urls("tests.support.protocols_urls")
def test_api_lists_the_loaded_versions(signed_in, requester, protocol, second_version):
    load_protocol(second_version)
    response = signed_in(requester).get("/api/protocols/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [(r["slug"], r["version"]) for r in results] == [("ho-iasc", "2021-06-01"), ("ho-iasc", "2020-05-13")]
    assert results[1]["url"] == "http://testserver/api/protocols/ho-iasc/2020-05-13/"
    assert "definition" not in results[0]


@pytest.mark.urls("tests.support.protocols_urls")
def test_api_returns_one_version_with_its_definition(signed_in, requester, protocol):
    body = signed_in(requester).get("/api/protocols/ho-iasc/2020-05-13/").json()
    assert body["sha256"] == protocol.sha256
    assert body["definition"] == protocol.definition
    assert body["definition"]["timings"]["provide_working_days"] == {"OFFICIAL": 10, "OFFICIAL-SENSITIVE": 15}


@pytest.mark.urls("tests.support.protocols_urls")
def test_api_returns_the_current_version_of_a_protocol(signed_in, requester, protocol, second_version):
    load_protocol(second_version)
    assert signed_in(requester).get("/api/protocols/ho-iasc/").json()["version"] == "2021-06-01"
    assert signed_in(requester).get("/api/protocols/no-such-protocol/").status_code == 404


@pytest.mark.urls("tests.support.protocols_urls")
def test_api_is_read_only(signed_in, requester, protocol):
    client = signed_in(requester)
    assert client.post("/api/protocols/", {}, content_type="application/json").status_code == 405
    assert client.delete("/api/protocols/ho-iasc/2020-05-13/").status_code == 405


@pytest.mark.urls("tests.support.protocols_urls")
def test_api_refuses_anonymous_callers_and_people_with_no_role(client, signed_in, person, protocol):
    assert client.get("/api/protocols/").status_code in (401, 403)
    response = signed_in(person("iasc")).get("/api/protocols/ho-iasc/2020-05-13/")
    assert response.status_code == 403
    assert response.json() == {"errors": [{"field": None, "clause": None,
                                           "message": "You do not have permission to view the protocols."}]}
