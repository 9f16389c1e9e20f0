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
from hypothesis import HealthCheck, Phase, given, settings

from argmap.evaluate import evaluate
from argmap.interchange.argdown_in import read_argdown
from argmap.interchange.argdown_out import canonical, is_canonical, to_argdown
from argmap.interchange.convert import to_map
from argmap.model import ArgMap, Claim, Evidence, Judgement, Link, Rebuttal


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
    return {**H.repository_maps(), **H.shaped_maps(), "argdown-hostile": H.hostile_map()}


def assert_judged(m: ArgMap, j: dict[str, Any]) -> None:
    """What `argdown json` read from the export is the map: the same statements (claims and
    evidence), arguments (rebuttals), texts, data, tags and relations."""
    statements, arguments = j["statements"], j.get("arguments", {})
    rebuttal_ids = {r.id for r in m.rebuttals}
    assert set(arguments) == rebuttal_ids
    assert set(statements) == {s.id for s in m.statements()} - rebuttal_ids
    first = next(iter(m.statements()))
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
            "reported_by": item.reported_by,
            "paraphrase": True if item.paraphrase else None,
            "weight": item.weight,
            "role": "claim" if isinstance(item, Claim) and (item.rebuts or item.supports) else None,
            # (the front matter is not in the JSON: the first point carries the judgement)
            "judgement": {"attacks": "weighed"}
            if item is first and m.judgement.attacks == "weighed"
            else None,
        }
        data = dict(element.get("data", {}))
        data.pop("undercuts", None)  # (judged with the relations, below)
        assert data == {k: v for k, v in want.items() if v is not None}
    relations = {(r["from"], r["to"], r["relationType"]) for r in j["relations"]}
    expected = {(s.id, t, "attack") for s in m.statements() for t in s.rebuts or ()}
    expected |= {(s.id, t, "support") for s in m.statements() for t in s.supports or ()}
    expected |= {(s.id, u.from_, "undercut") for s in m.statements() for u in _cuts(s)}
    assert relations == expected
    assert _undercuts_read(j) == {
        s.id: [(u.from_, u.to) for u in _cuts(s)] for s in m.statements() if _cuts(s)
    }


def _cuts(item: Claim | Rebuttal | Evidence) -> list[Link]:
    return list(getattr(item, "undercuts", None) or ())


def _undercuts_read(j: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The links each point undercuts, as Argdown's reading of the export says: `U _> A`
    undercuts A's inference, every link of A (A's attacks and supports in the order Argdown
    lists them), unless U's data lists the links it undercuts."""
    relations = j["relations"]
    out: dict[str, list[tuple[str, str]]] = {}
    elements = {**j["statements"], **j.get("arguments", {})}
    for u in elements:
        cut = [r["to"] for r in relations if r["from"] == u and r["relationType"] == "undercut"]
        listed = elements[u].get("data", {}).get("undercuts")
        if listed is not None:  # (in the data's order)
            out[u] = [(x["from"], x["to"]) for x in listed if x["from"] in cut]
            continue
        for a in cut:
            links = [
                r["to"]
                for r in relations
                if r["from"] == a and r["relationType"] in ("attack", "support")
            ]
            out.setdefault(u, []).extend((a, t) for t in dict.fromkeys(links))
    return out


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


@pytest.mark.argdown
@settings(JUDGED, max_examples=6, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(maps=H.st.lists(H.random_shaped_maps(), min_size=8, max_size=8))
def test_argdown_reads_random_shaped_exports_as_the_map(
    argdown_json: Any, maps: list[ArgMap]
) -> None:
    """Claims that rebut and support, evidence that rebuts, rebuttals that support, undercuts
    (whole and partial), weights: Argdown's parser reads back exactly the map's relations."""
    judged = argdown_json({f"s{i}": to_argdown(m) for i, m in enumerate(maps)})
    for i, m in enumerate(maps):
        assert_judged(m, judged[f"s{i}"])


@pytest.mark.parametrize("name", sorted(all_maps()))
def test_argdown_round_trip(name: str, tmp_path: Path) -> None:
    assert_round_trip(all_maps()[name], tmp_path, name)


@ROUND
@given(m=H.random_maps())
def test_argdown_round_trip_random(m: ArgMap, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert_round_trip(m, tmp_path_factory.mktemp("rt"), "random")


@ROUND
@given(m=H.random_shaped_maps())
def test_argdown_round_trip_random_shapes(
    m: ArgMap, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Export then import keeps every relation, undercut, weight and standing."""
    assert_round_trip(m, tmp_path_factory.mktemp("rt"), "shaped")


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


@pytest.mark.argdown
def test_argdown_json_of_the_export_imports_with_its_undercuts(
    argdown_json: Any, tmp_path: Path
) -> None:
    """The real parser's JSON of the example's export (`argdown json`, then `--from
    argdown-json`): the same rebuttals, supports and undercuts, and the same standings."""
    from argmap.interchange.argdown_json import read_argdown_json

    for name, m in H.shaped_maps().items():
        j = argdown_json({name: to_argdown(m)})[name]
        back = to_map(read_argdown_json(json.dumps(j), name), tmp_path / f"{name}.yaml")
        got = back.valid.argmap
        assert _shape(got) == _shape(m)
        assert H.comparable(got)["standings"] == H.comparable(m)["standings"]


@pytest.mark.argdown
def test_argdown_json_of_a_weighed_export_keeps_its_judgement(
    argdown_json: Any, tmp_path: Path
) -> None:
    """`argdown json` keeps no front matter; a weighed map's judgement still comes back (the
    first point's data carries it), and with it the same standings, outweighed links and all."""
    from argmap.interchange.argdown_json import read_argdown_json

    maps = {
        name: m.model_copy(update={"judgement": Judgement(attacks="weighed")})
        for name, m in {**H.shaped_maps(), "seed": H.repository_maps()["seed"]}.items()
    }
    judged = argdown_json({name: to_argdown(m) for name, m in maps.items()})
    for name, m in maps.items():
        assert "front" not in json.dumps(judged[name]).lower()  # (no front matter in it)
        back = to_map(read_argdown_json(json.dumps(judged[name]), name), tmp_path / f"{name}.yaml")
        got = back.valid.argmap
        assert got.judgement.attacks == "weighed", name
        want = evaluate(m)
        assert any(v.outweighed for v in want.verdicts.values()), name  # (weighing tells)
        assert {k: (v.standing, v.outweighed) for k, v in evaluate(got).verdicts.items()} == {
            k: (v.standing, v.outweighed) for k, v in want.verdicts.items()
        }, name


def test_a_points_judgement_never_overrides_the_front_matter(tmp_path: Path) -> None:
    """The first point's `judgement` is read when the front matter has none; one that
    disagrees with the front matter's is reported, and the front matter's kept."""
    body = '[A]: A is so. {"judgement": {"attacks": "weighed"}}\n\n<B>: B is not.\n  - [A]\n'
    alone = to_map(read_argdown(body, "a.argdown"), tmp_path / "a.yaml")
    assert alone.valid.argmap.judgement.attacks == "weighed"
    assert alone.losses == []
    front = '===\nargmap:\n  judgement: {"attacks": "all"}\n===\n\n'
    both = to_map(read_argdown(front + body, "b.argdown"), tmp_path / "b.yaml")
    assert both.valid.argmap.judgement.attacks == "all"
    assert [loss.noun for loss in both.losses] == [
        "judgement that disagrees with the front matter's"
    ]


def _shape(m: ArgMap) -> dict[str, tuple[list[str], list[str], list[tuple[str, str]]]]:
    return {
        s.id: (list(s.rebuts or ()), list(s.supports or ()), [(u.from_, u.to) for u in _cuts(s)])
        for s in m.statements()
    }


def test_a_foreign_argdown_undercut_attacks_every_link_of_the_argument(tmp_path: Path) -> None:
    """`<u> _> <a>` where `a` rebuts two points: `u` undercuts both links (Argdown's undercut
    is an attack on `a`'s inference), `a` keeps its standing, both its targets stand."""
    text = (
        "[Close]: Close the street.\n\n[Trial]: Run a trial first.\n\n"
        "<Trade>: Trade will fall.\n  -> [Close]\n  -> [Trial]\n\n"
        "<Winter>: The figures are from winter.\n  _> <Trade>\n"
    )
    back = to_map(read_argdown(text, "u.argdown"), tmp_path / "claims.yaml")
    m = back.valid.argmap
    assert back.losses == []
    assert {r.id: [(u.from_, u.to) for u in r.undercuts or ()] for r in m.rebuttals} == {
        "trade": [],
        "winter": [("trade", "close"), ("trade", "trial")],
    }
    standings = {k: v.standing for k, v in evaluate(m).verdicts.items()}
    assert standings == dict.fromkeys(("close", "trial", "trade", "winter"), "stands")


THREE_THESES = (
    "[Trams]: The town should build trams.\n  -> [Buses]\n\n"
    "[Buses]: The town should run more buses.\n  -> [Bikes]\n\n"
    "[Bikes]: The town should build bicycle lanes.\n  -> [Trams]\n\n"
    "<Slow>: Trams are slow in old streets.\n  -> [Trams]\n"
)


def _three_theses_hold(m: ArgMap) -> None:
    assert {c.id: c.rebuts for c in m.claims} == {
        "trams": ["buses"],
        "buses": ["bikes"],
        "bikes": ["trams"],
    }
    assert {r.id: r.rebuts for r in m.rebuttals} == {"slow": ["trams"]}
    ev = evaluate(m)  # 'slow' defeats trams, so buses stand, so bikes fall
    assert [ev[k].standing for k in ("trams", "buses", "bikes")] == [
        "defeated",
        "stands",
        "defeated",
    ]


def test_a_foreign_argdown_cycle_of_theses_stays_claims(tmp_path: Path) -> None:
    """Three statements that each attack the next (rival theses) stay claims that rebut claims;
    an argument against one of them is a rebuttal."""
    back = to_map(read_argdown(THREE_THESES, "t.argdown"), tmp_path / "claims.yaml")
    assert back.losses == []
    _three_theses_hold(back.valid.argmap)


@pytest.mark.argdown
def test_argdown_json_of_a_cycle_of_theses_stays_claims(argdown_json: Any, tmp_path: Path) -> None:
    from argmap.interchange.argdown_json import read_argdown_json

    j = argdown_json({"t": THREE_THESES})["t"]
    back = to_map(read_argdown_json(json.dumps(j), "t.json"), tmp_path / "claims.yaml")
    _three_theses_hold(back.valid.argmap)
