"""The causes of a changed standing in words (`argmap diff`, `build --since`), from the diff's
structured causes, under the semantics the map uses, down the chain to its root ("now defeated
by 's', which now stands because its rebuttal 't' was removed", a few links, then "and …"): a
rebuttal that was removed, defeated or left undecided; one that became outweighed or is no
longer outweighed (weighed maps, with both strengths and what they were counted from); one
whose link an undercutter now cuts or no longer cuts (and what became of that undercutter);
and where an undecided point stands among the positions the map allows. `argmap.render.diff`
puts the sentences in its three formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from argmap.evaluate.causes import Cause, Change
from argmap.evaluate.reasons import Segment
from argmap.model import Standing
from argmap.render import sentences
from argmap.render.sentences import backing

Seg = Segment  # a piece of a sentence: words, or (with an id) a point named

PAST: Final[dict[Standing, str]] = {
    "stands": "stood",
    "defeated": "was defeated",
    "undecided": "was undecided",
}
NOW: Final[dict[Standing, str]] = {
    "stands": "now stands",
    "defeated": "now defeated",
    "undecided": "now undecided",
}


def quoted(node: str) -> str:
    """How text and JSON name a point: 'replaces-all' (ids need no escaping anywhere)."""
    return f"'{node}'"


def code_id(node: str) -> str:
    return f"`{node}`"


def words(segs: Sequence[Seg], name: Callable[[str], str] = quoted) -> str:
    """A sentence of pieces as text, each point named by `name`."""
    return "".join(text if node is None else name(node) for text, node in segs)


def _names(ids: Sequence[str]) -> list[Seg]:
    """`'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`."""
    return sentences.names(ids, lambda node: ("", node))


def _strengths(cause: Cause) -> list[Seg]:
    """The comparison of a weighed rebuttal: "(strength 0: ..., against 2: ...)"."""
    if cause.weighed is None:
        return []
    mine, theirs = cause.weighed
    return [(f" (strength {backing(mine)}, against {backing(theirs)})", None)]


def _cutter_fate(cause: Cause) -> list[Seg]:
    """What became of an undercutter that stood and no longer cuts the link."""
    if cause.now is None:
        return [(" was removed", None)]
    if cause.link == "removed":
        return [(" no longer undercuts it", None)]
    if cause.now == "defeated":
        return [(" is now defeated by ", None), *_names(cause.by)]
    return [(" is now undecided", None)]


def _fate(cause: Cause) -> list[Seg]:
    """What became of a rebuttal that used to count (and, down the chain, why)."""
    if cause.now is None:
        return [(" was removed", None)]
    if cause.link == "removed":
        return [(" no longer rebuts it", None)]
    if cause.now == "defeated":
        return [(" is now defeated by ", None), *_defeaters(cause)]
    if cause.now_effect == "outweighed":
        return [(" is now outweighed", None), *_strengths(cause)]
    if cause.now_effect == "undercut":
        return [(" is now undercut by ", None), *_names([c.point for c in cause.cutters])]
    return [
        (" is now undecided" if cause.now == "undecided" else " now stands", None),
        *_why(cause),
    ]


def _defeaters(cause: Cause) -> list[Seg]:
    """Who now defeats a rebuttal: "'s'", and where a defeater's own standing changed, why:
    "'s', which now stands because its rebuttal 't' was removed"."""
    if cause.more:
        return [*_names(cause.by), (", and …", None)]
    told = {g.point: g for g in cause.gains if g.changed}
    if len(cause.by) == 1 and cause.by[0] in told:
        g = told[cause.by[0]]
        return [("", g.point), (", which", None), *_became(g)]
    segs = _names(cause.by)
    for g in told.values():
        segs += [(" (", None), ("", g.point), *_became(g), (")", None)]
    return segs


def _became(cause: Cause) -> list[Seg]:
    """ " now stands because ...": the new standing of a cause whose standing changed."""
    state = {
        "stands": " now stands",
        "defeated": " is now defeated",
        "undecided": " is now undecided",
    }
    return [(state[cause.now or "stands"], None), *_why(cause)]


def _why(cause: Cause) -> list[Seg]:
    """Why a cause's own standing changed, down the chain: " because its rebuttal 't' was
    removed" (its lost and gained rebuttals); ", and …" where the chain goes on past the
    bound (`argmap.evaluate.causes.CHAIN`)."""
    if cause.more:
        return [(", and …", None)]
    clauses = [
        [
            ("its standing rebuttal " if c.was == "stands" else "its undecided rebuttal ", None),
            ("", c.point),
            *_fate(c),
        ]
        for c in cause.because
    ] + [_gained(c) for c in cause.gains]
    segs: list[Seg] = []
    for n, clause in enumerate(clauses):
        segs += [(" because " if n == 0 else "; ", None), *clause]
    return segs


def _lost(change: Change, cause: Cause) -> list[Seg]:
    if cause.was == "stands":
        lead = "its only standing rebuttal " if change.sole else "its standing rebuttal "
    else:
        lead = "its undecided rebuttal "
    return [(lead, None), ("", cause.point), *_fate(cause)]


def _gained(cause: Cause) -> list[Seg]:
    state = "stands" if cause.now == "stands" else "is undecided"
    if cause.was is None:
        return [("new rebuttal ", None), ("", cause.point), (f" {state}", None)]
    if cause.link == "added":
        return [("", cause.point), (f" now rebuts it and {state}", None)]
    lead: list[Seg] = [("its rebuttal ", None), ("", cause.point)]
    if cause.was == cause.now and cause.was_effect == "outweighed":
        return [*lead, (" is no longer outweighed", None), *_strengths(cause)]
    if cause.was == cause.now and cause.was_effect == "undercut":
        segs = [*lead, (" is no longer undercut", None)]
        for n, c in enumerate(cause.cutters):
            segs += [(" (" if n == 0 else "; ", None), ("", c.point), *_cutter_fate(c)]
        return [*segs, (")", None)] if cause.cutters else segs
    now = " now stands" if cause.now == "stands" else " is now undecided"
    return [*lead, (now, None), *_why(cause)]


# Where an undecided point stands among the map's positions (FORMAT.md, "Positions").
SHARE: Final[dict[str, str]] = {
    "every": "in every position the map allows",
    "some": "in some of the positions the map allows",
    "none": "in none of the positions the map allows",
    "unknown": "in positions too many to work out",
}


def _positions(change: Change) -> list[Seg]:
    """Where the point stood among the positions, when it was or is undecided and that says
    more than "undecided" (an undecided point usually stands in some positions, not all)."""
    before, after = change.positions
    segs: list[Seg] = []
    if before is not None and before != "some":
        segs.append((f"before, it stood {SHARE[before]}", None))
    if after is not None and after != "some":
        segs.append((f"{'; ' if segs else ''}it now stands {SHARE[after]}", None))
    return segs


def _roots(causes: Sequence[Cause], found: set[str]) -> set[str]:
    """The new rebuttals and new links named down these causes' chains (not the causes)."""
    for c in causes:
        for g in (*c.because, *c.gains):
            if g.was is None or g.link == "added":
                found.add(g.point)
        _roots((*c.because, *c.gains), found)
    return found


def why_segs(change: Change) -> list[Seg]:
    """The causes of one change: "its only standing rebuttal 'g' is now defeated by 'e'"."""
    said = _roots((*change.lost, *change.gained), set())  # (a new rebuttal said once)
    clauses = [_lost(change, c) for c in change.lost] + [
        [("", c.point), (" rebuts it too", None)]
        if c.point in said and (c.was is None or c.link == "added")
        else _gained(c)
        for c in change.gained
    ]
    if _positions(change):
        clauses.append(_positions(change))
    segs: list[Seg] = []
    for n, clause in enumerate(clauses):
        segs += [("; ", None), *clause] if n else clause
    return segs


def reason_segs(change: Change) -> list[Seg]:
    """One change in a sentence: "'replaces-all' was defeated, now stands: its only ..."."""
    head: list[Seg] = [("", change.id), (f" {PAST[change.before]}, {NOW[change.after]}", None)]
    causes = why_segs(change)
    return [*head, (": ", None), *causes] if causes else head


def why(change: Change, name: Callable[[str], str] = quoted) -> str:
    return words(why_segs(change), name)


def reason(change: Change, name: Callable[[str], str] = quoted) -> str:
    return words(reason_segs(change), name)
