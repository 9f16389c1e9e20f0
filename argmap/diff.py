"""What an edit changed: two versions of a map compared, point by point and standing by standing.

`read_side` reads one side, from a file or from a git revision of it (`argmap.load.git`: `git
show REV:path`, nothing checked out; the revision arguments are read by
`argmap.cli.revisions`); `compare` takes two evaluated maps and returns a `MapDiff`: points
added, removed, reworded or moved to another section, relations added and removed, and above
all the standings that changed, each with its `Cause`s down the chain to their roots
(`argmap.evaluate.causes`, from the evaluations' structured data, never from reason prose).
`argmap.render.diff` words a `MapDiff` as text, markdown or JSON; `argmap.cli` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from argmap.evaluate import Evaluation, evaluate
from argmap.evaluate.causes import Acceptance, Cause, Change, acceptance, change
from argmap.evaluate.links import each_link, links
from argmap.load import parse, read_map
from argmap.load.git import git_show
from argmap.model import ArgMap, Claim, Evidence, Kind, Rebuttal, Standing
from argmap.validate import Validated, validate

# (the causes are worked out in `argmap.evaluate.causes`; named here too)
__all__ = [
    "Acceptance",
    "Cause",
    "Change",
    "DiffLink",
    "DiffPoint",
    "MapDiff",
    "Moved",
    "Reworded",
    "Shift",
    "Side",
    "Spec",
    "acceptance",
    "compare",
    "read_side",
]

Relation = Literal["rebuts", "supports", "undercuts"]


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
class DiffPoint:
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
class DiffLink:
    """`source` rebuts or supports `target`, or undercuts the link from `link_from` to it."""

    source: str
    relation: Relation
    target: str
    link_from: str | None = None  # undercuts only


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
    added: tuple[DiffPoint, ...]
    removed: tuple[DiffPoint, ...]
    reworded: tuple[Reworded, ...]
    moved: tuple[Moved, ...]
    edges_added: tuple[DiffLink, ...]
    edges_removed: tuple[DiffLink, ...]
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


def _edges(m: ArgMap) -> dict[DiffLink, None]:
    """Every rebuttal, support and undercut link (the one list of them: `evaluate.links`)."""
    found = links(m)
    edges = {DiffLink(a, relation, b): None for relation, (a, b) in each_link(found)}
    for (a, b), cutters in found.undercut.items():
        edges.update({DiffLink(u, "undercuts", b, a): None for u in cutters})
    return edges


def compare(old: Side, new: Side) -> MapDiff:
    """Everything that differs between two evaluated maps, in the new map's order (removals in
    the old map's)."""
    before = {s.id: s for s in old.argmap.statements()}
    after = {s.id: s for s in new.argmap.statements()}
    old_edges, new_edges = _edges(old.argmap), _edges(new.argmap)
    cuts = (links(old.argmap).undercut, links(new.argmap).undercut)
    changes = tuple(
        change(node, old.ev, new.ev, _kind(statement), cuts)
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
            DiffPoint(s.id, _kind(s), s.text, new.ev[s.id].standing)
            for s in after.values()
            if s.id not in before
        ),
        removed=tuple(
            DiffPoint(s.id, _kind(s), s.text, old.ev[s.id].standing)
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
