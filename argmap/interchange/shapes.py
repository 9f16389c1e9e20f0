"""What each imported point is in argmap's terms, and which links its undercuts attack.

A foreign file says which points attack, support and undercut which; argmap's sections say what
a point is. Any point may rebut and support (FORMAT.md, "Meaning"), so the relations never
decide what is kept, only where a point is written:

- where the file says what the point is (`Point.role`: argmap's own exports carry it), that,
  when the point's relations allow it (evidence supports something, a rebuttal rebuts or
  undercuts something, a claim undercuts nothing);
- otherwise a point that attacks or undercuts is a rebuttal, one that only supports is
  evidence, one that does neither is a claim.

An undercut names a link (`from` rebuts or supports `to`), or, from Argdown (`_>`, an attack on
an argument's inference), every link of a point: those are resolved here to the links the
kept relations have.
"""

from __future__ import annotations

from typing import get_args

from argmap.interchange.draft import Draft, Edge, Undercut
from argmap.interchange.losses import Losses
from argmap.model import MAX_WEIGHT, AttackRule


def undercuts(
    draft: Draft, kept: set[str], attacks: list[Edge], supports: list[Edge], losses: Losses
) -> list[Undercut]:
    """The draft's undercuts of kept points, each resolved to one link the kept relations have.
    An undercut of a point that has no link at all (`<a> _> <b>` where `b` supports and attacks
    nothing) becomes a rebuttal of that point, appended to `attacks`, and is reported."""
    links: dict[str, list[str]] = {}
    for e in [*attacks, *supports]:
        targets = links.setdefault(e.source, [])
        if e.target not in targets:
            targets.append(e.target)
    out: list[Undercut] = []
    seen: set[tuple[str, str, str]] = set()
    attacked = {(e.source, e.target) for e in attacks}
    for u in draft.undercuts:
        if u.source not in kept or u.link_from not in kept:
            continue
        if u.link_to is not None and u.link_to not in kept:
            continue
        if u.source == u.link_from:
            losses.add(
                "dropped",
                "undercut of the point's own link",
                "a point cannot undercut its own link in argmap",
                u.place,
                "undercuts of the points' own links",
            )
            continue
        of = links.get(u.link_from, [])
        if u.link_to is None and not of:
            if u.source != u.link_from and (u.source, u.link_from) not in attacked:
                attacks.append(Edge(u.source, u.link_from, u.place))
                attacked.add((u.source, u.link_from))
            losses.add(
                "turned",
                "undercut of a point without links into a rebuttal",
                "the undercut point supports and attacks nothing, so there is no link to cut; "
                "the undercutter rebuts the point instead",
                u.place,
                "undercuts of points without links into rebuttals",
            )
            continue
        if u.link_to is not None and u.link_to not in of:
            losses.add(
                "dropped",
                "undercut of a link the file does not have",
                "the point it names neither rebuts nor supports that target",
                u.place,
                "undercuts of links the file does not have",
            )
            continue
        for target in of if u.link_to is None else [u.link_to]:
            if (u.source, u.link_from, target) not in seen:
                seen.add((u.source, u.link_from, target))
                out.append(Undercut(u.source, u.link_from, target, u.place))
    return out


def rival_theses(draft: Draft, only: str = "") -> set[str]:
    """The points of a file that does not say what its points are (plain AIF) that are rival
    theses: points that support and undercut nothing and rebut only each other, around a cycle
    (`A` and `B` in conflict both ways, or `A` against `B` against `C` against `A`). Each such
    cycle is a strongly connected part of the attacks among those points that no attack leaves;
    its points are claims that rebut claims, not rebuttals. A point that also rebuts a point
    outside the cycle is a rebuttal, as is any one-way conflict (a file does not tell a rival
    thesis that attacks from a rebuttal then). `only`: the keys' prefix of the points that may
    be theses (Argdown's statements, `s:`; its arguments are reasons)."""
    supporters = {e.source for e in draft.supports}
    cutters = {u.source for u in draft.undercuts}
    free = {
        k
        for k, p in draft.points.items()
        if p.role is None and k.startswith(only) and k not in supporters | cutters
    }
    out: dict[str, list[str]] = {k: [] for k in free}
    leaves: set[str] = set()  # candidates that also attack a point outside the candidates
    for e in draft.attacks:
        if e.source in free and e.target in free:
            out[e.source].append(e.target)
        elif e.source in free:
            leaves.add(e.source)
    part = _components(out)
    closed: dict[int, bool] = {}
    for k, targets in out.items():
        ok = k not in leaves and all(part[t] == part[k] for t in targets)
        closed[part[k]] = closed.get(part[k], True) and ok
    size: dict[int, int] = {}
    for k in out:
        size[part[k]] = size.get(part[k], 0) + 1
    return {k for k in out if out[k] and closed[part[k]] and size[part[k]] > 1}


def _components(graph: dict[str, list[str]]) -> dict[str, int]:
    """Each node's strongly connected component (Tarjan's algorithm, without recursion: one
    pass over nodes and edges, so bounded by the graph's size)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    part: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on.add(node)
            targets = graph[node]
            if i < len(targets):
                work.append((node, i + 1))
                t = targets[i]
                if t not in index:
                    work.append((t, 0))
                elif t in on:
                    low[node] = min(low[node], index[t])
                continue
            if low[node] == index[node]:
                while True:
                    top = stack.pop()
                    on.discard(top)
                    part[top] = index[node]
                    if top == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return part


def kinds(
    draft: Draft,
    order: list[str],
    attacks: list[Edge],
    supports: list[Edge],
    cuts: list[Undercut],
) -> dict[str, str]:
    """Each kept point's section: "claim", "rebuttal" or "evidence" (see the module's rules)."""
    attackers = {e.source for e in attacks}
    supporters = {e.source for e in supports}
    undercutters = {u.source for u in cuts}
    out: dict[str, str] = {}
    for k in order:
        role = draft.points[k].role
        if role == "evidence" and k in supporters:
            out[k] = "evidence"
        elif role == "rebuttal" and (k in attackers or k in undercutters):
            out[k] = "rebuttal"
        elif role == "claim" and k not in undercutters:
            out[k] = "claim"
        elif k in attackers or k in undercutters:
            out[k] = "rebuttal"
        elif k in supporters:
            out[k] = "evidence"
        else:
            out[k] = "claim"
    return out


def promote_a_claim(
    order: list[str], cuts: list[Undercut], kinds: dict[str, str], losses: Losses
) -> None:
    """argmap needs a claim. When every point rebuts, supports or undercuts another, the first
    point that undercuts nothing becomes a claim, keeping its rebuttals and supports (a claim
    may have both); when every point undercuts, the first one, and its undercuts go."""
    if not order:
        return
    undercutters = {u.source for u in cuts}
    first = next((k for k in order if k not in undercutters), order[0])
    kinds[first] = "claim"
    for u in cuts:
        if u.source == first:
            losses.add(
                "dropped",
                "undercut of the first point",
                "argmap needs a claim, and a claim cannot undercut; the first point became "
                "the claim",
                u.place,
                "undercuts of the first point",
            )


def weight_of(value: object) -> int | None:
    """An analyst's `weight` as the format takes it (a whole number in range), or None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_WEIGHT:
        return value
    return None


def judgement_of(value: object) -> dict[str, str] | None:
    """A map's `judgement` as the format takes it (`{attacks: all|weighed}`), or None."""
    if (
        isinstance(value, dict)
        and set(value) == {"attacks"}
        and value["attacks"] in get_args(AttackRule)
    ):
        return {"attacks": value["attacks"]}
    return None
