"""What the request form asks for each required element (§6 a–g, §8 a–g), in the second person.

An element's `label` is the protocol's own words ("Whether she intends to publish the information"); the form
puts the same point to the person filling it in ("Do you intend to publish the information?"). Where that
question comes from, first found wins:

1. `question` on the element in the definition itself (protocols.schema.Element), for versions that carry it;
2. the wording file of that version, definitions/wording/<slug>-<version>.yaml: a loaded version is an
   immutable record whose file is hashed, so a version already loaded cannot gain questions in its definition
   without `manage.py load_protocol` refusing the changed file. The wording file sets no rule, so the loader
   neither reads, hashes nor stores it; it is read here, once per process;
3. the element's label.

No Django here.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from protocols.schema import Direction, ElementKey, Key, OrganisationSlug, ProtocolDefinition, Strict, Text

WORDING_DIR = Path(__file__).resolve().parent / "definitions" / "wording"


class Wording(Strict):
    """The questions of one protocol version, by direction and element key."""

    slug: OrganisationSlug
    version: str
    directions: dict[Key, dict[ElementKey, Text]]


def wording_path(slug: str, version: str) -> Path:
    return WORDING_DIR / f"{slug}-{version}.yaml"


@functools.cache
def wording_of(slug: str, version: str) -> Wording | None:
    """The wording file of this version, validated; None when it has none. A malformed file is an error."""
    path = wording_path(slug, version)
    if not path.is_file():
        return None
    wording = Wording.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if (wording.slug, wording.version) != (slug, version):
        raise ValueError(f"{path} words {wording.slug} version {wording.version}, not {slug} version {version}.")
    return wording


def element_questions(spec: ProtocolDefinition, direction: Direction) -> dict[str, str]:
    """Element key -> what the form asks: the definition's question, else the wording file's, else the label."""
    wording = wording_of(spec.slug, spec.version)
    worded = wording.directions.get(direction.key, {}) if wording else {}
    return {element.key: element.question or worded.get(element.key) or element.label
            for element in direction.required_elements}
