"""The Argdown export, judged by the real Argdown parser (`argdown json`, from npm), and read
back by `argmap import`: the seed map, every tests/cases map, the valid hostile maps, a map of
every Argdown-hostile text and random maps keep their points, texts, relations, speakers,
quotes and standings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from argmap.interchange.argdown_in import read_argdown
from argmap.interchange.argdown_out import canonical, is_canonical, to_argdown
from argmap.interchange.convert import to_map
from argmap.model import ArgMap, Evidence, Rebuttal


def _helpers() -> Any:
    path = Path(__file__).resolve().parent / "interchange" / "maps.py"
    spec = importlib.util.spec_from_file_location("argmap_test_interchange_maps", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = _helpers()
JUDGED = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
ROUND = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


def all_maps() -> dict[str, ArgMap]:
    return {**H.repository_maps(), "argdown-hostile": H.hostile_map()}


def assert_judged(m: ArgMap, j: dict[str, Any]) -> None:
    """What `argdown json` read from the export is the map: the same statements (claims and
    evidence), arguments (rebuttals), texts, data, tags and relations."""
    statements, arguments = j["statements"], j.get("arguments", {})
    rebuttal_ids = {r.id for r in m.rebuttals}
    assert set(arguments) == rebuttal_ids
    assert set(statements) == {s.id for s in m.statements()} - rebuttal_ids
    for item in m.statements():
        element = arguments[item.id] if isinstance(item, Rebuttal) else statements[item.id]
        defining = [mb for mb in element["members"] if mb.get("text", "").strip()]
        assert len(defining) == 1, (item.id, element["members"])
        shown = canonical(item.text) + "".join(f" #{t}" for t in item.tags)
        assert defining[0]["text"].rstrip() == shown, item.id
        assert element.get("tags", []) == list(item.tags)
        want = {
            "kind": item.kind if isinstance(item, Evidence) else None,
            "by": item.by,
            "quote": item.quote,
            "source": item.source,
            "text": None if is_canonical(item.text) else item.text,
        }
        assert element.get("data", {}) == {k: v for k, v in want.items() if v is not None}
    relations = {(r["from"], r["to"], r["relationType"]) for r in j["relations"]}
    expected = {(r.id, t, "attack") for r in m.rebuttals for t in r.rebuts}
    expected |= {(e.id, t, "support") for e in m.evidence for t in e.supports}
    assert relations == expected


def assert_round_trip(m: ArgMap, tmp: Path, name: str) -> None:
    """Export, import with argmap's own Argdown reader: the same map, and no loss but the
    sources' files (which mean nothing once the map moves)."""
    imported = to_map(read_argdown(to_argdown(m), f"{name}.argdown"), tmp / "claims.yaml")
    assert H.comparable(imported.valid.argmap) == H.comparable(m)
    assert {loss.noun for loss in imported.losses} <= {"source file"}
    assert imported.renamed == {}


@pytest.mark.argdown
def test_argdown_reads_every_export_as_the_map(argdown_json: Any) -> None:
    maps = all_maps()
    judged = argdown_json({name: to_argdown(m) for name, m in maps.items()})
    for name, m in maps.items():
        try:
            assert_judged(m, judged[name])
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from e


@pytest.mark.argdown
@JUDGED
@given(maps=H.st.lists(H.random_maps(), min_size=6, max_size=6))
def test_argdown_reads_random_exports_as_the_map(argdown_json: Any, maps: list[ArgMap]) -> None:
    judged = argdown_json({f"m{i}": to_argdown(m) for i, m in enumerate(maps)})
    for i, m in enumerate(maps):
        assert_judged(m, judged[f"m{i}"])


@pytest.mark.parametrize("name", sorted(all_maps()))
def test_argdown_round_trip(name: str, tmp_path: Path) -> None:
    assert_round_trip(all_maps()[name], tmp_path, name)


@ROUND
@given(m=H.random_maps())
def test_argdown_round_trip_random(m: ArgMap, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert_round_trip(m, tmp_path_factory.mktemp("rt"), "random")


def test_the_export_is_deterministic() -> None:
    m = H.hostile_map()
    assert to_argdown(m) == to_argdown(ArgMap.model_validate(m.model_dump()))


@pytest.mark.argdown
def test_argmaps_argdown_reader_agrees_with_argdown(argdown_json: Any, tmp_path: Path) -> None:
    """The foreign Argdown file read by argmap (no Node) and by Argdown itself (`argdown json`,
    then `--from argdown-json`): the same points with the same texts and relations, apart from
    the premise-conclusion structure only Argdown reads. The committed argdown-json fixture is
    what the real parser writes today."""
    from argmap.interchange.argdown_json import read_argdown_json

    source = Path(__file__).resolve().parent / "interchange" / "nuclear.argdown"
    fresh = argdown_json({"nuclear": source.read_text(encoding="utf-8")})["nuclear"]
    committed = json.loads(source.with_name("nuclear.argdown.json").read_text(encoding="utf-8"))
    for key in ("statements", "arguments", "relations"):
        assert fresh[key] == committed[key], key
    ours = to_map(read_argdown(source.read_text(encoding="utf-8"), "n"), tmp_path / "a.yaml")
    theirs = to_map(read_argdown_json(json.dumps(fresh), "n"), tmp_path / "b.yaml")

    def shape(m: ArgMap) -> set[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
        return {
            (
                s.id,
                s.text,
                tuple(getattr(s, "rebuts", None) or ()),
                tuple(getattr(s, "supports", None) or ()),
            )
            for s in m.statements()
            if not s.id.startswith("untitled")
        }

    assert shape(ours.valid.argmap) == shape(theirs.valid.argmap)
