"""What an edit changed: two versions of a map compared, point by point and standing by standing.

`read_side` reads one side, from a file or from a git revision of it (`argmap.load.git`: `git
show REV:path`, nothing checked out; the revision arguments are read by
`argmap.cli.revisions`); `compare` takes two evaluated maps and returns a `MapDiff`: points
added, removed, reworded or moved to another section, relations added and removed, and above
all the standings that changed, each with its `Cause`s, built from the evaluations'
structured data (standings, attackers, defeaters), never from reason prose.
`argmap.render.diff` words a `MapDiff` as text, markdown or JSON; `argmap.cli` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from argmap.evaluate import Evaluation, evaluate
from argmap.evaluate.links import each_link, links
from argmap.evaluate.weigh import Strength
from argmap.load import parse, read_map
from argmap.load.git import git_show
from argmap.model import ArgMap, Claim, Evidence, Kind, Rebuttal, Standing
from argmap.validate import Validated, validate

Relation = Literal["rebuts", "supports", "undercuts"]
Link = Literal["kept", "added", "removed"]
# What a rebuttal link does to its target: it counts, or it is outweighed (the map weighs
# attacks and the rebuttal is the weaker), or an undercutter of it stands.
Effect = Literal["counts", "outweighed", "undercut"]


# --- reading a side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One side as asked for: a claims.yaml on disk, or (with `rev`) that file at a revision."""

    path: Path
    rev: str | None = None

    @property
    def label(self) -> str:
        """How messages and reports name this side: `claims.yaml` or `HEAD~1:claims.yaml`."""
        return f"{self.rev}:{self.path}" if self.rev is not None else str(self.path)


@dataclass(frozen=True)
class Side:
    """One side of a diff, read, validated and evaluated."""

    spec: Spec
    valid: Validated
    ev: Evaluation

    @property
    def argmap(self) -> ArgMap:
        return self.valid.argmap


def read_side(spec: Spec, *, strict: bool = False) -> Side:
    """Load, validate and evaluate one side; `InvalidMap` names it in every message.

    A revision's map is read with git; its quotes are checked against the source files as
    they are on disk now (the revision's own copies are not checked out).
    """
    if spec.rev is None:
        loaded = read_map(spec.path, spec.label)
    else:
        loaded = parse(git_show(spec.rev, spec.path), spec.label, spec.path)
    valid = validate(loaded, strict=strict)
    return Side(spec, valid, evaluate(valid.argmap))


# --- comparing two sides -----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A point as one side has it."""

    id: str
    kind: Kind
    text: str
    standing: Standing


@dataclass(frozen=True)
class Reworded:
    id: str
    kind: Kind
    before: str
    after: str


@dataclass(frozen=True)
class Moved:
    """A point whose id is kept but which is now in another section (a claim made a rebuttal)."""

    id: str
    before: Kind
    after: Kind


@dataclass(frozen=True)
class Edge:
    """`source` rebuts or supports `target`, or undercuts the link from `link_from` to it."""

    source: str
    relation: Relation
    target: str
    link_from: str | None = None  # undercuts only


@dataclass(frozen=True)
class Cause:
    """How one rebuttal of a changed point took part in the change.

    `was` and `now` are its standings (None: not in that map); `link` says whether it rebuts
    the changed point in both maps, only the new (added) or only the old (removed); `by` are
    the points that now defeat it; `because` says, one level down, why it now stands.
    """

    point: str
    was: Standing | None
    now: Standing | None
    link: Link
    by: tuple[str, ...] = ()
    because: tuple[Cause, ...] = ()
    # What its link did to the changed point in each map (None: no such link there); where
    # that changed, the undercutters that now stand or no longer do (`cutters`, their own
    # fates), or the two strengths compared (`weighed`: its own, then the changed point's).
    was_effect: Effect | None = None
    now_effect: Effect | None = None
    cutters: tuple[Cause, ...] = ()
    weighed: tuple[Strength, Strength] | None = None


@dataclass(frozen=True)
class Change:
    """A point in both maps whose standing changed, and the rebuttals that changed it.

    `lost` holds its old rebuttals that counted (they stood, or left it undecided) and no
    longer do; `gained` its new rebuttals that now count (they stand, or leave it undecided).
    `sole` is true when `lost` is its one and only old standing rebuttal.
    """

    id: str
    kind: Kind
    before: Standing
    after: Standing
    lost: tuple[Cause, ...]
    gained: tuple[Cause, ...]
    sole: bool
    # (credulous, sceptical) acceptance before and after, where it was or is undecided
    positions: tuple[Acceptance | None, Acceptance | None] = (None, None)


# Where an undecided point stands among the map's positions: in every one (sceptically
# accepted), in some only (credulously), in none, or not worked out (its knot too large).
Acceptance = Literal["every", "some", "none", "unknown"]


@dataclass(frozen=True)
class Shift:
    """A point undecided in both maps that moved between positions: it now stands in every,
    some or no position of the map, where before it stood in another share of them."""

    id: str
    kind: Kind
    before: Acceptance
    after: Acceptance


@dataclass(frozen=True)
class MapDiff:
    old: Spec
    new: Spec
    old_counts: dict[Standing, int]
    new_counts: dict[Standing, int]
    standings: tuple[Change, ...]
    added: tuple[Point, ...]
    removed: tuple[Point, ...]
    reworded: tuple[Reworded, ...]
    moved: tuple[Moved, ...]
    edges_added: tuple[Edge, ...]
    edges_removed: tuple[Edge, ...]
    shifts: tuple[Shift, ...] = ()
    rule: tuple[str, str] = ("all", "all")  # the judgement's `attacks`, before and after

    @property
    def standing_changed(self) -> bool:
        """True when some point of both maps changed standing (`argmap diff` exits 1)."""
        return bool(self.standings)

    @property
    def empty(self) -> bool:
        return not (
            self.standings
            or self.added
            or self.removed
            or self.reworded
            or self.moved
            or self.edges_added
            or self.edges_removed
            or self.shifts
            or self.rule[0] != self.rule[1]
        )


def _kind(statement: Claim | Rebuttal | Evidence) -> Kind:
    return statement.item_kind


def _edges(m: ArgMap) -> dict[Edge, None]:
    """Every rebuttal, support and undercut link (the one list of them: `evaluate.links`)."""
    found = links(m)
    edges = {Edge(a, relation, b): None for relation, (a, b) in each_link(found)}
    for (a, b), cutters in found.undercut.items():
        edges.update({Edge(u, "undercuts", b, a): None for u in cutters})
    return edges


def acceptance(ev: Evaluation, node: str) -> Acceptance | None:
    """Where `node` stands among the map's positions, when it is undecided (else None)."""
    standing = ev[node].standing
    if standing != "undecided":
        return None
    credulous, sceptical = ev.positions.acceptance(node, standing)
    if credulous is None:
        return "unknown"
    return "every" if sceptical else "some" if credulous else "none"


def _effect(ev: Evaluation, attacker: str, target: str) -> Effect | None:
    if target not in ev.verdicts or attacker not in ev[target].rebutted_by:
        return None
    v = ev[target]
    return (
        "outweighed"
        if attacker in v.outweighed
        else "undercut"
        if attacker in v.undercut
        else "counts"
    )


def compare(old: Side, new: Side) -> MapDiff:
    """Everything that differs between two evaluated maps, in the new map's order (removals in
    the old map's)."""
    before = {s.id: s for s in old.argmap.statements()}
    after = {s.id: s for s in new.argmap.statements()}
    old_edges, new_edges = _edges(old.argmap), _edges(new.argmap)
    cuts = (links(old.argmap).undercut, links(new.argmap).undercut)
    changes = tuple(
        _change(node, old.ev, new.ev, _kind(statement), cuts)
        for node, statement in after.items()
        if node in before and old.ev[node].standing != new.ev[node].standing
    )
    shifts = tuple(
        Shift(node, _kind(statement), was, now)
        for node, statement in after.items()
        if node in before
        for was, now in [(acceptance(old.ev, node), acceptance(new.ev, node))]
        if was is not None and now is not None and was != now
    )
    return MapDiff(
        old=old.spec,
        new=new.spec,
        old_counts=old.ev.counts(),
        new_counts=new.ev.counts(),
        standings=changes,
        added=tuple(
            Point(s.id, _kind(s), s.text, new.ev[s.id].standing)
            for s in after.values()
            if s.id not in before
        ),
        removed=tuple(
            Point(s.id, _kind(s), s.text, old.ev[s.id].standing)
            for s in before.values()
            if s.id not in after
        ),
        reworded=tuple(
            Reworded(s.id, _kind(s), before[s.id].text, s.text)
            for s in after.values()
            if s.id in before and before[s.id].text != s.text
        ),
        moved=tuple(
            Moved(s.id, _kind(before[s.id]), _kind(s))
            for s in after.values()
            if s.id in before and _kind(before[s.id]) != _kind(s)
        ),
        edges_added=tuple(e for e in new_edges if e not in old_edges),
        edges_removed=tuple(e for e in old_edges if e not in new_edges),
        shifts=shifts,
        rule=(old.argmap.judgement.attacks, new.argmap.judgement.attacks),
    )


def _standing(ev: Evaluation, node: str) -> Standing | None:
    return ev.verdicts[node].standing if node in ev.verdicts else None


Cuts = tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]]]


def _cause(
    point: str, target: str, old: Evaluation, new: Evaluation, cuts: Cuts, *, depth: int
) -> Cause:
    """How rebuttal `point` of `target` changed between `old` and `new`."""
    in_old = point in old.verdicts and point in old[target].rebutted_by
    in_new = point in new.verdicts and point in new[target].rebutted_by
    link: Link = "kept" if in_old and in_new else "added" if in_new else "removed"
    was, now = _standing(old, point), _standing(new, point)
    by = new[point].defeated_by if now == "defeated" else ()
    because: tuple[Cause, ...] = ()
    if depth > 0 and link == "kept" and now == "stands" and was != "stands":
        because = _lost(point, old, new, cuts, depth=depth - 1)
    was_effect, now_effect = _effect(old, point, target), _effect(new, point, target)
    cutters: tuple[Cause, ...] = ()
    weighed: tuple[Strength, Strength] | None = None
    if link == "kept" and was_effect != now_effect:
        if "undercut" in (was_effect, now_effect):
            # the undercutters that now stand, or those that stood and no longer do
            ev = new if now_effect == "undercut" else old
            side = cuts[1] if now_effect == "undercut" else cuts[0]
            cutters = tuple(
                _cutter(u, (point, target), old, new, cuts)
                for u in side.get((point, target), ())
                if _standing(ev, u) == "stands"
            )
        if "outweighed" in (was_effect, now_effect) and target in new.strengths:
            weighed = (new.strengths[point], new.strengths[target])  # (the new map weighs)
    return Cause(point, was, now, link, by, because, was_effect, now_effect, cutters, weighed)


def _cutter(u: str, pair: tuple[str, str], old: Evaluation, new: Evaluation, cuts: Cuts) -> Cause:
    """What became of an undercutter `u` of the link `pair`."""
    in_old, in_new = u in cuts[0].get(pair, ()), u in cuts[1].get(pair, ())
    link: Link = "kept" if in_old and in_new else "added" if in_new else "removed"
    was, now = _standing(old, u), _standing(new, u)
    return Cause(u, was, now, link, new[u].defeated_by if now == "defeated" else ())


def _lost(
    node: str, old: Evaluation, new: Evaluation, cuts: Cuts, *, depth: int
) -> tuple[Cause, ...]:
    """The old rebuttals of `node` that counted (stood, or were undecided, and their link was
    neither outweighed nor undercut) and now do not."""
    found = []
    for point in old[node].rebutted_by:
        if old[point].standing == "defeated" or _effect(old, point, node) != "counts":
            continue
        cause = _cause(point, node, old, new, cuts, depth=depth)
        if (
            cause.link == "removed"
            or cause.now != old[point].standing
            or cause.now_effect != "counts"
        ):
            found.append(cause)
    return tuple(found)


def _change(node: str, old: Evaluation, new: Evaluation, kind: Kind, cuts: Cuts) -> Change:
    was, now = old[node].standing, new[node].standing
    lost: tuple[Cause, ...] = ()
    gained: tuple[Cause, ...] = ()
    if now == "stands" or (was == "defeated" and now == "undecided"):
        lost = _lost(node, old, new, cuts, depth=1)
        if now == "undecided":  # only the standing rebuttals it lost count here
            lost = tuple(c for c in lost if c.was == "stands")
    if now != "stands":  # the rebuttals that now defeat it, or leave it undecided
        counted = {c.point for c in lost}
        gained = tuple(
            cause
            for point in new[node].rebutted_by
            if new[point].standing == ("stands" if now == "defeated" else "undecided")
            and point not in counted
            and _effect(new, point, node) == "counts"
            for cause in [_cause(point, node, old, new, cuts, depth=1)]
            if cause.link != "kept" or cause.was != cause.now or cause.was_effect != "counts"
        )
    sole = len(old[node].defeated_by) == 1 and [c.point for c in lost] == list(
        old[node].defeated_by
    )
    return Change(
        node, kind, was, now, lost, gained, sole, (acceptance(old, node), acceptance(new, node))
    )
