"""What judging a map costs beyond the grounded labelling: bare denials, weighing and positions.

    .venv/bin/python scripts/bench_judgement.py [--runs 3]

Maps of 1,000 and 10,000 points: claims answered by threads of rebuttals and evidence, some
with sources and quotes, and 2 % of the points caught in loops of two to four rebuttals that
answer each other (so the positions have knots to search), 1 % of them undercutting a link,
plus a worst case at 1,000 points:
twenty pairs of rebuttals that answer each other, all rebutting one point, one knot of 3^20
complete labellings, which the search must stop at its bound. Prints the median CPU time (user
+ system, this process) of `argmap.evaluate.evaluate` under the default rule and under
`attacks: weighed`, of the positions alone, and of the grounded labelling alone, and checks the
goal: the new analyses add at most 1 s of CPU at 10,000 points, bounded from above by all the
evaluation does beyond the grounded labelling. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from argmap.evaluate import attack_graph, evaluate, grounded
from argmap.evaluate.grounded import attackers_of
from argmap.evaluate.positions import positions
from argmap.model import ArgMap

GOAL: float = 1.0  # s of CPU the new analyses may add at 10,000 points


def debate(n: int, seed: int = 3, weighed: bool = False) -> ArgMap:
    """n points: a tenth claims, then rebuttals and evidence answering earlier points; 2 % of
    the points in small loops of rebuttals."""
    rng = random.Random(seed)
    claims = [{"id": f"c{i}", "text": "A claim.", "by": "a"} for i in range(max(1, n // 10))]
    ids = [c["id"] for c in claims]
    rebuttals: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    looped = n // 50
    while len(ids) < n - looped:
        i = len(ids)
        target = rng.choice(ids)
        item: dict[str, Any] = {"id": f"p{i}", "text": "A point."}
        if rng.random() < 0.3:
            item["source"] = "s"
        if rng.random() < 0.3:
            evidence.append({**item, "supports": target})
        else:
            rebuttals.append({**item, "rebuts": target})
        ids.append(item["id"])
    start = len(ids)
    while len(ids) < n:
        size = min(rng.choice((2, 3, 4)), n - len(ids))
        ring = [f"k{len(ids) + j}" for j in range(size)]
        victim = rng.choice(ids[:start])
        for j, rid in enumerate(ring):
            nxt = ring[(j + 1) % size]
            rebuttals.append(
                {"id": rid, "text": "A loop.", "rebuts": [nxt, victim] if j == 0 else nxt}
            )
        ids += ring
    # 1 % of the points undercut a link: a rebuttal's or an evidence item's, to an earlier point
    pairs = [(r["id"], r["rebuts"]) for r in rebuttals if isinstance(r["rebuts"], str)]
    pairs += [(e["id"], e["supports"]) for e in evidence]
    for item in rng.sample([*rebuttals, *evidence], min(n // 100, len(pairs))):
        a, b = rng.choice(pairs)
        if item["id"] not in (a, b):
            item["undercuts"] = [{"from": a, "to": b}]
    return ArgMap.model_validate(
        {
            "title": "Bench",
            "judgement": {"attacks": "weighed" if weighed else "all"},
            "sources": [{"id": "s", "title": "S"}],
            "speakers": [{"id": "a", "name": "A"}],
            "claims": claims,
            "rebuttals": rebuttals,
            "evidence": evidence,
        }
    )


def worst() -> ArgMap:
    pairs = [{"id": f"r{i}", "text": "No.", "rebuts": [f"r{i ^ 1}", "c"]} for i in range(40)]
    claims = [{"id": "c", "text": "C."}, *({"id": f"f{i}", "text": "F."} for i in range(959))]
    return ArgMap.model_validate({"title": "W", "claims": claims, "rebuttals": pairs})


def cpu(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 100), metavar="N")
    args = parser.parse_args(argv)
    head = [
        "map",
        "points",
        "grounded",
        "evaluate",
        "weighed",
        "positions",
        "knots",
        "added",
        "goal",
    ]
    rows = []
    for name, plain, weighed in (
        ("debate", debate(1000), debate(1000, weighed=True)),
        ("debate", debate(10_000), debate(10_000, weighed=True)),
        ("worst knot", worst(), worst()),
    ):
        nodes, attacks = attack_graph(plain)
        base = cpu(lambda: grounded(nodes, attacks), args.runs)  # noqa: B023 (run at once)
        ev = evaluate(plain)
        labels = {i: v.standing for i, v in ev.verdicts.items()}
        by = attackers_of(nodes, attacks)
        t_pos = cpu(lambda: positions(labels, by), args.runs)  # noqa: B023
        t_all = cpu(lambda: evaluate(plain), args.runs)  # noqa: B023
        t_weighed = cpu(lambda: evaluate(weighed), args.runs)  # noqa: B023
        found = ev.positions
        # an upper bound on what judging adds to a build: everything the weighed evaluation does
        # beyond the grounded labelling (reasons, which the default rule had before, included)
        added = max(t_all, t_weighed) - base
        n = len(plain.statements())  # (the attack graph also has a node per undercut link)
        goal = "" if n != 10_000 else ("met" if added <= GOAL else "MISSED") + f" (≤ {GOAL:.1f} s)"
        knots = f"{len(found.knots)} ({found.skipped} skipped)"
        rows.append(
            [name, f"{n:,}", f"{base:.3f} s", f"{t_all:.3f} s", f"{t_weighed:.3f} s",
             f"{t_pos:.3f} s", knots, f"{added:.3f} s", goal]
        )  # fmt: skip
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(head)]
    print(f"Judging a map, median of {args.runs} runs (CPU time of this process):")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
