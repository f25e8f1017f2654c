"""Loading protocol versions: validated, versioned, immutable, idempotent, audited, and only by administrators."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.roles import Role
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation
from protocols.loader import ProtocolDefinitionError
from protocols.models import Protocol, ProtocolRecordImmutable
from protocols.schema import ProtocolDefinition
from protocols.services import current_protocol, load_default_protocols, load_protocol
from tests.support.protocol_files import SHIPPED

pytestmark = pytest.mark.django_db


def test_shipped_definition_loads_as_a_record_with_its_spec():
    protocol = load_protocol(SHIPPED)
    assert (protocol.slug, protocol.version, protocol.title) == (
        "ho-iasc", "2020-05-13", "Data Sharing Protocol between HO and the Independent Anti-Slavery Commissioner")
    assert protocol.loaded_by is None
    assert isinstance(protocol.spec, ProtocolDefinition)
    assert Protocol.objects.get().spec.timings.provide_days("OFFICIAL-SENSITIVE") == 15


def test_spec_is_parsed_once_per_record():
    protocol = load_protocol(SHIPPED)
    assert protocol.spec is protocol.spec


def test_loading_writes_one_audit_event_with_slug_version_and_digest():
    protocol = load_protocol(SHIPPED)
    event = AuditEvent.objects.get(action="protocol.loaded")
    assert event.details == {"slug": "ho-iasc", "version": "2020-05-13", "sha256": protocol.sha256}
    assert (event.object_type, event.object_id, event.actor_label) == ("protocols.protocol", str(protocol.pk), "system")


def test_a_second_version_loads_beside_the_first_and_becomes_current(second_version):
    first = load_protocol(SHIPPED)
    second = load_protocol(second_version)
    assert Protocol.objects.filter(slug="ho-iasc").count() == 2
    assert current_protocol("ho-iasc") == second
    assert second.spec.timings.provide_days("OFFICIAL") == 8
    assert Protocol.objects.get(pk=first.pk).spec.timings.provide_days("OFFICIAL") == 10


def test_the_newest_protocol_date_wins_whatever_the_loading_order(second_version):
    later = load_protocol(second_version)
    load_protocol(SHIPPED)
    assert current_protocol() == later


def test_no_current_protocol_before_any_is_loaded():
    assert current_protocol("ho-iasc") is None


def test_a_loaded_record_cannot_be_changed_or_deleted():
    protocol = load_protocol(SHIPPED)
    protocol.title = "Something else"
    with pytest.raises(ProtocolRecordImmutable):
        protocol.save()
    with pytest.raises(ProtocolRecordImmutable):
        protocol.delete()
    with pytest.raises(ProtocolRecordImmutable):
        Protocol.objects.filter(pk=protocol.pk).update(title="Something else")
    with pytest.raises(ProtocolRecordImmutable):
        Protocol.objects.all().delete()
    assert Protocol.objects.get().title != "Something else"


def test_loading_the_identical_file_again_changes_nothing():
    first = load_protocol(SHIPPED)
    again = load_protocol(SHIPPED)
    assert again == first
    assert Protocol.objects.count() == 1
    assert AuditEvent.objects.filter(action="protocol.loaded").count() == 1


def test_a_different_file_claiming_a_loaded_version_is_refused(definition, write_definition):
    load_protocol(SHIPPED)
    definition["timings"]["provide_working_days"]["OFFICIAL"] = 5
    with pytest.raises(RuleViolation, match="ho-iasc version 2020-05-13 is already loaded from a different file"):
        load_protocol(write_definition(definition))
    assert Protocol.objects.get().spec.timings.provide_days("OFFICIAL") == 10


def test_a_malformed_file_stores_nothing(definition, write_definition):
    definition["timings"]["calendar"] = "mars"
    with pytest.raises(ProtocolDefinitionError):
        load_protocol(write_definition(definition))
    assert not Protocol.objects.exists()
    assert not AuditEvent.objects.filter(action="protocol.loaded").exists()


@pytest.mark.parametrize("org, roles", [
    ("iasc", (Role.COMMISSIONER,)),
    ("msu", (Role.SPOC, Role.ASSESSOR)),
    ("home-office", (Role.AUDITOR,)),
    ("home-office", ()),
    (None, (Role.ADMINISTRATOR,)),  # an administrator with no organisation
])
def test_only_an_administrator_may_load_a_protocol(person, org, roles):
    with pytest.raises(NotAllowed, match="permission to load a protocol version"):
        load_protocol(SHIPPED, by=person(org, *roles))
    assert not Protocol.objects.exists()


def test_an_administrator_loads_a_protocol_in_their_name(person):
    admin = person("home-office", Role.ADMINISTRATOR)
    protocol = load_protocol(SHIPPED, by=admin)
    assert protocol.loaded_by == admin
    assert AuditEvent.objects.get(action="protocol.loaded").actor_id == admin.pk


def test_default_protocols_are_every_definition_in_the_directory(second_version):
    with override_settings(CONCORDAT_PROTOCOL_DIR=second_version.parent):
        loaded = load_default_protocols()
    assert [p.version for p in loaded] == ["2021-06-01"]
    assert [p.version for p in load_default_protocols()] == ["2020-05-13"]


def test_command_loads_the_defaults_and_says_so_twice_without_duplicating(capsys):
    call_command("load_protocol")
    call_command("load_protocol")
    output = capsys.readouterr().out.splitlines()
    assert output[0].startswith("Loaded ho-iasc version 2020-05-13 from ")
    assert output[1].startswith("Already loaded ho-iasc version 2020-05-13 from ")
    assert Protocol.objects.count() == 1


def test_command_loads_a_named_file(second_version, capsys):
    call_command("load_protocol", str(second_version))
    assert "Loaded ho-iasc version 2021-06-01" in capsys.readouterr().out


def test_command_refuses_a_malformed_file_with_the_problems(definition, write_definition):
    definition["classifications"]["levels"].append("TOP SECRET")
    path = write_definition(definition)
    with pytest.raises(CommandError) as caught:
        call_command("load_protocol", str(path))
    assert str(path) in str(caught.value)
    assert "classifications.levels: TOP SECRET is above the OFFICIAL-SENSITIVE ceiling" in str(caught.value)
