"""`argmap check` through the real entry point: exit codes, message forms, no tracebacks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_argmap, run_argmap_process, write_file

REPO = Path(__file__).resolve().parent.parent
VALID = (
    "title: T\nclaims:\n  - id: a\n    text: b\nrebuttals:\n  - id: r\n    rebuts: a\n    text: c\n"
)
WITH_WARNING = "title: T\nclaims:\n  - id: a\n    text: b\n"
INVALID = "title: T\ntitle: U\nclaims:\n  - id: a\n    text: yes\n"
DIAGNOSTIC = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")
SUMMARY = re.compile(
    r"^(?P<file>\S+): \d+ claims?, \d+ rebuttals?, \d+ evidence, \d+ speakers?, "
    r"\d+ sources?: valid( \(\d+ warnings?\))?$"
)


# --- the seed map ----------------------------------------------------------------------------


def test_seed_map_is_valid_under_strict() -> None:
    done = run_argmap("check", "--strict", "claims.yaml", cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    [line] = done.stdout.splitlines()
    match = SUMMARY.match(line)
    assert match, line
    assert match["file"] == "claims.yaml"
    assert "warning" not in line


def test_default_file_is_claims_yaml(tmp_path: Path) -> None:
    write_file(tmp_path, VALID, "claims.yaml")
    done = run_argmap("check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout == "claims.yaml: 1 claim, 1 rebuttal, 0 evidence, 0 speakers, 0 sources: "
        "valid\n"
    )


# --- exit codes and message forms ------------------------------------------------------------


def test_valid_map_exits_0(tmp_path: Path) -> None:
    write_file(tmp_path, VALID)
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert SUMMARY.match(done.stdout.strip())


def test_warnings_exit_0_without_strict(tmp_path: Path) -> None:
    write_file(tmp_path, WITH_WARNING)
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "m.yaml:3:9: warning: claim 'a' has neither evidence nor rebuttal; add evidence that "
        "supports it, or a rebuttal"
    ]
    assert done.stdout.strip().endswith(": valid (1 warning)")


def test_strict_turns_warnings_into_errors_and_exits_1(tmp_path: Path) -> None:
    write_file(tmp_path, WITH_WARNING)
    done = run_argmap("check", "--strict", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("m.yaml:3:9: error: claim 'a' has neither evidence nor rebuttal")
    assert lines[0].endswith("(--strict)")
    assert lines[-1] == "m.yaml: 1 error: invalid"
    assert done.stdout == ""


def test_a_flood_of_warnings_is_a_few_and_a_count_and_verbose_lists_each(tmp_path: Path) -> None:
    lonely = "".join(f"  - id: c{i}\n    text: t\n" for i in range(8))
    write_file(tmp_path, "title: T\nclaims:\n" + lonely)
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 4 and all(DIAGNOSTIC.match(line) for line in lines)
    assert lines[3] == (
        "m.yaml:9:9: warning: 5 more claims with neither evidence nor rebuttal, at lines "
        "9, 11, 13, 15, 17 (--verbose lists each)"
    )
    assert done.stdout.strip().endswith("valid (8 warnings)")
    every = run_argmap("check", "m.yaml", "--verbose", cwd=tmp_path)
    assert every.returncode == 0
    assert len(every.stderr.splitlines()) == 8
    assert every.stdout == done.stdout
    built = run_argmap("build", "m.yaml", "-o", "out", "--verbose", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert sum("neither evidence nor rebuttal" in line for line in built.stderr.splitlines()) == 8


def test_invalid_map_exits_1_with_every_error_on_stderr(tmp_path: Path) -> None:
    write_file(tmp_path, INVALID)
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    *found, summary = done.stderr.splitlines()
    assert all(DIAGNOSTIC.match(line) for line in found), found
    assert [line.split(": error: ")[0] for line in found if ": error: " in line] == [
        "m.yaml:2:1",
        "m.yaml:5:11",
    ]
    assert "duplicate key 'title'" in found[0]
    assert summary.startswith("m.yaml: 2 errors")
    assert summary.endswith(": invalid")


def test_messages_name_the_path_as_given(tmp_path: Path) -> None:
    write_file(tmp_path, INVALID, "maps/one/claims.yaml")
    done = run_argmap("check", "maps/one/claims.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("maps/one/claims.yaml:2:1: error: duplicate key")


def test_github_format(tmp_path: Path) -> None:
    write_file(tmp_path, INVALID + "evidence:\n  - id: e\n    supports: a\n    text: t\n")
    done = run_argmap("check", "--format", "github", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith(
        "::error file=m.yaml,line=2,col=1,title=argmap::duplicate key 'title'"
    )
    assert annotations[1].startswith(
        "::error file=m.yaml,line=5,col=11,title=argmap::'text' of claim 'a'"
    )
    assert annotations[2].startswith(
        "::warning file=m.yaml,line=7,col=5,title=argmap::evidence 'e' has no source"
    )
    assert len(annotations) == 3
    assert all(
        re.match(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=argmap::\S", line)
        for line in annotations
    )


def test_github_format_with_strict_reports_errors(tmp_path: Path) -> None:
    write_file(tmp_path, WITH_WARNING)
    done = run_argmap("check", "--strict", "--format", "github", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        "::error file=m.yaml,line=3,col=9,title=argmap::claim 'a'"
    )


def test_github_format_escapes_the_file_property(tmp_path: Path) -> None:
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    write_file(folder, WITH_WARNING)
    done = run_argmap("check", "--format", "github", "a,b:c/m.yaml", cwd=tmp_path)
    assert done.stdout.startswith("::warning file=a%2Cb%3Ac/m.yaml,line=3,col=9,")


# --- usage errors: exit 2 --------------------------------------------------------------------


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = run_argmap("check", "nope.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "nope.yaml" in done.stderr
    assert "no such file" in done.stderr


def test_folder_as_the_map_exits_2(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    done = run_argmap("check", "maps", cwd=tmp_path)
    assert done.returncode == 2
    assert "maps is a folder" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_as_the_map_exits_2_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "m.yaml")
    done = run_argmap_process("check", "m.yaml", cwd=tmp_path, timeout=20)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr


def test_unknown_option_exits_2(tmp_path: Path) -> None:
    write_file(tmp_path, VALID)
    done = run_argmap("check", "--bogus", "m.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments: --bogus" in done.stderr


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    write_file(tmp_path, VALID)
    done = run_argmap("check", "--format", "xml", "m.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'xml'" in done.stderr


def test_no_command_exits_2(tmp_path: Path) -> None:
    done = run_argmap(cwd=tmp_path)
    assert done.returncode == 2
    assert "usage: argmap" in done.stdout + done.stderr


# --- hostile input through the whole program -------------------------------------------------

HOSTILE = [
    pytest.param(b"\xff\xfe" + "title: T".encode("utf-16-le"), "saved as UTF-16", id="utf16"),
    pytest.param(b"title: caf\xe9\n", "m.yaml:1:11: error: the file is not UTF-8", id="latin1"),
    pytest.param(
        b"title: T\x00\n", "m.yaml:1:9: error: the file holds the control character", id="nul"
    ),
    pytest.param(b"[" * 10_000, "nests deeper than", id="deep-flow"),
    pytest.param(b"{a: " * 10_000, "nests deeper than", id="deep-mapping"),
    pytest.param(b'title: "open\n', "m.yaml:1:8: error: not valid YAML", id="open-quote"),
    pytest.param(b"- a\n- b\n", "m.yaml:1:1: error: a map starts with", id="list-root"),
    pytest.param(b"", "this file is empty", id="empty"),
    pytest.param(bytes(range(256)), "error", id="every-byte"),
]


@pytest.mark.parametrize(("raw", "words"), HOSTILE)
def test_hostile_input_is_a_clean_error(tmp_path: Path, raw: bytes, words: str) -> None:
    write_file(tmp_path, raw)
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert words in done.stderr
    assert all(DIAGNOSTIC.match(line) for line in done.stderr.splitlines()[:-1])


def test_tagged_payload_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write_file(
        tmp_path,
        f'title: !!python/object/apply:os.system ["touch {marker}"]\n'
        "claims:\n  - id: a\n    text: b\n",
    )
    done = run_argmap("check", "m.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "m.yaml:1:8: error: the YAML tag '!!python/object/apply:os.system' is not allowed"
        in done.stderr
    )
    assert not marker.exists()


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    write_file(tmp_path, "\n".join(lines) + "\n")
    done = run_argmap_process("check", "m.yaml", cwd=tmp_path, timeout=30)
    assert done.returncode == 1
    assert "'*l0' is a YAML alias" in done.stderr
    assert len(done.stderr.splitlines()) <= 30


def test_50_mb_map_is_refused_by_size(tmp_path: Path) -> None:
    with (tmp_path / "m.yaml").open("wb") as f:
        f.truncate(50 * 2**20)
    done = run_argmap_process("check", "m.yaml", cwd=tmp_path, timeout=30)
    assert done.returncode == 1
    assert (
        "m.yaml:1:1: error: the file is 50 MiB; argmap reads maps of at most 4 MiB" in done.stderr
    )


# --- the installed console script ------------------------------------------------------------


def _console_script() -> str | None:
    beside = Path(sys.executable).parent / "argmap"
    return str(beside) if beside.exists() else shutil.which("argmap")


@pytest.mark.skipif(_console_script() is None, reason="the argmap console script is not installed")
def test_console_script_checks_the_seed_map() -> None:
    script = _console_script()
    assert script is not None
    done = subprocess.run(
        [script, "check", "--strict", "claims.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert SUMMARY.match(done.stdout.strip())


@pytest.mark.skipif(_console_script() is None, reason="the argmap console script is not installed")
def test_console_script_exit_codes(tmp_path: Path) -> None:
    script = _console_script()
    assert script is not None
    write_file(tmp_path, INVALID)
    codes = [
        subprocess.run(
            [script, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
        ).returncode
        for args in (["check", "m.yaml"], ["check", "nope.yaml"], [])
    ]
    assert codes == [1, 2, 2]
