"""Argdown's relations: each arrow and what it makes (`relate`); and what Argdown's own parser
refuses that argmap's reader would read anyway, as reasons (the reader reports each such line,
since `argdown` itself would stop there), measured against the real parser
(tests/test_interchange_shapes.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from argmap.interchange.argdown_text import ESCAPE, data_start
from argmap.interchange.draft import Draft, Edge, Undercut
from argmap.interchange.losses import Place

_STAR: Final = re.compile(r"\*+")

# arrow -> (the relation, whether it goes from the element above to the new one)
ARROWS: Final = {
    "+>": ("support", True),
    "->": ("attack", True),
    "_>": ("undercut", True),
    "><": ("contrary", True),
    "<+": ("support", False),
    "+": ("support", False),
    "<-": ("attack", False),
    "-": ("attack", False),
    "<_": ("undercut", False),
    "_": ("undercut", False),
}


class Level(Protocol):
    indent: int


def indent_refusal(
    lead: str, indent: int, open_levels: Sequence[Level], seen: set[str]
) -> tuple[str | None, set[str]]:
    """Argdown's indentation rules for a relation line: one kind of whitespace in a tree
    (`seen`: the kinds so far, returned updated), and a relation that moves left must land on
    the indentation of a relation above it (`open_levels`: the tree's open lines)."""
    kinds = {c for c in lead if c in " \t"}
    if len(seen | kinds) > 1:
        return "the indentation mixes tabs and spaces", kinds
    moves_left = len(open_levels) > 1 and indent < open_levels[-1].indent
    if moves_left and indent not in {o.indent for o in open_levels[1:]}:
        return "the relation moves left to an indentation no line above has", seen | kinds
    return None, seen | kinds


def emphasis_refusal(raw: str) -> str | None:
    """An italic or bold `*` never closed on its line (inline data is no Argdown text).

    >>> emphasis_refusal("[a]: *b* c"), emphasis_refusal("[a]: *b c {x: '*'}")
    (None, 'an italic or bold range (`*`) is not closed')
    """
    if "*" not in raw:
        return None
    brace = data_start(raw)
    words = raw if brace is None else raw[:brace]
    if "*" in words and len(_STAR.findall(ESCAPE.sub("", words))) % 2:
        return "an italic or bold range (`*`) is not closed"
    return None


def contradiction_refusal(arrow: str, rest: str) -> str | None:
    """`><` towards an argument: Argdown's contradictions are between statements."""
    if arrow == "><" and rest.lstrip().startswith("<"):
        return "a contradiction (`><`) is between statements, not arguments"
    return None


def relate(d: Draft, arrow: str, parent: str, child: str, line: int, col: int) -> None:
    """The relation an arrow makes between the element above (`parent`) and `child`."""
    relation, outgoing = ARROWS[arrow]
    source, target = (parent, child) if outgoing else (child, parent)
    place = Place(line, col)
    if relation == "support":
        d.supports.append(Edge(source, target, place))
    elif relation == "attack":
        d.attacks.append(Edge(source, target, place))
    elif relation == "undercut":
        # An attack on the inference of `target`: every link of it (`argdown_in` narrows it
        # to the links the undercutter's data lists, and `shapes` resolves it).
        d.undercuts.append(Undercut(source, target, None, place))
    else:
        d.attacks.append(Edge(source, target, place))
        d.attacks.append(Edge(target, source, place))
        d.losses.add(
            "turned",
            "contradiction into two rebuttals",
            "argmap has no contradiction; each side rebuts the other",
            Place(line),
            "contradictions into two rebuttals each",
        )
