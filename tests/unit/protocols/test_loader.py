"""A malformed definition is refused, naming the key and, where there is one, the clause."""

import hashlib

import pytest

from protocols.loader import ProtocolDefinitionError, load_definition
from tests.support.protocol_files import SHIPPED, as_yaml


def refusal(text) -> ProtocolDefinitionError:
    with pytest.raises(ProtocolDefinitionError) as caught:
        load_definition(text)
    return caught.value


def drop_disposal(d):
    d["directions"][0]["required_elements"].pop()


def add_unknown_key(d):
    d["timings"]["colour"] = "red"


def add_secret_level(d):
    d["classifications"]["levels"].append("SECRET")


def zero_working_days(d):
    d["timings"]["provide_working_days"]["OFFICIAL"] = 0


def text_working_days(d):
    d["timings"]["provide_working_days"]["OFFICIAL"] = "ten"


def unknown_holder_party(d):
    d["directions"][1]["holder_party"] = "dwp"


def ladder_without_escalation(d):
    d["directions"][1]["escalation"]["ladder"] = d["directions"][0]["escalation"]["ladder"]


def escalation_without_ladder(d):
    d["directions"][0]["escalation"]["ladder"] = []


def unknown_rung_role(d):
    d["directions"][0]["escalation"]["ladder"][2]["role"] = "permanent_secretary"


def unknown_routing_role(d):
    d["directions"][0]["routing"]["recipient_role"] = "receptionist"


def unknown_calendar(d):
    d["timings"]["calendar"] = "wales"


def level_without_timing(d):
    del d["timings"]["provide_working_days"]["OFFICIAL-SENSITIVE"]


def slow_acknowledgement(d):
    d["timings"]["acknowledge_working_days"] = 11


def duplicate_direction(d):
    d["directions"][1]["key"] = "iasc_to_ho"


def personal_default(d):
    d["personal_data"]["default"] = "personal"


def missing_title(d):
    del d["title"]


def ceiling_not_a_level(d):
    d["classifications"]["ceiling"] = "OFFICIAL"


def unknown_other_route_kind(d):
    d["other_routes"][0]["organisation_kind"] = "charity"


MALFORMED = [
    # (change, key path, what is wrong, clause)
    (drop_disposal, "directions[0].required_elements",
     "the seven elements of §6 are required; missing 'disposal'", "§6(g)"),
    (add_unknown_key, "timings.colour", "is not a key the protocol schema knows", "§12"),
    (add_secret_level, "classifications.levels",
     "SECRET is above the OFFICIAL-SENSITIVE ceiling; separate arrangements are needed", "§10"),
    (zero_working_days, "timings.provide_working_days.OFFICIAL",
     "must be a whole number of working days greater than 0", "§12"),
    (text_working_days, "timings.provide_working_days.OFFICIAL",
     "must be a whole number of working days greater than 0", "§12"),
    (unknown_holder_party, "directions[1].holder_party", "'dwp' is not one of the parties: ho, iasc", "§8–9"),
    (ladder_without_escalation, "directions[1].escalation.ladder",
     "this direction has no escalation process, so it cannot have a ladder", "§14"),
    (escalation_without_ladder, "directions[0].escalation.ladder",
     "escalation is available, so the ladder needs at least one step", "§13"),
    (unknown_rung_role, "directions[0].escalation.ladder[2].role",
     "'permanent_secretary' is not a role in this service", "§13"),
    (unknown_routing_role, "directions[0].routing.recipient_role", "'receptionist' is not a role in this service", "§11"),
    (unknown_calendar, "timings.calendar", "'wales' is not a working-day calendar", "§12"),
    (level_without_timing, "timings.provide_working_days", "no time to provide is set for OFFICIAL-SENSITIVE", "§12"),
    (slow_acknowledgement, "timings.acknowledge_working_days",
     "must not be more than the 10 working days allowed to provide", "§12"),
    (duplicate_direction, "directions[1].key", "direction 'iasc_to_ho' appears more than once", "§8–9"),
    (personal_default, "personal_data.default", "the default must not be personal data", "§15–17"),
    (ceiling_not_a_level, "classifications.levels", "OFFICIAL-SENSITIVE is above the OFFICIAL ceiling", "§10"),
    (unknown_other_route_kind, "other_routes[0].organisation_kind",
     "must be one of: 'other_government_department' or 'schedule3_authority'", "§18"),
]


@pytest.mark.parametrize("change, path, wrong, clause", MALFORMED, ids=[case[0].__name__ for case in MALFORMED])
def test_malformed_definition_is_refused_naming_key_and_clause(definition, change, path, wrong, clause):
    change(definition)
    error = refusal(as_yaml(definition))
    assert any(p.path == path and wrong in p.message and p.clause == clause for p in error.problems), str(error)
    assert f"{path}: {wrong}" in str(error)
    assert f"({clause})" in str(error)


def test_a_missing_key_is_named_even_without_a_clause(definition):
    del definition["title"]
    error = refusal(as_yaml(definition))
    assert [str(problem) for problem in error.problems] == ["title: is required"]


def test_every_problem_is_listed_not_only_the_first(definition):
    drop_disposal(definition)
    unknown_calendar(definition)
    add_unknown_key(definition)
    paths = {problem.path for problem in refusal(as_yaml(definition)).problems}
    assert {"directions[0].required_elements", "timings.calendar", "timings.colour"} <= paths


def test_unknown_key_lists_the_keys_allowed_there(definition):
    definition["directions"][0]["escalation"]["ladder"][0]["deadline"] = 5
    error = refusal(as_yaml(definition))
    assert ("directions[0].escalation.ladder[0].deadline: is not a key the protocol schema knows; "
            "the keys here are: key, title, role, clause") in str(error)


def test_elements_out_of_order_are_refused(definition):
    elements = definition["directions"][1]["required_elements"]
    elements[0], elements[1] = elements[1], elements[0]
    assert "directions[1].required_elements: the seven elements of §8 must each appear once, in this order" in str(
        refusal(as_yaml(definition)))


def test_a_list_is_not_a_definition():
    assert str(refusal("- slug: ho-iasc\n- version: 1\n").problems[0]) == (
        "(file): must be a mapping of keys (slug, version, title, …), not a list")


def test_an_empty_file_is_not_a_definition():
    assert "not empty" in str(refusal(""))


def test_text_that_is_not_yaml_is_refused_with_its_line():
    assert "(file): is not valid YAML: expected ',' or ']'" in str(refusal("slug: ho-iasc\nlevels: [OFFICIAL\n"))


def test_a_key_given_twice_is_refused_even_where_yaml_would_keep_the_last(definition):
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "  acknowledge_working_days: 3\n", "  acknowledge_working_days: 3\n  acknowledge_working_days: 30\n")
    error = refusal(text)
    assert str(error.problems[0]).startswith("timings.acknowledge_working_days: appears twice in the same mapping")
    assert error.problems[0].clause == "§12"


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    error = refusal(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(error) and "cannot be read" in str(error)


def test_the_digest_is_the_sha256_of_the_file_bytes():
    _, digest = load_definition(SHIPPED)
    assert digest == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert load_definition(str(SHIPPED))[1] == load_definition(SHIPPED.read_text(encoding="utf-8"))[1] == digest
