"""`argmap new`: the starter map is valid under --strict, shows and explains every field, and
never overwrites a file unasked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from argmap.errors import UsageError
from argmap.load import read_map
from argmap.model import ArgMap, Claim, Evidence, Rebuttal, Source, Speaker
from argmap.pipeline import check
from argmap.schema import schema_text
from argmap.starter import MAP_TEXT, SOURCE_FILE, SOURCE_TEXT, write_starter


def test_starter_passes_strict_check(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    written = write_starter(path)
    assert written == [path, tmp_path / SOURCE_FILE, tmp_path / "claims.schema.json"]
    valid = check(path, strict=True)
    assert valid.warnings == []
    assert valid.argmap.sources[0].file == SOURCE_FILE
    assert (tmp_path / SOURCE_FILE).read_text(encoding="utf-8") == SOURCE_TEXT


def test_starter_shows_every_field_of_the_format(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    write_starter(path)
    data = read_map(path).data
    assert isinstance(data, dict)
    assert set(data) == set(ArgMap.model_fields)
    first = {section: data[section][0] for section in ("sources", "speakers", "claims")}
    assert set(first["sources"]) == set(Source.model_fields)
    assert set(first["speakers"]) == set(Speaker.model_fields)
    assert set(first["claims"]) == set(Claim.model_fields)
    assert set(data["rebuttals"][0]) == set(Rebuttal.model_fields)
    assert set(data["evidence"][0]) == set(Evidence.model_fields)


def test_every_field_is_explained_where_it_first_appears() -> None:
    lines = MAP_TEXT.splitlines()
    fields = {
        f
        for model in (ArgMap, Source, Speaker, Claim, Rebuttal, Evidence)
        for f in model.model_fields
    }
    for field in fields:
        at = next(i for i, line in enumerate(lines) if re.match(rf"\s*(- )?{field}:", line))
        assert "#" in lines[at] or lines[at - 1].lstrip().startswith("#"), field


def test_starter_is_valid_against_the_json_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    path = tmp_path / "claims.yaml"
    write_starter(path)
    schema = (tmp_path / "claims.schema.json").read_text(encoding="utf-8")
    assert schema == schema_text()
    validator = jsonschema.Draft202012Validator(jsonschema.validators.json.loads(schema))
    assert [e.message for e in validator.iter_errors(read_map(path).data)] == []


def test_refuses_to_overwrite_a_map(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"already exists.*--force") as raised:
        write_starter(path)
    assert int(raised.value.exit) == 2
    assert path.read_text(encoding="utf-8") == "title: mine\n"
    assert not (tmp_path / SOURCE_FILE).exists()
    write_starter(path, force=True)
    assert path.read_text(encoding="utf-8") == MAP_TEXT


def test_refuses_a_different_source_file_but_reuses_the_same(tmp_path: Path) -> None:
    source = tmp_path / SOURCE_FILE
    source.parent.mkdir()
    source.write_text("my own minutes\n", encoding="utf-8")
    with pytest.raises(UsageError, match="other text"):
        write_starter(tmp_path / "claims.yaml")
    assert not (tmp_path / "claims.yaml").exists()
    source.write_text(SOURCE_TEXT, encoding="utf-8")
    assert source in write_starter(tmp_path / "claims.yaml")


def test_keeps_an_existing_schema_and_writes_into_new_folders(tmp_path: Path) -> None:
    (tmp_path / "claims.schema.json").write_text("{}\n", encoding="utf-8")
    assert tmp_path / "claims.schema.json" not in write_starter(tmp_path / "claims.yaml")
    assert (tmp_path / "claims.schema.json").read_text(encoding="utf-8") == "{}\n"
    deep = tmp_path / "a" / "b" / "debate.yaml"
    write_starter(deep)
    check(deep, strict=True)


def test_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        write_starter(tmp_path)
