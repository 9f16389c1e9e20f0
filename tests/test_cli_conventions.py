"""The command line's conventions: help that teaches, usage errors said by the command at hand,
advice that matches what the command accepts, one reporter, a build that ends with the
standings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from argmap.cli import _parser, main
from argmap.errors import Diagnostic, Exit, MissingTool, WriteError
from argmap.report import Reporter
from argmap.watch import Rebuild
from argmap.write import write_all
from tests.conftest import REPO, run_argmap

COMMANDS = [
    "check",
    "build",
    "diagram",
    "brief",
    "export",
    "watch",
    "new",
    "diff",
    "schema",
    "import",
    "lsp",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_helps_with_a_purpose_an_example_and_its_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    usage, _, rest = text.partition("\n\n")
    assert usage.startswith(f"usage: argmap {command}")
    purpose = " ".join(rest.partition("\n\n")[0].split())
    assert purpose[0].isupper() and purpose.endswith("."), purpose
    example = text.split("example:\n", 1)[1].splitlines()[0].strip()
    assert example.startswith(f"argmap {command}"), example
    codes = text.split("exit codes:\n", 1)[1]
    assert "  0   " in codes and "  70  a bug in argmap" in codes and "  130 " in codes
    assert "1   the map is invalid" in codes or command in ("watch", "new", "schema", "diff", "lsp")


def test_every_positional_and_value_is_named_in_capitals() -> None:
    parser = _parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert isinstance(commands, dict) and set(commands) == set(COMMANDS)
    for name, sub in commands.items():
        for action in sub._actions:
            if action.metavar is not None or not action.option_strings:
                shown = action.metavar or action.dest
                if isinstance(shown, str) and action.dest != "help":
                    assert shown.isupper(), f"argmap {name}: {shown}"


def test_a_bad_flag_shows_the_usage_of_its_command(tmp_path: Path) -> None:
    done = run_argmap("export", "--bogus", "--format", "json", cwd=tmp_path)
    assert done.returncode == Exit.USAGE
    assert done.stderr.startswith("usage: argmap export")
    assert "argmap export: error: unrecognized arguments: --bogus" in done.stderr


def test_a_missing_templates_folder_is_named_by_its_flag(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text((REPO / "tests/cases/seed/claims.yaml").read_text())
    done = run_argmap("build", "--templates", "nowhere", cwd=tmp_path)
    assert done.returncode == Exit.USAGE
    assert "argmap: --templates nowhere: no such folder" in done.stderr


def test_advice_names_only_the_flags_the_command_has() -> None:
    stuck = WriteError("cannot write out/argmap.json: a folder of that name is in the way; move it",
                       elsewhere=True)  # fmt: skip
    assert (
        Reporter(out_flag="-o DIR").advice(stuck).endswith("; or choose another output with -o DIR")
    )
    assert "-o" not in Reporter(out_flag=None).advice(stuck)  # argmap new has no -o
    slow = MissingTool("Graphviz's dot ran longer than 1 s and was stopped; allow it more time",
                       more_time=True)  # fmt: skip
    assert Reporter().advice(slow).endswith(": use --dot-timeout SECONDS or set ARGMAP_DOT_TIMEOUT")


def test_a_missing_folder_is_not_a_full_disk(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(WriteError) as raised:
        write_all(tmp_path / "a-file" / "out", {"x.json": b"{}"})
    message = str(raised.value)
    assert "free some space" not in message
    assert "is missing or is not a folder" in message
    assert " -o " not in message  # the stage knows no flags; the reporter adds the advice
    assert raised.value.elsewhere


def test_one_reporter_words_a_rebuild_of_watch_from_its_diagnostics() -> None:
    out, err = io.StringIO(), io.StringIO()
    report = Reporter(stdout=out, stderr=err)
    findings = [
        Diagnostic("m.yaml", 3, 1, "error", "it says: warning: in its text"),
        Diagnostic("m.yaml", 4, 1, "warning", "a real warning"),
    ]
    report.rebuilt(Rebuild(Path("m.yaml"), "12:00:00", 0.5, False, findings, None, []))
    assert out.getvalue() == "[12:00:00] m.yaml: 1 error; the outputs are left as they were\n"
    assert err.getvalue().splitlines() == [str(d) for d in findings]


@pytest.mark.needs_dot
def test_build_ends_with_the_standings_and_the_brief_to_open(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        "title: T\nclaims:\n  - {id: a, text: A.}\n  - {id: b, text: B.}\n"
        "rebuttals:\n  - {id: r, rebuts: a, text: R.}\n",
        encoding="utf-8",
    )
    done = run_argmap("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    *_, standings, brief = done.stdout.splitlines()
    assert standings == "✔ 2 stand · ✘ 1 defeated · ? 0 undecided"
    assert brief == f"open {(tmp_path / 'out' / 'brief.html').resolve().as_uri()}"
