"""Tests for the pivotal points: hand-worked cases, brute force on random maps, bounded work."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.evaluate import grounded
from argmap.evaluate.pivotal import Pivot, analyse, pivotal_points
from argmap.model import ArgMap, Standing

Graph = tuple[list[str], list[tuple[str, str]]]


def pivots(nodes: list[str], attacks: list[tuple[str, str]], claim: str) -> list[Pivot]:
    return list(pivotal_points(nodes, attacks, [claim]).points[claim])


def test_no_rebuttal_nothing_to_hang_on() -> None:
    assert pivots(["c"], [], "c") == []


def test_the_only_standing_rebuttal_is_pivotal() -> None:
    assert pivots(["c", "r"], [("r", "c")], "c") == [Pivot("r", "defeated", "stands", ("c",))]


def test_two_standing_rebuttals_neither_alone_is_pivotal() -> None:
    assert pivots(["c", "a", "b"], [("a", "c"), ("b", "c")], "c") == []


def test_counter_rebuttal_carries_the_claim() -> None:
    # x defeats r, which would otherwise defeat c; r itself is defeated, so never pivotal.
    found = pivots(["c", "r", "x"], [("r", "c"), ("x", "r")], "c")
    assert found == [Pivot("x", "stands", "defeated", ("r",))]


def test_undecided_claim_settled_by_removing_one_side_of_a_cycle() -> None:
    # a <-> b, b attacks c: removing b lets c stand; removing a lets b stand, defeating c.
    found = pivots(["c", "a", "b"], [("a", "b"), ("b", "a"), ("b", "c")], "c")
    assert found == [
        Pivot("a", "undecided", "defeated", ("b",)),
        Pivot("b", "undecided", "stands", ("c",)),
    ]


def test_stands_to_undecided_counts_as_a_flip() -> None:
    # x defeats b, which is in a cycle with d; without x, b and d stay open, and so does c.
    nodes = ["c", "b", "d", "x"]
    attacks = [("b", "c"), ("b", "d"), ("d", "b"), ("x", "b")]
    found = pivots(nodes, attacks, "c")
    assert found == [Pivot("x", "stands", "undecided", ("b",))]


def test_points_that_cannot_reach_the_claim_are_never_tried() -> None:
    # A long chain elsewhere in the map costs nothing for c.
    chain = [f"n{i}" for i in range(500)]
    nodes = ["c", "r", *chain]
    attacks = [("r", "c"), *itertools.pairwise(chain)]
    result = pivotal_points(nodes, attacks, ["c"])
    assert result.points["c"] == (Pivot("r", "defeated", "stands", ("c",)),)
    assert result.work < 2 * len(nodes) + 2 * len(attacks) + 20


# --- against brute force ------------------------------------------------------------------------


def without(graph: Graph, point: str) -> dict[str, Standing]:
    nodes, attacks = graph
    return grounded([n for n in nodes if n != point], [a for a in attacks if point not in a])


def reaches(attacks: list[tuple[str, str]], start: str, goal: str, through: set[str]) -> bool:
    """A path of `attacks` from `start` to `goal` along points of `through` only."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for a, t in attacks:
            if a == node and t not in seen and t in through:
                seen.add(t)
                todo.append(t)
    return False


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    """Small attack graphs, cycles (and the odd self-attack) included."""
    nodes = [f"n{i}" for i in range(draw(st.integers(1, 8)))]
    pairs = list(itertools.product(nodes, nodes))
    attacks = draw(st.lists(st.sampled_from(pairs), max_size=18, unique=True))
    return nodes, attacks


@settings(max_examples=400, deadline=None)
@given(graphs())
def test_pivotal_points_match_brute_force(graph: Graph) -> None:
    """Removing each reported point flips the claim's standing; removing any other does not."""
    nodes, attacks = graph
    labels = grounded(nodes, attacks)
    result = pivotal_points(nodes, attacks, nodes)
    assert not result.skipped
    for claim in nodes:
        reported = {p.point: p for p in result.points[claim]}
        assert [p.point for p in result.points[claim]] == [n for n in nodes if n in reported]
        for point in nodes:
            if point == claim:
                assert point not in reported
                continue
            after = without(graph, point)
            if after[claim] == labels[claim]:
                assert point not in reported, (claim, point)
                continue
            assert point in reported, (claim, point, labels[claim], after[claim])
            pivot = reported[point]
            assert (pivot.before, pivot.after) == (labels[claim], after[claim])
            targets = {t for a, t in attacks if a == point and t != point}
            changed = {t for t in after if after[t] != labels[t]}
            via = [
                t for t in nodes if t in targets & changed and reaches(attacks, t, claim, changed)
            ]
            assert list(pivot.via) == via


@settings(max_examples=100, deadline=None)
@given(graphs(), st.integers(0, 60))
def test_a_small_bound_skips_rather_than_guessing(graph: Graph, limit: int) -> None:
    nodes, attacks = graph
    full = pivotal_points(nodes, attacks, nodes)
    bounded = pivotal_points(nodes, attacks, nodes, limit=limit)
    if full.work <= limit:
        assert bounded == full.__class__(full.points, False, full.work, limit)
    else:
        assert bounded.skipped
        assert dict(bounded.points) == {}
        assert bounded.work == limit


# --- whole maps ---------------------------------------------------------------------------------


def make_map(**parts: Any) -> ArgMap:
    return ArgMap.model_validate({"title": "T", **parts})


def test_analyse_a_map_tries_claims_by_default() -> None:
    m = make_map(
        claims=[{"id": "c", "text": "C"}, {"id": "d", "text": "D"}],
        rebuttals=[
            {"id": "r", "text": "R", "rebuts": ["c", "d"]},
            {"id": "x", "text": "X", "rebuts": "r"},
            {"id": "y", "text": "Y", "rebuts": "d"},
        ],
        evidence=[{"id": "e", "text": "E", "supports": "c"}],
    )
    result = analyse(m)
    assert list(result.points) == ["c", "d"]
    assert result.points["c"] == (Pivot("x", "stands", "defeated", ("r",)),)
    assert result.points["d"] == (Pivot("y", "defeated", "stands", ("d",)),)
    assert result.hanging() == [("x", ("c",)), ("y", ("d",))]
    assert analyse(m, ["r"]).points["r"] == (Pivot("x", "defeated", "stands", ("r",)),)


def test_hanging_ranks_points_by_how_many_claims_hang_on_them() -> None:
    claims = [{"id": f"c{i}", "text": "C"} for i in range(3)]
    m = make_map(
        claims=claims,
        rebuttals=[
            {"id": "lone", "text": "L", "rebuts": "c0"},
            {"id": "wide", "text": "W", "rebuts": ["c1", "c2"]},
        ],
    )
    assert analyse(m).hanging() == [("wide", ("c1", "c2")), ("lone", ("c0",))]


def ring(n: int) -> Graph:
    """A claim attacked from a ring of n rebuttals: every ring point is tried, each costing n."""
    nodes = ["c", *(f"r{i}" for i in range(n))]
    attacks = [(f"r{i}", f"r{(i + 1) % n}") for i in range(n)] + [("r0", "c")]
    return nodes, attacks


def test_work_on_a_ring_grows_with_its_square_and_stops_at_the_bound() -> None:
    nodes, attacks = ring(200)
    small = pivotal_points(nodes, attacks, ["c"])
    assert not small.skipped
    assert 200**2 <= small.work <= 20 * 200**2
    nodes, attacks = ring(5000)  # about 25 million steps in full: past the bound
    big = pivotal_points(nodes, attacks, ["c"], limit=1_000_000)
    assert big.skipped


def web(n: int) -> Graph:
    """A claim and n undecided rebuttals, each answering the one before and one far away."""
    nodes = ["c", *(f"r{i}" for i in range(n))]
    attacks = [("r0", "c")]
    for i in range(1, n):
        attacks.append((f"r{i}", f"r{i - 1}"))
        if i * 7919 % n != i:
            attacks.append((f"r{i}", f"r{i * 7919 % n}"))
    return nodes, attacks


def test_work_in_a_tangle_grows_with_what_each_removal_changes_not_the_tangle() -> None:
    # Every point is tried, but removing one settles nothing beyond its own targets: linear,
    # where relabelling the whole tangle per try would cost about n**2 (4 million here).
    nodes, attacks = web(2000)
    result = pivotal_points(nodes, attacks, ["c"])
    assert not result.skipped
    assert result.work <= 8 * (len(nodes) + len(attacks))
    assert [p.point for p in result.points["c"]] == ["r0", "r1"]
