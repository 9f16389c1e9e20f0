"""A point's box in the diagram: text made safe for dot, wrapped and cut, and the HTML-like
label that says the point's kind, speaker, words and standing; the box's shape and border.

User text reaches the DOT only through `_h` or `_wrapped` (cleaned, then `html.escape`).
"""

from __future__ import annotations

import html
import textwrap
from typing import Final

from argmap.evaluate import Verdict
from argmap.model import Claim, Evidence, Kind, Rebuttal, Standing
from argmap.text import NOT_IN_MARKUP, shorten
from argmap.vocab import KINDS, STANDINGS

__all__ = [
    "BACKSLASH",
    "BR",
    "MORE",
    "PENWIDTH",
    "SHORTEN",
    "TOOLTIP",
    "WRAP",
    "_clean",
    "_esc",
    "_h",
    "_label",
    "_more_row",
    "_node_attrs",
    "_wrap",
    "_wrapped",
]

WRAP: Final = 32  # characters per line of node text
SHORTEN: Final = 140  # longer text is cut in the node (the tooltip keeps more of it)
# dot refuses a quoted or HTML string longer than 16384 bytes ("syntax error ... longer than
# 16384?"); escaped, a character takes at most 6 bytes, so these keep every string under it.
TOOLTIP: Final = 1000  # characters of a node's text, and of its reason, in its tooltip
# A border's weight by standing: a dashed or dotted border needs more to show as clearly.
PENWIDTH: Final[dict[Standing, str]] = {"stands": "1.6", "defeated": "2.4", "undecided": "2.8"}
MORE: Final = ("#F4F4F2", "#555555")  # a box counting what is folded away: fill, border/text

# dot expands escapes (\N, \G, \\) after decoding entities, even inside HTML-like labels and
# tooltips, and tooltips once or twice depending on the version: no escaping of a backslash is
# portable, so it is drawn as the look-alike U+2216 (the brief and JSON keep the real text).
BACKSLASH: Final = "\u2216"
BR: Final = '<BR ALIGN="LEFT"/>'


# The lines between points: what each relation looks like.
REBUTS: Final = {
    "color": "#B3261E",
    "style": "solid",
    "arrowhead": "tee",
    "penwidth": "1.8",
    "arrowsize": "1.3",
}
# An outweighed attack (weighed maps): grey, dotted, an open end, and said in a small label.
OUTWEIGHED: Final = {
    "color": "#767676",
    "style": "dotted",
    "arrowhead": "teeodot",
    "label": "outweighed",
    "fontsize": "9",
    "fontcolor": "#555555",
}
# A point's attack on a link: purple, dashed, a tee on the link's dot.
UNDERCUTS: Final = {
    "color": "#6A3D9A",
    "style": "dashed",
    "arrowhead": "tee",
    "penwidth": "1.6",
    "constraint": "false",
}
SUPPORTS: Final = {"color": "#4E8A5C", "style": "dashed", "arrowhead": "normal", "penwidth": "1.4"}


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


def _wrap(text: str, width: int, *, break_on_hyphens: bool = True) -> list[str]:
    """`textwrap.wrap(text, width)`, without textwrap for a text of single-spaced words that
    each fit a line (most texts, once `_clean`ed: textwrap was a fifth of the claim pictures'
    DOT at 10,000 points). Lines are then filled greedily as textwrap fills them: a word goes
    on the line when it fits after one space, else it starts the next (tests hold the two equal).

    >>> _wrap("CLAIM · Ada", 200), _wrap("", 5), _wrap("a b c", 3)
    (['CLAIM · Ada'], [], ['a b', 'c'])
    """
    words = text.split(" ")
    # (not printable: a tab, a newline or a space other than " ", which textwrap may drop)
    if not text or not text.isprintable() or "" in words:
        return textwrap.wrap(text, width, break_on_hyphens=break_on_hyphens)
    if break_on_hyphens and "-" in text:  # textwrap may break after a hyphen
        return textwrap.wrap(text, width, break_on_hyphens=True)
    lines: list[str] = []
    line = ""
    for word in words:
        if len(word) > width:  # broken across lines by textwrap
            return textwrap.wrap(text, width, break_on_hyphens=break_on_hyphens)
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _wrapped(text: str, wrap: int = WRAP) -> str:
    lines = _wrap(shorten(_clean(text), SHORTEN), wrap, break_on_hyphens=False)
    return BR.join(_esc(line) for line in lines)


def _label(
    statement: Claim | Rebuttal | Evidence,
    speaker: str | None,
    verdict: Verdict,
    wrap: int = WRAP,
    more: tuple[int, int] = (0, 0),
) -> str:
    """Kind and speaker (small, in the kind's colour), the wrapped text, then the standing.
    At a narrow `wrap` (a claim's picture) the heading wraps too, and the count of support
    is left to the picture's own boxes and arrows. `more` counts the rebuttals and evidence
    answering it that the picture leaves out: said on a last line."""
    kind, look = statement.item_kind, STANDINGS[verdict.standing]
    heading = [kind.upper()]
    if isinstance(statement, Evidence):
        heading.append(statement.kind)
    if speaker is not None:
        heading.append(shorten(_clean(speaker), 28))
    standing = f"{look.icon} {verdict.standing}"
    compact = wrap < WRAP
    bare = " · only by an unsupported denial" if verdict.fell == "unsupported" else ""
    if bare and not compact:
        standing += bare
    if verdict.supported_by and wrap >= WRAP:
        standing += f"  ·  supported by {len(verdict.supported_by)}"
    shown = html.escape(standing) + (BR + html.escape(bare[3:]) if bare and compact else "")
    head = _wrap(" · ".join(heading), wrap + 4 if compact else 200)
    small, mid = ("10", "11") if compact else ("9", "10")
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">'
        f'<FONT POINT-SIZE="{small}" COLOR="{KINDS[kind].accent}"><B>'
        f"{BR.join(_esc(line) for line in head)}</B></FONT></TD></TR>"
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT COLOR="{look.diagram_text}">'
        f"{_wrapped(statement.text, wrap)}</FONT></TD></TR>"
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{mid}" COLOR="{look.diagram_ink}"><B>'
        f"{shown}</B></FONT></TD></TR>{_more_row(more, small)}</TABLE>>"
    )


def _more_row(counts: tuple[int, int], size: str = "9") -> str:
    """A last line naming the replies a picture leaves out, or "".

    >>> _more_row((1, 2)).split(">")[3]
    '+ 1 rebuttal, 2 evidence: <U'
    """
    parts = [
        f"{n} {word}{'s' * (n != 1 and word == 'rebuttal')}"
        for n, word in zip(counts, ("rebuttal", "evidence"), strict=True)
        if n
    ]
    if not parts:
        return ""
    return (
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{size}" COLOR="{MORE[1]}">+ {", ".join(parts)}: '
        "<U>see the brief</U></FONT></TD></TR>"
    )


def _node_attrs(kind: Kind, standing: Standing) -> dict[str, str]:
    """Shape and fill say the kind; the border's colour, style and weight say the standing."""
    kind_look, look = KINDS[kind], STANDINGS[standing]
    styles = ["filled", *(s for s in (kind_look.style, look.diagram_border) if s)]
    return {
        "shape": kind_look.shape,
        "style": ",".join(styles),
        "fillcolor": look.diagram_fill or kind_look.fill,
        "color": look.diagram_line or kind_look.accent,
        "penwidth": PENWIDTH[standing],
    }
