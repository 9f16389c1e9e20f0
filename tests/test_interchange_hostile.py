"""Imported files are untrusted input (issue 18): what a foreign file says is data, never YAML
syntax, and a value the map would refuse is dropped or renamed and reported, never a crash
(exit 70). Each case is rebuilt here from its description and run through the real CLI; the
property test writes random drafts of hostile keys and values and reads them back."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.interchange.convert import to_map
from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.importer import import_file
from argmap.interchange.losses import Place, phrase
from argmap.load import MAX_BYTES, parse
from tests.conftest import run_argmap_process

AIF_NODES = [{"nodeID": "1", "text": "Tax sugar", "type": "I"}]


def argmap(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m argmap ARGS` in `cwd`: a process of its own, whose timeout stops a hang."""
    return run_argmap_process(*map(str, args), cwd=cwd, timeout=600)


def aif(meta: dict[str, Any], nodes: list[dict[str, Any]] | None = None) -> str:
    return json.dumps({"nodes": nodes or AIF_NODES, "edges": [], "argmap": meta})


CASES: list[tuple[str, str, str, str]] = [
    (
        "aif-unknown-field",
        "m.json",
        aif({"speakers": [{"id": "x", "name": "X", "colour": "red"}], "colour": "red"}),
        "dropped 1 speaker field argmap does not know: a speaker has id, name, role, org: "
        "speaker x: colour",
    ),
    (
        "aif-duplicate-speaker",
        "m.json",
        aif({"speakers": [{"id": "x", "name": "X"}, {"id": "x", "name": "Y"}]}),
        "dropped 1 second speaker with the same id",
    ),
    (
        "aif-bad-date",
        "m.json",
        aif({"sources": [{"id": "s", "title": "T", "date": "2024-13-45"}]}),
        "dropped 1 source date argmap would refuse: not a date",
    ),
    (
        "aif-javascript-url",
        "m.json",
        aif({"sources": [{"id": "s", "title": "T", "url": "javascript:alert(1)"}]}),
        "dropped 1 source url argmap would refuse: argmap keeps only http:// and https:// links",
    ),
    (
        "argdown-duplicate-speaker",
        "m.argdown",
        "===\nargmap:\n  speakers:\n    - {id: a, name: A}\n    - {id: a, name: B}\n===\n"
        "[x]: text {by: a}\n",
        "dropped 1 second speaker with the same id: points name a speaker by its id; the first "
        "with that id is kept: speaker a",
    ),
    (
        "aif-5000-digit-node-id",
        "m.json",
        '{"nodes": [{"nodeID": ' + "7" * 5000 + ', "text": "a", "type": "I"}], "edges": []}',
        "ids made from 1 name: " + "7" * 59 + "…",
    ),
    (
        "aif-lone-surrogate",
        "m.json",
        '{"nodes": [{"nodeID": "1", "text": "a \\udc00 b", "type": "I"}], "edges": []}',
        "replaced 1 lone surrogate with U+FFFD",
    ),
    (
        "aif-speaker-key-with-line-breaks",
        "m.json",
        aif({"speakers": [{"id": "x", "name": "X", "role\nevidence:\n  - id: planted": "r"}]}),
        "dropped 1 speaker field argmap does not know",
    ),
    (
        "argdown-speaker-key-with-yaml-syntax",
        "m.argdown",
        '===\nargmap:\n  speakers:\n    - {id: a, name: "!!python/object x", '
        '"&anchor org": "*alias"}\n===\n[x]: text {by: a}\n',
        "dropped 1 speaker field argmap does not know",
    ),
]


@pytest.mark.parametrize(("name", "file", "text", "said"), CASES, ids=[c[0] for c in CASES])
def test_hostile_foreign_values_are_dropped_and_reported(
    name: str, file: str, text: str, said: str, tmp_path: Path
) -> None:
    (tmp_path / file).write_text(text, encoding="utf-8")
    done = argmap("import", file, "-o", "claims.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert said in done.stdout, done.stdout
    if not said.startswith("ids made"):  # a long id is renamed (and listed), nothing lost
        assert "nothing was lost" not in done.stdout
    checked = argmap("check", "claims.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    written = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    for event in yaml.parse(written, Loader=yaml.SafeLoader):  # no tag, anchor or alias
        assert getattr(event, "anchor", None) is None, event
        assert getattr(event, "tag", None) in (None, "tag:yaml.org,2002:str"), event
        assert "planted" not in str(getattr(event, "value", ""))


def test_no_planted_item_loads_from_a_key_with_line_breaks(tmp_path: Path) -> None:
    meta = {"speakers": [{"id": "x\nevidence:\n  - id: planted", "name": "X"}]}
    (tmp_path / "m.json").write_text(aif(meta), encoding="utf-8")
    imported = import_file(tmp_path / "m.json", tmp_path / "claims.yaml")
    m = imported.valid.argmap
    assert m.evidence == [] and [s.name for s in m.speakers] == ["X"]


def _kialo(points: int) -> str:
    lines = ["Discussion Name:", "A big discussion", "", "1. Thesis:", "The thesis.", ""]
    numbers = ["1."]
    for n in range(points):
        parent = numbers[n // 3]
        number = f"{parent}{n % 3 + 1}."
        numbers.append(number)
        lines += [f"{number} {'Pro' if n % 2 else 'Con'}:", f"Point number {n} says this.", ""]
    return "\r\n".join(lines) + "\r\n"


def test_a_kialo_export_larger_than_a_map_is_cut_at_the_map_cap(tmp_path: Path) -> None:
    """A 2.2 MiB export once took 12.9 s of CPU and wrote a map `check` refused; now the import
    keeps the points that fit in file order, says so, and its map passes `check`."""
    text = _kialo(60_000)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8", newline="")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = argmap("import", "big.txt", "-o", "claims.yaml", cwd=tmp_path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # CPU time, never wall-clock: measured 2.8 s on a loaded machine (`scripts/bench_import.py
    # --cap-only`); issue 18 asks for at most 5 s at the cap, and this bound is 3x that
    assert cpu < 15, f"{cpu:.1f} s of CPU"
    assert (tmp_path / "claims.yaml").stat().st_size <= MAX_BYTES
    assert "points past the map cap: the file holds more than one map may (4 MiB" in done.stdout
    assert argmap("check", "claims.yaml", cwd=tmp_path).returncode == 0


def test_an_import_gives_the_cycle_collector_back_even_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import pauses Python's cycle collector (a third of its CPU near the map cap went to
    walking objects that live until it ends); it is on again after, whatever happened."""
    import gc

    from argmap.interchange import importer
    from argmap.interchange.losses import BadInput

    during: list[bool] = []
    real_build = importer.to_map  # type: ignore[attr-defined]

    def build_and_look(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.isenabled())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(importer, "to_map", build_and_look)

    (tmp_path / "ok.txt").write_text("Discussion Title: T\n\n1. A thesis.\n1.1. Pro: Yes.\n")
    (tmp_path / "bad.txt").write_text("Discussion Title: T\n\n1. A thesis.\n1.1. Yes.\n")
    assert gc.isenabled()
    import_file(tmp_path / "ok.txt", tmp_path / "claims.yaml", "kialo")
    assert gc.isenabled() and during == [False]
    with pytest.raises(BadInput):
        import_file(tmp_path / "bad.txt", tmp_path / "claims.yaml", "kialo")
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had it off keeps it off
        import_file(tmp_path / "ok.txt", tmp_path / "claims.yaml", "kialo")
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- property: random drafts of hostile keys and values load back as written -----------------

HOSTILE = st.sampled_from(
    [
        "\n",
        "a\nb",
        ": ",
        "- ",
        "&a",
        "*a",
        "!!python/object:os.system",
        "!tag",
        "? ",
        "{",
        "}",
        "[x]",
        "#",
        " #c",
        "'",
        '"',
        "\\",
        "\u2028",
        "\x85",
        "\ufeff",
        "\x00",
        "\x1b[31m",
        "\udc00",
        "---",
        "...",
        "%YAML 1.2",
        "yes",
        "null",
        "~",
        "0x1F",
        "1e3",
        "2007",
        "2024-13-45",
        "javascript:alert(1)",
        "https://example.org/",
        "<script>",
        "\t",
        " ",
        "é",
        "🎉",
        "id",
        "name",
        "title",
    ]
)
TEXT = st.lists(HOSTILE | st.text(max_size=6), min_size=1, max_size=4).map("".join)


@st.composite
def drafts(draw: st.DrawFn) -> Draft:
    d = Draft(file="x.json", fmt="aif", title=draw(TEXT), question=draw(TEXT), summary=draw(TEXT))
    for section, named in (("speakers", "name"), ("sources", "title")):
        for _ in range(draw(st.integers(0, 3))):
            item = {"id": draw(TEXT), named: draw(TEXT)}
            for _ in range(draw(st.integers(0, 2))):
                item[draw(TEXT)] = draw(TEXT)
            getattr(d, section).append(item)
    speakers = [s["id"] for s in d.speakers]
    sources = [s["id"] for s in d.sources]
    for n in range(draw(st.integers(1, 5))):
        key = f"p{n}:" + draw(TEXT)
        d.points[key] = Point(
            key=key,
            name=draw(TEXT),
            text=draw(TEXT),
            place=Place(node=str(n)),
            by=draw(st.sampled_from([None, *speakers])),
            quote=draw(st.none() | TEXT),
            source=draw(st.sampled_from([None, *sources])),
            tags=draw(st.lists(TEXT, max_size=2)),
            kind=draw(st.none() | TEXT),
        )
    keys = list(d.points)
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(keys)), draw(st.sampled_from(keys))
        (d.attacks if draw(st.booleans()) else d.supports).append(Edge(a, b, Place(node=a)))
    return d


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(d=drafts())
def test_random_hostile_drafts_load_back_as_written(
    d: Draft, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`build` checks that its text loads back as exactly the data it wrote (else ImportBug);
    here, also that the data is the draft's: every text, name and title as the file said it
    (a lone surrogate as U+FFFD), no item the draft did not hold."""
    tmp = tmp_path_factory.mktemp("hostile")
    fix = str.maketrans({chr(c): "\ufffd" for c in range(0xD800, 0xE000)})
    want_texts = [p.text for p in d.points.values()]
    want_names: dict[str, str] = {}
    for item in d.speakers:  # the first with an id is kept
        want_names.setdefault(str(item["id"]).translate(fix), item["name"])
    imported = to_map(d, tmp / "claims.yaml")
    m = imported.valid.argmap
    loaded = parse(imported.text, "claims.yaml", tmp / "claims.yaml").data
    assert isinstance(loaded, dict)
    statements = {s.id: s.text for s in m.statements()}
    assert len(statements) == len(want_texts)
    for text in want_texts:
        wanted = text.translate(fix) if text and text.strip() else None
        assert wanted is None or wanted in statements.values()
    assert len(m.speakers) == len(want_names)  # one per foreign id, none planted
    for s in m.speakers:
        given = {n.translate(fix) for n in want_names.values()} | set(want_names)
        assert s.name in given | {"unnamed speaker"}  # (a blank name and a blank id)
    for loss in imported.losses:
        assert "\n" not in phrase(loss)
