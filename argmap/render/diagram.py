"""The map as a Graphviz diagram: deterministic DOT source, drawn by the real `dot`.

Claims sit in the first column; rebuttals and evidence line up to the right of what
they attack or support (rankdir=RL, edges point at their targets). Every node says its
kind, speaker and standing in words as well as by shape and colour, and links to its card
in the brief.

User text reaches the DOT only through `_h` (cleaned, then `html.escape`), in HTML-like labels
and in quoted tooltips alike; node names are the pattern-checked ids.
"""

from __future__ import annotations

import html
import textwrap
from typing import Final, Literal

import graphviz

from argmap.errors import MissingTool, UsageError
from argmap.evaluate import Evaluation, Verdict
from argmap.evaluate.reasons import quoting, words
from argmap.model import ID_RE, ArgMap, Claim, Evidence, Kind, Rebuttal, Standing
from argmap.text import NOT_IN_MARKUP, shorten
from argmap.vocab import KINDS, STANDINGS

# Claims in the first column, what answers them to their right (edges point at their targets).
# Top-down (BT) was tried: the seed map's five claims with their supports came out 3552 px wide
# at 96 dpi and 4.0:1; right-to-left it is 1500 px wide, fits a page column, reads as an outline.
RANKDIR: Final = "RL"
FONT: Final = "DejaVu Sans,Helvetica,Arial,sans-serif"
WRAP: Final = 32  # characters per line of node text
SHORTEN: Final = 140  # longer text is cut in the node (the tooltip keeps more of it)
# dot refuses a quoted or HTML string longer than 16384 bytes ("syntax error ... longer than
# 16384?"); escaped, a character takes at most 6 bytes, so these keep every string under it.
TOOLTIP: Final = 1000  # characters of a node's text, and of its reason, in its tooltip
TITLE: Final = 400  # characters of the title (and 600 of the question) atop the diagram
DEFAULT_TIMEOUT: Final = 60.0
MAX_TIMEOUT: Final = 86400.0

REBUTS: Final = {
    "color": "#B3261E",
    "style": "solid",
    "arrowhead": "tee",
    "penwidth": "1.8",
    "arrowsize": "1.3",
}
SUPPORTS: Final = {"color": "#4E8A5C", "style": "dashed", "arrowhead": "normal", "penwidth": "1.4"}

# dot expands escapes (\N, \G, \\) after decoding entities, even inside HTML-like labels and
# tooltips, and tooltips once or twice depending on the version: no escaping of a backslash is
# portable, so it is drawn as the look-alike U+2216 (the brief and JSON keep the real text).
BACKSLASH: Final = "\u2216"


def _clean(text: str) -> str:
    r"""One line of text safe for dot: unsafe characters and backslashes replaced, runs of
    whitespace made one space.

    >>> _clean("a\n  b\x00c\\N")
    'a b�c∖N'
    """
    return " ".join(NOT_IN_MARKUP.sub("\ufffd", text).replace("\\", BACKSLASH).split())


def _esc(text: str) -> str:
    """`html.escape`, and `]` as an entity: Graphviz 2.43 rejects a table cell opening with it.

    >>> _esc("]<b>")
    '&#93;&lt;b&gt;'
    """
    return html.escape(text, quote=True).replace("]", "&#93;")


def _h(text: str, width: int = TOOLTIP) -> str:
    """Text for an HTML-like label, or (entities are decoded there too) a quoted attribute,
    cut to `width` characters."""
    return _esc(shorten(_clean(text), width))


def _wrapped(text: str) -> str:
    lines = textwrap.wrap(shorten(_clean(text), SHORTEN), WRAP, break_on_hyphens=False)
    return '<BR ALIGN="LEFT"/>'.join(_esc(line) for line in lines)


def _label(statement: Claim | Rebuttal | Evidence, speaker: str | None, verdict: Verdict) -> str:
    """Kind and speaker (small, in the kind's colour), the wrapped text, then the standing."""
    kind, look = statement.item_kind, STANDINGS[verdict.standing]
    heading = [kind.upper()]
    if isinstance(statement, Evidence):
        heading.append(statement.kind)
    if speaker is not None:
        heading.append(shorten(_clean(speaker), 28))
    standing = f"{look.icon} {verdict.standing}"
    if verdict.supported_by:
        standing += f"  ·  supported by {len(verdict.supported_by)}"
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{KINDS[kind].accent}"><B>'
        f"{_esc(' · '.join(heading))}</B></FONT></TD></TR>"
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT COLOR="{look.diagram_text}">'
        f"{_wrapped(statement.text)}</FONT></TD></TR>"
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{look.diagram_ink}"><B>'
        f"{html.escape(standing)}</B></FONT></TD></TR></TABLE>>"
    )


def _node_attrs(kind: Kind, standing: Standing) -> dict[str, str]:
    kind_look, look = KINDS[kind], STANDINGS[standing]
    fill = look.diagram_fill or kind_look.fill
    border = look.diagram_line or kind_look.accent
    styles = ["filled", *(s for s in (kind_look.style, look.diagram_border) if s)]
    width = "2.2" if standing == "undecided" else "1.6"  # a dotted border needs the weight
    return {
        "shape": kind_look.shape,
        "style": ",".join(styles),
        "fillcolor": fill,
        "color": border,
        "penwidth": width,
    }


def _legend() -> str:
    """The key: an HTML-like table (no user text) explaining shapes, edges and standings."""

    def sample(kind: Kind) -> str:
        fill, border = KINDS[kind].fill, KINDS[kind].accent
        return (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="2" COLOR="{border}" '
            f'BGCOLOR="{fill}"><TR><TD><FONT POINT-SIZE="9" COLOR="{border}"><B>'
            f"{kind.upper()}</B></FONT></TD></TR></TABLE>"
        )

    def coloured(text: str, colour: str) -> str:
        return f'<FONT COLOR="{colour}"><B>{text}</B></FONT>'

    rows = [
        *((sample(kind), look.meaning) for kind, look in KINDS.items()),
        (coloured("━━━┤", REBUTS["color"]), "solid line, flat head: rebuts"),
        (coloured("╍╍╍▶", SUPPORTS["color"]), "dashed line, arrow head: supports"),
        *(
            (coloured(f"{look.icon} {standing}", look.diagram_ink), look.meaning)
            for standing, look in STANDINGS.items()
        ),
    ]
    return (
        '<<TABLE BORDER="1" COLOR="#BBBBBB" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" '
        'BGCOLOR="#FFFFFF"><TR><TD COLSPAN="2" ALIGN="LEFT"><B>Key</B></TD></TR>'
        + "".join(
            f'<TR><TD ALIGN="LEFT">{key}</TD><TD ALIGN="LEFT">{meaning}</TD></TR>'
            for key, meaning in rows
        )
        + "</TABLE>>"
    )


def to_dot(argmap: ArgMap, ev: Evaluation, *, link: str = "brief.html") -> str:
    """Deterministic DOT source for the map: the same map and verdicts give the same bytes.

    Every node links to f"{link}#{id}" (the brief's card; `link` comes from the program, not
    from the map) and carries its text and the verdict's reason (each cut to `TOOLTIP`
    characters) as its tooltip.
    """
    title = f'<FONT POINT-SIZE="18"><B>{_h(argmap.title, TITLE)}</B></FONT>'
    if argmap.question:
        question = _h(argmap.question, TITLE * 3 // 2)
        title += f'<BR/><FONT POINT-SIZE="12" COLOR="#555555">{question}</FONT>'
    dot = graphviz.Digraph("argmap")
    dot.attr(
        "graph",
        label=f"<{title}<BR/> >",
        labelloc="t",
        rankdir=RANKDIR,
        fontname=FONT,
        nodesep="0.3",
        ranksep="0.55",
        pad="0.3",
        bgcolor="white",
        newrank="true",
        tooltip=graphviz.nohtml(_h(argmap.title)),
    )
    dot.attr("node", fontname=FONT, fontsize="11", margin="0.14,0.08")
    dot.attr("edge", arrowsize="0.9")
    names = {speaker.id: speaker.name for speaker in argmap.speakers}
    point = quoting({statement.id: statement.text for statement in argmap.statements()})
    ids: set[str] = set()
    for statement in argmap.statements():
        if not ID_RE.match(statement.id):  # the model checks this; node names rely on it
            raise ValueError(f"not a valid id: {statement.id!r}")
        ids.add(statement.id)
        verdict = ev[statement.id]
        tooltip = graphviz.nohtml(_h(statement.text) + "\\n\\n" + _h(words(verdict.reason, point)))
        speaker = None if statement.by is None else names.get(statement.by, statement.by)
        dot.node(
            statement.id,
            label=_label(statement, speaker, verdict),
            tooltip=tooltip,
            URL=graphviz.nohtml(_h(f"{link}#{statement.id}")),
            target="_top",
            **_node_attrs(statement.item_kind, verdict.standing),
        )
    for relation, items, style in (
        ("rebuts", argmap.rebuttals, REBUTS),
        ("supports", argmap.evidence, SUPPORTS),
    ):
        for item in items:
            targets = item.rebuts if isinstance(item, Rebuttal) else item.supports
            for target in dict.fromkeys(targets):  # file order, each target once
                if target in ids:
                    dot.edge(item.id, target, tooltip=f"{item.id} {relation} {target}", **style)
    with dot.subgraph(name="claims") as first:  # all claims in the first column
        first.attr(rank="max")
        for claim in argmap.claims:
            first.node(claim.id)
    dot.node("_legend", label=_legend(), shape="plain", fontsize="10")
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
