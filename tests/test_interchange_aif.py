"""AIF: export then import keeps every map (the seed, tests/cases, the valid hostile maps, a
map of hostile texts, random maps); without argmap's own `argmap` object (as an AIF tool would
keep it) points, texts, relations, speakers' names, quotes and standings still come back, and
only the documented losses happen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from argmap.evaluate import evaluate
from argmap.interchange.aif import FILE_SOURCE, read_aif, read_xaif
from argmap.interchange.aif_out import to_aif, to_xaif
from argmap.interchange.aif_speech import DIALOGUE_SOURCE
from argmap.interchange.convert import to_map
from argmap.model import ArgMap


def _helpers() -> Any:
    path = Path(__file__).resolve().parent / "interchange" / "maps.py"
    spec = importlib.util.spec_from_file_location("argmap_test_interchange_maps_aif", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = _helpers()
MAPS = {**H.repository_maps(), "argdown-hostile": H.hostile_map()}
ROUND = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


def round_trip(m: ArgMap, tmp: Path, *, keep_meta: bool = True) -> Any:
    doc = json.loads(to_aif(m))
    if not keep_meta:
        del doc["argmap"]
    return to_map(read_aif(json.dumps(doc), "m.json"), tmp / "claims.yaml")


@pytest.mark.parametrize("name", sorted(MAPS))
def test_aif_round_trip(name: str, tmp_path: Path) -> None:
    imported = round_trip(MAPS[name], tmp_path)
    assert H.comparable(imported.valid.argmap) == H.comparable(MAPS[name])
    assert {loss.noun for loss in imported.losses} <= {"source file"}


@ROUND
@given(m=H.random_maps())
def test_aif_round_trip_random(m: ArgMap, tmp_path_factory: pytest.TempPathFactory) -> None:
    imported = round_trip(m, tmp_path_factory.mktemp("aif"))
    assert H.comparable(imported.valid.argmap) == H.comparable(m)
    assert imported.losses == []


RIVAL_THESES = {"case-cycles": {"p", "q", "r"}}


@pytest.mark.parametrize("name", sorted(MAPS))
def test_aif_without_argmaps_object_keeps_the_argument(name: str, tmp_path: Path) -> None:
    """What plain AIF carries: I-nodes with their ids and texts, CA and RA relations, and for
    each point with a speaker or a quote an L-node; the speaker is known by name, the quote's
    source becomes the AIF file itself. Title, tags, kinds and sources' details are lost."""
    m = MAPS[name]
    back = round_trip(m, tmp_path, keep_meta=False).valid.argmap
    rivals = RIVAL_THESES.get(name, set())
    order = [s.id for s in m.claims] + sorted(rivals, key=[s.id for s in m.statements()].index)
    assert [s.id for s in back.statements()] == [
        *order,
        *(s.id for s in m.statements() if s.id not in order),
    ]
    assert {s.id: s.text for s in back.statements()} == {s.id: s.text for s in m.statements()}
    # Plain AIF does not say what a point is: a closed cycle of conflicts (points that rebut
    # only each other, like the cycles case's p, q, r) reads as rival theses, claims.
    assert {c.id for c in back.claims} == {c.id for c in m.claims} | rivals
    assert {s.id: s.rebuts or [] for s in back.statements()} == {
        s.id: s.rebuts or [] for s in m.statements()
    }
    assert [(r.id, r.rebuts) for r in back.rebuttals] == [
        (r.id, r.rebuts) for r in m.rebuttals if r.id not in rivals
    ]
    assert [(e.id, e.supports) for e in back.evidence] == [(e.id, e.supports) for e in m.evidence]
    names = {s.id: s.name for s in m.speakers}
    back_names = {s.id: s.name for s in back.speakers}
    same = {s.id: s for s in back.statements()}
    for a, b in ((a, same[a.id]) for a in m.statements()):
        assert (back_names.get(b.by) if b.by else None) == (names.get(a.by) if a.by else None)
        assert b.quote == (a.quote if a.quote is not None else (a.text if a.by else None))
        assert b.source == (FILE_SOURCE if b.quote is not None else None)
    standings = {k: v.standing for k, v in evaluate(m).verdicts.items()}
    assert {k: v.standing for k, v in evaluate(back).verdicts.items()} == standings


@pytest.mark.parametrize("name", sorted(MAPS))
def test_xaif_round_trip(name: str, tmp_path: Path) -> None:
    """xAIF written by argmap and read back by its own reader: the same map."""
    imported = to_map(read_xaif(to_xaif(MAPS[name]), "m.json"), tmp_path / "claims.yaml")
    assert H.comparable(imported.valid.argmap) == H.comparable(MAPS[name])
    assert {loss.noun for loss in imported.losses} <= {"source file"}


@ROUND
@given(m=H.random_maps())
def test_xaif_round_trip_random(m: ArgMap, tmp_path_factory: pytest.TempPathFactory) -> None:
    imported = to_map(read_xaif(to_xaif(m), "m.json"), tmp_path_factory.mktemp("x") / "c.yaml")
    assert H.comparable(imported.valid.argmap) == H.comparable(m)
    assert imported.losses == []


def test_xaif_without_argmaps_object_checks_quotes_in_its_text(tmp_path: Path) -> None:
    """As an xAIF tool would keep it (no `argmap` object): the seed's quotes are found in the
    text (its source file), which the import writes beside the map as the quotes' source."""
    root = Path(__file__).resolve().parent.parent
    m = MAPS["seed"]
    doc = json.loads(to_xaif(m, root))
    del doc["argmap"]
    imported = to_map(read_xaif(json.dumps(doc), "seed.json"), tmp_path / "claims.yaml")
    back = imported.valid.argmap
    quoted = [s for s in back.statements() if s.quote is not None]
    assert quoted and all(s.source == DIALOGUE_SOURCE for s in quoted)
    assert list(imported.files.values()) == [doc["text"]]
    assert [(r.id, r.rebuts) for r in back.rebuttals] == [(r.id, r.rebuts) for r in m.rebuttals]


SHAPED = H.shaped_maps()


def _relations(m: ArgMap) -> dict[str, tuple[list[str], list[str], list[tuple[str, str]]]]:
    """Each point's rebuttals, supports and undercut links, whatever section it is in."""
    return {
        s.id: (
            list(getattr(s, "rebuts", None) or ()),
            list(getattr(s, "supports", None) or ()),
            [(u.from_, u.to) for u in getattr(s, "undercuts", None) or ()],
        )
        for s in m.statements()
    }


def _default_standings(m: ArgMap) -> dict[str, str]:
    plain = m.model_copy(update={"judgement": m.judgement.model_copy(update={"attacks": "all"})})
    return {k: v.standing for k, v in evaluate(plain).verdicts.items()}


@pytest.mark.parametrize("name", sorted(SHAPED))
def test_aif_and_xaif_round_trip_keep_undercuts_and_shapes(name: str, tmp_path: Path) -> None:
    """The example map (a rival thesis, a rebuttal that supports, an undercut): AIF and xAIF
    out and back give the same map, relations and standings."""
    m = SHAPED[name]
    assert any(getattr(s, "undercuts", None) for s in m.statements())
    for back in (
        round_trip(m, tmp_path),
        to_map(read_xaif(to_xaif(m), "m.json"), tmp_path / "x.yaml"),
    ):
        assert H.comparable(back.valid.argmap) == H.comparable(m)
        assert {loss.noun for loss in back.losses} <= {"source file"}


@ROUND
@given(m=H.random_shaped_maps())
def test_aif_round_trip_random_shapes(m: ArgMap, tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("aifs")
    imported = round_trip(m, tmp)
    assert H.comparable(imported.valid.argmap) == H.comparable(m)
    assert imported.losses == []
    imported = to_map(read_xaif(to_xaif(m), "m.json"), tmp / "x.yaml")
    assert H.comparable(imported.valid.argmap) == H.comparable(m)
    assert imported.losses == []


@settings(ROUND, max_examples=60)
@given(m=H.random_shaped_maps())
def test_plain_aif_keeps_undercuts_and_shapes(
    m: ArgMap, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without argmap's object, as another AIF tool keeps the file: every point's rebuttals
    (a CA node between I-nodes, also between claims), supports (RA) and undercuts (a CA node
    aimed at the link's CA or RA node) come back, and so do the default standings; only what
    a point is may change (a claim that rebuts is read as a rebuttal). (Without speakers: plain
    AIF names them by name only, and an id made from a name may push a point's id aside.)"""
    data = m.model_dump(by_alias=True, exclude_none=True)
    for section in ("claims", "rebuttals", "evidence"):
        for item in data[section]:
            item.pop("by", None)
    m = ArgMap.model_validate({**data, "speakers": []})
    back = round_trip(m, tmp_path_factory.mktemp("plain"), keep_meta=False)
    assert _relations(back.valid.argmap) == _relations(m)
    assert _default_standings(back.valid.argmap) == _default_standings(m)
    assert not [loss for loss in back.losses if "undercut" in loss.noun]


def test_an_aif_undercut_of_an_undercut_is_reported(tmp_path: Path) -> None:
    """A CA node aimed at an undercut's CA node: argmap undercuts links, not undercuts; the
    loss report says so, and the first undercut is kept."""
    nodes = [
        {"nodeID": n, "text": t, "type": "I"}
        for n, t in (("1", "Close the street."), ("2", "Trade will fall."), ("3", "Off-season."))
    ]
    nodes += [{"nodeID": "4", "text": "Not a fact.", "type": "I"}]
    nodes += [{"nodeID": c, "text": "Default Conflict", "type": "CA"} for c in ("10", "11", "12")]
    edges = [("2", "10"), ("10", "1"), ("3", "11"), ("11", "10"), ("4", "12"), ("12", "11")]
    doc = {
        "nodes": nodes,
        "edges": [{"edgeID": i, "fromID": a, "toID": b} for i, (a, b) in enumerate(edges)],
    }
    back = to_map(read_aif(json.dumps(doc), "u.json"), tmp_path / "claims.yaml")
    cut = {r.id: [(u.from_, u.to) for u in r.undercuts or ()] for r in back.valid.argmap.rebuttals}
    assert cut == {"2": [], "3": [("2", "1")]}
    assert [(loss.noun, loss.places[0].node) for loss in back.losses] == [
        ("undercut of an undercut", "12")
    ]
    # "4" attacks nothing argmap keeps, so it is a claim of its own
    assert [c.id for c in back.valid.argmap.claims] == ["1", "4"]
