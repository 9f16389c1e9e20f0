"""The overview of a map too large to draw in full, in pages no taller than a few screens.

Each claim is drawn with its standing, the rebuttals that decide it (`scope.overview`) and a
box counting the rest of its thread, which links to the claim's own picture. Claims go, in the
map's order, onto pages of at most `PAGE_ROWS` rows (a claim takes as many rows as the boxes
beside it: its deciders and the count); each page is a picture of its own, laid out by its own
dot run: a page costs dot about the same whatever the map's size, where one picture of the
whole overview cost it more than linearly (10,000 points: 1,250 claims, 8 s of dot's CPU for a
strip 862 × 211,188 pt; docs/benchmarks.md).

Page 1 is the diagram (`argmap.svg`, `argmap.png`, `argmap.dot`); page N >= 2 is
`overview/page-N.svg` (`argmap.outputs.overview_page`), whose links lead back up a folder. A
map whose overview fits one page is drawn exactly as before pages existed.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from argmap.evaluate import Evaluation
from argmap.evaluate.links import links
from argmap.evaluate.reasons import quoting
from argmap.model import ArgMap
from argmap.outputs import GRAPH_NAME, claim_picture, overview_page
from argmap.render import scope
from argmap.render.diagram import RANKDIR, _edge, _graph, _more, _point, _title
from argmap.render.key import first_column, key
from argmap.render.labels import MORE

# Rows of boxes on one page. Measured on the generated 1,000-point map (dot 2.43, 13 pages):
# 1,742 to 2,168 pt high (2,300 to 2,900 px at 96 dpi: about three screens of a laptop),
# 799 to 859 pt wide, the key included; the last page is what is left over.
PAGE_ROWS: Final = 24


class Page(NamedTuple):
    """A page of the overview, for the brief's list of them: its file, its number, and the
    claims it shows (their numbers in the map's order, from 1, and the first and last id)."""

    href: str
    number: int
    first: int
    last: int
    first_id: str
    last_id: str


def page_list(argmap: ArgMap, ev: Evaluation) -> list[Page]:
    """The pages of the overview after the first (none when it fits one page)."""
    split = pages(scope.overview(ev, [c.id for c in argmap.claims]))
    out, first = [], len(split[0])
    for number, page in enumerate(split[1:], 2):
        out.append(
            Page(overview_page(number), number, first + 1, first + len(page), page[0], page[-1])
        )
        first += len(page)
    return out


def rows(plan: scope.Overview, claim: str) -> int:
    """The rows a claim takes on a page: one for each box beside it (its deciders, the count
    of the rest), one at least."""
    return max(1, len(plan.deciders[claim]) + (claim in plan.folded))


def pages(plan: scope.Overview, budget: int = PAGE_ROWS) -> list[list[str]]:
    """The claims of each page, in the map's order: at most `budget` rows a page, one claim
    at least (a claim is never split); in as few pages as that takes, evened out so that the
    last page is not a stub (the smallest budget that needs no more pages).

    >>> deciders = {"a": ["r", "q"], "b": [], "c": ["s"]}
    >>> plan = scope.Overview(["a", "b", "c"], deciders, {"a": (1, 0)})
    >>> pages(plan, 3), pages(plan, 4), pages(plan, 2)
    ([['a'], ['b', 'c']], [['a'], ['b', 'c']], [['a'], ['b', 'c']])
    >>> _fill(plan, 4)  # as full as they go: the second page a stub
    [['a', 'b'], ['c']]
    """
    fewest = _fill(plan, budget)
    total = sum(rows(plan, claim) for claim in plan.claims)
    for even in range(max(1, -(-total // len(fewest))), budget):  # at most `budget` tries
        split = _fill(plan, even)
        if len(split) == len(fewest):
            return split
    return fewest


def _fill(plan: scope.Overview, budget: int) -> list[list[str]]:
    """Claims onto pages in order, each page as full as `budget` rows allow."""
    out: list[list[str]] = []
    used = budget
    for claim in plan.claims:
        need = rows(plan, claim)
        if used + need > budget:
            out.append([])
            used = 0
        out[-1].append(claim)
        used += need
    return out or [[]]


def overview_dots(argmap: ArgMap, ev: Evaluation, *, link: str = "brief.html") -> list[str]:
    """Deterministic DOT for each page of the overview (see the module's note); one source
    when it fits one page. `link` is the brief, relative to the output folder."""
    claims = [c.id for c in argmap.claims]
    plan = scope.overview(ev, claims)
    nodes = {s.id: s for s in argmap.statements()}
    name = quoting({nid: s.text for nid, s in nodes.items()})
    attacks = links(argmap).attacks
    by_point: dict[str, list[int]] = {}  # point -> the attacks it makes, by their place
    for at, (source, _) in enumerate(attacks):
        by_point.setdefault(source, []).append(at)
    split = pages(plan)
    out = []
    first = 0
    for number, page in enumerate(split, 1):
        up = "" if number == 1 else "../"  # page 2 on are in overview/
        if len(split) == 1:
            note = (
                f"Overview of {len(nodes)} points: each claim and the rebuttals that decide it. "
                "Click a claim for its own diagram."
            )
        else:
            note = (
                f"Overview of {len(nodes)} points, page {number} of {len(split)}: claims "
                f"{first + 1} to {first + len(page)} of {len(claims)}, each with the "
                "rebuttals that decide it. Click a claim for its own diagram."
            )
        first += len(page)
        dot = _graph(
            GRAPH_NAME,
            argmap.title,
            label=_title(argmap, note),
            labelloc="t",
            labeljust="l",
            rankdir=RANKDIR,
            nodesep="0.25",
            ranksep="0.5",
        )
        drawn: list[str] = []
        for claim in page:
            _point(dot, argmap, ev, nodes[claim], up + claim_picture(claim), name)
            for r in plan.deciders[claim]:
                if r not in drawn:
                    drawn.append(r)
                    _point(dot, argmap, ev, nodes[r], f"{up}{link}#{r}", name)
        shown = set(drawn) | set(page)
        made = sorted({at for nid in shown for at in by_point.get(nid, ())})  # in the map's order
        for source, target in (attacks[at] for at in made):
            if target in shown:
                _edge(dot, source, target, "rebuts", ev)
        for claim in page:
            if claim in plan.folded:
                more = f"_more_{claim}"
                url = up + claim_picture(claim)
                _more(dot, more, plan.folded[claim], url, "open its diagram")
                _edge(dot, more, claim, "folded", color=MORE[1], style="dashed", arrowhead="none")
        key(dot)
        first_column(dot, page)
        out.append(str(dot.source))
    return out
