"""Shared material for the protocol tests: the shipped definition as data, and files made from it."""

import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings

SHIPPED = Path(settings.CONCORDAT_PROTOCOL_DIR) / "ho-iasc-2020-05-13.yaml"


def shipped_data() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def as_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def definition() -> dict:
    """A fresh copy of the shipped definition, to change one thing in."""
    return copy.deepcopy(shipped_data())


@pytest.fixture
def write_definition(tmp_path):
    """write_definition(data, name) -> the path of a YAML file holding `data`."""

    def write(data: dict, name: str = "protocol.yaml") -> Path:
        path = tmp_path / name
        path.write_text(as_yaml(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def second_version(definition, write_definition) -> Path:
    """A later version of the protocol in which OFFICIAL information is due in 8 working days."""
    definition.update(version="2021-06-01", last_updated="2021-06-01")
    definition["timings"]["provide_working_days"]["OFFICIAL"] = 8
    return write_definition(definition, "ho-iasc-2021-06-01.yaml")
