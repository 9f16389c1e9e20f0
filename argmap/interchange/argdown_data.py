"""argmap's own inline data in Argdown (what `argdown_out` writes beside `by`, `quote`...):
what a point is (`role`, or the evidence `kind`), its `weight`, and the links it undercuts
(`undercuts`) when its `_> <A>` undercuts only some of A's links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from argmap.interchange.draft import Draft, Point, Undercut
from argmap.interchange.shapes import judgement_of, weight_of

_ROLES: Final = ("claim", "rebuttal", "evidence")


def argmap_data(
    point: Point, data: dict[str, Any], drop: Callable[[str, str], None], draft: Draft
) -> list[tuple[str, str]]:
    """Set the point's role and weight from its data (and the map's judgement, which argmap's
    export writes in its first point's data too); the (from, to) titles it lists in
    `undercuts`. A value argmap cannot take is dropped (`drop(noun, why)`)."""
    if "judgement" in data:
        map_judgement(draft, data["judgement"], drop)
    role, kind = data.get("role"), data.get("kind")
    if role in _ROLES:
        point.role = str(role)
    elif role is not None:
        drop("role argmap does not know", "a point is a claim, a rebuttal or evidence")
    elif kind is not None and point.role is None:
        point.role = "evidence"  # (argmap writes the kind of every evidence item)
    if "weight" in data:
        point.weight = weight_of(data["weight"])
        if point.weight is None:
            drop("weight", "a weight is a whole number from 0 to 1,000,000")
    links = data.get("undercuts")
    if links is None:
        return []
    pairs = []
    for u in links if isinstance(links, list) else [links]:
        if isinstance(u, dict) and all(isinstance(u.get(k), str | int) for k in ("from", "to")):
            pairs.append((str(u["from"]), str(u["to"])))
        else:
            drop("undercut in the data", "an undercut's link is `{from: A, to: B}`")
    return pairs


def map_judgement(draft: Draft, value: object, drop: Callable[[str, str], None]) -> None:
    """A point's `judgement` data: the map's judgement, unless the front matter gave one.

    `argdown json` keeps no front matter, so argmap's export writes a weighed map's judgement
    in the first point's data too; the front matter, where there is one, is read first and
    wins, and a point's judgement that says otherwise is reported."""
    found = judgement_of(value)
    if found is None:
        drop(
            "judgement argmap does not know",
            "a map's judgement is `{attacks: all}` or `{attacks: weighed}`",
        )
    elif draft.judgement is None:
        draft.judgement = found
    elif draft.judgement != found:
        drop("judgement that disagrees with the front matter's", "the front matter's is kept")


def narrow_undercuts(draft: Draft, listed: dict[str, list[tuple[str, str]]]) -> list[Undercut]:
    """The draft's undercuts, where an undercutter's data lists links: its `_> <A>` then
    undercuts those of A's links only (A and each link's end named by their titles)."""
    points = draft.points

    def key(title: str) -> str | None:
        return next((k for k in (f"a:{title}", f"s:{title}") if k in points), None)

    out: list[Undercut] = []
    done: set[str] = set()  # undercutters whose listed links are out (in the data's order)
    for u in draft.undercuts:
        links = listed.get(u.source)
        if links is None or u.link_to is not None:
            out.append(u)
            continue
        if not any(key(a) == u.link_from for a, _ in links):
            out.append(u)  # the data says nothing of this one: all of A's links
            continue
        if u.source in done:
            continue
        done.add(u.source)
        cut = {v.link_from for v in draft.undercuts if v.source == u.source}
        for a, b in links:
            start, end = key(a), key(b)
            if start in cut and end is not None:
                out.append(Undercut(u.source, start, end, u.place))
    return out
