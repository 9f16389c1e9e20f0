"""Which points still stand: the grounded labelling of the attack graph (FORMAT.md, "Meaning").

Every claim, rebuttal and evidence item is a node; a rebuttal attacks each id in its `rebuts`.
A node *stands* (IN) when every attacker is defeated, is *defeated* (OUT) when some attacker
stands, and is *undecided* (UNDEC) otherwise (Dung 1995; Caminada 2006). Support is counted
beside the standing and never changes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from argmap.evaluate.reasons import Reason
from argmap.model import ArgMap, Standing

__all__ = ["MAX_CYCLE", "MAX_SEARCH", "Evaluation", "Reason", "Verdict", "evaluate", "grounded"]

MAX_CYCLE: Final = 1000  # a cycle of rebuttals longer than this is not named step by step
MAX_SEARCH: Final = 2_000_000  # nodes visited, in all, while looking for cycles to name


@dataclass(frozen=True)
class Verdict:
    """The standing of one node, and why (`argmap.evaluate.reasons.words` says it in words)."""

    standing: Standing
    reason: Reason
    rebutted_by: tuple[str, ...]  # every attacker, file order
    defeated_by: tuple[str, ...]  # the attackers that stand, file order
    supported_by: tuple[str, ...]  # evidence ids, file order


@dataclass(frozen=True)
class Evaluation:
    """Verdicts for every claim, rebuttal and evidence id, in file order."""

    verdicts: Mapping[str, Verdict]

    def __getitem__(self, node_id: str) -> Verdict:
        return self.verdicts[node_id]

    def counts(self) -> dict[Standing, int]:
        """How many nodes stand, are defeated and are undecided (all three keys present)."""
        result: dict[Standing, int] = {"stands": 0, "defeated": 0, "undecided": 0}
        for verdict in self.verdicts.values():
            result[verdict.standing] += 1
        return result


def _attackers(nodes: Sequence[str], attacks: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each node's distinct attackers, in the order the attacks come; unknown ends are ignored."""
    result: dict[str, dict[str, None]] = {node: {} for node in nodes}
    for attacker, target in attacks:
        if attacker in result and target in result:
            result[target][attacker] = None
    return {node: list(found) for node, found in result.items()}


def grounded(nodes: Sequence[str], attacks: Iterable[tuple[str, str]]) -> dict[str, Standing]:
    """Grounded labelling of the attack graph (Dung 1995; Caminada 2006).

    `attacks` are (attacker, target) pairs; pairs naming an unknown node are ignored.
    Runs in time linear in nodes + attacks: a node is IN once all its attackers are OUT,
    OUT as soon as one attacker is IN, and whatever is left is UNDEC.

    >>> grounded(["a", "b", "c"], [("b", "a"), ("c", "b")])
    {'a': 'stands', 'b': 'defeated', 'c': 'stands'}
    >>> grounded(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")])
    {'a': 'undecided', 'b': 'undecided', 'c': 'undecided'}
    """
    attacked_by = _attackers(nodes, attacks)
    targets: dict[str, list[str]] = {node: [] for node in attacked_by}
    for target, attackers in attacked_by.items():
        for attacker in attackers:
            targets[attacker].append(target)
    live = {node: len(attackers) for node, attackers in attacked_by.items()}  # not yet OUT
    label: dict[str, Standing] = {}
    queue = deque(node for node, count in live.items() if count == 0)
    while queue:
        node = queue.popleft()
        label[node] = "stands"
        for target in targets[node]:
            if target in label:  # already OUT: an IN node's targets cannot be IN
                continue
            label[target] = "defeated"
            for victim in targets[target]:
                live[victim] -= 1
                if live[victim] == 0 and victim not in label:
                    queue.append(victim)
    return {node: label.get(node, "undecided") for node in attacked_by}


def _cycle_through(
    node: str,
    attacked_by: Mapping[str, list[str]],
    labels: Mapping[str, Standing],
    budget: list[int],
) -> list[str] | None:
    """A shortest attack cycle through `node` among undecided nodes, in attack order, or None.

    Breadth-first search backwards over undecided attackers until `node` itself turns up.
    Cycles longer than `MAX_CYCLE` are not sought, and the searches of a whole map visit at
    most `MAX_SEARCH` nodes: one long ring of rebuttals would otherwise cost time and memory
    growing with the square of its length (every node's reason naming every other).
    """
    parent: dict[str, str] = {node: node}
    depth = {node: 0}
    queue = deque([node])
    while queue and budget[0] > 0:
        current = queue.popleft()
        budget[0] -= 1
        if depth[current] >= MAX_CYCLE:
            continue
        for attacker in attacked_by[current]:
            if labels[attacker] != "undecided":
                continue
            if attacker == node:  # node attacks current, which attacks parent[current], ...
                cycle = [node, current]
                while cycle[-1] != node:
                    cycle.append(parent[cycle[-1]])
                return cycle
            if attacker not in parent:
                parent[attacker] = current
                depth[attacker] = depth[current] + 1
                queue.append(attacker)
    return None


def _reason(
    node: str,
    attacked_by: Mapping[str, list[str]],
    labels: Mapping[str, Standing],
    budget: list[int],
) -> Reason:
    attackers = attacked_by[node]
    if labels[node] == "stands":
        return (
            Reason("rebuttals-defeated", tuple(attackers)) if attackers else Reason("unchallenged")
        )
    if labels[node] == "defeated":
        return Reason("defeated-by", tuple(a for a in attackers if labels[a] == "stands"))
    cycle = _cycle_through(node, attacked_by, labels, budget)
    if cycle is not None:
        return Reason("cycle", tuple(cycle[:-1]))
    return Reason("attacked-by-undecided", tuple(a for a in attackers if labels[a] == "undecided"))


def attack_graph(argmap: ArgMap) -> tuple[list[str], list[tuple[str, str]]]:
    """The map as an attack graph: every point's id, in file order, and (rebuttal, target)
    pairs, one for each id in each rebuttal's `rebuts`."""
    nodes = [statement.id for statement in argmap.statements()]
    attacks = [(r.id, target) for r in argmap.rebuttals for target in r.rebuts]
    return nodes, attacks


def evaluate(argmap: ArgMap) -> Evaluation:
    """Standing, reason, attackers and support of every claim, rebuttal and evidence item.

    Nodes are `ArgMap.statements()`; each rebuttal attacks each id in its `rebuts`;
    evidence `supports` are counted, not attacks.
    """
    nodes, attacks = attack_graph(argmap)
    attacked_by = _attackers(nodes, attacks)
    labels = grounded(nodes, attacks)
    budget = [MAX_SEARCH]
    support: dict[str, dict[str, None]] = {node: {} for node in nodes}
    for item in argmap.evidence:
        for target in item.supports:
            if target in support:
                support[target][item.id] = None
    verdicts = {
        node: Verdict(
            standing=labels[node],
            reason=_reason(node, attacked_by, labels, budget),
            rebutted_by=tuple(attacked_by[node]),
            defeated_by=tuple(a for a in attacked_by[node] if labels[a] == "stands"),
            supported_by=tuple(support[node]),
        )
        for node in labels
    }
    return Evaluation(MappingProxyType(verdicts))
