"""Read a protocol definition file, validate it, and say exactly what is wrong with it.

No Django here. Each problem reads "<key path>: <what is wrong> (§N)", the clause being the rule's own
where it has one, otherwise that of the nearest enclosing object in the file that carries a `clause`.
"""

from __future__ import annotations

import hashlib
import types
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from protocols.schema import ProtocolDefinition, RuleProblem

Location = tuple[str | int, ...]
FILE = "(file)"


@dataclass(frozen=True)
class DefinitionProblem:
    path: str
    message: str
    clause: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" ({self.clause})" if self.clause else "")


class ProtocolDefinitionError(ValueError):
    """The definition was refused; `problems` lists each one."""

    def __init__(self, problems: list[DefinitionProblem], source: str = ""):
        self.problems = problems
        self.source = source
        heading = f"{source or 'The protocol definition'} was refused:"
        super().__init__("\n".join([heading, *(f"- {problem}" for problem in problems)]))


def load_definition(source: Path | str | bytes) -> tuple[ProtocolDefinition, str]:
    """Parse and validate a definition; return it with the SHA-256 of the bytes read.

    `source` is a Path, a string naming a .yaml/.yml file, or the YAML itself (str or bytes).
    """
    raw, label = _read(source)
    digest = hashlib.sha256(raw).hexdigest()
    data = _parse(raw, label)
    try:
        return ProtocolDefinition.model_validate(data), digest
    except ValidationError as error:
        raise ProtocolDefinitionError(describe_validation_error(error, data), label) from None


def _read(source: Path | str | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, ""
    if isinstance(source, str) and not (source.endswith((".yaml", ".yml")) and "\n" not in source):
        return source.encode("utf-8"), ""
    path = Path(source)
    try:
        return path.read_bytes(), str(path)
    except OSError as error:
        raise ProtocolDefinitionError([DefinitionProblem(FILE, f"cannot be read: {error.strerror}")], str(path)) from None


def _parse(raw: bytes, label: str) -> dict:
    try:
        text = raw.decode("utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        duplicates = list(_duplicate_keys(root, ()))
        if duplicates:
            raise ProtocolDefinitionError(duplicates, label)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise ProtocolDefinitionError([DefinitionProblem(FILE, "is not UTF-8 text")], label) from None
    except yaml.YAMLError as error:
        raise ProtocolDefinitionError([DefinitionProblem(FILE, f"is not valid YAML: {_yaml_reason(error)}")],
                                      label) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ProtocolDefinitionError(
            [DefinitionProblem(FILE, f"must be a mapping of keys (slug, version, title, …), not {kind}")], label)
    return data


def _yaml_reason(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return f"{problem} at line {mark.line + 1}" if mark else problem


def _duplicate_keys(node, path: Location):
    """Walk the composed YAML and report any key that appears twice in one mapping."""
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        clause = _node_clause(node)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                yield DefinitionProblem(dotted((*path, key)), f"appears twice in the same mapping "
                                                              f"(line {key_node.start_mark.line + 1})", clause)
            seen.add(key)
            yield from _duplicate_keys(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, index))


def _node_clause(node: yaml.MappingNode) -> str | None:
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == "clause" and isinstance(value_node, yaml.ScalarNode):
            return value_node.value if value_node.value.startswith("§") else None
    return None


# From pydantic's errors to the protocol's words --------------------------------------------------

def describe_validation_error(error: ValidationError, data: dict) -> list[DefinitionProblem]:
    problems: list[DefinitionProblem] = []
    for item in error.errors():
        location = tuple(item["loc"])
        rule_problems: list[RuleProblem] = (item.get("ctx") or {}).get("problems", [])
        if rule_problems:
            problems += [_problem((*location, *rule.path), rule.message, rule.clause, data) for rule in rule_problems]
        else:
            problems.append(_problem(location, _message(item, location), None, data))
    return problems


def _problem(location: Location, message: str, clause: str | None, data: dict) -> DefinitionProblem:
    return DefinitionProblem(dotted(location), message, clause or nearest_clause(data, location))


def dotted(location: Location) -> str:
    """("directions", 0, "required_elements") -> "directions[0].required_elements"."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or FILE


def nearest_clause(data, location: Location) -> str | None:
    """The `clause` of the deepest object on the way to `location` that has one."""
    found, node = None, data
    for part in (None, *location):
        if part is not None:
            node = _child(node, part)
        if isinstance(node, dict) and str(node.get("clause", "")).startswith("§"):
            found = node["clause"]
        if node is None:
            break
    return found


def _child(node, part):
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


PLAIN_MESSAGES = {
    "missing": "is required",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "date_type": "must be a date such as 2020-05-13",
    "date_parsing": "must be a date such as 2020-05-13",
    "date_from_datetime_parsing": "must be a date such as 2020-05-13",
}


def _message(item: dict, location: Location) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        allowed = allowed_keys(location[:-1])
        return "is not a key the protocol schema knows" + (f"; the keys here are: {', '.join(allowed)}" if allowed else "")
    if kind == "literal_error":
        return f"must be one of: {item['ctx']['expected']}"
    return PLAIN_MESSAGES.get(kind, item["msg"][:1].lower() + item["msg"][1:])


def allowed_keys(location: Location) -> list[str]:
    """The field names of the model found at `location`, following the schema's annotations."""
    annotation: object = ProtocolDefinition
    for part in location:
        model = _model_in(annotation)
        if model is not None and isinstance(part, str):
            field = model.model_fields.get(part)
            annotation = field.annotation if field else None
        else:
            annotation = _item_type(annotation)
    model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        models = [arg for arg in typing.get_args(annotation) if _model_in(arg)]
        return models[0] if models else None
    return None


def _item_type(annotation):
    arguments = typing.get_args(annotation)
    return arguments[-1] if typing.get_origin(annotation) in (list, dict) and arguments else None
