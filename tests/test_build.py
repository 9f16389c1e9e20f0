"""`argmap build` and friends end to end: outputs, determinism, atomicity, a missing dot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert sorted(p.name for p in out.iterdir()) == ["brief.html"]


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
