"""The search for a cycle to name in an undecided point's reason: a shortest cycle, found in
the order of a breadth-first queue, within the map's budget of visited points."""

from __future__ import annotations

import itertools
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.evaluate import _cycle_through, grounded
from argmap.evaluate.grounded import attackers_of
from argmap.model import Standing


def queued(
    node: str, by: dict[str, list[str]], labels: dict[str, Standing], budget: list[int], most: int
) -> list[str] | None:
    """The search as a queue with a depth per point: what `_cycle_through` must equal."""
    parent, depth, queue = {node: node}, {node: 0}, deque([node])
    while queue and budget[0] > 0:
        current = queue.popleft()
        budget[0] -= 1
        if depth[current] >= most:
            continue
        for attacker in by[current]:
            if labels[attacker] != "undecided":
                continue
            if attacker == node:
                cycle = [node, current]
                while cycle[-1] != node:
                    cycle.append(parent[cycle[-1]])
                return cycle
            if attacker not in parent:
                parent[attacker] = current
                depth[attacker] = depth[current] + 1
                queue.append(attacker)
    return None


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9), st.data(), st.integers(0, 40))
def test_the_cycle_and_the_budget_left_are_the_queues(
    n: int, data: st.DataObject, budget: int
) -> None:
    nodes = [f"n{i}" for i in range(n)]
    pairs = list(itertools.product(nodes, nodes))
    attacks = data.draw(st.lists(st.sampled_from(pairs), max_size=24, unique=True))
    by, labels = attackers_of(nodes, attacks), grounded(nodes, attacks)
    ours, theirs = [budget], [budget]
    for node in nodes:
        if labels[node] == "undecided":
            assert _cycle_through(node, by, labels, ours) == queued(node, by, labels, theirs, 1000)
            assert ours == theirs


def test_a_ring_longer_than_the_budget_names_no_cycle() -> None:
    nodes = [f"r{i}" for i in range(50)]
    attacks = [(f"r{i}", f"r{(i + 1) % 50}") for i in range(50)]
    by, labels = attackers_of(nodes, attacks), grounded(nodes, attacks)
    budget = [49]
    assert _cycle_through("r0", by, labels, budget) is None
    assert budget == [0]
    budget = [50]
    # in attack order: r0 attacks r1, ..., r49 attacks r0; found at the 50th point visited
    assert _cycle_through("r0", by, labels, budget) == [*nodes, "r0"]
    assert budget == [0]
