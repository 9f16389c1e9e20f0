"""What each picture shows: the points of one claim's thread, or of the whole map's overview.

No DOT here, only choices: which points are drawn, in which rows, and what is folded away
and counted. `diagram.py` turns a `Scope` into DOT.

A claim's thread can reach most of a cross-linked map (one connected part of the 1,000-point
test map holds 908 points), so a claim's picture is bounded: first the rebuttals that decide
its standing, level by level down the chain that decides them, then the other rebuttals, then
the evidence; at most `MAX_NODES` points and `MAX_DEPTH` levels below the claim. What does
not fit is counted on the point it answers ("+ 2 more: see the brief"), which links to its
card, where every reply is listed. (Drawn as boxes of their own, the counts took a third
column or long crossing lines at the foot of the picture.)

The rows are packed `COLUMNS` wide in that order, each point below the one it answers, so
the picture stays narrow enough to read on a phone without zooming (measured on the
1,000-point map: two columns come to 343 pt wide (median), 489 pt at most, so a 390 px phone
shows the 13 pt text at 9 to 13 px; dot's own placement made three or four columns).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Final

from argmap.evaluate import Evaluation

MAX_NODES: Final = 10  # points in a claim's picture, the claim included
MAX_DEPTH: Final = 4  # levels of replies below the claim
COLUMNS: Final = 2  # boxes side by side in a claim's picture

# Classes of a reply, drawn in this order: a rebuttal on the chain that decides the claim's
# standing, another rebuttal, evidence.
DECIDES, REBUTS, SUPPORTS = 0, 1, 2


@dataclass
class Scope:
    """The points of one picture: rows of drawn ids, the edges among them, and for each
    drawn point how many of its replies were folded away."""

    root: str
    rows: list[list[str]] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, relation)
    # drawn id -> (rebuttals, evidence) that answer it but are not drawn
    folded: dict[str, tuple[int, int]] = field(default_factory=dict)

    def drawn(self) -> list[str]:
        """The points drawn, row by row."""
        return [nid for row in self.rows for nid in row]


def _replies(ev: Evaluation, nid: str, cls: int) -> list[tuple[int, str]]:
    """The replies to `nid`, each with its class: which rebuttals decide its standing
    depends on that standing (all of them when it stands, the standing ones when it is
    defeated, the undecided ones when it is undecided)."""
    v = ev[nid]
    deciding: set[str]
    if v.standing == "stands":
        deciding = set(v.rebutted_by)
    elif v.standing == "defeated":
        deciding = set(v.defeated_by)
    else:
        deciding = {r for r in v.rebutted_by if ev[r].standing == "undecided"}
    out = [(DECIDES if cls == DECIDES and r in deciding else REBUTS, r) for r in v.rebutted_by]
    return out + [(SUPPORTS, e) for e in v.supported_by]


def claim_scope(
    ev: Evaluation,
    claim: str,
    *,
    max_nodes: int = MAX_NODES,
    max_depth: int = MAX_DEPTH,
    columns: int = COLUMNS,
) -> Scope:
    """The points drawn in `claim`'s picture (see the module's note).

    >>> from argmap.evaluate import Verdict
    >>> def v(s, by=(), won=(), ev=()):
    ...     return Verdict(s, "", tuple(by), tuple(won), tuple(ev))
    >>> e = Evaluation({"c": v("defeated", ["r", "q"], ["r"], ["e"]), "r": v("stands"),
    ...                 "q": v("defeated", ["s"], ["s"]), "s": v("stands"), "e": v("stands")})
    >>> s = claim_scope(e, "c", max_nodes=4)
    >>> s.rows, s.folded
    ([['c'], ['r', 'q'], ['s']], {'c': (0, 1)})
    """
    order: list[str] = []
    depth = {claim: 0}
    seen = {claim}
    heap: list[tuple[int, int, int, str, str]] = []  # (class, depth, seq, id, parent)
    seq = 0
    parent_of: dict[str, str] = {}

    def push(nid: str, cls: int) -> None:
        nonlocal seq
        for c, reply in _replies(ev, nid, cls):
            if reply not in seen:
                seen.add(reply)
                heapq.heappush(heap, (c, depth[nid] + 1, seq, reply, nid))
                seq += 1

    order.append(claim)
    push(claim, DECIDES)
    while heap and len(order) < max_nodes:
        cls, d, _, nid, parent = heapq.heappop(heap)
        if d > max_depth:
            continue
        order.append(nid)
        depth[nid] = d
        parent_of[nid] = parent
        push(nid, cls)
    scope = Scope(claim)
    drawn = set(order)
    for nid in order:
        v = ev[nid]
        scope.edges += [(r, nid, "rebuts") for r in v.rebutted_by if r in drawn]
        scope.edges += [(e, nid, "supports") for e in v.supported_by if e in drawn]
        hidden = (
            sum(r not in drawn for r in v.rebutted_by),
            sum(e not in drawn for e in v.supported_by),
        )
        if any(hidden):
            scope.folded[nid] = hidden
    # Packed in drawing order, each below the point it answers.
    row_of: dict[str, int] = {}
    for nid in order:
        above = parent_of.get(nid)
        row = max(len(scope.rows) - 1, row_of[above] + 1 if above is not None else 0)
        if row == len(scope.rows) or len(scope.rows[row]) >= columns:
            row = len(scope.rows)
            scope.rows.append([])
        scope.rows[row].append(nid)
        row_of[nid] = row
    return scope


@dataclass
class Overview:
    """The whole map folded: each claim, the rebuttals that decide it, and counts."""

    claims: list[str] = field(default_factory=list)
    deciders: dict[str, list[str]] = field(default_factory=dict)  # claim -> drawn rebuttals
    # claim -> (rebuttals, evidence) answering it or its drawn rebuttals, not drawn here
    folded: dict[str, tuple[int, int]] = field(default_factory=dict)


def overview(ev: Evaluation, claims: list[str], *, per_claim: int = 2) -> Overview:
    """Each claim with at most `per_claim` of the rebuttals that decide its standing (the
    standing ones of a defeated claim, the undecided ones of an undecided claim; none for a
    claim that stands, whose rebuttals all fall), and what else answers them, counted.

    >>> from argmap.evaluate import Verdict
    >>> def v(s, by=(), won=(), ev=()):
    ...     return Verdict(s, "", tuple(by), tuple(won), tuple(ev))
    >>> e = Evaluation({"c": v("defeated", ["r", "q"], ["r"], ["e"]), "r": v("stands", ev=["f"]),
    ...                 "q": v("defeated", ["s"], ["s"]), "s": v("stands"), "e": v("stands"),
    ...                 "f": v("stands")})
    >>> o = overview(e, ["c"])
    >>> o.deciders, o.folded
    ({'c': ['r']}, {'c': (1, 2)})
    """
    out = Overview(claims=list(claims))
    for claim in claims:
        if ev[claim].standing != "stands":
            out.deciders[claim] = [r for c, r in _replies(ev, claim, DECIDES) if c == DECIDES][
                :per_claim
            ]
        else:
            out.deciders[claim] = []
    shown = {*claims, *(r for rs in out.deciders.values() for r in rs)}
    for claim in claims:
        rebuttals = evidence = 0
        for nid in (claim, *out.deciders[claim]):
            rebuttals += sum(r not in shown for r in ev[nid].rebutted_by)
            evidence += sum(e not in shown for e in ev[nid].supported_by)
        if rebuttals or evidence:
            out.folded[claim] = (rebuttals, evidence)
    return out


def reply_depth(ev: Evaluation, claims: list[str], limit: int, budget: int = 100_000) -> int:
    """The longest chain of replies (rebuttal of a rebuttal of ..., or evidence) below any
    claim, counting each point once per chain (a loop ends a chain); stops early at `limit`,
    and answers `limit` after `budget` steps (only small maps are asked; a dense one would
    have very many chains). Each level is a column of the whole-map diagram, so this bounds
    how wide it lays out.

    >>> from argmap.evaluate import Verdict
    >>> def v(by=(), ev=()):
    ...     return Verdict("stands", "", tuple(by), (), tuple(ev))
    >>> e = Evaluation({"c": v(["r"]), "r": v(["q"], ["e"]), "q": v(["r"]), "e": v()})
    >>> reply_depth(e, ["c"], 10)
    2
    """
    best = 0
    stack: list[tuple[str, int, frozenset[str]]] = [(c, 0, frozenset({c})) for c in claims]
    while stack and best < limit:
        budget -= 1
        if budget < 0:
            return limit
        nid, depth, chain = stack.pop()
        best = max(best, depth)
        v = ev[nid]
        for reply in (*v.rebutted_by, *v.supported_by):
            if reply not in chain:
                stack.append((reply, depth + 1, chain | {reply}))
    return min(best, limit)
