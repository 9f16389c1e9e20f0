"""Part of stage 3, evaluate: the coherent positions a map allows where the grounded labelling
leaves points undecided (FORMAT.md, "Positions").

Grounded semantics is sceptical: two rebuttals that answer each other leave both undecided. A
*position* is a preferred labelling (Dung 1995): a complete labelling whose standing points are
as many as coherence allows (no preferred labelling's standing points are a strict subset of
another's); it is *stable* when it leaves nothing undecided. Every preferred labelling agrees
with the grounded one on every point that grounded semantics settles (the grounded extension is
admissible, and a labelling is preferred in the map exactly when its restriction to the
undecided points is preferred in them alone: Baumann, Brewka and Ulbricht 2020), so only the
undecided points are searched, each *knot* (connected group of them) on its own; the map's
positions are every choice of one position per knot.

A point is accepted *credulously* when it stands in some position, *sceptically* when it stands
in every one. The search over a knot's complete labellings propagates each choice (a point
stands exactly when every attacker is defeated, is defeated exactly when some attacker stands)
and counts its work; past `KNOT_WORK` for one knot, or `MAX_WORK` for the map, a knot is
skipped and said to be.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from argmap.model import Standing

MAX_WORK: Final = 5_000_000  # steps for one map, in all (about 0.5 s of CPU)
KNOT_WORK: Final = 1_000_000  # steps for one knot
_Label = Literal["stands", "defeated", "undecided"]


@dataclass(frozen=True)
class Position:
    """One coherent position on a knot: what stands, falls and stays open in it (file order)."""

    stands: tuple[str, ...]
    defeated: tuple[str, ...]
    undecided: tuple[str, ...]

    @property
    def stable(self) -> bool:
        return not self.undecided


@dataclass(frozen=True)
class Knot:
    """Undecided points connected by attacks, and its positions (None: skipped, too costly)."""

    points: tuple[str, ...]
    positions: tuple[Position, ...] | None


@dataclass(frozen=True)
class Positions:
    """Every knot of the map's undecided points, in file order of their first point."""

    knots: tuple[Knot, ...] = ()
    work: int = 0
    limit: int = MAX_WORK
    knot_of: Mapping[str, int] = field(default_factory=dict)  # each undecided point's knot

    @property
    def skipped(self) -> int:
        """How many knots were not worked out."""
        return sum(knot.positions is None for knot in self.knots)

    def count(self) -> int | None:
        """How many positions the whole map allows (1 without knots), None if any skipped."""
        total = 1
        for knot in self.knots:
            if knot.positions is None:
                return None
            total *= len(knot.positions)
        return total

    def acceptance(self, node: str, standing: Standing) -> tuple[bool | None, bool | None]:
        """(credulous, sceptical) acceptance of `node` under preferred semantics (None: its
        knot was skipped)."""
        if standing != "undecided":
            return standing == "stands", standing == "stands"
        knot = self.knots[self.knot_of[node]]
        if knot.positions is None:
            return None, None
        ins = [node in p.stands for p in knot.positions]
        return any(ins), all(ins)


class _OutOfWork(Exception):
    pass


def _propagate(
    lab: dict[str, _Label],
    changed: Sequence[str],
    attacked_by: Mapping[str, Sequence[str]],
    targets: Mapping[str, Sequence[str]],
    spend: list[int],
) -> bool:
    """Label what `lab` forces; False when it contradicts a complete labelling."""
    queue = deque(changed)
    while queue:
        node = queue.popleft()
        for u in (node, *targets[node]):
            attackers = attacked_by[u]
            spend[0] -= 1 + len(attackers)
            if spend[0] < 0:
                raise _OutOfWork
            states = [lab.get(a) for a in attackers]
            now = lab.get(u)
            forced: _Label | None = None
            if "stands" in states:
                forced = "defeated"
            elif all(s == "defeated" for s in states):
                forced = "stands"
            if forced is not None:
                if now is None:
                    lab[u] = forced
                    queue.append(u)
                elif now != forced:
                    return False
            elif now == "stands":  # every attacker must fall
                if "undecided" in states:
                    return False
                for a, s in zip(attackers, states, strict=True):
                    if s is None:
                        lab[a] = "defeated"
                        queue.append(a)
            elif now == "defeated":  # some attacker must stand
                open_ = [a for a, s in zip(attackers, states, strict=True) if s is None]
                if not open_:
                    return False
                if len(open_) == 1:
                    lab[open_[0]] = "stands"
                    queue.append(open_[0])
    return True


def _positions(
    points: Sequence[str],
    attacked_by: Mapping[str, Sequence[str]],
    targets: Mapping[str, Sequence[str]],
    spend: list[int],
) -> tuple[Position, ...]:
    """The preferred labellings of one knot (attacks from outside it are all defeated)."""
    complete: list[dict[str, _Label]] = []
    stack: list[tuple[dict[str, _Label], int]] = [({}, 0)]
    while stack:
        lab, at = stack.pop()
        while at < len(points) and points[at] in lab:
            at += 1
        if at == len(points):
            complete.append(lab)
            continue
        node = points[at]
        choices: tuple[_Label, ...] = ("undecided", "defeated", "stands")
        for choice in choices:  # popped in reverse: stands first
            spend[0] -= len(lab) + 1
            if spend[0] < 0:
                raise _OutOfWork
            trial = dict(lab)
            trial[node] = choice
            if _propagate(trial, [node], attacked_by, targets, spend):
                stack.append((trial, at + 1))
    ins = [frozenset(n for n, s in lab.items() if s == "stands") for lab in complete]
    spend[0] -= len(ins) * len(ins)
    if spend[0] < 0:
        raise _OutOfWork
    found: dict[frozenset[str], dict[str, _Label]] = {}
    for lab, stands in zip(complete, ins, strict=True):
        if not any(stands < other for other in ins):
            found.setdefault(stands, lab)
    result = [
        Position(
            tuple(p for p in points if lab[p] == "stands"),
            tuple(p for p in points if lab[p] == "defeated"),
            tuple(p for p in points if lab[p] == "undecided"),
        )
        for lab in found.values()
    ]
    index = {p: i for i, p in enumerate(points)}
    return tuple(sorted(result, key=lambda pos: [index[p] for p in pos.stands]))


def positions(
    labels: Mapping[str, Standing],
    attacked_by: Mapping[str, Sequence[str]],
    *,
    limit: int = MAX_WORK,
    knot_limit: int = KNOT_WORK,
) -> Positions:
    """The knots of the points `labels` leaves undecided, each with its positions.

    `attacked_by` holds the attacks that count (that succeed), as `grounded` reads them.

    >>> by = {"a": ["b"], "b": ["a"], "c": ["a", "b"]}
    >>> knot = positions({n: "undecided" for n in by}, by).knots[0]
    >>> [(p.stands, p.defeated) for p in knot.positions]
    [(('a',), ('b', 'c')), (('b',), ('a', 'c'))]
    """
    open_ = [node for node, standing in labels.items() if standing == "undecided"]
    inside = set(open_)
    by = {n: [a for a in attacked_by[n] if a in inside] for n in open_}
    targets: dict[str, list[str]] = {n: [] for n in open_}
    for n, attackers in by.items():
        for a in attackers:
            targets[a].append(n)
    order = {n: i for i, n in enumerate(open_)}
    seen: set[str] = set()
    knots: list[Knot] = []
    left = limit
    work = len(labels)
    for start in open_:
        if start in seen:
            continue
        group = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for other in (*by[node], *targets[node]):
                if other not in group:
                    group.add(other)
                    queue.append(other)
        seen |= group
        points = sorted(group, key=order.__getitem__)
        spend = [min(left, knot_limit)]
        given = spend[0]
        try:
            found: tuple[Position, ...] | None = _positions(points, by, targets, spend)
        except _OutOfWork:
            found = None
            spend[0] = 0
        used = given - max(spend[0], 0)
        left -= used
        work += used + len(group)
        knots.append(Knot(tuple(points), found))
    knot_of = {p: k for k, knot in enumerate(knots) for p in knot.points}
    return Positions(tuple(knots), work, limit, knot_of)


def shown(found: Positions) -> Positions:
    """`found` without the helper points of undercut links (`argmap.evaluate.links`).

    A complete labelling fixes its helpers, so positions stay distinct without them; but a
    position maximal with its helpers may let fewer of the map's own points stand than another
    (a helper stands where its rebuttal falls), so those are dropped: what remains is maximal in
    the map's points, and every such labelling was among them (one that is maximal in the map's
    points is maximal with its helpers too).
    """

    def keep(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if i[:1] not in ("\x01", "\x02"))

    if not any(k.points[-1][:1] in ("\x01", "\x02") for k in found.knots):
        return found  # no helpers: (they come after the map's points, in every knot's order)

    def maximal(positions: tuple[Position, ...]) -> tuple[Position, ...]:
        mine = [Position(keep(p.stands), keep(p.defeated), keep(p.undecided)) for p in positions]
        sets = [frozenset(p.stands) for p in mine]
        return tuple(p for p, s in zip(mine, sets, strict=True) if not any(s < t for t in sets))

    knots = tuple(
        Knot(keep(k.points), None if k.positions is None else maximal(k.positions))
        for k in found.knots
    )
    knot_of = {p: i for i, k in enumerate(knots) for p in k.points}
    return Positions(knots, found.work, found.limit, knot_of)
