"""Properties (Hypothesis), bounded to run in well under a minute on two cores.

- Any bytes given as a map end in a valid map or in `FILE:LINE:COL` messages, each one
  printable line, within a bounded time (in-process through `pipeline.check`, and a few
  through the real command line).
- Any valid map, however hostile its texts and however its rebuttals loop, builds: `dot`
  accepts its DOT, its brief parses as HTML, its JSON matches the map with the standings of
  `argmap.evaluate.grounded`, and every node appears in the DOT, the SVG, the brief and the JSON.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.cli import CACHE
from argmap.errors import InvalidMap
from argmap.evaluate import evaluate, grounded
from argmap.evaluate.pivotal import analyse
from argmap.pipeline import check
from argmap.render import render
from argmap.render.diagram import drawn_in_full
from tests.conftest import Page, run_argmap

REPO = Path(__file__).resolve().parent.parent
DIAGNOSTIC = re.compile(r"^m\.yaml:\d+:\d+: (error|warning): \S[^\n]*$")
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
SVG = "{http://www.w3.org/2000/svg}"
SECONDS = 5.0  # the most CPU time one check of a small input may take
FAST = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- any bytes ---------------------------------------------------------------------------------

HOSTILE_BITS = [
    "title: ",
    "claims:\n",
    "  - id: a\n",
    "    text: ",
    "rebuts: ",
    "&a ",
    "*a",
    "!!python/",
    "!x ",
    "[",
    "{",
    "]",
    "}",
    '"',
    "'",
    "\\",
    "\t",
    "\r\n",
    "\n",
    "---\n",
    ": ",
    "- ",
    "#",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\u200b",
    "🎉",
    "\xe9",
    "{{ 7*7 }}",
    "<script>",
]
MAPLIKE = st.lists(st.one_of(st.sampled_from(HOSTILE_BITS), st.text(max_size=8)), max_size=40).map(
    "".join
)
ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    MAPLIKE.map(lambda t: t.encode("utf-8")),
    MAPLIKE.map(lambda t: t.encode("utf-8", "surrogatepass")[::-1]),
)


def assert_clean_messages(found: list[str]) -> None:
    assert found
    for line in found:
        assert DIAGNOSTIC.match(line), line
        assert not UNPRINTABLE.search(line), line  # nothing a terminal would obey


@FAST
@given(raw=ANY_BYTES)
def test_any_bytes_give_a_map_or_clean_messages_quickly(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(raw)
    started = time.process_time()
    try:
        found = [str(d) for d in check(path, "m.yaml").warnings]
    except InvalidMap as e:
        found = [str(d) for d in e.diagnostics]
        assert_clean_messages(found)
    else:
        assert all(DIAGNOSTIC.match(line) for line in found)
    assert time.process_time() - started < SECONDS


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=ANY_BYTES)
def test_any_bytes_through_the_command_line(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "m.yaml").write_bytes(raw)
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "check", "m.yaml"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode in (0, 1), err
    assert "Traceback" not in err
    lines = err.splitlines()
    if done.returncode == 1:
        assert_clean_messages(lines[:-1])
        assert re.match(r"^m\.yaml: \d+ errors?(, \d+ warnings?)?: invalid$", lines[-1])


# --- any valid map -----------------------------------------------------------------------------

WORDS = [
    "<script>alert(1)</script>",
    "<b>",
    "<<TABLE>>",
    "\\N",
    "\\G",
    "\\",
    "]",
    '"',
    "'",
    "&amp;",
    "{{ 7*7 }}",
    "javascript:x",
    "\u202eRTL",
    "\u200b",
    "🎉👍🏽",
    "هل",
    "é",
    "\x00",
    "\x1b",
    "\t",
    "\n",
    "yes",
    "null",
    "1.5",
    "- ",
    ": ",
    "# ",
]
TEXT = (
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda t: re.search(r"\S", t) is not None)
)
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True) | st.sampled_from(
    ["node", "edge", "graph", "strict", "subgraph", "digraph", "007", "a--b"]
)


@st.composite
def valid_maps(draw: st.DrawFn) -> dict[str, Any]:
    """A valid map: texts from anywhere in Unicode and from the nastiest of HTML, DOT and YAML;
    rebuttals answering anything but themselves (cycles included); evidence backing claims
    and rebuttals."""
    sizes = [draw(st.integers(lo, hi)) for lo, hi in ((1, 4), (0, 6), (0, 3), (0, 2), (0, 2))]
    ids = draw(st.lists(IDS, min_size=sum(sizes), max_size=sum(sizes), unique=True))
    cut = [sum(sizes[:i]) for i in range(6)]
    claims, rebuttals, evidence, speakers, sources = (ids[cut[i] : cut[i + 1]] for i in range(5))

    def statement(ident: str) -> dict[str, Any]:
        item: dict[str, Any] = {"id": ident, "text": draw(TEXT)}
        with_speaker, with_source, with_quote = (draw(st.booleans()) for _ in range(3))
        if speakers and with_speaker:
            item["by"] = draw(st.sampled_from(speakers))
        if sources and with_source:
            item["source"] = draw(st.sampled_from(sources))
            if with_quote:
                item["quote"] = draw(TEXT)
        return item

    def some(choices: list[str]) -> list[str]:
        return draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3))

    data: dict[str, Any] = {"title": draw(TEXT)}
    for key in ("question", "summary"):
        if draw(st.booleans()):
            data[key] = draw(TEXT)
    data["sources"] = [
        {"id": s, "title": draw(TEXT), "publisher": draw(TEXT), "url": "https://example.org/" + s}
        for s in sources
    ]
    data["speakers"] = [{"id": s, "name": draw(TEXT), "role": draw(TEXT)} for s in speakers]
    data["claims"] = [statement(c) for c in claims]
    everything = claims + rebuttals + evidence
    data["rebuttals"] = [
        statement(r) | {"rebuts": some([x for x in everything if x != r])} for r in rebuttals
    ]
    data["evidence"] = [statement(e) | {"supports": some(claims + rebuttals)} for e in evidence]
    return data


def write_map(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "claims.yaml"
    # Every text in double quotes: PyYAML writes U+0085 raw in 'single quotes', where it then
    # reads as a line break (its own round trip fails; argmap reads it as PyYAML does).
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style='"')
    path.write_text(text, encoding="utf-8")
    return path


def expected(data: dict[str, Any]) -> tuple[list[str], list[tuple[str, str, str]]]:
    ids = [s["id"] for k in ("claims", "rebuttals", "evidence") for s in data[k]]
    # A target named twice in one list is one edge (argmap warns of the repeat).
    edges = [(r["id"], t, "rebuts") for r in data["rebuttals"] for t in dict.fromkeys(r["rebuts"])]
    edges += [
        (e["id"], t, "supports") for e in data["evidence"] for t in dict.fromkeys(e["supports"])
    ]
    return ids, edges


# Each example runs the real dot. `make test` tries a dozen maps, enough to catch a broken
# output; `make test-slow` (CI) tries a hundred.
DOT_EXAMPLES = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.needs_dot
@settings(DOT_EXAMPLES, max_examples=12)
@given(data=valid_maps())
def test_any_valid_map_builds_and_every_output_agrees(
    tmp_path: Path,
    data: dict[str, Any],
) -> None:
    outputs_agree(tmp_path, data)


@pytest.mark.slow
@pytest.mark.needs_dot
@settings(DOT_EXAMPLES, max_examples=100)
@given(data=valid_maps())
def test_any_valid_map_builds_and_every_output_agrees_over_many_maps(
    tmp_path: Path,
    data: dict[str, Any],
) -> None:
    outputs_agree(tmp_path, data)


def outputs_agree(tmp_path: Path, data: dict[str, Any]) -> None:
    """Every output of the map `data` says what the map says: the nodes, edges, standings and
    pivotal points in argmap.json, the points declared in the DOT and drawn in the SVG, the
    brief's ids."""
    valid = check(write_map(tmp_path, data))
    rendered = render(
        valid,
        evaluate(valid.argmap),
        map_name="claims.yaml",
        only=("argmap.json", "argmap.dot", "argmap.svg", "brief.html"),
        pivotal=analyse(valid.argmap),
    )
    assert rendered.problem is None  # dot accepted the DOT
    files = {name: blob.decode("utf-8") for name, blob in rendered.files.items()}
    ids, edges = expected(data)

    doc = json.loads(files["argmap.json"])
    assert [n["id"] for n in doc["nodes"]] == ids
    assert [(e["from"], e["to"], e["relation"]) for e in doc["edges"]] == edges
    standings = grounded(ids, [(f, t) for f, t, r in edges if r == "rebuts"])
    assert {n["id"]: n["standing"] for n in doc["nodes"]} == standings
    for node, item in zip(
        doc["nodes"], [*data["claims"], *data["rebuttals"], *data["evidence"]], strict=True
    ):
        assert (node["text"], node["quote"]) == (item["text"], item.get("quote"))
        assert (node["standing"] == "defeated") == any(
            standings[d] == "stands" for d in node["defeated_by"]
        )
    assert doc["title"] == data["title"]
    rebuts = [(f, t) for f, t, r in edges if r == "rebuts"]
    for node in doc["nodes"]:  # each claim's pivotal points: the ones whose removal flips it
        if node["kind"] == "claim":
            flips = [
                p
                for p in ids
                if p != node["id"]
                and grounded([i for i in ids if i != p], [a for a in rebuts if p not in a])[
                    node["id"]
                ]
                != standings[node["id"]]
            ]
            assert node["pivotal"] == flips

    declared = set(re.findall(r'^\t"?([a-z0-9][a-z0-9-]*)"? \[', files["argmap.dot"], re.M))
    claims = {c["id"] for c in data["claims"]}
    assert declared >= (set(ids) if drawn_in_full(valid.argmap, evaluate(valid.argmap)) else claims)
    svg = ET.fromstring(files["argmap.svg"])  # noqa: S314 - dot's own output
    drawn = [g.findtext(f"{SVG}title") for g in svg.iter(f"{SVG}g") if g.get("class") == "node"]
    key = ["_key_claim", "_key_rebuttal", "_key_evidence"]
    key += ["_key_stands", "_key_defeated", "_key_undecided"]
    if drawn_in_full(valid.argmap, evaluate(valid.argmap)):  # else the overview
        assert sorted(map(str, drawn)) == sorted([*ids, *key])
    else:
        assert claims <= set(map(str, drawn))
    html = files["brief.html"]
    assert html.rstrip().endswith("</html>")
    found = Page(html).ids
    assert all(found.get(i) == 1 for i in ids)


@pytest.mark.needs_dot
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=valid_maps())
def test_any_valid_map_builds_through_the_command_line(
    tmp_path: Path,
    data: dict[str, Any],
) -> None:
    write_map(tmp_path, data)
    done = run_argmap("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ids, _ = expected(data)
    doc = json.loads((tmp_path / "out" / "argmap.json").read_text(encoding="utf-8"))
    assert [n["id"] for n in doc["nodes"]] == ids
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name != CACHE) == [
        "argmap.dot",
        "argmap.json",
        "argmap.png",
        "argmap.svg",
        "brief.html",
        "claims",
    ]
