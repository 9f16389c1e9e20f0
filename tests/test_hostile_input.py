"""Hostile input, round two (issue 11): each defect found by hand, as a regression test
through the command line.

Runaway work is bounded here by counted work or by the CPU time of the child process
(`resource.getrusage(RUSAGE_CHILDREN)`), with wide margins, never by wall-clock time; the
speed goals themselves are measured by `scripts/bench_check.py` (`make bench`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from argmap.cli import main
from tests.conftest import run_argmap, run_argmap_process

REPO = Path(__file__).resolve().parent.parent
MAP = (
    "title: T\nclaims:\n  - id: c\n    text: A claim.\n"
    "rebuttals:\n  - {id: r, rebuts: c, text: R.}\n"
)
SOURCED = """\
title: T
sources:
  - id: s
    title: S
    file: {file}
claims:
  - id: c
    text: A claim.
    source: s
    quote: {quote}
rebuttals:
  - {{id: r, rebuts: c, text: R.}}
"""


def _bench() -> Any:
    """scripts/bench_check.py, whose generators make the worst cases near the cap."""
    spec = importlib.util.spec_from_file_location("bench_check", REPO / "scripts/bench_check.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`argmap ARGS` in `cwd`, in this process (`tests.conftest.run_argmap`); no internal error."""
    done = run_argmap(*args, cwd=cwd)
    assert "internal error" not in done.stderr, done.stderr
    return done


def cpu_of(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`python -m argmap ARGS` in `cwd` (a process of its own, so that its CPU time is its own);
    the CPU seconds it alone took (children's totals, before and after)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = run_argmap_process(*args, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert "internal error" not in done.stderr, done.stderr
    return done, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def peak_mb(*args: str, cwd: Path) -> tuple[int, float]:
    """Exit code and peak resident memory (MB) of `python -m argmap ARGS`, as the child itself
    reads it at its end (VmHWM: the kernel's `ru_maxrss` of a child also counts the memory of
    this test process, which the child was forked from)."""
    code = (
        "import runpy, sys\n"
        "try:\n    runpy.run_module('argmap', run_name='__main__', alter_sys=True)\n"
        "finally:\n"
        "    peak = [s for s in open('/proc/self/status') if s.startswith('VmHWM')]\n"
        "    print('peak', peak[0].split()[1], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    kb = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak ")]
    assert kb, done.stderr
    return done.returncode, int(kb[-1]) / 1024


def write(folder: Path, text: str, name: str = "claims.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`argmap check` in-process, in `folder`: exit code, standard output, standard error."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        code = main(["check", *args] if args else ["check", "claims.yaml"])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. bounded work ---------------------------------------------------------------------------


def test_missing_files_list_their_folder_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 missing files in a folder of 300: the folder is listed once, not per file."""
    (tmp_path / "sources").mkdir()
    for i in range(300):
        (tmp_path / "sources" / f"article-{i:05}.txt").write_text("x\n", encoding="utf-8")
    sources = "".join(
        f"  - {{id: s{i}, title: T, file: sources/article-{i + 1000:05}.txt}}\n"
        for i in range(5_000)
    )
    write(tmp_path, MAP + "sources:\n" + sources)
    listed = []
    real_scandir = os.scandir

    def counting_scandir(path: Any = ".") -> Any:
        listed.append(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    real_iterdir = Path.iterdir

    def counting_iterdir(self: Path) -> Any:
        listed.append(self)
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", counting_iterdir)
    code, _, err = check(tmp_path, capsys)
    assert code == 1
    assert "claims.yaml:8:30: error: file 'sources/article-01000.txt' does not exist" in err
    assert "did you mean 'sources/article-00" in err  # a suggestion is still made
    assert len(listed) <= 5, f"the folder was listed {len(listed)} times"


def test_base60_integers_near_the_cap_are_read_in_bounded_cpu(tmp_path: Path) -> None:
    """A million groups of `:59`: PyYAML's base-60 reading is quadratic (minutes); argmap
    reads the scalar as text, in linear time."""
    _bench().base60_integers(tmp_path)
    done, cpu = cpu_of("check", "claims.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # the claim's text is the digits, as written
    assert cpu < 30, f"{cpu:.1f} s of CPU"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_one_missing_quote_in_a_big_repetitive_source_needs_little_memory(tmp_path: Path) -> None:
    """The closest passage of a quote not in an 8 MiB source (it took ~670 MB)."""
    _bench().one_missing_quote_in_a_big_source(tmp_path)
    code, mb = peak_mb("check", "claims.yaml", cwd=tmp_path)
    assert code == 1
    assert mb < 450, f"peak {mb:.0f} MB"


def test_thousands_of_missing_quotes_cost_bounded_cpu(tmp_path: Path) -> None:
    _bench().thousands_of_missing_quotes(tmp_path)
    done, cpu = cpu_of("check", "claims.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "the quote of claim 'c0' is not in big.txt" in done.stderr
    assert (
        "claims.yaml:3:29: error: argmap stopped checking quotes against big.txt at claim"
        in done.stderr
    )
    assert cpu < 60, f"{cpu:.1f} s of CPU"


# --- 2. huge integers, bad ports -----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "0x" + "f" * 5000,
        "0o" + "7" * 5000,
        "0b" + "1" * 20_000,
        "1" + ":59" * 5000,
        "1" + ":59" * 5000 + ".5",
        "9" * 5000,
        "1_0" * 3000,
        "-" + "9" * 5000,
    ],
    ids=["hex", "octal", "binary", "base-60", "base-60-float", "decimal", "underscores", "neg"],
)
def test_integers_too_long_for_python_are_errors_at_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    write(tmp_path, f"version: {written}\ntitle: T\nclaims:\n  - {{id: c, text: {written}}}\n")
    code, _, err = check(tmp_path, capsys)
    assert code == 1, err
    assert "claims.yaml:1:10: error: version " in err
    assert "claims.yaml:4:10: error" not in err  # as text, the digits are a claim's text


@pytest.mark.parametrize("field", ["date", "id", "title", "rebuts"])
def test_a_huge_hex_number_in_any_field_is_no_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    huge = "0x" + "f" * 5000
    text = (
        f"title: T\nsources:\n  - {{id: s, title: S, date: {huge if field == 'date' else 2007}}}\n"
        f"claims:\n  - {{id: {huge if field == 'id' else 'c'}, text: A., source: s}}\n"
        f"rebuttals:\n  - {{id: r, rebuts: {huge if field == 'rebuts' else 'c'}, text: R.}}\n"
    ).replace("title: T", f"title: {huge}" if field == "title" else "title: T")
    write(tmp_path, text)
    code, _, err = check(tmp_path, capsys)
    assert code == (0 if field == "title" else 1), err


@pytest.mark.parametrize("port", ["99999", "-5", "65536", "8e3", "1" * 5000])
def test_watch_refuses_a_port_out_of_range(tmp_path: Path, port: str) -> None:
    write(tmp_path, MAP)
    done = run_argmap_process("watch", "claims.yaml", "--port", port, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "--port" in done.stderr
    assert "from 0 to 65535" in done.stderr


# --- 5. the map is not its own source ----------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("claims.yaml", "is this map itself"),
        ("./sub/../claims.yaml", "is this map itself"),
        ("copy.yaml", "is a copy of this map"),
        ("other-map.yaml", "is an argmap map"),
        ("out/brief.html", "is an output of argmap (the briefing page)"),
        ("out/argmap.json", "is an output of argmap (the JSON export)"),
        ("out/argmap.dot", "is an output of argmap (the diagram's DOT)"),
        ("claims.schema.json", "is an output of argmap (the JSON Schema of maps)"),
    ],
)
def test_a_source_file_cannot_be_the_map_or_an_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, says: str
) -> None:
    text = SOURCED.format(file=file, quote="A claim.")
    write(tmp_path, text)
    (tmp_path / "sub").mkdir()
    write(tmp_path, text, "copy.yaml")
    write(tmp_path, "title: Other\nclaims:\n  - {id: x, text: A claim.}\n", "other-map.yaml")
    good = SOURCED.format(file="src.txt", quote="A claim.")
    write(tmp_path, good, "good.yaml")
    write(tmp_path, "A claim. Yes.\n", "src.txt")
    assert main(["build", str(tmp_path / "good.yaml"), "-o", str(tmp_path / "out")]) in (0, 3)
    assert main(["schema", "-o", str(tmp_path / "claims.schema.json")]) == 0
    capsys.readouterr()
    code, _, err = check(tmp_path, capsys)
    assert code == 1, err
    assert f"claims.yaml:5:11: error: file '{file}' {says}" in err
    assert "plain-text copy" in err


# --- 7. Unicode in quotes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "source", "code", "says"),
    [
        ("un café noir", "un cafe\u0301 noir", 0, ""),  # composed quote, decomposed source
        ("un cafe\u0301 noir", "un café noir", 0, ""),  # and the other way round
        ("un cafe", "un cafe\u0301 noir", 1, "is not in src.txt"),  # an accent dropped
        ("a q", "a q\u0307 b", 1, "is not in src.txt"),  # a mark with no composed form
        ("family 👩", "family 👩\u200d👩\u200d👧 here", 1, "is not in src.txt"),
        ("flag 🇫", "flag 🇫🇷 here", 1, "is not in src.txt"),
        ("한", "\u1112\u1161\u11ab", 0, ""),  # Hangul syllable vs its jamo
        ("go now", "go\u200b now", 1, "U+200B ZERO WIDTH SPACE"),
        ("a fine day", "a fi\u00adne day", 1, "U+00AD SOFT HYPHEN"),
        ("a fi\u200bne day", "a fine day", 1, "the quote holds invisible characters"),
        ("a ﬁne day", "a fine day", 1, "U+FB01 LATIN SMALL LIGATURE FI"),
        ("ｆｕｌｌ width", "full width", 1, "look alike"),
    ],
    ids=[
        "composed",
        "decomposed",
        "accent-dropped",
        "mark-without-composed-form",
        "part-of-an-emoji",
        "half-a-flag",
        "hangul",
        "zero-width-space-in-source",
        "soft-hyphen-in-source",
        "invisible-in-quote",
        "ligature",
        "full-width",
    ],
)
def test_quotes_match_on_nfc_and_whole_characters(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    quote: str,
    source: str,
    code: int,
    says: str,
) -> None:
    write(tmp_path, SOURCED.format(file="src.txt", quote=json.dumps(quote, ensure_ascii=False)))
    write(tmp_path, source + "\n", "src.txt")
    got, _, err = check(tmp_path, capsys)
    assert got == code, err
    assert says in err
    if says.startswith("U+"):
        assert (
            "claims.yaml:10:12: error: the quote of claim 'c' is not in src.txt as written" in err
        )


# --- 8. file names shown safely ----------------------------------------------------------------


def test_a_map_named_like_a_github_command_cannot_inject_one(tmp_path: Path) -> None:
    write(tmp_path, MAP, "::warning::x.yaml")
    write(tmp_path, "title: T\n", "::error::y.yaml")
    for fmt in ("text", "github"):
        done = run("check", "::warning::x.yaml", "::error::y.yaml", "--format", fmt, cwd=tmp_path)
        lines = (done.stdout + done.stderr).splitlines()
        assert done.returncode == 1
        assert lines
        forged = [ln for ln in lines if ln.startswith(("::warning::", "::error::"))]
        assert not forged, forged
        assert any("x.yaml: 1 claim" in ln for ln in lines)


def test_file_names_with_terminal_escapes_are_printed_escaped(tmp_path: Path) -> None:
    name = "evil\x1b[2J\x1b]0;pwned\x07.yaml"
    write(tmp_path, "title: T\n", name)
    write(tmp_path, MAP, "ok\x1b[31m.yaml")
    done = run("check", name, "ok\x1b[31m.yaml", "missing\x1b[5m.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "\x1b" not in done.stdout + done.stderr
    assert "evil\\x1b[2J" in done.stderr
    assert "ok\\x1b[31m.yaml: 1 claim" in done.stdout
    assert "argmap: missing\\x1b[5m.yaml: no such file" in done.stderr


# --- 10. smaller ---------------------------------------------------------------------------------


def test_duplicate_targets_warn_and_count_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path,
        "title: T\nclaims:\n  - {id: c, text: C.}\nrebuttals:\n  - {id: r, rebuts: [c, c, c], "
        "text: R.}\nevidence:\n  - {id: e, supports: [r, r], text: E.}\n",
    )
    code, _, err = check(tmp_path, capsys)
    assert code == 0, err
    assert "claims.yaml:5:25: warning: rebuttal 'r' names 'c' in 'rebuts' again" in err
    assert err.count("names 'c' in 'rebuts' again") == 1  # once, however often repeated
    assert "claims.yaml:7:27: warning: evidence 'e' names 'r' in 'supports' again" in err
    assert main(["export", str(tmp_path / "claims.yaml"), "--format", "json", "-o", "-"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["edges"] == [
        {"from": "r", "to": "c", "relation": "rebuts"},
        {"from": "e", "to": "r", "relation": "supports"},
    ]
    code, _, err = check(tmp_path, capsys, "--strict", "claims.yaml")
    assert code == 1


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("version: true", "version true is not known"),
        ("version: yes", "version yes is not known"),
        ("version: 01", "version '01' is not known"),
        ("version: 1.0", "version 1.0 is not known"),
    ],
)
def test_version_must_be_the_number_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, says: str
) -> None:
    write(tmp_path, line + "\n" + MAP)
    code, _, err = check(tmp_path, capsys)
    assert code == 1
    assert f"claims.yaml:1:10: error: {says}" in err


@pytest.mark.parametrize("date", ["0x7d7", "33:27", "03727", "0b11111010111", "2_007", "0o3727"])
def test_a_year_written_any_other_way_is_not_a_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], date: str
) -> None:
    write(
        tmp_path,
        MAP.replace("claims:", f"sources:\n  - {{id: s, title: S, date: {date}}}\nclaims:"),
    )
    code, _, err = check(tmp_path, capsys)
    assert code == 1, err
    assert f"claims.yaml:3:29: error: date '{date}' of source 's' is not a date" in err


@pytest.mark.parametrize("ident", ['"a\\n"', '"a\\r"', "'a '", '"a\\u2028"'])
def test_an_id_with_a_trailing_line_break_is_not_an_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ident: str
) -> None:
    write(tmp_path, MAP.replace("- id: c\n", f"- id: {ident}\n"))
    code, _, err = check(tmp_path, capsys)
    assert code == 1
    assert "claims.yaml:3:9: error: " in err
    assert "is not a valid id" in err
    assert "claims.yaml:3:9: warning" not in err  # nor is it an id that other checks know


def test_the_summary_counts_every_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More warnings than are shown (it said 101 for 100,000)."""
    evidence = "".join(f"  - {{id: e{i}, supports: c, text: E.}}\n" for i in range(5_000))
    write(tmp_path, MAP + "evidence:\n" + evidence)
    code, out, err = check(tmp_path, capsys)
    assert code == 0
    assert "(5000 warnings)" in out
    assert "4997 more evidence without a source, at lines 11, 12, 13, 14, 15, …" in err
    code, out, err = check(tmp_path, capsys, "--verbose", "claims.yaml")
    assert code == 0
    assert "(5000 warnings)" in out
    assert "stopped after 100 findings (4900 more not shown)" in err
    code, _, err = check(tmp_path, capsys, "--strict", "claims.yaml")
    assert code == 1
    assert "claims.yaml: 5000 errors: invalid" in err
