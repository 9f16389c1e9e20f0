"""Which points still stand: the grounded labelling of the attack graph (FORMAT.md, "Meaning").

Every claim, rebuttal and evidence item is a node; a rebuttal attacks each id in its `rebuts`.
A node *stands* (IN) when every attacker is defeated, is *defeated* (OUT) when some attacker
stands, and is *undecided* (UNDEC) otherwise (Dung 1995; Caminada 2006). Support is counted
beside the standing and never changes it. When the map weighs attacks
(`judgement: {attacks: weighed}`), only the attacks that succeed count (`argmap.evaluate.weigh`);
the rest are *outweighed*. Where points stay undecided, `argmap.evaluate.positions` works out
the coherent positions the map allows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

from argmap.evaluate.grounded import attackers_of, staged, targets_of
from argmap.evaluate.positions import Positions, positions
from argmap.evaluate.reasons import Reason
from argmap.evaluate.weigh import Strength, strengths, succeeding
from argmap.model import ArgMap, AttackRule, Standing

__all__ = [
    "MAX_CYCLE",
    "MAX_SEARCH",
    "Evaluation",
    "Reason",
    "Verdict",
    "attack_graph",
    "evaluate",
    "grounded",
]

MAX_CYCLE: Final = 1000  # a cycle of rebuttals longer than this is not named step by step
MAX_SEARCH: Final = 2_000_000  # nodes visited, in all, while looking for cycles to name
Fell = Literal["refuted", "unsupported"]


@dataclass(frozen=True)
class Verdict:
    """The standing of one node, and why (`argmap.evaluate.reasons.words` says it in words)."""

    standing: Standing
    reason: Reason
    rebutted_by: tuple[str, ...]  # every attacker, file order
    defeated_by: tuple[str, ...]  # the attackers that stand and succeed, file order
    supported_by: tuple[str, ...]  # evidence ids, file order
    outweighed: tuple[str, ...] = ()  # attackers too weak to defeat it (weighed maps only)
    # Defeated only: "unsupported" when every rebuttal that defeats it carries no source, no
    # quote and no evidence that stands (a bare denial); "refuted" otherwise.
    fell: Fell | None = None


@dataclass(frozen=True)
class Evaluation:
    """Verdicts for every claim, rebuttal and evidence id, in file order; the rule they were
    judged by, each point's strength (weighed maps only) and the positions the map allows."""

    verdicts: Mapping[str, Verdict]
    rule: AttackRule = "all"
    strengths: Mapping[str, Strength] = field(default_factory=lambda: MappingProxyType({}))
    positions: Positions = field(default_factory=Positions)

    def __getitem__(self, node_id: str) -> Verdict:
        return self.verdicts[node_id]

    def counts(self) -> dict[Standing, int]:
        """How many nodes stand, are defeated and are undecided (all three keys present)."""
        result: dict[Standing, int] = {"stands": 0, "defeated": 0, "undecided": 0}
        for verdict in self.verdicts.values():
            result[verdict.standing] += 1
        return result


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
    attacked_by = attackers_of(nodes, attacks)
    return staged(attacked_by, targets_of(attacked_by))[0]


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
    rebutted: Sequence[str] = (),
    fell: Fell | None = None,
) -> Reason:
    """`rebutted`: every rebuttal against `node` when some of them are outweighed, else ()."""
    attackers = attacked_by[node]
    if labels[node] == "stands":
        if rebutted:
            return Reason("outweighed", tuple(rebutted))
        return (
            Reason("rebuttals-defeated", tuple(attackers)) if attackers else Reason("unchallenged")
        )
    if labels[node] == "defeated":
        won = tuple(a for a in attackers if labels[a] == "stands")
        return Reason("defeated-by", won, unsupported=fell == "unsupported")
    cycle = _cycle_through(node, attacked_by, labels, budget)
    if cycle is not None:
        return Reason("cycle", tuple(cycle[:-1]))
    return Reason("attacked-by-undecided", tuple(a for a in attackers if labels[a] == "undecided"))


def attacks_of(argmap: ArgMap) -> list[tuple[str, str]]:
    """Every (rebuttal, target) pair, one for each id in each rebuttal's `rebuts`, file order."""
    return [(r.id, target) for r in argmap.rebuttals for target in r.rebuts]


def attack_graph(argmap: ArgMap) -> tuple[list[str], list[tuple[str, str]]]:
    """The map as the attack graph its standings are the grounded labelling of: every point's
    id, in file order, and the attacks that count under the map's rule (all of them by default;
    the ones that succeed when attacks are weighed)."""
    nodes = [statement.id for statement in argmap.statements()]
    attacks = attacks_of(argmap)
    if argmap.judgement.attacks == "weighed":
        attacks = succeeding(attacks, strengths(argmap))[0]
    return nodes, attacks


def evaluate(argmap: ArgMap) -> Evaluation:
    """Standing, reason, attackers and support of every claim, rebuttal and evidence item.

    Nodes are `ArgMap.statements()`; each rebuttal attacks each id in its `rebuts` (when the
    map weighs attacks, only where it is at least as strong); evidence `supports` are counted,
    not attacks.
    """
    nodes = [statement.id for statement in argmap.statements()]
    every = attacks_of(argmap)
    rule = argmap.judgement.attacks
    strength = strengths(argmap) if rule == "weighed" else {}
    attacks, lost = succeeding(every, strength) if rule == "weighed" else (every, [])
    attacked_by = attackers_of(nodes, attacks)
    labels = staged(attacked_by, targets_of(attacked_by))[0]
    rebutted_by = attackers_of(nodes, every)
    outweighed = attackers_of(nodes, lost)
    budget = [MAX_SEARCH]
    support: dict[str, dict[str, None]] = {node: {} for node in nodes}
    for item in argmap.evidence:
        for target in item.supports:
            if target in support:
                support[target][item.id] = None
    backed = {
        s.id: s.source is not None
        or s.quote is not None
        or any(labels[e] == "stands" for e in support[s.id])
        for s in argmap.rebuttals
    }
    verdicts: dict[str, Verdict] = {}
    for node in labels:
        rebutted = rebutted_by[node] if outweighed[node] else ()
        won = tuple(a for a in attacked_by[node] if labels[a] == "stands")
        fell: Fell | None = None
        if labels[node] == "defeated":
            fell = "refuted" if any(backed[a] for a in won) else "unsupported"
        verdicts[node] = Verdict(
            standing=labels[node],
            reason=_reason(node, attacked_by, labels, budget, rebutted, fell),
            rebutted_by=tuple(rebutted_by[node]),
            defeated_by=won,
            supported_by=tuple(support[node]),
            outweighed=tuple(outweighed[node]),
            fell=fell,
        )
    return Evaluation(
        MappingProxyType(verdicts),
        rule,
        MappingProxyType(strength),
        positions(labels, attacked_by),
    )
