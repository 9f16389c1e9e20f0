"""Part of stage 4, render: the small pieces of English that every output shares, each written
once: lists joined with "and", counts with their plurals, the rule by which standings are
judged, what makes a point strong, the positions a knot of undecided points allows, and the
sentence for a point an outcome hangs on.

A sentence is a list of `Seg`s: a piece of text, and the id of the point it names (or None),
so the brief can link each named point and plain text can drop the links (`plain`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from argmap.evaluate.pivotal import Pivot
from argmap.evaluate.positions import Knot, Position
from argmap.evaluate.reasons import Segment
from argmap.evaluate.weigh import Strength
from argmap.model import AttackRule
from argmap.text import plural as plural  # the one plural helper, re-exported for the pages

Seg = Segment
Namer = Callable[[str], Seg]  # a point's id -> how a sentence names it
SHOWN_POSITIONS: Final = 4  # a knot's positions spelt out; more are counted
NAMED_POINTS: Final = 12  # a knot of more points is counted, not spelt out


def plain(segs: Sequence[Seg]) -> str:
    """A sentence as plain text.

    >>> plain([("a ", None), ("“B”", "b"), (".", None)])
    'a “B”.'
    """
    return "".join(text for text, _ in segs)


def joined(parts: Sequence[Sequence[Seg]], word: str = "and") -> list[Seg]:
    """Parts joined as "a, b and c" (or with `word`: "a, b or c").

    >>> plain(joined([[("a", None)], [("b", None)], [("c", None)]]))
    'a, b and c'
    >>> plain(joined([[("a", None)], [("b", None)]], "or"))
    'a or b'
    """
    segs: list[Seg] = []
    for n, part in enumerate(parts):
        if n:
            segs.append((f" {word} " if n == len(parts) - 1 else ", ", None))
        segs.extend(part)
    return segs


def names(ids: Sequence[str], name: Namer) -> list[Seg]:
    """Points named and joined: "“A”, “B” and “C”"."""
    return joined([[name(i)] for i in ids])


def rule(attacks: AttackRule) -> str:
    """How standings are decided, in one sentence: said where a reader first meets one."""
    if attacks == "weighed":
        return (
            "A point stands when every rebuttal against it is defeated or outweighed (or there is "
            "none), and is defeated when a rebuttal against it stands and is at least as strong: "
            "this map weighs attacks, a point's strength being its backing (a source, a quote "
            "checked against the source, each piece of evidence for it) or the weight its "
            "analyst gave. Undecided points are caught in rebuttals that answer each other."
        )
    return (
        "A point stands when every rebuttal against it is itself defeated (or there is none), "
        "and is defeated when a rebuttal against it stands, even one that gives no evidence, "
        "source or quote: such a defeat is marked “challenged only by an unsupported denial”. "
        "Undecided points are caught in rebuttals that answer each other in a loop."
    )


def backing(strength: Strength) -> str:
    """What a point's strength was counted from.

    >>> backing(Strength(2, None, True, False, 1)), backing(Strength(0, None, False, False, 0))
    ('2: a source and 1 piece of evidence', '0: no source, quote or evidence')
    >>> backing(Strength(5, 5, True, False, 0))
    '5: the weight its analyst gave'
    """
    if strength.weight is not None:
        return f"{strength.value}: the weight its analyst gave"
    parts = ["a source"] * strength.source + ["a checked quote"] * strength.quote
    if strength.evidence:
        parts.append(plural(strength.evidence, "piece of evidence", "pieces of evidence"))
    said = plain(joined([[(p, None)] for p in parts])) if parts else "no source, quote or evidence"
    return f"{strength.value}: {said}"


def outweighed(attacker: Seg, target: Seg, weak: Strength, strong: Strength) -> list[Seg]:
    """Why an attack fails under weighing, with the comparison in words."""
    return [
        attacker,
        (f" (strength {backing(weak)}) is outweighed by ", None),
        target,
        (f" (strength {backing(strong)}), so it does not defeat it.", None),
    ]


def pivot(
    p: Pivot, point: list[Seg], via: list[Seg], name: Callable[[str], Seg] | None = None
) -> list[Seg]:
    """One point a claim hangs on: "Stands only because X defeats Y", "Would stand again if X
    fell"; `point` names X (with its owner), `via` the Ys, `name` each end of a link X
    undercuts ("Stands only because X undercuts the link from Q to T").

    >>> plain(pivot(Pivot("x", "stands", "defeated", ("y",)), [("X", "x")], [("Y", "y")]))
    'Stands only because X defeats Y.'
    >>> plain(pivot(Pivot("x", "undecided", "defeated", ()), [("X", "x")], []))
    'Would be defeated if X fell.'
    >>> cut = Pivot("u", "stands", "defeated", (), (("q", "k"),))
    >>> plain(pivot(cut, [("U", "u")], [], lambda n: (n.upper(), n)))
    'Stands only because U undercuts the link from Q to K.'
    """
    if p.before == "stands":
        segs: list[Seg] = [("Stands only because ", None), *point]
        cuts = [
            [("the link from ", None), (name or _as_id)(a), (" to ", None), (name or _as_id)(b)]
            for a, b in p.cut
        ]
        if via or not cuts:
            segs += [(" defeats ", None), *via]
        if cuts:
            segs += [(" and undercuts " if via else " undercuts ", None), *joined(cuts)]
        if p.after == "undecided":
            segs.append(("; without it, it would be undecided", None))
        return [*segs, (".", None)]
    if p.before == "defeated":
        lead = "Would stand again if " if p.after == "stands" else "Would be undecided if "
    else:
        lead = "Would stand if " if p.after == "stands" else "Would be defeated if "
    return [(lead, None), *point, (" fell.", None)]


def _as_id(node: str) -> Seg:
    return (node, node)


def _position(position: Position, name: Namer) -> list[Seg]:
    parts: list[list[Seg]] = []
    for ids, one, many in (
        (position.stands, " stands", " stand"),
        (position.defeated, " falls", " fall"),
        (position.undecided, " stays open", " stay open"),
    ):
        if ids:
            parts.append([*names(ids, name), (one if len(ids) == 1 else many, None)])
    return joined(parts)


def _mirrored(one: Position, other: Position) -> bool:
    """Whether two positions are each other's reverse: what stands in one falls in the other."""
    return (
        not one.undecided
        and not other.undecided
        and set(one.stands) == set(other.defeated)
        and set(one.defeated) == set(other.stands)
    )


def knot(k: Knot, name: Namer) -> list[Seg]:
    """The positions one knot of undecided points allows, in a sentence.

    >>> n = lambda i: (i.upper(), i)
    >>> k = Knot(("a", "b"), (Position(("a",), ("b",), ()), Position(("b",), ("a",), ())))
    >>> plain(knot(k, n))
    'Two coherent positions: either A stands and B falls, or B stands and A falls.'
    >>> one, other = Position(("a", "c"), ("b",), ()), Position(("b",), ("a", "c"), ())
    >>> plain(knot(Knot(("a", "b", "c"), (one, other)), n))
    'Two coherent positions: either A and C stand and B falls, or the reverse.'
    >>> plain(knot(Knot(("p", "q", "r"), (Position((), (), ("p", "q", "r")),)), n))
    'No position settles P, Q and R: their rebuttals go round an odd loop.'
    """
    if k.positions is None:
        return [
            (f"Too many ways to settle these {len(k.points):,} points to work out; ", None),
            ("argmap leaves them undecided.", None),
        ]
    found = k.positions
    if len(k.points) > NAMED_POINTS:
        return [
            (
                f"{plural(len(found), 'coherent position')} among {len(k.points):,} points that ",
                None,
            ),
            ("answer each other, starting from ", None),
            name(k.points[0]),
            (".", None),
        ]
    if len(found) == 1 and not found[0].stands:
        return [
            ("No position settles ", None),
            *names(k.points, name),
            (": their rebuttals go round an odd loop.", None),
        ]
    if len(found) == 1:
        return [("One coherent position: ", None), *_position(found[0], name), (".", None)]
    words = {2: "Two", 3: "Three", 4: "Four"}.get(len(found), f"{len(found):,}")
    if len(found) == 2 and len(k.points) > 2 and _mirrored(*found):
        # (naming every point twice makes a wall of quotes a reader cannot take in)
        return [
            ("Two coherent positions: either ", None),
            *_position(found[0], name),
            (", or the reverse.", None),
        ]
    shown = [_position(p, name) for p in found[:SHOWN_POSITIONS]]
    segs: list[Seg] = [(f"{words} coherent positions: either ", None)]
    for n, part in enumerate(shown):
        if n:
            segs.append((", or ", None))
        segs.extend(part)
    more = len(found) - len(shown)
    if more:
        segs.append((f", or {plural(more, 'other')}", None))
    return [*segs, (".", None)]


def positions_lead(count: int | None, knots: int) -> str:
    """The sentence before the knots: how many positions the whole map allows."""
    if count is None:
        return (
            "Some points are caught in rebuttals that answer each other; some of these knots "
            "were too large to work out which positions they allow."
        )
    many = f"{count:,}" if count < 10**9 else "more than a billion"
    return (
        f"Rebuttals that answer each other leave {plural(knots, 'knot')} of undecided points; "
        f"taken together the map allows {many} coherent position{'s' * (count != 1)} "
        "(a point may stand in some and fall in others):"
    )
