"""One vocabulary for every output: the kinds of points and their standings, each with its words,
icon and colours. The diagram, the brief (its templates read `STANDINGS` and `KINDS` as
`standings` and `kinds`) and the command line all take them from here, so a standing's colour
or word changes in one place.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from argmap.model import Kind, Standing


class StandingLook(NamedTuple):
    """How a standing is shown. Never by colour alone: an icon, a word and a border style too."""

    icon: str  # beside the word, in the diagram, the brief and the terminal
    word: str  # the brief's badge: "Stands"
    verbs: tuple[str, str]  # said of one point, of several: "still stands", "still stand"
    meaning: str  # the diagram's key
    diagram_ink: str  # the standing's words in the diagram
    diagram_text: str  # the point's text in the diagram
    diagram_border: str  # the node's border style: "" solid, "dashed", "dotted"
    diagram_fill: str  # the node's fill, "" for its kind's
    diagram_line: str  # the node's border colour, "" for its kind's
    brief_ink: str  # the brief's badge, border and words: light theme, then dark
    brief_paper: str  # the brief's badge background: light theme
    brief_ink_dark: str
    brief_paper_dark: str


class KindLook(NamedTuple):
    """How a kind of point is shown in the diagram."""

    word: str  # "Claim"
    shape: str  # Graphviz's node shape
    style: str  # an extra Graphviz style, "" for none
    fill: str
    accent: str  # the node's border and its heading
    meaning: str  # the diagram's key


STANDINGS: Final[dict[Standing, StandingLook]] = {
    "stands": StandingLook(
        icon="✔",
        word="Stands",
        verbs=("still stands", "still stand"),
        meaning="solid border: no rebuttal of it stands",
        diagram_ink="#1E6B34",
        diagram_text="#1F1F1F",
        diagram_border="",
        diagram_fill="",
        diagram_line="",
        brief_ink="#17602f",
        brief_paper="#e2f3e7",
        brief_ink_dark="#86dba0",
        brief_paper_dark="#15301f",
    ),
    "defeated": StandingLook(
        icon="✘",
        word="Defeated",
        verbs=("is defeated", "are defeated"),
        meaning="red, dashed border: a rebuttal of it stands",
        # as readable as what defeats it: the kind's fill, dark words; the mark and border say it
        diagram_ink="#A1221B",
        diagram_text="#1F1F1F",
        diagram_border="dashed",
        diagram_fill="",
        diagram_line="#A1221B",
        brief_ink="#a1221b",
        brief_paper="#fbe7e5",
        brief_ink_dark="#ffa39b",
        brief_paper_dark="#3b1b19",
    ),
    "undecided": StandingLook(
        icon="?",
        word="Undecided",
        verbs=("is undecided", "are undecided"),
        meaning="amber, dotted border: unresolved, e.g. a cycle",
        diagram_ink="#8A5100",
        diagram_text="#1F1F1F",
        diagram_border="dotted",
        diagram_fill="",
        diagram_line="#C98200",
        brief_ink="#7c4a00",
        brief_paper="#fdf0d5",
        brief_ink_dark="#f5c56b",
        brief_paper_dark="#352812",
    ),
}

KINDS: Final[dict[Kind, KindLook]] = {
    "claim": KindLook(
        word="Claim",
        shape="box",
        style="rounded",
        fill="#E8F0FB",
        accent="#2457A6",
        meaning="rounded box: a point someone makes",
    ),
    "rebuttal": KindLook(
        word="Rebuttal",
        shape="box",
        style="diagonals",
        fill="#FCEBEA",
        accent="#B3261E",
        meaning="cut corners: a point against another",
    ),
    "evidence": KindLook(
        word="Evidence",
        shape="note",
        style="",
        fill="#E7F4EA",
        accent="#2E7D45",
        meaning="folded corner: offered in support",
    ),
}


def tally(counts: dict[Standing, int]) -> str:
    """The standings in one line, for the terminal.

    >>> tally({"stands": 5, "defeated": 2, "undecided": 0})
    '✔ 5 stand · ✘ 2 defeated · ? 0 undecided'
    """
    said = {"stands": "stand" if counts["stands"] != 1 else "stands"}
    return " · ".join(
        f"{look.icon} {counts[standing]} {said.get(standing, standing)}"
        for standing, look in STANDINGS.items()
    )
