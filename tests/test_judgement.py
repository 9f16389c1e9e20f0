"""How argmap judges a map beyond the default rule, each checked against an independent
implementation of its definition (FORMAT.md, "Judgement" and "Positions"):

- bare denials: a defeated point is `unsupported` exactly when every standing rebuttal that
  defeats it has no source, no quote and no standing evidence;
- weighed attacks: strength by FORMAT.md's definition, an attack succeeding when the attacker is
  at least as strong, the grounded labelling as the least fixed point of the characteristic
  function (not the worklist `argmap.evaluate` uses), on 1,000 random maps;
- positions: preferred and stable labellings, credulous and sceptical acceptance, against every
  subset of small random maps (1,000) and against clingo, an ASP solver (when installed).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from argmap.evaluate import attack_graph, evaluate
from argmap.evaluate.positions import positions
from argmap.model import ArgMap

MAPS = 1000


def _random_map(rng: random.Random, weighed: bool, size: int = 9) -> ArgMap:
    """A map of up to `size` points: claims, rebuttals (cycles likely), evidence, sources,
    quotes (checked or not: a source with and one without a file) and some weights."""
    n = rng.randint(1, size)
    kinds = ["claim"] + [
        rng.choice(["claim", "rebuttal", "rebuttal", "evidence"]) for _ in range(n - 1)
    ]
    ids = [f"{k[0]}{i}" for i, k in enumerate(kinds)]
    parts: dict[str, list[dict[str, Any]]] = {"claims": [], "rebuttals": [], "evidence": []}
    for kind, ident in zip(kinds, ids, strict=True):
        item: dict[str, Any] = {"id": ident, "text": f"Point {ident}."}
        if rng.random() < 0.3:
            item["source"] = rng.choice(["filed", "unfiled"])
            if rng.random() < 0.5:
                item["quote"] = "words"
        if rng.random() < 0.15:
            item["weight"] = rng.randint(0, 3)
        others = [i for i in ids if i != ident]
        if kind == "rebuttal" and others:
            item["rebuts"] = rng.sample(others, rng.randint(1, min(3, len(others))))
        elif kind == "evidence" and others:
            item["supports"] = rng.sample(others, rng.randint(1, min(2, len(others))))
        elif kind != "claim":
            kind, item = "claim", {"id": ident, "text": item["text"]}
        parts[{"claim": "claims", "rebuttal": "rebuttals", "evidence": "evidence"}[kind]].append(
            item
        )
    if not parts["claims"]:
        parts["claims"].append({"id": "c-extra", "text": "A claim."})
    return ArgMap.model_validate(
        {
            "title": "Random",
            "judgement": {"attacks": "weighed" if weighed else "all"},
            "sources": [
                {"id": "filed", "title": "Filed", "file": "sources/a.txt"},
                {"id": "unfiled", "title": "Unfiled"},
            ],
            **parts,
        }
    )


def _strength(m: ArgMap, ident: str) -> int:
    """FORMAT.md's definition, read afresh from the map."""
    point = next(s for s in m.statements() if s.id == ident)
    if point.weight is not None:
        return point.weight
    filed = {s.id for s in m.sources if s.file is not None}
    count = (point.source is not None) + (point.quote is not None and point.source in filed)
    return count + sum(ident in e.supports for e in m.evidence)


def _defeats(m: ArgMap) -> set[tuple[str, str]]:
    pairs = {(r.id, t) for r in m.rebuttals for t in r.rebuts}
    if m.judgement.attacks == "all":
        return pairs
    return {(a, b) for a, b in pairs if _strength(m, a) >= _strength(m, b)}


def _grounded(nodes: list[str], defeats: set[tuple[str, str]]) -> dict[str, str]:
    """The least fixed point of F(S) = {a | every attacker of a is attacked by S}."""
    ins: set[str] = set()
    while True:
        beaten = {b for a, b in defeats if a in ins}
        new = {x for x in nodes if all(a in beaten for a, b in defeats if b == x)}
        if new == ins:
            break
        ins = new
    beaten = {b for a, b in defeats if a in ins}
    return {x: "stands" if x in ins else "defeated" if x in beaten else "undecided" for x in nodes}


@pytest.mark.parametrize("weighed", [False, True])
def test_standings_match_the_definition_on_random_maps(weighed: bool) -> None:
    rng = random.Random(17 + weighed)  # noqa: S311 (reproducible test maps)
    for _ in range(MAPS):
        m = _random_map(rng, weighed)
        ev = evaluate(m)
        nodes = [s.id for s in m.statements()]
        defeats = _defeats(m)
        labels = _grounded(nodes, defeats)
        for s in m.statements():
            v = ev[s.id]
            assert v.standing == labels[s.id], (m, s.id)
            attackers = {
                a for a, b in {(r.id, t) for r in m.rebuttals for t in r.rebuts} if b == s.id
            }
            assert set(v.rebutted_by) == attackers
            assert set(v.outweighed) == {a for a in attackers if (a, s.id) not in defeats}
            assert set(v.defeated_by) == {
                a for a in attackers if (a, s.id) in defeats and labels[a] == "stands"
            }
            if weighed:
                assert ev.strengths[s.id].value == _strength(m, s.id)
            if v.standing != "defeated":
                assert v.fell is None
                continue
            backed = [
                r.source is not None
                or r.quote is not None
                or any(r.id in e.supports and labels[e.id] == "stands" for e in m.evidence)
                for r in m.rebuttals
                if r.id in v.defeated_by
            ]
            assert v.fell == ("refuted" if any(backed) else "unsupported"), (m, s.id)
        assert set(attack_graph(m)[1]) == defeats


def test_default_rule_ignores_weights_and_backing() -> None:
    rng = random.Random(5)  # noqa: S311 (reproducible test maps)
    for _ in range(200):
        m = _random_map(rng, weighed=False)
        ev = evaluate(m)
        assert not ev.strengths and all(not v.outweighed for v in ev.verdicts.values())
        bare = ArgMap.model_validate(
            {
                **m.model_dump(exclude={"judgement"}),
                "claims": [c.model_dump() | {"weight": None} for c in m.claims],
                "rebuttals": [r.model_dump() | {"weight": 7} for r in m.rebuttals],
            }
        )
        assert {i: v.standing for i, v in evaluate(bare).verdicts.items()} == {
            i: v.standing for i, v in ev.verdicts.items()
        }


def test_a_tie_defeats_and_a_weaker_attack_is_outweighed() -> None:
    m = ArgMap.model_validate(
        {
            "title": "T",
            "judgement": {"attacks": "weighed"},
            "sources": [{"id": "s", "title": "S"}],
            "claims": [{"id": "c", "text": "C.", "source": "s"}, {"id": "d", "text": "D."}],
            "rebuttals": [
                {"id": "bare", "text": "No.", "rebuts": "c"},
                {"id": "tie", "text": "No, says S.", "rebuts": "d", "weight": 0},
            ],
        }
    )
    ev = evaluate(m)
    assert ev["c"].standing == "stands" and ev["c"].outweighed == ("bare",)
    assert ev["c"].reason.kind == "outweighed"
    assert ev["d"].standing == "defeated" and ev["d"].fell == "unsupported"


# --- positions ---------------------------------------------------------------------------------


def _subsets(nodes: list[str]) -> Iterator[frozenset[str]]:
    for r in range(len(nodes) + 1):
        for combo in itertools.combinations(nodes, r):
            yield frozenset(combo)


def _brute_positions(
    nodes: list[str], defeats: set[tuple[str, str]]
) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """Preferred and stable extensions of the whole graph, from every subset."""
    admissible, stable = [], set()
    for s in _subsets(nodes):
        if any((a, b) in defeats for a in s for b in s):
            continue
        beaten = {b for a, b in defeats if a in s}
        if all(a in beaten for a, b in defeats if b in s):
            admissible.append(s)
            if beaten | s == set(nodes):
                stable.add(s)
    preferred = {s for s in admissible if not any(s < t for t in admissible)}
    return preferred, stable


def _ours(m: ArgMap) -> tuple[set[frozenset[str]], set[frozenset[str]], Any]:
    ev = evaluate(m)
    grounded_in = frozenset(i for i, v in ev.verdicts.items() if v.standing == "stands")
    knots = ev.positions.knots
    assert all(k.positions is not None for k in knots)
    preferred, stable = set(), set()
    for choice in itertools.product(*(k.positions or () for k in knots)):
        ext = grounded_in.union(*(p.stands for p in choice))
        preferred.add(ext)
        if all(p.stable for p in choice):
            stable.add(ext)
    return preferred, stable, ev


@pytest.mark.parametrize("weighed", [False, True])
def test_positions_match_every_subset_on_random_maps(weighed: bool) -> None:
    rng = random.Random(99 + weighed)  # noqa: S311 (reproducible test maps)
    with_knots = 0
    for _ in range(MAPS):
        m = _random_map(rng, weighed, size=10)
        nodes = [s.id for s in m.statements()]
        defeats = _defeats(m)
        preferred, stable = _brute_positions(nodes, defeats)
        ours, our_stable, ev = _ours(m)
        assert ours == preferred, m
        assert our_stable == stable, m
        assert ev.positions.count() == len(preferred)
        with_knots += bool(ev.positions.knots)
        for node in nodes:
            credulous, sceptical = ev.positions.acceptance(node, ev[node].standing)
            assert credulous == any(node in p for p in preferred)
            assert sceptical == all(node in p for p in preferred)
    assert with_knots > MAPS // 20  # the maps do exercise cycles


def test_positions_stop_at_the_bound_and_say_so() -> None:
    ring = [f"n{i}" for i in range(40)]
    # 20 pairs answering each other, all rebutting one point: 3^20 complete labellings
    by: dict[str, list[str]] = {n: [] for n in ring}
    for i in range(0, 40, 2):
        by[ring[i]].append(ring[i + 1])
        by[ring[i + 1]].append(ring[i])
    by["top"] = list(ring)
    result = positions(dict.fromkeys(by, "undecided"), by, knot_limit=50_000)
    assert result.skipped == 1 and result.count() is None
    assert result.acceptance("n0", "undecided") == (None, None)
    assert result.work <= 50_000 + 2 * len(by)


_ENCODING = """
in(X) :- arg(X), not out(X).
out(X) :- arg(X), not in(X).
:- in(X), in(Y), att(X, Y).
beaten(X) :- in(Y), att(Y, X).
:- in(X), att(Y, X), not beaten(Y).
"""
_PREFERRED = _ENCODING + "#heuristic in(X) : arg(X). [1, true]\n"
_STABLE = _ENCODING + ":- out(X), not beaten(X).\n"


def _solve(
    program: str, nodes: list[str], defeats: set[tuple[str, str]], *args: str
) -> set[frozenset[str]]:
    facts = "".join(f'arg("{n}").' for n in nodes)
    facts += "".join(f'att("{a}", "{b}").' for a, b in sorted(defeats))
    clingo = pytest.importorskip("clingo", reason="clingo (a dev extra) is the independent solver")
    ctl = clingo.Control(["0", *args])
    ctl.add("base", [], program + facts)
    ctl.ground([("base", [])])
    found: set[frozenset[str]] = set()
    ctl.solve(
        on_model=lambda model: found.add(
            frozenset(
                str(s.arguments[0].string) for s in model.symbols(shown=True) if s.name == "in"
            )
        )
    )
    return found


@pytest.mark.parametrize("weighed", [False, True])
def test_positions_match_clingo_on_random_maps(weighed: bool) -> None:
    rng = random.Random(7 + weighed)  # noqa: S311 (reproducible test maps)
    for _ in range(MAPS):
        m = _random_map(rng, weighed, size=14)
        nodes = [s.id for s in m.statements()]
        defeats = _defeats(m)
        preferred = _solve(_PREFERRED, nodes, defeats, "--heuristic=Domain", "--enum-mode=domRec")
        stable = _solve(_STABLE, nodes, defeats)
        ours, our_stable, _ = _ours(m)
        assert ours == preferred, m
        assert our_stable == stable, m
