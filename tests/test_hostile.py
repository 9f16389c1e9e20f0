"""The hostile-input corpus, run through the real command line (`python -m argmap build`).

Whatever a claims.yaml, or the folder around it, holds, argmap answers with a clear message or
a correct output: never a traceback, a hang, a leak of a file outside the map's folder, or a
half-written output.

Each case is a folder in `tests/hostile/` (its `claims.yaml`, the files it names, and
`expect.txt`), or, for what cannot or should not be committed (huge, binary or special files,
symbolic links), a recipe below that makes the folder at test time. `expect.txt`:

    # what the case is about
    exit N          the exit code
    err TEXT        TEXT is in standard error (FILE:LINE:COL where there is one)
    out TEXT        TEXT is in standard output
    html TEXT       TEXT is in the brief's visible text
    svg TEXT        TEXT is in the diagram's text or tooltips
    json TEXT       TEXT is in one of the JSON export's strings

Every case also checks, whatever it expects: no traceback; every line of standard error a
`FILE:LINE:COL: error|warning: ...` diagnostic, the summary, or an `argmap: ...` message; no
word of a file outside the map's folder anywhere; a bounded run time; nothing written on an
invalid map; and, when outputs are written, that each is whole and valid (`check_outputs`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import argmap.render.diagram
import argmap.validate
import argmap.validate.quotes
from argmap.cli import CACHE, main
from argmap.errors import InvalidMap
from argmap.evaluate import MAX_CYCLE, evaluate, grounded
from argmap.evaluate.reasons import words
from argmap.model import ArgMap, Evidence, Rebuttal
from argmap.pipeline import check
from tests.conftest import Page, cpu_of_children

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "hostile"
HAS_DOT = shutil.which("dot") is not None
OUTSIDE_WORDS = "words-from-outside-5f1c"  # in a file outside the map's folder: must never be read
DIAGNOSTIC = re.compile(r"^[^\n]+:\d+:\d+: (error|warning): [^\n]+$")
MESSAGE = re.compile(r"^(argmap: |\S+: \d+ (error|warning)|\S+: \d+ claims?, )")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
# Characters the brief writes as U+FFFD (HTML does not allow them); the JSON keeps them.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BASE = """\
title: A small map
sources:
  - id: s
    title: A source
speakers:
  - id: p
    name: Pat
claims:
  - id: a
    text: A claim.
    by: p
    source: s
rebuttals:
  - id: r
    rebuts: a
    text: A rebuttal.
"""


@dataclass(frozen=True)
class Case:
    name: str
    exit: int
    expect: tuple[tuple[str, str], ...] = ()
    make: Callable[[Path, Path], str] | None = None  # (map folder, outside) -> the map argument
    args: tuple[str, ...] = ()
    no_dot: bool = False  # run with no `dot` on PATH
    seconds: float = 20.0  # the most CPU time a run may use (a hang is caught by the timeout)


def from_folder(folder: Path) -> Case:
    exit_code, expect = None, []
    for line in (folder / "expect.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if key == "exit":
            exit_code = int(value)
        else:
            assert key in ("err", "out", "html", "svg", "json"), f"{folder.name}: {line}"
            expect.append((key, value))
    assert exit_code is not None, f"{folder.name}/expect.txt has no 'exit' line"

    def make(target: Path, _outside: Path) -> str:
        shutil.copytree(
            folder, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt")
        )
        return "claims.yaml"

    return Case(folder.name, exit_code, tuple(expect), make)


# --- recipes: cases made at test time ------------------------------------------------------

RECIPES: list[Case] = []


def recipe(
    exit_code: int, *expect: str, **options: Any
) -> Callable[[Callable[[Path, Path], str | None]], Callable[[Path, Path], str | None]]:
    """Register a case made by the decorated function (which returns the map argument, or None
    for claims.yaml); `expect` items are "KEY TEXT" as in expect.txt."""

    def register(make: Callable[[Path, Path], str | None]) -> Callable[[Path, Path], str | None]:
        def made(folder: Path, outside: Path) -> str:
            return make(folder, outside) or "claims.yaml"

        pairs = tuple((k, v) for k, _, v in (e.partition(" ") for e in expect))
        RECIPES.append(Case(make.__name__.replace("_", "-"), exit_code, pairs, made, **options))
        return make

    return register


def map_with(folder: Path, text: str | bytes, **files: str | bytes) -> None:
    for name, content in {"claims.yaml": text, **files}.items():
        path = folder / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def with_file(file: str) -> str:
    return BASE.replace("    title: A source\n", f"    title: A source\n    file: {file}\n")


@recipe(0)
def utf8_byte_order_mark(folder: Path, _: Path) -> None:
    map_with(folder, b"\xef\xbb\xbf" + BASE.encode())


@recipe(0, "json A claim.")
def crlf_line_endings(folder: Path, _: Path) -> None:
    map_with(folder, BASE.replace("\n", "\r\n").encode())


@recipe(1, "err claims.yaml:15:5: error: rebuttal 'r' has a field 'rebut'")
def crlf_positions_in_errors(folder: Path, _: Path) -> None:
    map_with(folder, BASE.replace("rebuts:", "rebut:").replace("\n", "\r\n").encode())


@recipe(1, "err claims.yaml:1:1: error: the file is saved as UTF-16; save it as UTF-8")
def utf16(folder: Path, _: Path) -> None:
    map_with(folder, BASE.encode("utf-16"))


@recipe(1, "err claims.yaml:1:11: error: the file is not UTF-8 text (byte 0xE9 here)")
def latin1(folder: Path, _: Path) -> None:
    map_with(folder, BASE.replace("A small map", "Caf\xe9 talk").encode("latin-1"))


@recipe(1, "err claims.yaml:10:13: error: the file holds the control character U+0000 here")
def nul_byte(folder: Path, _: Path) -> None:
    map_with(folder, BASE.replace("A claim.", "A \x00claim.").encode())


@recipe(
    0, "json A \x00claim \x1b[31mred\x1b[0m \x7f\x85\x9b end", "html A \ufffdclaim \ufffd[31mred"
)
def control_characters_by_yaml_escapes(folder: Path, _: Path) -> None:
    """YAML's own escapes let controls into a text: the JSON keeps them, the brief and the
    diagram write U+FFFD (HTML and SVG cannot hold them), nothing reaches a terminal."""
    map_with(
        folder,
        BASE.replace("text: A claim.", 'text: "A \\0claim \\e[31mred\\e[0m \\x7f\\N\\x9b end"'),
    )


@recipe(1, "err claims.yaml:1:", "err nests deeper than 64 levels")
def nesting_10000_flow_lists(folder: Path, _: Path) -> None:
    map_with(folder, "[" * 10_000 + "]" * 10_000 + "\n")


@recipe(1, "err claims.yaml:1:", "err nests deeper than 64 levels")
def nesting_10000_flow_mappings(folder: Path, _: Path) -> None:
    map_with(folder, "{a: " * 10_000 + "}" * 10_000 + "\n")


@recipe(1, "err claims.yaml:3:", "err nests deeper than 64 levels")
def nesting_10000_block_lists(folder: Path, _: Path) -> None:
    map_with(folder, "title: T\nclaims:\n" + "- " * 10_000 + "x\n")


@recipe(
    1,
    "err claims.yaml:1:1: error: the file is 50 MiB; argmap reads maps of at most 4 MiB",
    seconds=5,
)
def map_of_50_mb(folder: Path, _: Path) -> None:
    with (folder / "claims.yaml").open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: refused by its size, never read


TEXT_1MB = " ".join(f"w{i} <b>&amp;\\N" for i in range(70_000))[: 2**20]


@recipe(
    0,
    f"json {TEXT_1MB}",
    f"html {TEXT_1MB[-2000:].strip()}",
    "svg w0 <b>&amp;∖N w1",
    "svg w0 <b>&amp;∖N w1 <b>&amp;∖N w2",
    seconds=30,
)
def text_of_1_mb(folder: Path, _: Path) -> None:
    """A 1 MiB text builds: the diagram shows its start (and more in the tooltip), the brief
    and the JSON all of it. So do a 20 KiB title and question (dot refuses strings > 16 KiB)."""
    long = "T " * 10_000
    map_with(
        folder,
        BASE.replace("A small map", long)
        .replace("A claim.", TEXT_1MB)
        .replace("sources:", f"question: {long}?\nsources:"),
    )


@recipe(
    1,
    "err claims.yaml:5:11: error: file 'big.txt' is 100 MiB; argmap reads source files "
    "of at most 8 MiB",
    seconds=5,
)
def source_of_100_mb(folder: Path, _: Path) -> None:
    map_with(folder, with_file("big.txt"))
    with (folder / "big.txt").open("wb") as f:
        f.truncate(100 * 2**20)


@recipe(1, "err claims.yaml:5:11: error: file 'pipe.txt' is not a regular file", seconds=10)
def source_is_a_fifo(folder: Path, _: Path) -> None:
    map_with(folder, with_file("pipe.txt"))
    os.mkfifo(folder / "pipe.txt")  # nobody ever writes: reading would wait forever


@recipe(
    1,
    "err claims.yaml:5:11: error: file 'sources/article.txt' is a link to a file outside "
    "the map's folder",
)
def source_is_a_link_to_outside(folder: Path, outside: Path) -> None:
    map_with(folder, with_file("sources/article.txt"))
    (folder / "sources").mkdir()
    (folder / "sources" / "article.txt").symlink_to(outside / "secret.txt")


@recipe(1, "err claims.yaml:5:11: error: file 'sources/secret.txt' is a link to a file outside")
def source_folder_is_a_link_to_outside(folder: Path, outside: Path) -> None:
    map_with(folder, with_file("sources/secret.txt"))
    (folder / "sources").symlink_to(outside, target_is_directory=True)


@recipe(0)
def source_is_a_link_inside(folder: Path, _: Path) -> None:
    map_with(
        folder,
        with_file("current.txt").replace("    source: s\n", "    quote: A claim\n    source: s\n"),
        **{"v2.txt": "A claim."},
    )
    (folder / "current.txt").symlink_to("v2.txt")


@recipe(
    1, "err claims.yaml:5:11: error: file 'src.txt' is not UTF-8 text (byte 0xE9 on its line 2)"
)
def source_not_utf8(folder: Path, _: Path) -> None:
    map_with(folder, with_file("src.txt"), **{"src.txt": b"fine\ncaf\xe9\n"})


@recipe(2, "err argmap: maps is a folder; give the path to the claims.yaml inside it")
def map_is_a_folder(folder: Path, _: Path) -> str:
    (folder / "maps").mkdir()
    return "maps"


@recipe(2, "err argmap: pipe.yaml is not a regular file", seconds=10)
def map_is_a_fifo(folder: Path, _: Path) -> str:
    os.mkfifo(folder / "pipe.yaml")
    return "pipe.yaml"


@recipe(2, "err argmap: nothing.yaml: no such file")
def map_is_missing(_: Path, __: Path) -> str:
    return "nothing.yaml"


@recipe(0, "out wrote out/brief.html")
def map_is_a_link_to_outside(folder: Path, outside: Path) -> None:
    """The map path is the user's own choice: read it wherever it leads; out/ is beside it."""
    (outside / "real.yaml").write_text(BASE)
    (folder / "claims.yaml").symlink_to(outside / "real.yaml")


@recipe(1, "err claims.yaml:5:11: error: file 'secret.txt' does not exist")
def linked_map_reads_files_beside_the_link(folder: Path, outside: Path) -> None:
    """The map's folder is the folder of the path given, not of where a link leads."""
    (outside / "real.yaml").write_text(with_file("secret.txt"))
    (folder / "claims.yaml").symlink_to(outside / "real.yaml")


@recipe(
    1,
    "err templates/brief.css:1:1: error: templates/brief.css is a link to a file outside "
    "its folder (templates/)",
)
def template_is_a_link_to_outside(folder: Path, outside: Path) -> None:
    map_with(folder, BASE)
    (folder / "templates").mkdir()
    (folder / "templates" / "brief.css").symlink_to(outside / "secret.txt")


@recipe(
    1,
    "err templates:1:1: error: the templates folder is a link to a folder outside the map's folder",
)
def templates_folder_is_a_link_to_outside(folder: Path, outside: Path) -> None:
    map_with(folder, BASE)
    (outside / "brief.css").write_text(f"/* {OUTSIDE_WORDS} */")
    (folder / "templates").symlink_to(outside, target_is_directory=True)


@recipe(
    1, "err templates/brief.css:1:1: error: templates/brief.css is not a regular file", seconds=10
)
def template_is_a_fifo(folder: Path, _: Path) -> None:
    map_with(folder, BASE)
    (folder / "templates").mkdir()
    os.mkfifo(folder / "templates" / "brief.css")


@recipe(1, "err templates/brief.css:1:1: error: templates/brief.css is not UTF-8 text (byte 0xE9)")
def template_not_utf8(folder: Path, _: Path) -> None:
    map_with(folder, BASE, **{"templates__brief.css": b"/* caf\xe9 */"})


@recipe(1, "err templates/brief.css:1:1: error: templates/brief.css is larger than 1 MiB")
def template_of_2_mb(folder: Path, _: Path) -> None:
    map_with(folder, BASE, **{"templates__brief.css": "/* x */\n" * 2**18})


@recipe(
    1,
    "err brief.html.j2:1:1: error: template error: the template makes a text or list "
    "longer than 1000000",
)
def template_makes_a_huge_text(folder: Path, _: Path) -> None:
    map_with(folder, BASE, **{"templates__brief.html.j2": '{{ "x" * 10**10 }}'})


@recipe(1, "err brief.html.j2:1:1: error: template error: access to attribute '__class__'")
def template_reaches_for_python(folder: Path, _: Path) -> None:
    map_with(folder, BASE, **{"templates__brief.html.j2": "{{ argmap.__class__.__mro__ }}"})


@recipe(1, "err claims.yaml:", "err stopped after 100 findings", seconds=15)
def many_unknown_references(folder: Path, _: Path) -> None:
    """5,000 unknown ids among 5,000 others: 'did you mean' stays within its bound."""
    claims = "".join(f"  - {{id: claim-{i}, text: t}}\n" for i in range(5000))
    rebuttals = "".join(f"  - {{id: r-{i}, text: t, rebuts: clam-{i}}}\n" for i in range(5000))
    map_with(folder, f"title: T\nclaims:\n{claims}rebuttals:\n{rebuttals}")


@recipe(1, "err claims.yaml:", "err is not in big.txt", seconds=20)
def many_quotes_missing_from_a_big_source(folder: Path, _: Path) -> None:
    """300 quotes that are not in a 4 MiB source: each closest passage costs a scan of the
    source, so past a bound the messages go without one."""
    big = ("lorem ipsum dolor sit amet consectetur " * 20 + "\n") * 5000
    claims = "".join(
        f"  - {{id: c{i}, text: t, quote: no such words {i}, source: s}}\n" for i in range(300)
    )
    map_with(
        folder,
        f"title: T\nsources:\n  - {{id: s, title: S, file: big.txt}}\nclaims:\n{claims}",
        **{"big.txt": big},
    )


@recipe(1, "err claims.yaml:5:", "err the quote of claim 'c' is not in big.txt", seconds=10)
def long_quote_against_repetitive_source(folder: Path, _: Path) -> None:
    """A regular expression would backtrack for hours here; the search is linear."""
    map_with(
        folder,
        "title: T\nsources:\n  - {id: s, title: S, file: big.txt}\nclaims:\n"
        f"  - {{id: c, text: t, source: s, quote: '{'a ' * 20_000}b'}}\n",
        **{"big.txt": "a " * 2_000_000},
    )


@recipe(0, "err claims.yaml:23:10: warning: source 's20' is never used", seconds=20)
def one_big_source_named_by_many_sources(folder: Path, _: Path) -> None:
    """2,000 sources naming one 8 MiB file: it is read once (not 16 GB of copies)."""
    sources = "".join(f"  - {{id: s{i}, title: S, file: big.txt}}\n" for i in range(2000))
    claims = "".join(
        f"  - {{id: c{i}, text: t, source: s{i}, quote: words {i}}}\n" for i in range(20)
    )
    text = " ".join(f"words {i}" for i in range(20)) + " " + "x" * (8 * 2**20 - 1000)
    map_with(folder, f"title: T\nsources:\n{sources}claims:\n{claims}", **{"big.txt": text})


@recipe(1, "err claims.yaml:", "err would take the source files of this map past 32 MiB")
def sources_over_32_mib_in_all(folder: Path, _: Path) -> None:
    sources = "".join(f"  - {{id: s{i}, title: S, file: f{i}.txt}}\n" for i in range(5))
    map_with(
        folder,
        f"title: T\nsources:\n{sources}claims:\n  - {{id: c, text: t}}\n",
        **{f"f{i}.txt": "x" * (7 * 2**20) for i in range(5)},
    )


@recipe(0)
def reason_longer_than_dot_allows(folder: Path, _: Path) -> None:
    """A claim rebutted 400 times by long ids: its reason would make a 26 KiB tooltip, more
    than dot reads in one string; the tooltip is cut instead."""
    ids = [f"rebuttal-{i:03d}-" + "x" * 50 for i in range(400)]
    rebuttals = "".join(f"  - {{id: {i}, text: t, rebuts: a}}\n" for i in ids)
    map_with(folder, f"title: T\nclaims:\n  - {{id: a, text: t}}\nrebuttals:\n{rebuttals}")


@recipe(3, "err argmap: Graphviz's dot was not found on PATH", no_dot=True, seconds=70)
def twenty_thousand_points_no_claim_reaches(folder: Path, _: Path) -> None:
    """10,000 pairs of rebuttals answering each other, reached from no claim: the brief lists
    them under "Further points" in linear time (it took minutes at 40,000)."""
    pairs = "".join(
        f"  - {{id: a{i}, text: t, rebuts: b{i}}}\n  - {{id: b{i}, text: t, rebuts: a{i}}}\n"
        for i in range(10_000)
    )
    map_with(folder, f"title: T\nclaims:\n  - {{id: c, text: t}}\nrebuttals:\n{pairs}")


@recipe(0, "out wrote out/claims/ (1 picture)", seconds=30)
def long_chain_of_rebuttals(folder: Path, _: Path) -> None:
    """A chain of 400 rebuttals: drawn in full it made a picture too large for a PNG; as the
    overview (and the claim's own picture, 4 levels deep) every picture stays small."""
    rebuttals = "".join(f"  - {{id: r{i}, text: t, rebuts: r{i - 1}}}\n" for i in range(1, 400))
    map_with(folder, f"title: T\nclaims:\n  - {{id: r0, text: t}}\nrebuttals:\n{rebuttals}")


@recipe(
    2,
    "err argmap: --dot-timeout must be a number of seconds above 0",
    args=("--dot-timeout", "nan"),
)
def dot_timeout_not_a_number(folder: Path, _: Path) -> None:
    map_with(folder, BASE)


def _builds(folder: Path) -> bool:
    """A case of `argmap build claims.yaml` (one with a `run` line is another command's:
    tests/test_hostile_commands.py runs it)."""
    expect = (folder / "expect.txt").read_text(encoding="utf-8")
    return not any(line.startswith("run ") for line in expect.splitlines())


CASES = sorted(
    [
        *map(from_folder, sorted(p for p in CORPUS.iterdir() if p.is_dir() and _builds(p))),
        *RECIPES,
    ],
    key=lambda c: c.name,
)


def test_the_corpus_is_large_and_each_name_is_unique() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


# --- running a case --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    if case.exit == 0 and not HAS_DOT:
        pytest.skip("Graphviz's dot is not on PATH")
    folder, outside = tmp_path / "map", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{OUTSIDE_WORDS}\n")
    assert case.make is not None
    target = case.make(folder, outside)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if case.no_dot:
        env["PATH"] = str(tmp_path / "no-tools")
    started = cpu_of_children()
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "build", target, *case.args],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    took = cpu_of_children() - started  # CPU time: a busy machine does not make it grow
    err, out = done.stderr.decode("utf-8"), done.stdout.decode("utf-8")
    assert "Traceback" not in err and "internal error" not in err, err
    assert done.returncode == case.exit, err[-3000:]
    assert took < case.seconds, f"took {took:.1f} s of CPU"
    for line in err.splitlines():
        assert DIAGNOSTIC.match(line) or MESSAGE.match(line), line[:300]
    assert len(err.splitlines()) <= 110
    assert OUTSIDE_WORDS not in err + out
    for key, text in case.expect:
        if key in ("err", "out"):
            assert text in (err if key == "err" else out), f"{key} {text[:200]}\n{err[-2000:]}"
    written = folder / "out"
    if case.exit in (1, 2):
        assert not written.exists()
        return
    drawn = case.exit == 0
    png = drawn and "PNG skipped" not in err  # a PNG too large to read is left out, and said so
    found = check_outputs(written, folder / target, drawn=drawn, png=png)
    for key, text in case.expect:
        if key in found:
            assert text in found[key], f"{key} {text[:200]}"


# --- the outputs are whole and valid ---------------------------------------------------------


def texts_of(m: ArgMap) -> list[str]:
    """Every text a person wrote in the map."""
    found = [m.title, m.question, m.summary]
    found += [v for s in m.sources for v in (s.title, s.publisher, s.author)]
    found += [v for s in m.speakers for v in (s.name, s.role, s.org)]
    found += [v for s in m.statements() for v in (s.text, s.quote)]
    return [t for t in found if t]


def check_outputs(
    out: Path, map_path: Path, *, drawn: bool, png: bool | None = None
) -> dict[str, str]:
    """Assert that every output in `out` is whole, valid and true to the map; return the text
    of the brief, the diagram and the JSON for the case's own expectations."""
    m = check(map_path).argmap
    ids = [s.id for s in m.statements()]
    png = drawn if png is None else png
    names = (
        {"argmap.json", "argmap.dot", "brief.html"}
        | ({"argmap.svg", "claims"} if drawn else set())
        | ({"argmap.png"} if png else set())
    )
    # Every output, and no temporary file left (the layout cache aside).
    assert {p.name for p in out.iterdir() if p.name != CACHE} == names
    if drawn:  # a picture per claim, each a whole SVG
        pictures = sorted(p.name for p in (out / "claims").iterdir())
        assert pictures == sorted(f"{c.id}.svg" for c in m.claims)
        for claim in m.claims:
            check_svg((out / "claims" / f"{claim.id}.svg").read_bytes(), ids, [claim.id])
    blob = (out / "argmap.json").read_text(encoding="utf-8")
    doc = json.loads(blob)
    check_json(doc, m)
    dot = (out / "argmap.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph argmap {") and dot.rstrip().endswith("}")
    declared = set(re.findall(r'^\t"?([a-z0-9][a-z0-9-]*)"? \[', dot, re.M))
    if argmap.render.diagram.drawn_in_full(m, evaluate(m)):
        assert declared >= set(ids)
    else:  # the overview: every claim, and some of the rebuttals
        assert set(ids) >= declared - {"graph", "node", "edge"} >= {c.id for c in m.claims}
    html = (out / "brief.html").read_text(encoding="utf-8")
    page = check_html(html, m)
    found = {"html": page.words(), "json": "\n".join(strings(doc))}
    if png:
        assert (out / "argmap.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        found["svg"] = check_svg((out / "argmap.svg").read_bytes(), ids)
        full = argmap.render.diagram.drawn_in_full(m, evaluate(m))
        check_inlined_svg(html, ids if full else [c.id for c in m.claims], full=full)
    for text in found.values():
        assert OUTSIDE_WORDS not in text
    return found


def check_json(doc: dict[str, Any], m: ArgMap) -> None:
    assert doc["format"] == "argmap/1"
    assert (doc["title"], doc["question"], doc["summary"]) == (m.title, m.question, m.summary)
    assert [n["id"] for n in doc["nodes"]] == [s.id for s in m.statements()]
    edges = [(s.id, t, "rebuts") for s in m.rebuttals for t in s.rebuts]
    edges += [(s.id, t, "supports") for s in m.evidence for t in s.supports]
    assert [(e["from"], e["to"], e["relation"]) for e in doc["edges"]] == edges
    standings = grounded(
        [n["id"] for n in doc["nodes"]], [(f, t) for f, t, r in edges if r == "rebuts"]
    )
    for node, s in zip(doc["nodes"], m.statements(), strict=True):
        assert node["standing"] == standings[s.id]
        assert (node["text"], node["quote"], node["by"]) == (s.text, s.quote, s.by)
        kind = (
            "rebuttal"
            if isinstance(s, Rebuttal)
            else ("evidence" if isinstance(s, Evidence) else "claim")
        )
        assert node["kind"] == kind
    assert doc["sources"] == [s.model_dump() for s in m.sources]
    assert doc["speakers"] == [s.model_dump() for s in m.speakers]


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def check_html(html: str, m: ArgMap) -> Page:
    assert html.rstrip().endswith("</html>")
    assert not CONTROLS.search(html)
    page = Page(html)
    for node in m.statements():
        assert page.ids.get(node.id) == 1, node.id  # each card once
    assert [
        t
        for t, _ in page.tags
        if t in ("img", "iframe", "object", "embed", "textarea", "base", "meta-refresh")
    ] == []
    for tag, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        assert "src" not in attrs or tag not in ("script", "iframe"), (tag, attrs)
        for k in ("href", "xlink:href", "src", "action"):
            link = attrs.get(k, "").strip().lower()
            assert not link.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    code = "".join(page.code)
    words = page.words()
    for text in texts_of(m):
        shown = " ".join(CONTROLS.sub("\ufffd", text).split())
        if len(shown) >= 12:
            assert shown[:200] not in code  # no user text inside a script or a style
        for part in CONTROLS.sub("\ufffd", text).splitlines():
            part = " ".join(part.split())
            if part and len(part) < 5000:
                assert part in words, part[:200]
    return page


KEY = ["_key_claim", "_key_rebuttal", "_key_evidence", "_key_stands", "_key_defeated"]
KEY += ["_key_undecided"]


def check_svg(svg: bytes, ids: list[str], claims: list[str] | None = None) -> str:
    """The whole map's picture (every point and the key; or, for a large map, the overview:
    every claim and the key), or with `claims` a claim's own picture (its points, none
    more); safe, and linking only to the brief's cards and the claims' pictures."""
    lowered = svg.lower()
    for bad in (b"<script", b"<foreignobject", b"<iframe", b"<!entity"):
        assert bad not in lowered
    root = ET.fromstring(svg)  # noqa: S314 - dot's own output, parsed to check it
    nodes = [
        str(g.findtext(f"{SVG}title")) for g in root.iter(f"{SVG}g") if g.get("class") == "node"
    ]
    if claims is not None:
        assert nodes[0] == claims[0] and set(nodes) <= set(ids)
    elif len(nodes) == len(ids) + len(KEY):
        assert nodes == [*ids, *KEY]
    else:  # the overview
        assert set(KEY) <= set(nodes)
        assert all(n in ids or n.startswith("_more_") or n in KEY for n in nodes)
    inside = "../brief.html#" if claims is not None else "brief.html#"
    for element in root.iter():
        assert not [k for k in element.attrib if k.lower().startswith("on")]
        link = element.get(f"{XLINK}href", element.get("href", ""))
        assert (
            link.startswith(inside)
            or re.fullmatch(r"claims/[a-z0-9][a-z0-9-]*\.svg", link)
            or not link
        ), link
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    titles = [str(a.get(f"{XLINK}title") or "") for a in root.iter(f"{SVG}a")]
    return "\n".join(texts + titles)


def check_inlined_svg(html: str, ids: list[str], *, full: bool = True) -> None:
    """Every diagram in the brief (the whole map's, then each claim's in its card) is
    well-formed XML, holds only SVG, no event attribute, style or script; the whole map's has
    one node anchored for each point (`full`), or, the overview, for each claim in `ids`."""
    pictures = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert pictures
    for n, picture in enumerate(pictures):
        root = ET.fromstring(picture)  # noqa: S314
        anchored = []
        for element in root.iter():
            assert element.tag.startswith(SVG), element.tag
            assert element.tag[len(SVG) :] not in ("script", "style", "foreignObject")
            assert not [k for k in element.attrib if k.lower().startswith("on") or k == "style"]
            if element.get("class") == "node" and element.get("id", "").startswith("node_"):
                anchored.append(element.get("id"))
        if n == 0 and full:
            assert anchored == [f"node_{i}" for i in ids]
        elif n == 0:
            assert set(anchored) >= {f"node_{i}" for i in ids}
        else:  # a claim's own picture anchors nothing: its ids are its own ("cd_ID_...")
            assert anchored == []
            assert all(e.get("id", "cd_").startswith("cd_") for e in root.iter())


@pytest.mark.needs_dot
def test_a_build_opens_no_network_connection(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Links in a map are written into the brief, never fetched: a whole build with every
    way out to the network closed."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("argmap tried to reach the network")

    shutil.copytree(CORPUS / "html-in-every-field", tmp_path / "map")
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert main(["build", str(tmp_path / "map" / "claims.yaml")]) == 0
    assert len([p for p in (tmp_path / "map" / "out").iterdir() if p.name != CACHE]) == 6


def test_a_ring_of_50000_rebuttals_is_evaluated_in_bounded_time_and_memory() -> None:
    """Naming the cycle in each reason cost time and memory growing with the square of the
    ring (every reason named all 50,000 steps); cycles are now named up to MAX_CYCLE steps,
    and the search for them has a bound for the whole map."""
    n = 50_000
    rebuttals = [{"id": f"r{i}", "text": "t", "rebuts": [f"r{(i + 1) % n}"]} for i in range(n)]
    m = ArgMap.model_validate(
        {
            "title": "T",
            "claims": [{"id": "c", "text": "t"}],
            "rebuttals": [*rebuttals, {"id": "x", "text": "t", "rebuts": "c"}],
        }
    )
    started = time.process_time()
    ev = evaluate(m)
    assert time.process_time() - started < 20  # CPU seconds; it takes well under one
    assert ev["r0"].standing == "undecided"
    assert max(len(words(v.reason, str)) for v in ev.verdicts.values()) < 20 * MAX_CYCLE
    five = [{"id": f"s{i}", "text": "t", "rebuts": [f"s{(i + 1) % 5}"]} for i in range(5)]
    small = ArgMap.model_validate(
        {"title": "T", "claims": [{"id": "c", "text": "t"}], "rebuttals": five}
    )
    assert words(evaluate(small)["s0"].reason, str) == (
        "Undecided: caught in a cycle of rebuttals (s0 → s1 → s2 → s3 → s4 → s0)."
    )


def test_a_source_swapped_for_a_link_after_its_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who can write in the map's folder during a check swaps a checked source file
    for a link to a file outside: the read does not follow it."""
    (tmp_path / "outside.txt").write_text(OUTSIDE_WORDS)
    folder = tmp_path / "map"
    folder.mkdir()
    map_with(
        folder,
        with_file("src.txt").replace("    source: s\n", "    quote: x\n    source: s\n"),
        **{"src.txt": "x"},
    )
    real = argmap.validate._Checker.resolve_file

    def swap(self: argmap.validate._Checker, *args: Any) -> Path | None:
        path = real(self, *args)
        (folder / "src.txt").unlink()
        (folder / "src.txt").symlink_to(tmp_path / "outside.txt")
        return path

    monkeypatch.setattr(argmap.validate._Checker, "resolve_file", swap)
    with pytest.raises(InvalidMap) as caught:
        check(folder / "claims.yaml")
    assert "file 'src.txt' cannot be read (Too many levels of symbolic links)" in str(
        caught.value.diagnostics
    )
