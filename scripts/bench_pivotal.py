"""What the pivotal-point analysis costs: CPU time and counted work on maps of several shapes.

    .venv/bin/python scripts/bench_pivotal.py [--runs 3]

Maps: the generated dispute of scripts/gen_map.py (rebuttal threads, a few loops) at 1,000 and
10,000 points; "tangled" maps where each rebuttal answers one to three points anywhere in the
map (so rebuttals loop through one another at every scale); and a worst case, one claim
attacked from a ring of rebuttals, where every point of the ring decides the claim and each try
must relabel the whole ring. Prints the median CPU time (user + system, this process) of
`argmap.evaluate.pivotal.analyse` over `--runs` runs, the counted work against its bound, and
what was found. A measurement, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gen_map import gen_map

from argmap.evaluate import evaluate
from argmap.evaluate.pivotal import MAX_WORK, Pivotal, analyse
from argmap.load import read_map
from argmap.model import ArgMap
from argmap.validate import validate


def generated(n: int) -> ArgMap:
    """A map from scripts/gen_map.py, loaded and validated as argmap would."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.yaml"
        path.write_text(gen_map(n, 0), encoding="utf-8")
        return validate(read_map(path)).argmap


def tangled(n: int, seed: int = 1) -> ArgMap:
    """n points: an eighth claims, the rest rebuttals answering 1-3 points anywhere."""
    rng = random.Random(seed)
    claims = [{"id": f"c{i}", "text": "A claim."} for i in range(n // 8)]
    ids = [c["id"] for c in claims] + [f"r{i}" for i in range(n - len(claims))]
    rebuttals = [
        {
            "id": rid,
            "text": "A rebuttal.",
            "rebuts": sorted({rng.choice(ids) for _ in range(rng.choice((1, 1, 2, 3)))} - {rid})
            or ["c0"],
        }
        for rid in ids[len(claims) :]
    ]
    return ArgMap.model_validate({"title": "T", "claims": claims, "rebuttals": rebuttals})


def ring(n: int) -> ArgMap:
    """One claim, attacked by a ring of n - 1 rebuttals: every ring point is pivotal."""
    k = n - 1
    rebuttals = [
        {"id": f"r{i}", "text": "R.", "rebuts": [f"r{(i + 1) % k}"] + (["c"] if i == 0 else [])}
        for i in range(k)
    ]
    return ArgMap.model_validate(
        {"title": "T", "claims": [{"id": "c", "text": "C."}], "rebuttals": rebuttals}
    )


def cpu() -> float:
    return time.process_time()


def measure(m: ArgMap, runs: int = 3) -> tuple[float, Pivotal]:
    evaluate(m)  # as a build does, before the analysis
    times = []
    for _ in range(runs):
        started = cpu()
        result = analyse(m)
        times.append(cpu() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 100), metavar="N")
    args = parser.parse_args(argv)
    cases: list[tuple[str, Callable[[], ArgMap]]] = [
        ("generated, 1,000 points", lambda: generated(1000)),
        ("generated, 10,000 points", lambda: generated(10000)),
        ("tangled, 1,000 points", lambda: tangled(1000)),
        ("tangled, 10,000 points", lambda: tangled(10000)),
        ("ring, 1,000 points (worst case)", lambda: ring(1000)),
        ("ring, 10,000 points (worst case)", lambda: ring(10000)),
    ]
    rows: list[list[Any]] = []
    for name, make in cases:
        m = make()
        links = sum(len(r.rebuts) for r in m.rebuttals)
        seconds, result = measure(m, args.runs)
        found = sum(len(p) for p in result.points.values())
        rows.append(
            [
                name,
                f"{links:,}",
                f"{seconds * 1000:,.0f} ms",
                f"{result.work:,}",
                "skipped (bound reached)"
                if result.skipped
                else f"{found:,} pivots, {len(result.hanging()):,} points",
            ]
        )
    head = ["map", "rebuttal links", "CPU (median)", f"work (bound {MAX_WORK:,})", "found"]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print(f"Pivotal-point analysis, median of {args.runs} runs (CPU time of this process):")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
