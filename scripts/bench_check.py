"""The CPU time and peak memory of `argmap check` on hostile maps near the 4 MiB cap.

    .venv/bin/python scripts/bench_check.py [--only NAME] [--cpu-limit SECONDS] [--keep DIR]

Each case is generated into a temporary folder (`make_case`), then `argmap check` runs on it
as a subprocess; the table gives its CPU time (user + system) and peak resident memory, read
from the child's own resource usage (`os.wait4`), so other load on the machine changes them
little. The goal (SECURITY.md, "Bounded work"): every case within 5 s of CPU and 400 MB.
A child that passes `--cpu-limit` (default 120 s) is stopped by the kernel and shown as such.
A measurement, not a test: nothing here fails the build.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

MAX_BYTES: Final = 4 * 1024 * 1024  # the map cap (argmap.load.MAX_BYTES)
CAP: Final = MAX_BYTES - 64 * 1024  # what each generated map stays under
GOAL_CPU: Final = 5.0
GOAL_MB: Final = 400.0
HEAD: Final = "title: A hostile map\n"


def _fill(line: Callable[[int], str], head: str = HEAD, tail: str = "", cap: int = CAP) -> str:
    """`head`, then `line(0)`, `line(1)`, ... while the text stays under `cap` bytes."""
    parts, size, i = [head], len(head.encode()) + len(tail.encode()), 0
    while True:
        part = line(i)
        size += len(part.encode())
        if size > cap:
            break
        parts.append(part)
        i += 1
    parts.append(tail)
    return "".join(parts)


CLAIM: Final = "claims:\n  - {id: c, text: A claim.}\n"


def missing_files(folder: Path) -> None:
    """Tens of thousands of sources whose files are missing, beside 300 files with near names."""
    (folder / "sources").mkdir()
    for i in range(300):
        (folder / "sources" / f"article-{i:05}.txt").write_text("text\n", encoding="utf-8")
    text = _fill(
        lambda i: f"  - {{id: s{i}, title: T, file: sources/article-{i + 1000:05}.txt}}\n",
        HEAD + CLAIM + "sources:\n",
    )
    (folder / "claims.yaml").write_text(text, encoding="utf-8")


def base60_integers(folder: Path) -> None:
    """YAML 1.1 base-60 integers: one of a million groups, read by PyYAML in quadratic time."""
    groups = (CAP - 200) // 3
    (folder / "claims.yaml").write_text(
        HEAD + CLAIM.replace("A claim.", "1" + ":59" * groups), encoding="utf-8"
    )


def long_integers(folder: Path) -> None:
    """Integers too long for Python's int-to-text limit, in hex, octal, binary and decimal."""
    n = (CAP - 400) // 5
    text = (
        HEAD
        + "version: 0x"
        + "f" * n
        + "\nquestion: 0o"
        + "7" * n
        + "\nsummary: 0b"
        + "1" * n
        + "\nclaims:\n  - id: "
        + "9" * n
        + "\n    text: "
        + "1_0" * (n // 3)
        + "\n"
    )
    (folder / "claims.yaml").write_text(text, encoding="utf-8")


def _big_repetitive_source(folder: Path, words: str) -> None:
    (folder / "big.txt").write_text(words * (8 * 1024 * 1024 // len(words) - 1), encoding="utf-8")


def one_missing_quote_in_a_big_source(folder: Path) -> None:
    """A quote not in an 8 MiB source of short words (three million of them) that repeats the
    quote's own words all through."""
    _big_repetitive_source(folder, "to be or not to be that is the question ")
    quote = "to be or not to be is not the question that it is " * 20
    (folder / "claims.yaml").write_text(
        HEAD
        + "sources:\n  - {id: s, title: S, file: big.txt}\n"
        + f"claims:\n  - id: c\n    text: A claim.\n    source: s\n    quote: {quote}\n",
        encoding="utf-8",
    )


def thousands_of_missing_quotes(folder: Path) -> None:
    """Thousands of different quotes, none in the 8 MiB repetitive source they all name."""
    _big_repetitive_source(folder, "the road show replaces all the other players in the industry ")

    def claim(i: int) -> str:
        quote = f"the road show replaces all the other players number {i} in the industry"
        return f"  - {{id: c{i}, text: A claim., source: s, quote: {quote}}}\n"

    (folder / "claims.yaml").write_text(
        _fill(claim, HEAD + "sources:\n  - {id: s, title: S, file: big.txt}\nclaims:\n"),
        encoding="utf-8",
    )


def many_unknown_references(folder: Path) -> None:
    """Every rebuttal names a point that does not exist, among thousands of near names."""
    ids = "".join(f"  - {{id: point-{i:06}, text: A claim.}}\n" for i in range(20_000))
    (folder / "claims.yaml").write_text(
        _fill(
            lambda i: f"  - {{id: r{i}, rebuts: point-{i:06}x, text: R.}}\n",
            HEAD + "claims:\n" + ids + "rebuttals:\n",
        ),
        encoding="utf-8",
    )


def duplicate_targets(folder: Path) -> None:
    """One rebuttal naming the same claim a million times."""
    (folder / "claims.yaml").write_text(
        _fill(
            lambda _: "c, ",
            HEAD + CLAIM + "rebuttals:\n  - id: r\n    text: R.\n    rebuts: [",
            "c]\n",
        ),
        encoding="utf-8",
    )


def many_points(folder: Path) -> None:
    """A valid map of about 100,000 points (the realistic worst case: pairs answering each
    other), for comparison."""
    (folder / "claims.yaml").write_text(
        _fill(
            lambda i: (
                f"  - {{id: a{i}, rebuts: b{i}, text: Point a{i}.}}\n"
                f"  - {{id: b{i}, rebuts: a{i}, text: Point b{i}.}}\n"
            ),
            HEAD + CLAIM + "rebuttals:\n  - {id: r, rebuts: c, text: R.}\n",
        ),
        encoding="utf-8",
    )


CASES: Final[dict[str, Callable[[Path], None]]] = {
    "missing-files": missing_files,
    "base-60-integers": base60_integers,
    "long-integers": long_integers,
    "one-missing-quote-big-source": one_missing_quote_in_a_big_source,
    "thousands-of-missing-quotes": thousands_of_missing_quotes,
    "many-unknown-references": many_unknown_references,
    "duplicate-targets": duplicate_targets,
    "many-points": many_points,
}


def make_case(name: str, folder: Path) -> Path:
    """Generate case `name` into `folder`; the path of its map."""
    CASES[name](folder)
    return folder / "claims.yaml"


def run_check(map_path: Path, cpu_limit: int) -> tuple[int, float, float]:
    """`argmap check` on `map_path`: its exit code (negative: a signal), CPU seconds, peak MB."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 5))

    argmap = shutil.which("argmap", path=str(Path(sys.executable).parent)) or "argmap"
    child = subprocess.Popen(
        [argmap, "check", map_path.name],
        cwd=map_path.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=limit,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only these")
    parser.add_argument("--cpu-limit", type=int, default=120, help="stop a child after this CPU")
    parser.add_argument("--keep", type=Path, help="generate the cases into DIR and keep them")
    args = parser.parse_args()
    print(
        f"argmap check on generated hostile maps (goal: <= {GOAL_CPU:g} s CPU, "
        f"<= {GOAL_MB:g} MB each; CPU is user+sys of the child, peak RSS from wait4)"
    )
    print(f"{'case':<32} {'map':>9} {'sources':>9} {'exit':>5} {'CPU s':>8} {'peak MB':>8}  goal")
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        for name in args.only or list(CASES):
            folder = (args.keep or Path(tmp)) / name
            folder.mkdir(parents=True, exist_ok=True)
            map_path = make_case(name, folder)
            size = map_path.stat().st_size / 2**20
            files = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20 - size
            code, cpu, mb = run_check(map_path, args.cpu_limit)
            shown = "killed" if code < 0 else str(code)
            cpu_text = f">{args.cpu_limit}" if code < 0 else f"{cpu:.2f}"
            ok = "ok" if code >= 0 and cpu <= GOAL_CPU and mb <= GOAL_MB else "OVER"
            print(
                f"{name:<32} {size:>5.2f} MiB {files:>5.2f} MiB {shown:>5} {cpu_text:>8} "
                f"{mb:>8.0f}  {ok}"
            )
            if not args.keep:
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
