"""The points an outcome hangs on: for a claim, the points whose removal would flip its standing.

A point P is *pivotal* for a claim C when the grounded labelling of the map without P gives C a
different standing than the map with P. "Flip" means exactly that: any change of standing.

- C stands: without P it would be defeated or undecided ("stands only because P defeats Q").
- C is defeated: without P it would stand or be undecided ("would stand again if P fell").
- C is undecided: without P it would be settled, stand or defeated; a point whose removal
  leaves C undecided (even if its cycle changes shape) is not pivotal.

Removing P and P being defeated are the same thing for every other point (a defeated attacker
counts for nothing, so its targets see no difference), so "if P fell" and "without P" agree.

Only some points need trying, and each try recomputes only part of the map:

1. C's standing depends only on the points that reach C through rebuttals (its *ancestors*).
2. Removing a defeated point changes no standing at all, and removing an undecided one cannot
   change a standing that is settled (the grounded labelling only grows when a point that is
   not standing goes; Dung 1995's characteristic function is monotone). So a claim that stands
   or is defeated is tried only against its standing ancestors; an undecided claim against its
   standing and undecided ones.
3. Removing P changes standings only downstream of P; of those, only the ones that reach C
   matter. So each try relabels just R = (P's descendants) ∩ (C's ancestors, and C), holding
   every other point at its current standing, and stops as soon as C is labelled.

The work (points and rebuttal links visited) is counted; past `MAX_WORK` for a whole map the
analysis stops and says it was skipped, so no map makes a build hang.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from argmap.evaluate import Evaluation
from argmap.model import ArgMap, Standing

MAX_WORK: Final = 20_000_000  # points and links visited for one map, in all its claims


@dataclass(frozen=True)
class Pivot:
    """One point a claim hangs on, and what the claim's standing would be without it."""

    point: str
    before: Standing  # the claim's standing now
    after: Standing  # its standing were `point` removed, or defeated
    # `point`'s own targets that would change standing too and still reach the claim without
    # it (the claim itself, when `point` rebuts it): the Q in "stands only because P defeats Q"
    via: tuple[str, ...]


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
    """The attack graph with counted traversals."""

    def __init__(
        self,
        nodes: Sequence[str],
        attacks: Iterable[tuple[str, str]],
        labels: Mapping[str, Standing],
        limit: int,
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
        self.labels = labels
        self.work = 0
        self.limit = limit

    def spend(self, amount: int) -> None:
        self.work += amount
        if self.work > self.limit:
            raise _OutOfWork

    def ancestors(self, claim: str) -> set[str]:
        """Every point with a path of rebuttals to `claim` (not `claim` itself, unless cyclic)."""
        found: set[str] = set()
        queue = deque([claim])
        while queue:
            node = queue.popleft()
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            for attacker in attackers:
                if attacker not in found:
                    found.add(attacker)
                    queue.append(attacker)
        found.discard(claim)
        return found

    def relabel(
        self, removed: str, claim: str, region: dict[str, None], *, stop: bool
    ) -> dict[str, Standing]:
        """Grounded standings in `region` without `removed`, the rest held as they are.

        A point of `region` not in the result is undecided; with `stop`, the work ends as soon
        as `claim` has a standing, and other points may be missing.
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
        for node in region:
            if live[node] == 0 and node not in new:
                queue.append(node)
        while queue and not (stop and claim in new):
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

    def downstream(self, start: str, within: set[str]) -> dict[str, None]:
        """The points `start` reaches through rebuttals, among `within` (not `start` itself).

        A dict, in the order they are reached, so that the work counted is the same every run
        (a set's order changes with Python's string hashing).
        """
        found: dict[str, None] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            targets = self.targets[node]
            self.spend(1 + len(targets))
            for target in targets:
                if target in within and target not in found and target != start:
                    found[target] = None
                    queue.append(target)
        return found

    def upstream_within(self, claim: str, region: dict[str, None]) -> set[str]:
        """`claim` and the points of `region` that reach it through rebuttals inside `region`."""
        found = {claim}
        queue = deque([claim])
        while queue:
            node = queue.popleft()
            attackers = self.attacked_by[node]
            self.spend(1 + len(attackers))
            for attacker in attackers:
                if attacker in region and attacker not in found:
                    found.add(attacker)
                    queue.append(attacker)
        return found

    def pivots(self, claim: str) -> tuple[Pivot, ...]:
        before = self.labels[claim]
        upstream = self.ancestors(claim)
        wanted: tuple[Standing, ...] = (
            ("stands", "undecided") if before == "undecided" else ("stands",)
        )
        candidates = sorted(
            (node for node in upstream if self.labels[node] in wanted), key=self.order.__getitem__
        )
        within = upstream | {claim}
        found: list[Pivot] = []
        for point in candidates:
            region = self.downstream(point, within)
            new = self.relabel(point, claim, region, stop=True)
            after = new.get(claim, "undecided")
            if after == before:
                continue
            new = self.relabel(point, claim, region, stop=False)
            still = self.upstream_within(claim, region)
            via = tuple(
                sorted(
                    (
                        target
                        for target in self.targets[point]
                        if target in still and new.get(target, "undecided") != self.labels[target]
                    ),
                    key=self.order.__getitem__,
                )
            )
            found.append(Pivot(point, before, after, via))
        return tuple(found)


def pivotal_points(
    nodes: Sequence[str],
    attacks: Iterable[tuple[str, str]],
    labels: Mapping[str, Standing],
    claims: Iterable[str],
    *,
    limit: int = MAX_WORK,
) -> Pivotal:
    """The pivotal points of each of `claims`, given the map's grounded `labels`.

    `attacks` are (attacker, target) pairs as for `argmap.evaluate.grounded`.

    >>> labels = {"c": "stands", "r": "defeated", "x": "stands"}
    >>> result = pivotal_points(["c", "r", "x"], [("r", "c"), ("x", "r")], labels, ["c"])
    >>> result.points["c"]
    (Pivot(point='x', before='stands', after='defeated', via=('r',)),)
    """
    graph = _Graph(nodes, attacks, labels, limit)
    points: dict[str, tuple[Pivot, ...]] = {}
    try:
        for claim in claims:
            points[claim] = graph.pivots(claim)
    except _OutOfWork:
        return Pivotal(MappingProxyType({}), skipped=True, work=graph.work, limit=limit)
    return Pivotal(MappingProxyType(points), skipped=False, work=graph.work, limit=limit)


def analyse(
    argmap: ArgMap,
    ev: Evaluation,
    points: Iterable[str] | None = None,
    *,
    limit: int = MAX_WORK,
) -> Pivotal:
    """The pivotal points of `points` (by default every claim) of an evaluated map."""
    nodes = [statement.id for statement in argmap.statements()]
    attacks = [(r.id, target) for r in argmap.rebuttals for target in r.rebuts]
    labels = {node: verdict.standing for node, verdict in ev.verdicts.items()}
    wanted = [claim.id for claim in argmap.claims] if points is None else list(points)
    return pivotal_points(nodes, attacks, labels, wanted, limit=limit)
