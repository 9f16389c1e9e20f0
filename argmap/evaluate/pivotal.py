"""The points an outcome hangs on: for a claim, the points whose removal would flip its standing.

A point P is *pivotal* for a claim C when the grounded labelling of the map without P gives C a
different standing than the map with P. "Flip" means exactly that, any change of standing:

- C stands: without P it would be defeated or undecided ("stands only because P defeats Q").
- C is defeated: without P it would stand or be undecided ("would stand again if P fell").
- C is undecided: without P it would be settled, either way; a point whose removal leaves C
  undecided (even if its cycle changes shape) is not pivotal.

Removing P and P being defeated are the same thing for every other point (a defeated attacker
counts for nothing), so "if P fell" and "without P" agree.

Trying every point against every claim would cost a full relabelling per point. Instead:

1. Only points that reach a claim through rebuttals are tried, and of those only the ones that
   stand or are undecided: removing a defeated point changes nothing.
2. Each try relabels only what the removal reaches. A point that stands or is defeated keeps
   its standing if its justification survives: the grounded labelling is built in stages (an
   unattacked point stands at stage 0; a point is defeated at the stage of its first standing
   attacker; a point stands one stage after its last attacker fell), and a point's
   justification is the earlier stages only. So a defeated point loses it only when every
   attacker that defeated it *at its own stage* loses it, a standing point as soon as one of its
   attackers does; an undecided point that goes takes nobody's justification. Those points
   (the *region*) are opened; everything else that stands or is defeated is held, and is a
   labelling the map without the point can only grow from. The grounded labelling then grows
   from it as the labelling itself does, visiting a point only when an attacker of it newly
   stands or falls: an undecided point is looked at only when something reaches it, so a try
   costs what it changes, not the size of the tangle it sits in. Cycles cannot hold each other
   up: the stages forbid it.
3. What a removal changes does not depend on the claim, so each point is tried once for all
   claims, and only the claims whose standing changed are compared.

The work (points and rebuttal links visited) is counted; past `MAX_WORK` for a whole map the
analysis stops and says it was skipped, so no map makes a build hang.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from argmap.evaluate import attack_graph
from argmap.evaluate.grounded import staged
from argmap.evaluate.links import hidden, real
from argmap.model import ArgMap, Standing

MAX_WORK: Final = 4_000_000  # points and links visited for one map, in all: under 1 s of CPU


@dataclass(frozen=True)
class Pivot:
    """One point a claim hangs on, and what the claim's standing would be without it."""

    point: str
    before: Standing  # the claim's standing now
    after: Standing  # its standing were `point` removed, or defeated
    # `point`'s own targets whose standing would change too, on a path of rebuttals to the claim
    # along which every standing changes (the claim itself when `point` rebuts it): the Q in
    # "stands only because P defeats Q"
    via: tuple[str, ...]
    # the links (rebutter, target) on that path that `point` undercuts rather than defeats: the
    # "undercuts the link from Q to T" in "stands only because P undercuts the link from Q to T"
    cut: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pivotal:
    """The pivotal points of each analysed point (file order), or `skipped` past the bound."""

    points: Mapping[str, tuple[Pivot, ...]]
    skipped: bool
    work: int
    limit: int

    def hanging(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each point that some outcome hangs on, with the points that hang on it.

        Most dependants first; ties in the order the points are first met (file order).
        """
        found: dict[str, list[str]] = {}
        for claim, pivots in self.points.items():
            for pivot in pivots:
                found.setdefault(pivot.point, []).append(claim)
        ranked = sorted(found.items(), key=lambda item: -len(item[1]))  # stable: file order kept
        return [(point, tuple(claims)) for point, claims in ranked]


class _OutOfWork(Exception):
    pass


class _Graph:
    """The attack graph, its grounded labelling with stages, and counted traversals."""

    def __init__(
        self, nodes: Sequence[str], attacks: Iterable[tuple[str, str]], limit: int
    ) -> None:
        self.order = {node: i for i, node in enumerate(nodes)}
        seen: dict[tuple[str, str], None] = {}
        for attacker, target in attacks:
            if attacker in self.order and target in self.order:
                seen[attacker, target] = None
        self.attacked_by: dict[str, list[str]] = {node: [] for node in nodes}
        self.targets: dict[str, list[str]] = {node: [] for node in nodes}
        for attacker, target in seen:
            self.attacked_by[target].append(attacker)
            self.targets[attacker].append(target)
        self.work = 0
        self.limit = limit
        self.spend(len(nodes) + len(seen))
        self.labels, self.stage = staged(self.attacked_by, self.targets)
        # How many standing attackers defeat each defeated point at its own stage.
        self.support = {
            node: sum(
                1
                for a in self.attacked_by[node]
                if self.labels[a] == "stands" and self.stage[a] == self.stage[node]
            )
            for node in nodes
            if self.labels[node] == "defeated"
        }

    def spend(self, amount: int) -> None:
        self.work += amount
        if self.work > self.limit:
            raise _OutOfWork

    def reaching(self, goals: Iterable[str]) -> set[str]:
        """`goals` and every point with a path of rebuttals to one of them."""
        found = set(goals)
        queue = deque(found)
        while queue:
            node = queue.popleft()
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            for attacker in attackers:
                if attacker not in found:
                    found.add(attacker)
                    queue.append(attacker)
        return found

    def touched(self, removed: str, within: set[str]) -> dict[str, None]:
        """The points of `within` that stand or are defeated and lose their justification when
        `removed` goes (module doc, 2); none when `removed` is undecided.

        A dict, in the order found, so that the work counted is the same on every run.
        """
        labels, stage, support = self.labels, self.stage, self.support
        found: dict[str, None] = {}
        left: dict[str, int] = {}
        queue = deque([removed] if labels[removed] == "stands" else [])
        while queue:
            node = queue.popleft()
            was = labels[node]
            targets = self.targets[node]
            self.spend(1 + len(targets))
            for target in targets:
                if target == removed or target in found or target not in within:
                    continue
                if was == "stands":  # its targets are all defeated
                    if stage[node] == stage[target]:
                        left[target] = left.get(target, support[target]) - 1
                        if left[target] == 0:
                            found[target] = None
                            queue.append(target)
                elif labels[target] == "stands":
                    found[target] = None
                    queue.append(target)
        return found

    def relabel(
        self, removed: str, region: dict[str, None], within: set[str]
    ) -> dict[str, Standing]:
        """Every point of `within` whose standing changes when `removed` goes: its new standing.

        The points outside `region` that stand or are defeated keep their standing; from them
        the grounded labelling of the map without `removed` grows as the labelling itself
        does (module doc, 2), visiting only points that an attacker's new standing reaches.
        """
        labels, attacked_by = self.labels, self.attacked_by
        live: dict[str, int] = {}  # attackers not (yet) defeated, of the points not yet settled
        new: dict[str, Standing] = {}
        queue: deque[str] = deque()
        fallen: list[str] = []

        def open_(node: str) -> None:  # its count of live attackers, in the held labelling
            attackers = attacked_by[node]
            self.spend(1 + len(attackers))
            count = 0
            for attacker in attackers:
                if attacker == removed:
                    continue
                if attacker in region:
                    count += 1
                else:
                    was = labels[attacker]
                    if was == "undecided":
                        count += 1
                    elif was == "stands" and node not in new:  # held: defeats `node`
                        new[node] = "defeated"
                        fallen.append(node)
            live[node] = count

        for node in region:
            open_(node)
        for target in self.targets[removed]:
            if target != removed and target in within and labels[target] == "undecided":
                open_(target)
        queue.extend(node for node in live if live[node] == 0 and node not in new)
        while fallen or queue:
            while fallen:  # a point newly defeated: its targets lose a live attacker
                node = fallen.pop()
                targets = self.targets[node]
                self.spend(1 + len(targets))
                for target in targets:
                    if target == removed or target in new or target not in within:
                        continue
                    if target not in live:
                        if target not in region and labels[target] != "undecided":
                            continue  # held: stands or is defeated without `node`
                        open_(target)
                        if target in new:
                            continue
                    live[target] -= 1
                    if live[target] == 0:
                        queue.append(target)
            if queue:
                node = queue.popleft()
                if node in new:
                    continue
                new[node] = "stands"
                targets = self.targets[node]
                self.spend(1 + len(targets))
                for target in targets:
                    if target == removed or target in new or target not in within:
                        continue
                    if target in region or labels[target] == "undecided":
                        new[target] = "defeated"
                        fallen.append(target)
        changed = {node: new.get(node, "undecided") for node in region}
        changed |= {node: label for node, label in new.items() if node not in region}
        return {node: label for node, label in changed.items() if label != labels[node]}

    def changed_reaching(self, claim: str, changed: Mapping[str, Standing]) -> set[str]:
        """`claim` and the points that reach it through points whose standing changes."""
        found = {claim}
        queue = deque([claim])
        while queue:
            node = queue.popleft()
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            for attacker in attackers:
                if attacker in changed and attacker not in found:
                    found.add(attacker)
                    queue.append(attacker)
        return found

    def pivots(self, claims: Sequence[str]) -> dict[str, tuple[Pivot, ...]]:
        wanted = set(claims)
        within = self.reaching(wanted)
        found: dict[str, list[Pivot]] = {claim: [] for claim in claims}
        candidates = sorted(
            (node for node in within if self.labels[node] != "defeated"),
            key=self.order.__getitem__,
        )
        for point in candidates:
            changed = self.relabel(point, self.touched(point, within), within)
            for claim in [claim for claim in changed if claim in wanted]:
                chain = self.changed_reaching(claim, changed)
                via = sorted(
                    (target for target in self.targets[point] if target in chain),
                    key=self.order.__getitem__,
                )
                found[claim].append(Pivot(point, self.labels[claim], changed[claim], tuple(via)))
        return {claim: tuple(pivots) for claim, pivots in found.items()}


def pivotal_points(
    nodes: Sequence[str],
    attacks: Iterable[tuple[str, str]],
    claims: Iterable[str],
    *,
    limit: int = MAX_WORK,
) -> Pivotal:
    """The pivotal points of each of `claims` in the attack graph `nodes`, `attacks`.

    `attacks` are (attacker, target) pairs as for `argmap.evaluate.grounded`.

    >>> result = pivotal_points(["c", "r", "x"], [("r", "c"), ("x", "r")], ["c"])
    >>> result.points["c"]
    (Pivot(point='x', before='stands', after='defeated', via=('r',), cut=()),)
    """
    try:
        graph = _Graph(nodes, attacks, limit)
        points = graph.pivots([claim for claim in claims if claim in graph.order])
    except _OutOfWork:
        return Pivotal(MappingProxyType({}), skipped=True, work=limit, limit=limit)
    return Pivotal(MappingProxyType(points), skipped=False, work=graph.work, limit=limit)


def analyse(
    argmap: ArgMap, points: Iterable[str] | None = None, *, limit: int = MAX_WORK
) -> Pivotal:
    """The pivotal points of `points` (by default every claim) of a map."""
    nodes, attacks = attack_graph(argmap)
    wanted = [claim.id for claim in argmap.claims] if points is None else list(points)
    found = pivotal_points(nodes, attacks, wanted, limit=limit)
    if len(nodes) == len(argmap.statements()):  # no undercut links: no helpers to hide
        return found
    targets: dict[str, list[str]] = {}
    for attacker, target in attacks:
        targets.setdefault(attacker, []).append(target)

    def shown(via: str) -> list[str]:  # a helper as the points it stands for (links module)
        if not hidden(via):
            return [via]
        return [real(t)[1] or t for t in targets.get(via, ())]  # ¬A: A's undercut targets

    def pivot(p: Pivot) -> Pivot:
        defeated = [x for x in p.via if not (hidden(x) and real(x)[1] is not None)]
        links = [real(x) for x in p.via if hidden(x) and real(x)[1] is not None]
        return Pivot(
            p.point,
            p.before,
            p.after,
            tuple(dict.fromkeys(v for x in defeated for v in shown(x))),
            tuple((a, b) for a, b in dict.fromkeys(links) if b is not None),
        )

    points_ = {
        claim: tuple(pivot(p) for p in pivots if not hidden(p.point))
        for claim, pivots in found.points.items()
    }
    return Pivotal(MappingProxyType(points_), found.skipped, found.work, found.limit)
