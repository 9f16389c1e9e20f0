"""Part of stage 3, evaluate: why a point has its standing, as data, and in words for people.

`evaluate` records each reason as a `Reason`: what decided the standing and the ids of the
points that did. `phrase` is the one place that words it: the brief, the diagram's tooltips and
the JSON's `reason` all read it from there, naming each point by a short quoted text of it
rather than by its id. Nothing reads the words back: scripts read `Reason.ids`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from argmap.text import shorten

ReasonKind = Literal[
    "unchallenged",  # stands: nothing rebuts it
    "rebuttals-defeated",  # stands: every rebuttal against it (ids) is defeated
    "outweighed",  # stands: every rebuttal against it (ids) is outweighed or defeated (weighed)
    "undercut",  # stands: every rebuttal against it (ids) is defeated, outweighed or undercut
    "defeated-by",  # defeated: these rebuttals (ids) stand
    "cycle",  # undecided: caught in this cycle of rebuttals (ids, in attack order)
    "attacked-by-undecided",  # undecided: these rebuttals (ids) are themselves undecided
]
REASON_KINDS: Final[tuple[ReasonKind, ...]] = (
    "unchallenged",
    "rebuttals-defeated",
    "outweighed",
    "undercut",
    "defeated-by",
    "cycle",
    "attacked-by-undecided",
)
Segment = tuple[str, str | None]  # a piece of text, and the id of the point it names, if any
# After "Defeated by “X”, which stands": how a bare denial is marked (one rebuttal, several).
UNSUPPORTED: Final = (
    " — challenged only by an unsupported denial (no evidence, source or quote).",
    " — challenged only by unsupported denials (no evidence, source or quote).",
)
NAMED: Final = 9  # a longer list names its first 8 points and its last, and counts the rest
SHORT: Final = 72  # characters of a point's text when a reason names it


@dataclass(frozen=True)
class Reason:
    """What decided a standing (`kind`) and which points did (`ids`, in file or attack order;
    a cycle's ids start at the point itself and do not repeat it at the end). `unsupported`:
    defeated only by rebuttals that carry no source, quote or standing evidence."""

    kind: ReasonKind
    ids: tuple[str, ...] = ()
    unsupported: bool = False


def short_text(text: str, limit: int = SHORT) -> str:
    """A point's text on one line, without its final full stop, cut at a space near `limit`.

    >>> short_text("VMware has a growing\\n ecosystem.", 72), short_text("One two three.", 10)
    ('VMware has a growing ecosystem', 'One two…')
    """
    return shorten(" ".join(text[: 4 * limit].split()).rstrip("."), limit)


def quoting(texts: Mapping[str, str], limit: int = SHORT) -> Callable[[str], str]:
    """A `name` for `phrase`: each point as its short text in quote marks, worked out once per
    point (a long text may be named in many reasons).

    >>> quoting({"a": "It is so."})("a")
    '“It is so”'
    """
    cache: dict[str, str] = {}

    def name(ident: str) -> str:
        if ident not in cache:
            cache[ident] = f"“{short_text(texts[ident], limit)}”"
        return cache[ident]

    return name


# kind -> (the standing said first where no badge says it, the words before the points,
# how the points are joined, the words after them for one point and for several)
_WORDING: Final[dict[ReasonKind, tuple[str, str, str, tuple[str, str]]]] = {
    "unchallenged": ("Stands: ", "no rebuttal against it.", "", ("", "")),
    "rebuttals-defeated": (
        "Stands: ",
        "every rebuttal against it is defeated (",
        "and",
        (").", ")."),
    ),
    "outweighed": (
        "Stands: ",
        "every rebuttal against it is outweighed or defeated (",
        "and",
        (").", ")."),
    ),
    "undercut": (
        "Stands: ",
        "the rebuttals against it are defeated or their link undercut (",
        "and",
        (").", ")."),
    ),
    "defeated-by": ("", "Defeated by ", "and", (", which stands.", ", which stand.")),
    "cycle": ("Undecided: ", "caught in a cycle of rebuttals (", "→", (").", ").")),
    "attacked-by-undecided": (
        "Undecided: ",
        "attacked by ",
        "and",
        (", which is itself undecided.", ", which are themselves undecided."),
    ),
}


def phrase(
    reason: Reason, name: Callable[[str], str], *, standing_first: bool = True
) -> list[Segment]:
    """`reason` in words, each point named by `name(id)` and marked with its id.

    With `standing_first`, a reason says the standing first ("Stands: no rebuttal against it."),
    for places where nothing else says it; without, it starts with a capital ("No rebuttal
    against it."), for the brief, whose badge says the standing.

    >>> words(Reason("defeated-by", ("a", "b")), lambda i: f"“{i.upper()}”")
    'Defeated by “A” and “B”, which stand.'
    >>> words(Reason("cycle", ("x", "y")), str.upper, standing_first=False)
    'Caught in a cycle of rebuttals (X → Y → X).'
    >>> words(Reason("defeated-by", ("a",), unsupported=True), str.upper).split(" — ")[1]
    'challenged only by an unsupported denial (no evidence, source or quote).'
    """
    lead, before, join, after = _WORDING[reason.kind]
    ids: Sequence[str] = (*reason.ids, reason.ids[0]) if reason.kind == "cycle" else reason.ids
    first = lead + before if standing_first else before[:1].upper() + before[1:]
    segments: list[Segment] = [(first, None)]
    shown = [*ids[: NAMED - 1], ids[-1]] if len(ids) > NAMED else list(ids)
    skipped = len(ids) - len(shown)
    for n, ident in enumerate(shown):
        if n:
            last = n == len(shown) - 1
            if last and skipped:
                glue = (
                    f" {join} … {skipped} more … {join} "
                    if join == "→"
                    else (f", … {skipped} more … and ")
                )
            elif join == "→":
                glue = " → "
            else:
                glue = " and " if last else ", "
            segments.append((glue, None))
        segments.append((name(ident), ident))
    if ids:
        segments.append((after[len(reason.ids) > 1], None))
    if reason.unsupported:
        segments[-1] = (segments[-1][0].removesuffix(".") + UNSUPPORTED[len(reason.ids) > 1], None)
    return segments


def words(reason: Reason, name: Callable[[str], str], *, standing_first: bool = True) -> str:
    """`phrase` as plain text, for the JSON and the diagram's tooltips."""
    return "".join(text for text, _ in phrase(reason, name, standing_first=standing_first))
