"""argmap.render.diagram: DOT structure, escaping of user text, determinism, and `dot` itself."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from argmap.cli import dot_timeout
from argmap.errors import Exit, MissingTool, UsageError
from argmap.evaluate import Evaluation, evaluate
from argmap.model import ArgMap
from argmap.render.diagram import draw, to_dot
from argmap.render.dot_process import INSTALL_HINT, INSTALL_LINES
from argmap.render.labels import WRAP, _clean
from argmap.text import shorten

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
NODE_LINE = re.compile(r'^\t"?([a-z0-9_-]+)"? \[(.*)\]$', re.MULTILINE)
KEY = [
    "_key_claim",
    "_key_rebuttal",
    "_key_evidence",
    "_key_stands",
    "_key_defeated",
    "_key_undecided",
]
EDGE_LINE = re.compile(r'^\t"?([a-z0-9-]+)"? -> "?([a-z0-9-]+)"? \[(.*)\]$', re.MULTILINE)


def small_map(**overrides: Any) -> dict[str, Any]:
    """Two claims: c1 stands (its rebuttal r1 is defeated by r2); c2 is undecided (r3 <-> r4)."""
    data: dict[str, Any] = {
        "title": "The spat",
        "speakers": [
            {"id": "crosby", "name": "Simon Crosby"},
            {"id": "reza", "name": "Reza Malekzadeh"},
        ],
        "claims": [
            {"id": "c1", "text": "VMware replaces every player.", "by": "crosby"},
            {"id": "c2", "text": "Nobody knows."},
        ],
        "rebuttals": [
            {"id": "r1", "rebuts": "c1", "text": "A growing ecosystem.", "by": "reza"},
            {"id": "r2", "rebuts": ["r1"], "text": "Partners are not customers."},
            {"id": "r3", "rebuts": ["c2", "r4"], "text": "Yes they do."},
            {"id": "r4", "rebuts": "r3", "text": "No they don't."},
        ],
        "evidence": [
            {
                "id": "e1",
                "supports": ["r1", "c1"],
                "kind": "statistic",
                "text": "82% growth.",
                "by": "reza",
            },
        ],
    }
    data.update(overrides)
    return data


def build(data: dict[str, Any]) -> tuple[ArgMap, Evaluation]:
    argmap = ArgMap.model_validate(data)
    return argmap, evaluate(argmap)


def dot_of(data: dict[str, Any], link: str = "brief.html") -> str:
    argmap, ev = build(data)
    return to_dot(argmap, ev, link=link)


def nodes(dot: str) -> dict[str, str]:
    return {m[1]: m[2] for m in NODE_LINE.finditer(dot) if m[1] not in ("graph", "node", "edge")}


def edges(dot: str) -> list[tuple[str, str, str]]:
    return [(m[1], m[2], m[3]) for m in EDGE_LINE.finditer(dot)]


def svg_tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own dot output


def svg_nodes(svg: bytes) -> dict[str, ET.Element]:
    return {
        str(g.findtext(f"{SVG}title")): g
        for g in svg_tree(svg).iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


# --- structure of the DOT ------------------------------------------------------------------


def test_a_node_per_statement_with_kind_speaker_and_link() -> None:
    found = nodes(dot_of(small_map()))
    assert list(found) == ["c1", "c2", "r1", "r2", "r3", "r4", "e1"]
    for node_id in ("r1", "r2", "r3", "r4", "e1"):
        assert f'URL="brief.html#{node_id}"' in found[node_id]
    for node_id in ("c1", "c2"):  # a claim links to its own picture
        assert f'URL="claims/{node_id}.svg"' in found[node_id]
    assert "CLAIM · Simon Crosby" in found["c1"]
    assert "<B>CLAIM</B>" in found["c2"]  # no speaker, no dangling separator
    assert "REBUTTAL · Reza Malekzadeh" in found["r1"]
    assert "EVIDENCE · statistic · Reza Malekzadeh" in found["e1"]


def test_link_target_is_configurable() -> None:
    assert 'URL="out/brief.html#r1"' in dot_of(small_map(), link="out/brief.html")


def test_shape_and_colour_per_kind() -> None:
    found = nodes(dot_of(small_map()))
    assert "shape=box" in found["c1"]
    assert "rounded" in found["c1"]
    assert "shape=box" in found["r2"]
    assert "diagonals" in found["r2"]
    assert "shape=note" in found["e1"]
    fills = {re.search(r'fillcolor="([^"]+)"', found[n])[1] for n in ("c1", "r2", "e1")}  # type: ignore[index]
    assert len(fills) == 3


def test_standing_in_words_and_style() -> None:
    found = nodes(dot_of(small_map()))
    assert "✔ stands" in found["c1"]
    assert "dashed" not in found["c1"]
    assert "✘ defeated" in found["r1"]
    assert "dashed" in found["r1"]
    # defeat shows in the mark and the border, never by fading: fill and text as when standing
    assert 'fillcolor="#FCEBEA"' in found["r1"]
    assert 'fillcolor="#FCEBEA"' in found["r2"]
    assert 'color="#A1221B"' in found["r1"]
    assert found["r1"].count('<FONT COLOR="#1F1F1F">') == 1
    for node_id in ("c2", "r3", "r4"):
        assert "? undecided" in found[node_id]
        assert "dotted" in found[node_id]
    assert "supported by 2" not in found["c1"]
    assert "supported by 1" in found["c1"]


def test_rebuts_and_supports_edges_differ_without_colour() -> None:
    found = edges(dot_of(small_map()))
    assert [(a, b) for a, b, _ in found] == [
        ("r1", "c1"),
        ("r2", "r1"),
        ("r3", "c2"),
        ("r3", "r4"),
        ("r4", "r3"),
        ("e1", "r1"),
        ("e1", "c1"),
    ]
    for tail, _, attrs in found:
        if tail.startswith("r"):
            assert "arrowhead=tee" in attrs
            assert "style=solid" in attrs
        else:
            assert "arrowhead=normal" in attrs
            assert "style=dashed" in attrs
        assert "label=" not in attrs


def test_long_text_is_wrapped_and_shortened_and_whole_in_tooltip() -> None:
    long = " ".join(f"word{i}" for i in range(60))
    data = small_map(claims=[{"id": "c1", "text": long}])
    line = nodes(dot_of(data))["c1"]
    body = re.search(r'<FONT COLOR="[^"]+">(.*?)</FONT>', line)[1]  # type: ignore[index]
    rows = body.split('<BR ALIGN="LEFT"/>')
    assert all(len(row) <= WRAP for row in rows)
    assert len(rows) > 2
    assert rows[-1].endswith("…")
    assert "word59" not in body
    reason = "Stands: every rebuttal against it is defeated (“A growing ecosystem”)."
    assert f'tooltip="{long}\\n\\n{reason}"' in line


def test_key_draws_the_real_shapes_borders_and_lines() -> None:
    dot = dot_of(small_map(question="Is it?"))
    key = dot[dot.index("subgraph cluster_key") :]
    lines = {m[1]: m[2] for m in re.finditer(r'^\t\t"?(_key_[a-z]+)"? \[(.*)\]$', key, re.M)}
    assert list(lines) == KEY
    claim, rebuttal, evidence = (nodes(dot)[n] for n in ("c1", "r2", "e1"))
    for sample, real in (
        ("_key_claim", claim),
        ("_key_rebuttal", rebuttal),
        ("_key_evidence", evidence),
    ):
        for attr in ("shape", "fillcolor"):
            assert re.findall(f"{attr}=[^ ]+", lines[sample]) == re.findall(f"{attr}=[^ ]+", real)
    styles = {
        n: "".join(re.findall(r'style="?([a-z,]+)', lines[f"_key_{n}"]))
        for n in ("stands", "defeated", "undecided")
    }
    assert "dashed" in styles["defeated"] and "dotted" in styles["undecided"]
    assert "dashed" not in styles["stands"] and "dotted" not in styles["stands"]
    assert re.search(r"_key_rebuttal -> _key_claim \[.*arrowhead=tee", key)
    assert re.search(r"_key_evidence -> _key_rebuttal \[.*arrowhead=normal.*style=dashed", key)
    assert re.search(r"label=<.*The spat.*Is it\?.*> labeljust=l labelloc=t", dot)
    assert "rankdir=RL" in dot
    assert "DejaVu Sans" in dot
    # the key's first column atop the claims, then the claims in file order (issue 21)
    assert re.search(
        r"subgraph claims \{\s*rank=max\s*_key_stands\s*_key_claim\s*c1\s*c2\s*"
        r"_key_stands -> _key_claim \[style=invis\]\s*_key_claim -> c1 \[style=invis\]\s*"
        r"c1 -> c2 \[style=invis\]\s*\}",
        dot,
    )
    # compact: no meaning written out in a box (each is its tooltip)
    assert all("<BR/>" not in line for line in lines.values())
    assert all('tooltip="' in line for line in lines.values())
    assert "dpi" not in dot  # set for PNG only, on dot's command line


def test_same_input_gives_identical_bytes_across_hash_seeds() -> None:
    assert dot_of(small_map()) == dot_of(small_map())
    code = (
        "from tests.test_diagram import dot_of, small_map; import sys; "
        "sys.stdout.write(dot_of(small_map()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert outputs.pop().decode() == dot_of(small_map())


@pytest.mark.needs_dot
@pytest.mark.parametrize("node_id", ["node", "graph", "strict", "edge", "subgraph", "007", "1-2"])
def test_keyword_and_numeric_ids_stay_node_names(node_id: str) -> None:
    data = small_map(claims=[{"id": node_id, "text": "x"}], rebuttals=[], evidence=[])
    assert list(svg_nodes(draw(dot_of(data), "svg"))) == [node_id, *KEY]


# --- user text is escaped everywhere -------------------------------------------------------

NASTY = [
    "<b>x</b>",
    "<<TABLE>>",
    "<script>alert(1)</script>",
    "<",
    ">",
    "&",
    "&amp; &lt; &#60;",
    "\\N",
    "\\G",
    "\\L",
    "\\n",
    "a\\",
    "a\\\\",
    '"quoted"',
    'a\\"b',
    "'single'",
    "{}",
    "]; evil [",
    '"]; evil [label="x',
    "javascript:alert(1)",
    "-- -> /* c */ // # %s {0}",
    "line1\nline2\r\n\tline3",
    "emoji 🎉👍🏽",
    "عربي: هل تتفق؟",
    "zero\u200bwidth\u200d\u2060",
    "\u202eRTL override",
    "\ufeffbom",
    "ctl\x00\x07\x1b",
    "x" * 300,
]
FIELDS = ["text", "name", "title"]


def nasty_map(field: str, value: str) -> dict[str, Any]:
    data = small_map()
    if field == "text":
        data["claims"] = [{"id": "c1", "text": value, "by": "crosby"}, data["claims"][1]]
    elif field == "name":
        data["speakers"] = [{"id": "crosby", "name": value}, data["speakers"][1]]
    else:
        data["title"] = value
    return data


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("field", FIELDS)
def test_nasty_text_never_reaches_dot_raw(field: str, value: str) -> None:
    dot = dot_of(nasty_map(field, value))
    assert len(nodes(dot)) == 7
    assert len(edges(dot)) == 7
    for raw in ("<b>", "<<TABLE>>", "<script", "\\N", "\\G", "\x00"):
        if raw in value:
            assert raw not in dot.replace("\\\\", "")


def check_svg(svg: bytes, field: str, value: str) -> None:
    lowered = svg.lower()
    for bad in (b"<b>", b"<script", b"<table", b'href="javascript', b"\\n\\n"):
        assert bad not in lowered
    found = svg_nodes(svg)
    assert list(found) == ["c1", "c2", "r1", "r2", "r3", "r4", "e1", *KEY]
    assert sum(g.get("class") == "edge" for g in svg_tree(svg).iter(f"{SVG}g")) == 7 + 2
    clean = _clean(value)
    c1 = found["c1"]
    link = c1.find(f".//{SVG}a")
    assert link is not None
    assert link.get(f"{XLINK}href") == "claims/c1.svg"
    lines = texts(c1)
    if field == "text":
        assert (
            link.get(f"{XLINK}title") == f"{clean}\n\nStands: every rebuttal against it "
            "is defeated (“A growing ecosystem”)."
        )
        assert "".join(lines[1:-1]).replace(" ", "") == shorten(clean, 140).replace(" ", "")
    elif field == "name":
        assert lines[0] == f"CLAIM · {shorten(clean, 28)}"
    else:
        assert clean in texts(svg_tree(svg))[:2]


@pytest.mark.needs_dot
@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("field", FIELDS)
def test_nasty_text_survives_real_dot(field: str, value: str) -> None:
    check_svg(draw(dot_of(nasty_map(field, value)), "svg"), field, value)


# Each example runs the real dot: `make test` tries ten texts beside the NASTY ones above,
# `make test-slow` (CI) forty.
@pytest.mark.needs_dot
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=st.text(min_size=1, max_size=80))
def test_any_text_draws_and_survives(field: str, value: str) -> None:
    text_draws_and_survives(field, value)


@pytest.mark.slow
@pytest.mark.needs_dot
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=st.text(min_size=1, max_size=80))
def test_any_text_draws_and_survives_over_many_texts(field: str, value: str) -> None:
    text_draws_and_survives(field, value)


def text_draws_and_survives(field: str, value: str) -> None:
    """`value` in `field` of a small map: dot draws it, and the SVG shows it as written."""
    try:
        data = nasty_map(field, value)
        ArgMap.model_validate(data)
    except ValidationError:
        assume(False)
    check_svg(draw(dot_of(data), "svg"), field, value)


@pytest.mark.needs_dot
def test_backslash_escapes_are_not_expanded_by_dot() -> None:
    svg = draw(dot_of(nasty_map("text", "see \\N and \\G\\")), "svg")
    c1 = svg_nodes(svg)["c1"]
    assert texts(c1)[1] == "see ∖N and ∖G∖"  # U+2216: dot would expand a real backslash
    link = c1.find(f".//{SVG}a")
    assert link is not None
    assert str(link.get(f"{XLINK}title")).startswith("see ∖N and ∖G∖\n")


# --- drawing with the real dot, and without it ------------------------------------------------


@pytest.mark.needs_dot
def test_draw_svg_and_png() -> None:
    dot = dot_of(small_map())
    svg = draw(dot, "svg")
    assert svg.startswith(b"<?xml")
    assert b"brief.html#r2" in svg
    assert b"DejaVu Sans" in svg
    png = draw(dot, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = struct.unpack(">I", png[16:20])[0]
    svg_width = float(re.search(rb'<svg width="([\d.]+)pt"', svg)[1])  # type: ignore[index]
    # PNG at 96 dpi; the SVG stays in points (painted from the layout, a cluster's bounding box
    # can come out a few pixels narrower)
    assert abs(width - svg_width * 96 / 72) <= 4


@pytest.mark.needs_dot
def test_dot_failure_shows_its_stderr() -> None:
    with pytest.raises(MissingTool, match="syntax error"):
        draw("digraph { a -> }", "svg")


def fake_dot(folder: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    script = folder / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def test_missing_dot_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingTool) as caught:
        draw("digraph {}", "svg")
    message = str(caught.value)
    assert "not found on PATH" in message
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "make diagram" in message
    assert caught.value.exit == Exit.MISSING_TOOL


def test_one_list_of_commands_to_install_graphviz() -> None:
    """The message, the README and scripts/ensure-dot say the same: from one file."""
    assert len(INSTALL_LINES) >= 4
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (ROOT / "scripts" / "ensure-dot").read_text(encoding="utf-8")
    for line in INSTALL_LINES:
        assert line in readme, line
        assert " ".join(line.split()) in INSTALL_HINT, line
    assert "argmap/install-graphviz.txt" in script
    assert "apt-get install" not in script.partition("sed ")[2]  # no second list below it


def test_slow_dot_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleep = shutil.which("sleep")
    pid_file = tmp_path / "pid"
    fake_dot(tmp_path, f'echo $$ > "{pid_file}"\nexec {sleep} 30', monkeypatch)
    with pytest.raises(MissingTool, match=r"longer than 0\.5 s"):  # not 30 s later: killed
        draw("digraph {}", "png", timeout=0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_the_command_line_resolves_the_timeout_and_the_stage_reads_no_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert dot_timeout(None, {"ARGMAP_DOT_TIMEOUT": "0.3"}) == 0.3
    assert dot_timeout(2.0, {"ARGMAP_DOT_TIMEOUT": "0.3"}) == 2.0  # the flag wins
    with pytest.raises(UsageError, match="ARGMAP_DOT_TIMEOUT must be a number"):
        dot_timeout(None, {"ARGMAP_DOT_TIMEOUT": "soon"})
    with pytest.raises(UsageError, match="--dot-timeout must be a number"):
        dot_timeout(float("nan"), {})
    fake_dot(tmp_path, "echo '<svg/>'", monkeypatch)
    monkeypatch.setenv("ARGMAP_DOT_TIMEOUT", "soon")  # read by the command line only
    assert draw("digraph {}", "svg").startswith(b"<svg")
    with pytest.raises(UsageError, match="the time allowed for Graphviz"):
        draw("digraph {}", "svg", timeout=0)


def test_failing_dot_message_is_trimmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, "printf 'x%.0s' $(seq 1 5000) >&2\necho ' boom' >&2\nexit 2", monkeypatch)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(MissingTool, match="exit 2") as caught:
        draw("digraph {}", "svg")
    assert str(caught.value).endswith("boom")
    assert len(str(caught.value)) < 1700
