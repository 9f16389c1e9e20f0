"""argmap.schema.json, the JSON Schema of the JSON export (format argmap/1): generated from the
models that shape the export, committed up to date, and met by real exports."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.render.export import export_schema, export_schema_text, to_json

jsonschema = pytest.importorskip("jsonschema")
ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "argmap.schema.json"


def _helpers() -> Any:
    path = Path(__file__).resolve().parent / "interchange" / "maps.py"
    spec = importlib.util.spec_from_file_location("argmap_test_export_schema_maps", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = _helpers()
VALIDATOR = jsonschema.Draft202012Validator(export_schema())


def test_committed_export_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == export_schema_text(), (
        "argmap.schema.json is stale: the export's models in argmap/render/export.py changed. "
        "Run `argmap schema --export -o argmap.schema.json` and commit the result."
    )


def test_the_schema_is_a_valid_schema_that_forbids_unknown_keys() -> None:
    jsonschema.Draft202012Validator.check_schema(export_schema())
    doc = json.loads(to_json(H.hostile_map(), evaluate(H.hostile_map())))
    VALIDATOR.validate(doc)
    doc["nodes"][0]["surprise"] = 1
    assert not VALIDATOR.is_valid(doc)
    del doc["nodes"][0]["surprise"]
    doc["nodes"][0]["standing"] = "maybe"
    assert not VALIDATOR.is_valid(doc)


@pytest.mark.parametrize("name", sorted(H.repository_maps()))
def test_every_repository_export_meets_the_schema(name: str) -> None:
    m = H.repository_maps()[name]
    VALIDATOR.validate(json.loads(to_json(m, evaluate(m))))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(m=H.random_maps())
def test_random_exports_meet_the_schema(m: ArgMap) -> None:
    doc = json.loads(to_json(m, evaluate(m)))
    VALIDATOR.validate(doc)
    evidence = {e.id for e in m.evidence}
    assert all(("evidence_kind" in n) == (n["id"] in evidence) for n in doc["nodes"])


@pytest.mark.parametrize("name", ["seed", "case-cycles", "case-reinstatement"])
def test_exports_with_pivotal_points_meet_the_schema(name: str) -> None:
    from argmap.evaluate.pivotal import analyse

    m = H.repository_maps()[name]
    doc = json.loads(to_json(m, evaluate(m), analyse(m)))
    VALIDATOR.validate(doc)
    claims = {c.id for c in m.claims}
    assert all(("pivotal" in n) == (n["id"] in claims) for n in doc["nodes"])
