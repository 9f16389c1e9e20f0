"""The JSON Schema: generated from the models, committed up to date, and agreeing with argmap
on what a map may hold (for what a schema can express)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from argmap.errors import InvalidMap
from argmap.load import parse
from argmap.schema import json_schema, schema_text
from argmap.validate import validate

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "claims.yaml"
COMMITTED = ROOT / "claims.schema.json"
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return data


def validators() -> Iterator[Any]:
    """The 2020-12 validator the schema names, and draft-07, which many editors still use."""
    yield jsonschema.Draft202012Validator(json_schema())
    yield jsonschema.Draft7Validator(json_schema())


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "claims.schema.json is stale: the models in argmap/model.py changed. "
        "Run `argmap schema -o claims.schema.json` and commit the result."
    )


def test_schema_text_is_deterministic_and_ends_with_a_newline() -> None:
    text = schema_text()
    assert text == schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == json_schema()


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    assert schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


def _fields(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, model in [("ArgMap", schema), *schema["$defs"].items()]:
        for field, spec in model["properties"].items():
            yield f"{name}.{field}", spec


def test_every_field_has_a_title_a_description_and_examples() -> None:
    schema = json_schema()
    for model in schema["$defs"].values():
        assert model.get("description"), model["title"]
    for where, spec in _fields(schema):
        assert spec.get("title"), where
        assert spec.get("description"), where
        assert spec.get("examples"), where


def test_field_examples_are_valid_values() -> None:
    schema = json_schema()
    for where, spec in _fields(schema):
        sub = {"$defs": schema["$defs"], **spec}
        for example in spec["examples"]:
            assert jsonschema.Draft202012Validator(sub).is_valid(example), (where, example)


def test_seed_map_is_valid(seed: dict[str, Any]) -> None:
    for validator in validators():
        errors = [e.message for e in validator.iter_errors(seed)]
        assert errors == [], errors


def test_one_id_or_a_list_and_a_year_as_a_number_are_valid(seed: dict[str, Any]) -> None:
    data = copy.deepcopy(seed)
    data["rebuttals"][0]["rebuts"] = "partners-put-off"
    data["evidence"][0]["supports"] = ["partners-put-off", "replaces-all"]
    data["sources"][0]["date"] = 2007
    data["sources"][0]["url"] = "https://example.org/a?b=c"
    for validator in validators():
        assert validator.is_valid(data)


def _set(section: str, field: str, value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data[section][0][field] = value

    return edit


def _drop(section: str, field: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        del data[section][0][field]

    return edit


def _top(field: str, value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data[field] = value

    return edit


INVALID: list[tuple[str, Edit]] = [
    ("unknown field", _set("claims", "rebutts", "x")),
    ("unknown top-level field", _top("claim", [])),
    ("missing text", _drop("claims", "text")),
    ("missing title", lambda d: d.pop("title")),
    ("missing rebuts", _drop("rebuttals", "rebuts")),
    ("bad id pattern", _set("claims", "id", "Not An Id")),
    ("id too long", _set("speakers", "id", "a" * 65)),
    ("bad id in a list", _set("evidence", "supports", ["ok", "Bad!"])),
    ("empty list of targets", _set("rebuttals", "rebuts", [])),
    ("text: true", _set("claims", "text", True)),
    ("text: a number", _set("claims", "text", 12)),
    ("blank text", _set("claims", "text", "   ")),
    ("url javascript:", _set("sources", "url", "javascript:x")),
    ("url without a host", _set("sources", "url", "https://")),
    ("kind not in the list", _set("evidence", "kind", "anecdote")),
    ("bad date", _set("sources", "date", "2007-13")),
    ("year out of range", _set("sources", "date", 99999)),
    ("date: true", _set("sources", "date", True)),
    ("version 2", _top("version", 2)),
    ("no claims", _top("claims", [])),
    ("tags as text", _set("claims", "tags", "market")),
]


@pytest.mark.parametrize(("case", "edit"), INVALID, ids=[case for case, _ in INVALID])
def test_schema_rejects_what_argmap_rejects(seed: dict[str, Any], case: str, edit: Edit) -> None:
    data = copy.deepcopy(seed)
    edit(data)
    for validator in validators():
        assert not validator.is_valid(data), f"{validator.__class__.__name__} accepted: {case}"
    with pytest.raises(InvalidMap):  # and argmap agrees, so the schema is not stricter by mistake
        validate(parse(yaml.safe_dump(data), "claims.yaml", SEED))
