"""`argmap build` and friends end to end: outputs, determinism, atomicity, a missing dot."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from argmap.cli import CACHE
from tests.conftest import run_argmap

REPO = Path(__file__).resolve().parent.parent
OUTPUTS = ["argmap.json", "argmap.dot", "argmap.svg", "argmap.png", "brief.html"]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed map with its source file, in a fresh folder."""
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    return tmp_path


@pytest.mark.needs_dot
def test_build_writes_every_output_deterministically(seed: Path) -> None:
    first = run_argmap("build", cwd=seed)
    assert first.returncode == 0, first.stderr
    for name in OUTPUTS:
        assert f"wrote {Path('out') / name}" in first.stdout
        assert (seed / "out" / name).stat().st_size > 0
    assert (seed / "out" / "argmap.png").read_bytes().startswith(b"\x89PNG")
    before = {
        n: (seed / "out" / n).read_bytes() for n in ("argmap.json", "argmap.dot", "brief.html")
    }
    again = run_argmap("build", "claims.yaml", "-o", "out", cwd=seed)
    assert again.returncode == 0, again.stderr
    for name, data in before.items():
        assert (seed / "out" / name).read_bytes() == data, f"{name} differs between builds"


@pytest.mark.needs_dot
def test_json_export_matches_the_map(seed: Path) -> None:
    result = run_argmap("export", "--format", "json", "-o", "-", cwd=seed)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "argmap/1"
    ids = [n["id"] for n in doc["nodes"]]
    assert len(ids) == len(set(ids))
    for edge in doc["edges"]:
        assert edge["from"] in ids and edge["to"] in ids
        assert edge["relation"] in ("rebuts", "supports")
    for node in doc["nodes"]:
        assert node["kind"] in ("claim", "rebuttal", "evidence")
        assert node["standing"] in ("stands", "defeated", "undecided")
        assert (node["standing"] == "defeated") == bool(node["defeated_by"])


def test_invalid_map_leaves_previous_outputs(seed: Path) -> None:
    out = seed / "out"
    out.mkdir()
    (out / "brief.html").write_text("last good brief")
    (seed / "claims.yaml").write_text("title: broken\nclaims:\n  - id: Bad Id\n")
    result = run_argmap("build", cwd=seed)
    assert result.returncode == 1
    assert "claims.yaml:3:" in result.stderr
    assert (out / "brief.html").read_text() == "last good brief"
    assert sorted(p.name for p in out.iterdir() if p.name != CACHE) == ["brief.html"]


def test_missing_dot_still_writes_json_dot_and_brief(seed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    result = run_argmap("build", cwd=seed, env=env)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "graphviz" in result.stderr.lower()
    written = sorted(p.name for p in (seed / "out").iterdir())
    assert written == ["argmap.dot", "argmap.json", "brief.html"]
    brief = (seed / "out" / "brief.html").read_text()
    assert "graphviz" in brief.lower()


def test_export_dot_to_stdout_needs_no_dot(seed: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path))
    result = run_argmap("export", "--format", "dot", "-o", "-", cwd=seed, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digraph")


def test_unwritable_output_is_a_clear_error(seed: Path) -> None:
    (seed / "out").write_text("a file where the folder should be")
    result = run_argmap("export", "--format", "json", cwd=seed)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "out" in result.stderr


@pytest.mark.needs_dot
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_diagram_in_a_copy_of_the_repository(tmp_path: Path) -> None:
    """The user's daily command, in a copy of the tracked files, with this test's Python."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    for name in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    # A stand-in venv whose argmap is this interpreter's, so no install is needed.
    (venv / "bin" / "argmap").write_text(f'#!/bin/sh\nexec {sys.executable} -m argmap "$@"\n')
    (venv / "bin" / "argmap").chmod(0o755)
    (venv / ".runtime").touch()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        ["make", "diagram", f"VENV={venv}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in OUTPUTS:
        assert f"out/{name}" in result.stdout
        assert (tmp_path / "out" / name).exists()


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        (
            '{% extends "default/brief.html.j2" %}\n'
            "{% block footer %}\n{{ nope.x }}{% endblock %}\n",
            3,
            "'nope' is undefined",
        ),
        ("<p>\n{% if %}\n", 2, "Expected an expression"),
    ],
)
def test_broken_template_override_is_reported_at_its_line(
    seed: Path, template: str, line: int, words: str
) -> None:
    (seed / "templates").mkdir()
    (seed / "templates" / "brief.html.j2").write_text(template)
    result = run_argmap(
        "export", "--format", "html", "-o", "-", cwd=seed, env=dict(os.environ, PATH=str(seed))
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"brief.html.j2:{line}:1: error: template error: {words}" in result.stderr


# --- the diagram in the brief, and the brief's Content-Security-Policy ------------------------

ATTRIBUTE_LIKE = """\
title: 'Pricing onclick='
claims:
  - id: ends-in-onclick
    text: 'Ends in onclick='
  - id: quote-onload
    text: 'x" onload="alert(1)'
  - id: markup-in-text
    text: 'target= <script>alert(1)</script> url(#dg_x) style="color:red"'
rebuttals:
  - id: answer
    rebuts: [ends-in-onclick, quote-onload, markup-in-text]
    text: "An answer whose text ends in ' onmouseover="
"""


def inline_diagram(brief: str) -> ET.Element:
    """The diagram inlined in the brief, parsed as XML (it must be well-formed)."""
    start, end = brief.index("<svg"), brief.index("</svg>") + len("</svg>")
    return ET.fromstring(brief[start:end])  # noqa: S314 - argmap's own output


@pytest.mark.needs_dot
def test_text_that_looks_like_markup_stays_text_in_the_diagram(tmp_path: Path) -> None:
    """A title ending in `onclick=` once made the cleaner delete part of the diagram."""
    (tmp_path / "claims.yaml").write_text(ATTRIBUTE_LIKE, encoding="utf-8")
    done = run_argmap("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    svg = inline_diagram((tmp_path / "out" / "brief.html").read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    nodes = [g for g in svg.iter(f"{ns}g") if g.get("class") == "node"]
    ids = ["ends-in-onclick", "quote-onload", "markup-in-text", "answer"]
    anchored = [g.get("id", "") for g in nodes if g.get("id", "").startswith("node_")]
    assert sorted(anchored) == sorted(f"node_{i}" for i in ids)  # and the key, as dg_node5
    for element in svg.iter():
        assert element.tag.startswith(ns), element.tag
        assert element.tag[len(ns) :] not in ("script", "style", "foreignObject")
        for name in element.attrib:
            assert not name.lower().startswith("on"), name
            assert name not in ("style", "target"), name
    text = " ".join(" ".join(svg.itertext()).split())
    for words in ("Pricing onclick=", "Ends in onclick=", 'x" onload="alert(1)', "<script>"):
        assert words in text
    titles = [a.get("{http://www.w3.org/1999/xlink}title", "") for a in svg.iter(f"{ns}a")]
    assert any(t.startswith("Ends in onclick=") for t in titles)
    assert any("' onmouseover=" in t for t in titles)


class Inline(HTMLParser):
    """The policy `<meta>`s of a page, and its inline scripts and styles, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.order: list[str] = []
        self.policies: list[str] = []
        self.code: dict[str, list[str]] = {"script": [], "style": []}
        self.external: list[str] = []
        self._open: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(found.get("content") or "")
            self.order.append("policy")
        elif tag in ("script", "style"):
            self.order.append(tag)
            if "src" in found:
                self.external.append(found["src"] or "")
            else:
                self._open = tag
                self.code[tag].append("")

    def handle_data(self, data: str) -> None:
        if self._open:
            self.code[self._open][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy_of(html: str) -> tuple[dict[str, list[str]], Inline]:
    page = Inline(html)
    assert len(page.policies) == 1
    assert page.order[0] == "policy", "the policy must come before any script or style"
    directives = {d.split()[0]: d.split()[1:] for d in page.policies[0].split(";")}
    return directives, page


@pytest.mark.needs_dot
def test_the_brief_allows_only_its_own_inline_script_and_style(seed: Path) -> None:
    assert run_argmap("build", cwd=seed).returncode == 0
    directives, page = policy_of((seed / "out" / "brief.html").read_text(encoding="utf-8"))
    assert page.external == []
    assert len(page.code["script"]) == 2
    assert len(page.code["style"]) == 1
    assert directives == {
        "default-src": ["'none'"],
        "script-src": [sha256(s) for s in page.code["script"]],
        "style-src": [sha256(s) for s in page.code["style"]],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }


def test_a_template_overrides_own_script_is_allowed_by_its_hash_too(seed: Path) -> None:
    (seed / "templates").mkdir()
    (seed / "templates" / "brief.html.j2").write_text(
        '{% extends "default/brief.html.j2" %}'
        "{% block head %}<script>console.log('mine')</script>{% endblock %}",
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": ""}
    assert run_argmap("brief", "-o", "brief.html", cwd=seed, env=env).returncode == 3  # no dot
    directives, page = policy_of((seed / "brief.html").read_text(encoding="utf-8"))
    assert "console.log('mine')" in page.code["script"]
    assert directives["script-src"] == [sha256(s) for s in page.code["script"]]
    assert len(directives["script-src"]) == 3
