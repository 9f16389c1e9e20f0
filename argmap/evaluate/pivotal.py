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
2. Each try first finds the points whose standing *may* change, and relabels only those,
   holding the rest of the map as it is. A point that stands or is defeated keeps its standing
   if its justification survives: the grounded labelling is built in stages (an unattacked
   point stands at stage 0; a point is defeated at the stage of its first standing attacker;
   a point stands one stage after its last attacker fell), and a point's justification is the
   earlier stages only. So a defeated point is touched only when every attacker that defeated
   it *at its own stage* is touched, a standing point as soon as one of its attackers is, and
   an undecided point whenever a touched or undecided attacker of it is touched. Removing an
   undecided point touches only undecided points (the grounded labelling only grows when a
   point that does not stand goes). Cycles cannot hold each other up: the stages forbid it.
3. What a removal changes does not depend on the claim, so each point is tried once for all
   claims, and only the claims among the touched points are compared.

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
        """The points of `within` whose standing may change when `removed` goes (module doc, 2).

        A dict, in the order found, so that the work counted is the same on every run.
        """
        labels, stage, support = self.labels, self.stage, self.support
        found: dict[str, None] = {}
        left: dict[str, int] = {}
        queue = deque([removed])
        while queue:
            node = queue.popleft()
            was = labels[node]
            targets = self.targets[node]
            self.spend(1 + len(targets))
            for target in targets:
                if target == removed or target in found or target not in within:
                    continue
                now = labels[target]
                if was == "stands":  # its targets are all defeated
                    if stage[node] == stage[target]:
                        left[target] = left.get(target, support[target]) - 1
                        if left[target] == 0:
                            found[target] = None
                            queue.append(target)
                elif now == "undecided" or (was == "defeated" and now == "stands"):
                    found[target] = None
                    queue.append(target)
        return found

    def relabel(self, removed: str, region: dict[str, None]) -> dict[str, Standing]:
        """Grounded standings in `region` without `removed`, the rest of the map held as it is.

        A point of `region` missing from the result is undecided.
        """
        labels = self.labels
        live: dict[str, int] = {}
        new: dict[str, Standing] = {}
        queue: deque[str] = deque()
        for node in region:
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            count = 0
            for attacker in attackers:
                if attacker == removed:
                    continue
                if attacker in region:
                    count += 1
                elif labels[attacker] == "stands":
                    new[node] = "defeated"
                elif labels[attacker] == "undecided":
                    count += 1  # never defeated: keeps `node` from standing
            live[node] = count
        for node in list(new):  # defeated from outside: their own targets lose an attacker
            self._fall(node, region, live, new, queue)
        queue.extend(node for node in region if live[node] == 0 and node not in new)
        while queue:
            node = queue.popleft()
            if node in new:
                continue
            new[node] = "stands"
            targets = self.targets[node]
            self.spend(1 + len(targets))
            for target in targets:
                if target in region and target not in new:
                    new[target] = "defeated"
                    self._fall(target, region, live, new, queue)
        return new

    def _fall(
        self,
        node: str,
        region: dict[str, None],
        live: dict[str, int],
        new: dict[str, Standing],
        queue: deque[str],
    ) -> None:
        targets = self.targets[node]
        self.spend(1 + len(targets))
        for target in targets:
            if target in region:
                live[target] -= 1
                if live[target] == 0 and target not in new:
                    queue.append(target)

    def changed_reaching(
        self, claim: str, new: Mapping[str, Standing], region: dict[str, None]
    ) -> set[str]:
        """`claim` and the points that reach it through points whose standing changes."""
        found = {claim}
        queue = deque([claim])
        while queue:
            node = queue.popleft()
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            for attacker in attackers:
                if (
                    attacker in region
                    and attacker not in found
                    and new.get(attacker, "undecided") != self.labels[attacker]
                ):
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
            region = self.touched(point, within)
            hit = [claim for claim in region if claim in wanted]
            if not hit:
                continue
            new = self.relabel(point, region)
            for claim in hit:
                after = new.get(claim, "undecided")
                if after == self.labels[claim]:
                    continue
                chain = self.changed_reaching(claim, new, region)
                via = sorted(
                    (target for target in self.targets[point] if target in chain),
                    key=self.order.__getitem__,
                )
                found[claim].append(Pivot(point, self.labels[claim], after, tuple(via)))
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
