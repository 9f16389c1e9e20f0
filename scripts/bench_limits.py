"""The speed goals the tests do not assert: hostile maps checked within their goals.

    .venv/bin/python scripts/bench_limits.py

The tests bound runaway work by CPU time with wide margins (a busy machine must not fail them);
the goals themselves live here. Each case runs in this process; the table shows the CPU time
(user + system), the wall time, and the goal. A measurement, not a test: nothing here fails,
but a row over its goal is marked. Measured on a shared machine, wall time is noisy; read the
CPU column.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from argmap.errors import InvalidMap  # noqa: E402
from argmap.evaluate import evaluate  # noqa: E402
from argmap.model import ArgMap  # noqa: E402
from argmap.pipeline import check  # noqa: E402

SOURCE = "VMware has a growing ecosystem of partners and licensees.\n"


def alias_bomb(folder: Path) -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    _check(folder, "\n".join(lines) + "\n")


def ring_of_50000_rebuttals(_: Path) -> None:
    n = 50_000
    rebuttals = [{"id": f"r{i}", "text": "t", "rebuts": [f"r{(i + 1) % n}"]} for i in range(n)]
    evaluate(
        ArgMap.model_validate(
            {"title": "T", "claims": [{"id": "c", "text": "t"}], "rebuttals": rebuttals}
        )
    )


def unknown_references_5000(folder: Path) -> None:
    claims = "".join(f"  - {{id: claim-{i}, text: t}}\n" for i in range(5000))
    rebuttals = "".join(f"  - {{id: r-{i}, text: t, rebuts: clam-{i}}}\n" for i in range(5000))
    _check(folder, f"title: T\nclaims:\n{claims}rebuttals:\n{rebuttals}")


def quotes_20_against_2_mib(folder: Path) -> None:
    (folder / "big.txt").write_text(SOURCE * (2 * 2**20 // len(SOURCE)), encoding="utf-8")
    claims = "".join(
        f"  - id: c{i}\n    text: t\n    source: s\n    quote: no such words {i}\n"
        for i in range(20)
    )
    _check(folder, f"title: T\nsources:\n  - {{id: s, title: S, file: big.txt}}\nclaims:\n{claims}")


def _check(folder: Path, text: str) -> None:
    path = folder / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(InvalidMap):  # most of these maps are invalid: that is the point
        check(path)


CASES: list[tuple[str, Callable[[Path], None], float]] = [
    ("alias bomb (9 levels of 9 aliases): check", alias_bomb, 5.0),
    ("ring of 50,000 rebuttals: evaluate", ring_of_50000_rebuttals, 10.0),
    ("5,000 unknown references: check", unknown_references_5000, 15.0),
    ("20 missing quotes in a 2 MiB source: check", quotes_20_against_2_mib, 30.0),
]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    print(f"{'case':<46} {'CPU s':>7} {'wall s':>7} {'goal s':>7}")
    for name, run, goal in CASES:
        with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
            started, wall = cpu(), time.perf_counter()
            run(Path(tmp))
            used, took = cpu() - started, time.perf_counter() - wall
        mark = "" if used <= goal else "  over the goal"
        print(f"{name:<46} {used:>7.2f} {took:>7.2f} {goal:>7.1f}{mark}")


if __name__ == "__main__":
    main()
