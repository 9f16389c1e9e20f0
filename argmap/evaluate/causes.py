"""Part of stage 3, evaluate: why a point's standing changed between two evaluations of a map
(`argmap diff`, `build --since`), as structured causes, never from reason prose.

A changed point's causes are the rebuttals it lost (they counted, and no longer do) and those
it gained (they count now). Where a cause's own standing changed too, its causes are worked
out in turn, down the chain to its root (a rebuttal removed, added, outweighed, undercut):
"the claim now stands because its rebuttal R is now defeated by S, which now stands because
its rebuttal T was removed". The chain is bounded: the changed point's causes and at most
`CHAIN` levels of their causes (four links in all), and `BUDGET` causes for one change; past
either bound a cause says `more` (the words say "and …"). A point already on the chain (a
cycle) is not explained again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from argmap.evaluate import Evaluation
from argmap.evaluate.weigh import Strength
from argmap.model import Kind, Standing

Link = Literal["kept", "added", "removed"]
# What a rebuttal link does to its target: it counts, or it is outweighed (the map weighs
# attacks and the rebuttal is the weaker), or an undercutter of it stands.
Effect = Literal["counts", "outweighed", "undercut"]
# Where an undecided point stands among the map's positions: in every one (sceptically
# accepted), in some only (credulously), in none, or not worked out (its knot too large).
Acceptance = Literal["every", "some", "none", "unknown"]
# The undercut links of each side: (from, to) -> the points that undercut it
Cuts = tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]]]

CHAIN: Final = 3  # levels of causes explained below the changed point's own, at most
BUDGET: Final = 64  # causes worked out for one changed point, at most


@dataclass(frozen=True)
class Cause:
    """How one rebuttal of a changed point took part in the change.

    `was` and `now` are its standings (None: not in that map); `link` says whether it rebuts
    the changed point in both maps, only the new (added) or only the old (removed); `by` are
    the points that now defeat it. Where its own standing changed, `because` are the rebuttals
    it lost and `gains` those it gained (its own causes, down the chain); `more` says the
    chain goes on past the bound.
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
    gains: tuple[Cause, ...] = ()
    more: bool = False

    @property
    def changed(self) -> bool:
        """Whether its own standing changed while its link was kept (so it has causes)."""
        return self.link == "kept" and None not in (self.was, self.now) and self.was != self.now


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


def _standing(ev: Evaluation, node: str) -> Standing | None:
    return ev.verdicts[node].standing if node in ev.verdicts else None


class _Walk:
    """The two evaluations, their undercuts, and what is left of one change's budget."""

    def __init__(self, old: Evaluation, new: Evaluation, cuts: Cuts) -> None:
        self.old, self.new, self.cuts = old, new, cuts
        self.left = BUDGET

    def cause(self, point: str, target: str, depth: int, path: frozenset[str]) -> Cause:
        """How rebuttal `point` of `target` changed between the two maps."""
        old, new, cuts = self.old, self.new, self.cuts
        self.left -= 1
        in_old = point in old.verdicts and point in old[target].rebutted_by
        in_new = point in new.verdicts and point in new[target].rebutted_by
        link: Link = "kept" if in_old and in_new else "added" if in_new else "removed"
        was, now = _standing(old, point), _standing(new, point)
        by = new[point].defeated_by if now == "defeated" else ()
        because: tuple[Cause, ...] = ()
        gains: tuple[Cause, ...] = ()
        more = False
        if link == "kept" and was is not None and now is not None and was != now:
            if depth > 0 and self.left > 0:
                if point not in path:  # (a cycle: already explained up the chain)
                    because, gains = self.why(point, depth - 1, path | {point})
            else:
                more = True
        was_effect, now_effect = _effect(old, point, target), _effect(new, point, target)
        cutters: tuple[Cause, ...] = ()
        weighed: tuple[Strength, Strength] | None = None
        if link == "kept" and was_effect != now_effect:
            if "undercut" in (was_effect, now_effect):
                # the undercutters that now stand, or those that stood and no longer do
                ev = new if now_effect == "undercut" else old
                side = cuts[1] if now_effect == "undercut" else cuts[0]
                cutters = tuple(
                    self.cutter(u, (point, target))
                    for u in side.get((point, target), ())
                    if _standing(ev, u) == "stands"
                )
            if "outweighed" in (was_effect, now_effect) and target in new.strengths:
                weighed = (new.strengths[point], new.strengths[target])  # (the new map weighs)
        return Cause(
            point,
            was,
            now,
            link,
            by,
            because,
            was_effect,
            now_effect,
            cutters,
            weighed,
            gains=gains,
            more=more,
        )

    def cutter(self, u: str, pair: tuple[str, str]) -> Cause:
        """What became of an undercutter `u` of the link `pair`."""
        cuts = self.cuts
        in_old, in_new = u in cuts[0].get(pair, ()), u in cuts[1].get(pair, ())
        link: Link = "kept" if in_old and in_new else "added" if in_new else "removed"
        was, now = _standing(self.old, u), _standing(self.new, u)
        return Cause(u, was, now, link, self.new[u].defeated_by if now == "defeated" else ())

    def lost(self, node: str, depth: int, path: frozenset[str]) -> tuple[Cause, ...]:
        """The old rebuttals of `node` that counted (stood, or were undecided, and their link
        was neither outweighed nor undercut) and now do not."""
        old = self.old
        found = []
        for point in old[node].rebutted_by:
            if old[point].standing == "defeated" or _effect(old, point, node) != "counts":
                continue
            cause = self.cause(point, node, depth, path)
            if (
                cause.link == "removed"
                or cause.now != old[point].standing
                or cause.now_effect != "counts"
            ):
                found.append(cause)
        return tuple(found)

    def why(
        self, node: str, depth: int, path: frozenset[str]
    ) -> tuple[tuple[Cause, ...], tuple[Cause, ...]]:
        """The rebuttals `node` lost and those it gained, between the two maps."""
        old, new = self.old, self.new
        was, now = old[node].standing, new[node].standing
        lost: tuple[Cause, ...] = ()
        gained: tuple[Cause, ...] = ()
        if now == "stands" or (was == "defeated" and now == "undecided"):
            lost = self.lost(node, depth, path)
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
                for cause in [self.cause(point, node, depth, path)]
                if cause.link != "kept" or cause.was != cause.now or cause.was_effect != "counts"
            )
        return lost, gained


def change(node: str, old: Evaluation, new: Evaluation, kind: Kind, cuts: Cuts) -> Change:
    """The causes of `node`'s changed standing, down the chain (`CHAIN`, `BUDGET`)."""
    lost, gained = _Walk(old, new, cuts).why(node, CHAIN, frozenset({node}))
    sole = len(old[node].defeated_by) == 1 and [c.point for c in lost] == list(
        old[node].defeated_by
    )
    return Change(
        node,
        kind,
        old[node].standing,
        new[node].standing,
        lost,
        gained,
        sole,
        (acceptance(old, node), acceptance(new, node)),
    )
