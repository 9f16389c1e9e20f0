"""A path on the command line that the system refuses (a 300-character name, a name through a
file, a loop of links) is a usage error said in words (exit 2), never "a bug in argmap" (70).

Issue 18 found exit 70 for a 300-character name given to `diff`, `new` and `build --templates`;
every path argument of every command is tried here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argmap.cli import main
from argmap.errors import Exit
from tests.conftest import REPO, run_argmap_process

LONG = "a" * 300  # over NAME_MAX (255) on every common file system
MAP = "m.yaml"
SMALL = """\
title: A small map
claims:
  - id: a
    text: A claim.
rebuttals:
  - id: r
    rebuts: a
    text: A rebuttal.
"""

# {L}: the unusable name; {M}: a valid map in the folder.
COMMANDS = [
    "new {L}.yaml",
    "new {L}/claims.yaml",
    "diff {L}.yaml",
    "diff {M} {L}.yaml",
    "diff {L}",
    "diff HEAD -- {L}.yaml",
    "check {L}.yaml",
    "check {M} {L}.yaml",
    "build {L}.yaml",
    "build {M} -o {L}",
    "build {M} -o out --templates {L}",
    "build {M} -o out --since {L}",
    "diagram {M} -o {L}.svg",
    "diagram {L}.yaml",
    "brief {M} -o {L}.html",
    "brief {M} -o out.html --templates {L}",
    "export {M} --format json -o {L}.json",
    "export {M} --format argdown -o {L}.argdown",
    "export {L}.yaml --format json",
    "import {L}.argdown",
    "import {M} --from argdown -o {L}.yaml",
    "schema -o {L}.json",
    "watch {L}.yaml --no-serve",
    "watch {M} -o {L} --no-serve --templates {L}",
]


def _argv(command: str, name: str) -> list[str]:
    return command.format(L=name, M=MAP).split()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_name_too_long_is_a_usage_error_in_words(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / MAP).write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARGMAP_DEBUG", raising=False)
    code = main(_argv(command, LONG))
    err = capsys.readouterr().err
    assert code == Exit.USAGE, err
    assert "internal error" not in err and "bug in argmap" not in err, err
    said = [line for line in err.splitlines() if line.startswith("argmap: ")]
    assert len(said) == 1, err
    assert "aaaaaaaaaa" in said[0], err  # the message names the path (shortened or not)
    assert len(said[0]) < 600, err
    assert not any(p.name.startswith("aaaa") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("command", ["new {L}.yaml", "diff {L}.yaml", "check {L}.yaml"])
def test_a_path_through_a_file_or_a_link_loop_is_a_usage_error(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / MAP).write_text(SMALL, encoding="utf-8")
    os.symlink("loop", tmp_path / "loop")
    monkeypatch.chdir(tmp_path)
    for name in (f"{MAP}/x", "loop/x"):
        code = main(_argv(command, name))
        err = capsys.readouterr().err
        assert code in (Exit.INVALID, Exit.USAGE), (name, err)
        assert "internal error" not in err, (name, err)


def test_the_real_command_line_says_it_too(tmp_path: Path) -> None:
    """Through `python -m argmap`, as a user runs it: exit 2 and one line, no traceback."""
    for command in ("new {L}.yaml", "diff {L}.yaml", "build {M} -o out --templates {L}"):
        (tmp_path / MAP).write_text(SMALL, encoding="utf-8")
        done = run_argmap_process(*_argv(command, LONG), cwd=tmp_path, timeout=120)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.startswith("argmap: cannot "), done.stderr
        assert "internal error" not in done.stderr
    assert REPO.exists()
