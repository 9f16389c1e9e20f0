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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

from argmap.evaluate.grounded import attackers_of, staged, targets_of
from argmap.evaluate.links import attack_graph, counted, flattened, link_id, links, real
from argmap.evaluate.positions import Positions, positions, shown
from argmap.evaluate.reasons import Reason, ReasonKind
from argmap.evaluate.weigh import Strength, strengths
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
    # Rebuttals and supporters whose link to it is undercut by a point that stands, file order
    # (rebuttals first): their link counts for nothing.
    undercut: tuple[str, ...] = ()


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
    frontier, level, left = [node], 0, budget[0]
    while frontier and left > 0:  # level by level: the order of a queue, without depths kept
        found: list[str] = []
        for current in frontier:
            if left <= 0:
                break
            left -= 1
            if level >= MAX_CYCLE:
                continue
            for attacker in attacked_by[current]:
                if labels[attacker] != "undecided":
                    continue
                if attacker == node:  # node attacks current, which attacks parent[current], ...
                    budget[0] = left
                    cycle = [node, current]
                    while cycle[-1] != node:
                        cycle.append(parent[cycle[-1]])
                    return cycle
                if attacker not in parent:
                    parent[attacker] = current
                    found.append(attacker)
        frontier, level = found, level + 1
    budget[0] = left
    return None


def _reason(
    node: str,
    attacked_by: Mapping[str, list[str]],
    labels: Mapping[str, Standing],
    budget: list[int],
    via: Mapping[str, Standing],
    rebutted: Sequence[str],
    missed: ReasonKind | None,
    fell: Fell | None,
) -> Reason:
    """`via`: each rebuttal against `node` that counts, with the standing of its link (its own,
    unless undercut); `rebutted`: every rebuttal against it; `missed`: "outweighed" or
    "undercut" when some rebuttal against it does not count for that reason."""
    if labels[node] == "stands":
        if missed is not None:
            return Reason(missed, tuple(rebutted))
        return Reason("rebuttals-defeated", tuple(via)) if via else Reason("unchallenged")
    if labels[node] == "defeated":
        won = tuple(a for a, s in via.items() if s == "stands")
        return Reason("defeated-by", won, unsupported=fell == "unsupported")
    cycle = _cycle_through(node, attacked_by, labels, budget)
    if cycle is not None:
        return Reason("cycle", tuple(dict.fromkeys(real(n)[0] for n in cycle[:-1])))
    return Reason("attacked-by-undecided", tuple(a for a, s in via.items() if s == "undecided"))


def evaluate(argmap: ArgMap) -> Evaluation:
    """Standing, reason, attackers and support of every claim, rebuttal and evidence item.

    Nodes are `ArgMap.statements()`; each point attacks each id in its `rebuts` (when the map
    weighs attacks, only where it is at least as strong; an undercut link only while no
    undercutter stands); `supports` are counted, not attacks.
    """
    found = links(argmap)
    nodes = found.nodes
    rule = argmap.judgement.attacks
    strength = strengths(argmap) if rule == "weighed" else {}
    attacks, lost = counted(argmap, found)
    every_node, graph = flattened(found, attacks)
    attacked_by = attackers_of(every_node, graph)
    labels = staged(attacked_by, targets_of(attacked_by))[0]
    rebutted_by = attackers_of(nodes, found.attacks)
    weighed = rule == "weighed"  # (else every attack counts: the same lists, read once)
    outweighed = attackers_of(nodes, lost) if weighed else {n: [] for n in nodes}
    counting = attackers_of(nodes, attacks) if weighed else rebutted_by
    budget = [MAX_SEARCH]
    undercut_links = found.undercut

    def cut(pair: tuple[str, str]) -> bool:  # an undercutter of this link stands
        return any(labels[u] == "stands" for u in undercut_links.get(pair, ()))

    offered = attackers_of(nodes, found.supports)
    support = (
        {n: [e for e in offered[n] if not cut((e, n))] for n in nodes}
        if undercut_links
        else offered
    )
    backed = {
        s.id: s.source is not None
        or s.quote is not None
        or any(labels[e] == "stands" for e in support[s.id])
        for s in argmap.statements()
    }
    verdicts: dict[str, Verdict] = {}
    for node in nodes:
        via = {
            a: labels[link_id(a, node)] if (a, node) in undercut_links else labels[a]
            for a in counting[node]
        }
        cut_attacks: tuple[str, ...] = ()
        undercut: tuple[str, ...] = ()
        if undercut_links:
            cut_attacks = tuple(a for a in counting[node] if cut((a, node)))
            undercut = cut_attacks + tuple(e for e in offered[node] if cut((e, node)))
        missed: ReasonKind | None = (
            "undercut" if cut_attacks else "outweighed" if outweighed[node] else None
        )
        won = tuple(a for a, s in via.items() if s == "stands")
        fell: Fell | None = None
        if labels[node] == "defeated":
            fell = "refuted" if any(backed[a] for a in won) else "unsupported"
        verdicts[node] = Verdict(
            standing=labels[node],
            reason=_reason(node, attacked_by, labels, budget, via, rebutted_by[node], missed, fell),
            rebutted_by=tuple(rebutted_by[node]),
            defeated_by=won,
            supported_by=tuple(support[node]),
            outweighed=tuple(outweighed[node]),
            fell=fell,
            undercut=undercut,
        )
    return Evaluation(
        MappingProxyType(verdicts),
        rule,
        MappingProxyType(strength),
        shown(positions(labels, attacked_by)),
    )
