"""The map as a Graphviz diagram: deterministic DOT source, drawn by the real `dot`.

Claims sit in the first column; rebuttals and evidence line up to the right of what
they attack or support (rankdir=RL, edges point at their targets). Every node says its
kind, speaker and standing in words as well as by shape and colour, and links to its card
in the brief.

User text reaches the DOT only through `_h` (cleaned, then `html.escape`), in HTML-like labels
and in quoted tooltips alike; node names are the pattern-checked ids.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Final, Literal

from argmap.errors import MissingTool, UsageError
from argmap.evaluate import Evaluation
from argmap.evaluate.links import each_link, links
from argmap.evaluate.reasons import quoting, words
from argmap.model import ID_RE, ArgMap, Claim, Evidence, Rebuttal
from argmap.outputs import GRAPH_NAME, claim_picture
from argmap.render import scope
from argmap.render.dot import Digraph, nohtml
from argmap.render.key import first_column, key
from argmap.render.labels import (
    MORE,
    OUTWEIGHED,
    REBUTS,
    SUPPORTS,
    UNDERCUTS,
    WRAP,
    _h,
    _label,
    _node_attrs,
)

# Claims in the first column, what answers them to their right (edges point at their targets).
# Top-down (BT) was tried: the seed map's five claims with their supports came out 3552 px wide
# at 96 dpi and 4.0:1; right-to-left it is 1500 px wide, fits a page column, reads as an outline.
RANKDIR: Final = "RL"
FONT: Final = "DejaVu Sans,Helvetica,Arial,sans-serif"
TITLE: Final = 400  # characters of the title (and 600 of the question) atop the diagram
DEFAULT_TIMEOUT: Final = 60.0
MAX_TIMEOUT: Final = 86400.0

# Up to this many points, and this many columns (a claim and its levels of replies), the
# whole map is drawn in full; above either, as an overview (claims and the rebuttals that
# decide them) and each claim's own picture carries the detail. Measured (dot 2.43, fitted to
# a 950 px page column): the seed's 26 points in 4 columns lay out 1,090 pt wide and show
# their 11 pt text at 65 % (9.5 px); generated maps of 40 and 60 points, 7 or more columns
# deep, 1,730 and 2,060 pt, at 41 % and 35 % (6 px): unreadable. The overview of 1,000
# points is 629 pt wide (100 %), however many points it folds (docs/pictures.md).
FULL_MAP_MAX: Final = 40
FULL_MAP_COLUMNS: Final = 5
# A claim's picture: larger text in narrower boxes. Measured on the 125 claims of the
# 1,000-point map, fitted to a 390 px phone (340 px for the picture): at 11 pt and 20
# characters a line its text shows at 10.4 px (median), 8.5 px (1 in 10 pictures) and 7.7 px
# at worst; at 13 pt and 15 characters, 12.9, 10.0 and 9.0 px. (On a desktop: 17 px.)
CLAIM_FONT: Final = "13"
CLAIM_WRAP: Final = 15  # characters a line


def _graph(name: str, tooltip: str, fontsize: str = "11", **attrs: str) -> Digraph:
    dot = Digraph(name)
    dot.attr(
        "graph",
        **{"fontname": FONT, "pad": "0.3", "bgcolor": "white", "newrank": "true", **attrs},
        tooltip=nohtml(_h(tooltip)),
    )
    dot.attr("node", fontname=FONT, fontsize=fontsize, margin="0.14,0.08")
    dot.attr("edge", arrowsize="0.9", fontname=FONT)
    return dot


def _title(argmap: ArgMap, note: str = "") -> str:
    title = f'<FONT POINT-SIZE="18"><B>{_h(argmap.title, TITLE)}</B></FONT>'
    if argmap.question:
        question = _h(argmap.question, TITLE * 3 // 2)
        title += f'<BR/><FONT POINT-SIZE="12" COLOR="#555555">{question}</FONT>'
    if note:
        title += f'<BR/><FONT POINT-SIZE="11" COLOR="#555555">{note}</FONT>'
    return f"<{title}<BR/> >"


def _point(
    dot: Digraph,
    argmap: ArgMap,
    ev: Evaluation,
    statement: Claim | Rebuttal | Evidence,
    url: str,
    name: Callable[[str], str],
    wrap: int = WRAP,
    more: tuple[int, int] = (0, 0),
) -> None:
    """One point as a node named by its id, linking to `url` (made by the program from a
    pattern-checked id, never taken from the map), its text and reason in its tooltip."""
    if not ID_RE.match(statement.id):  # the model checks this; node names rely on it
        raise ValueError(f"not a valid id: {statement.id!r}")
    verdict = ev[statement.id]
    names = {speaker.id: speaker.name for speaker in argmap.speakers}
    speaker = None if statement.by is None else names.get(statement.by, statement.by)
    reason = words(verdict.reason, name)
    dot.node(
        statement.id,
        label=_label(statement, speaker, verdict, wrap, more),
        tooltip=nohtml(_h(statement.text) + "\\n\\n" + _h(reason)),
        URL=nohtml(_h(url)),
        target="_top",
        **_node_attrs(statement.item_kind, verdict.standing),
    )


def _edge(
    dot: Digraph,
    source: str,
    target: str,
    relation: str,
    ev: Evaluation | None = None,
    **extra: str,
) -> None:
    style = {**(REBUTS if relation == "rebuts" else SUPPORTS), **extra}
    tip = f"more replies to {target}" if relation == "folded" else f"{source} {relation} {target}"
    if ev is not None and relation == "rebuts" and source in ev[target].outweighed:
        style |= OUTWEIGHED  # a weighed map's attack too weak to defeat: said, and drawn so
        tip += " but is outweighed: too weak to defeat it"
    dot.edge(source, target, tooltip=tip, **style)


def _undercut(
    dot: Digraph,
    ev: Evaluation,
    name: str,
    source: str,
    target: str,
    relation: str,
    cutters: list[str],
) -> None:
    """A link that points undercut: drawn through a small dot that the undercutters' dashed
    purple arrows end on, so a reader sees which link is attacked; grey and dotted while an
    undercutter stands (the link then counts for nothing)."""
    cut = source in ev[target].undercut
    style = {**(REBUTS if relation == "rebuts" else SUPPORTS)}
    if cut:
        style |= {"color": "#767676", "style": "dotted"}
    tip = f"{source} {relation} {target}" + (" (undercut: it counts for nothing)" if cut else "")
    dot.node(name, label="", shape="point", width="0.09", color=style["color"], tooltip=tip)
    dot.edge(source, name, tooltip=tip, **{**style, "arrowhead": "none"})
    dot.edge(name, target, tooltip=tip, **style)
    for cutter in cutters:
        dot.edge(cutter, name, tooltip=f"{cutter} undercuts the link: {tip}", **UNDERCUTS)


def _more(dot: Digraph, name: str, counts: tuple[int, int], url: str, what: str) -> None:
    """A small box counting the rebuttals and evidence folded away, linking to where they are."""
    parts = [
        f"{n} {word}{'s' * (n != 1 and word == 'rebuttal')}"
        for n, word in zip(counts, ("rebuttal", "evidence"), strict=True)
        if n
    ]
    fill, ink = MORE
    dot.node(
        name,
        label=f"<+ {' and '.join(parts)}<BR/><U>{what}</U>>",
        shape="box",
        style="filled,rounded,dashed",
        fillcolor=fill,
        color=ink,
        fontcolor=ink,
        fontsize="10",
        margin="0.1,0.04",
        URL=nohtml(_h(url)),
        target="_top",
        tooltip=f"{sum(counts)} more: {what}",
    )


def claim_url(claim_id: str) -> str:
    """Where a claim's own picture is written, relative to the output folder."""
    return claim_picture(claim_id)


def drawn_in_full(argmap: ArgMap, ev: Evaluation) -> bool:
    """Whether the whole map is small enough to draw in full (see `FULL_MAP_MAX`)."""
    if len(ev.verdicts) > FULL_MAP_MAX:
        return False
    claims = [c.id for c in argmap.claims]
    return scope.reply_depth(ev, claims, FULL_MAP_COLUMNS) < FULL_MAP_COLUMNS


def to_dot(argmap: ArgMap, ev: Evaluation, *, link: str = "brief.html") -> str:
    """Deterministic DOT source for the whole map: the same map and verdicts give the same
    bytes. Above `FULL_MAP_MAX` points it is the overview (`overview_dot`).

    A claim's node links to its own picture (`claims/ID.svg`), every other node to
    f"{link}#{id}", its card in the brief (`link` comes from the program, not from the map).
    Each carries its text and the verdict's reason (cut to `TOOLTIP` characters) as tooltip.
    """
    if not drawn_in_full(argmap, ev):
        return overview_dot(argmap, ev, link=link)
    dot = _graph(
        GRAPH_NAME,
        argmap.title,
        label=_title(argmap),
        labelloc="t",
        labeljust="l",  # on the left, over the claims, where the brief opens the diagram
        rankdir=RANKDIR,
        nodesep="0.3",
        ranksep="0.55",
    )
    ids: set[str] = set()
    name = quoting({statement.id: statement.text for statement in argmap.statements()})
    for statement in argmap.statements():
        ids.add(statement.id)
        url = claim_url(statement.id) if isinstance(statement, Claim) else f"{link}#{statement.id}"
        _point(dot, argmap, ev, statement, url, name)
    found = links(argmap)
    for number, (relation, (source, target)) in enumerate(each_link(found)):
        if target not in ids:
            continue
        cutters = found.undercut.get((source, target))
        if cutters:
            _undercut(dot, ev, f"_link_{number}", source, target, relation, cutters)
        else:
            _edge(dot, source, target, relation, ev)
    notes = []
    if found.undercut:
        notes.append(
            f'<FONT COLOR="{UNDERCUTS["color"]}">purple dashed arrow to a dot</FONT>: '
            "undercuts that link; grey and dotted while it stands"
        )
    if any(v.outweighed for v in ev.verdicts.values()):
        notes.append('<FONT COLOR="#555555">grey dotted "outweighed"</FONT>: too weak to defeat')
    key(dot, tuple(notes))
    first_column(dot, [c.id for c in argmap.claims])
    return str(dot.source)


def overview_dot(argmap: ArgMap, ev: Evaluation, *, link: str = "brief.html") -> str:
    """The whole map folded: its first page (`argmap.render.overview`, which has the rest)."""
    from argmap.render.overview import overview_dots

    return overview_dots(argmap, ev, link=link)[0]


def to_dots(argmap: ArgMap, ev: Evaluation) -> list[str]:
    """The whole map's picture: one DOT source (`to_dot`), or, when a large map's overview
    comes in pages, one a page (page 1 is `to_dot`'s; `argmap.render.overview`)."""
    if drawn_in_full(argmap, ev):
        return [to_dot(argmap, ev)]
    from argmap.render.overview import overview_dots

    return overview_dots(argmap, ev)


def claim_dot(argmap: ArgMap, ev: Evaluation, claim_id: str, *, link: str = "../brief.html") -> str:
    """Deterministic DOT for one claim's picture (`scope.claim_scope`): the claim on top, the
    points that answer it below, two boxes a row; a point whose replies are folded away says
    how many ("+ 2 evidence: see the brief"). Nodes link to their cards, f"{link}#{id}"."""
    return claim_dots(argmap, ev, [claim_id], link=link)[claim_id]


def claim_dots(
    argmap: ArgMap, ev: Evaluation, claim_ids: list[str], *, link: str = "../brief.html"
) -> dict[str, str]:
    """`claim_dot` for each of `claim_ids`, the map's lookups made once for all of them."""
    nodes = {s.id: s for s in argmap.statements()}
    name = quoting({nid: s.text for nid, s in nodes.items()})
    return {cid: _claim_dot(argmap, ev, cid, nodes, name, link) for cid in claim_ids}


def _claim_dot(
    argmap: ArgMap,
    ev: Evaluation,
    claim_id: str,
    nodes: dict[str, Claim | Rebuttal | Evidence],
    name: Callable[[str], str],
    link: str,
) -> str:
    plan = scope.claim_scope(ev, claim_id)
    dot = _graph(
        f"claim_{claim_id}",
        nodes[claim_id].text,
        fontsize=CLAIM_FONT,
        rankdir="BT",
        nodesep="0.2",
        ranksep="0.35",
        pad="0.1",
    )
    for nid in plan.drawn():
        more = plan.folded.get(nid, (0, 0))
        _point(dot, argmap, ev, nodes[nid], f"{link}#{nid}", name, CLAIM_WRAP, more)
    rows = {nid: n for n, row in enumerate(plan.rows) for nid in row}
    for source, target, relation in plan.edges:
        # only an edge from a row below holds the rows in place; one up (a loop) just joins
        _edge(
            dot,
            source,
            target,
            relation,
            ev,
            # weight 0: the columns alone place the boxes (pulled towards what they answer,
            # dot staggered the rows into a third and fourth column)
            **({"weight": "0"} if rows[source] > rows[target] else {"constraint": "false"}),
        )
    for n, row in enumerate(plan.rows):
        with dot.subgraph(name=f"row{n}") as same:
            same.attr(rank="same")
            for k, nid in enumerate(row):
                same.node(nid, group=f"col{k}")  # a group keeps its column straight
            for left, right in itertools.pairwise(row):  # a flat edge fixes their order
                same.edge(left, right, style="invis")
        above = plan.rows[n - 1] if n else []
        for k, nid in enumerate(row):  # each row held under the one above
            if above:
                dot.edge(nid, above[min(k, len(above) - 1)], style="invis", weight="100")
    return str(dot.source)


def resolve_timeout(timeout: float | None) -> float:
    """`timeout`, or 60 when None; `UsageError` unless a positive number of seconds (0, a
    negative number, inf and nan would kill dot at once or never). The command line resolves
    where a timeout comes from (`--dot-timeout`, `ARGMAP_DOT_TIMEOUT`) and checks it first."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if not 0 < timeout <= MAX_TIMEOUT:
        raise UsageError(
            "the time allowed for Graphviz must be a number of seconds above 0 and at most "
            f"{MAX_TIMEOUT:g} (a day), not {timeout!r}"
        )
    return timeout


def draw(dot_source: str, fmt: Literal["svg", "png"], *, timeout: float | None = None) -> bytes:
    """Run Graphviz's real `dot` on `dot_source` and return the SVG or PNG bytes.

    `timeout` is in seconds; when None, 60. One picture through
    `argmap.render.layout.lay_out` (no cache), which runs every dot of argmap. Raises
    MissingTool when dot is not on PATH (with how to install it), when it fails (with its
    stderr, trimmed), when it runs longer than `timeout` (it is then killed), or when a PNG
    would be above the size cap (the message says so).
    """
    from argmap.render.layout import Picture, lay_out

    drawn = lay_out(
        [Picture("argmap", dot_source, (fmt,))], timeout=resolve_timeout(timeout), cache_dir=None
    )
    if "argmap" in drawn.failures:
        raise drawn.failures["argmap"]
    found = drawn.files.get("argmap", {})
    if fmt not in found:
        raise MissingTool("; ".join(drawn.notes) or f"Graphviz's dot made no {fmt.upper()}")
    return found[fmt]
