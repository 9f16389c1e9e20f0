"""Read a Kialo discussion export (plain text), in either of its layouts, told apart by itself:

- the older one: `Discussion Title: NAME`, then `1. THESIS`, `1.1. Pro: TEXT`, `1.1.1. Con: TEXT`;
- the current one: `Discussion Name:` with the name on the next line, `1. Thesis:` with the
  text on the lines that follow (so `1.1. Pro:` and `1.1. Con:`), line endings CRLF, and for a
  discussion of several theses `1. Question:` with `1.1. Thesis:`, `1.2. Thesis:` under it.

A thesis is a claim, a Pro evidence for its parent, a Con a rebuttal of it; the question is the
map's `question`. A child that is only a link, `-> See 1.2.3.`, makes the linked point support
(Pro) or rebut (Con) the parent too, a linked thesis as well (a claim that rebuts or supports:
rival theses); only a link to the question, or of a point to itself, is reported. Labels
never stay in a text; Kialo's markdown escapes (`\\(`, `\\*`) are undone. Numbering gives the
ids (`k-1-2`), which argmap made and so never lists as renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.losses import BadInput, Place, Problem

_ITEM: Final = re.compile(r"[ \t]*((?:\d+\.)+)(?:[ \t]+(.*)|$)")
_LABEL: Final = re.compile(r"(Pro|Con|Thesis|Question):[ \t]*", re.I)
_SEE: Final = re.compile(r"->\s*See\s+((?:\d+\.)*\d+)\.?\s*\Z", re.I)
_TITLE: Final = re.compile(r"[ \t]*Discussion (?:Title|Name):[ \t]*(.*)", re.I)
_ESCAPED: Final = re.compile(r"\\([!-/:-@\[-`{-~])")
_MAX_HOPS: Final = 16  # links followed from a link, at most (a cycle of links ends there)
_HEAD: Final = re.compile(
    r"\s*(?:Discussion (?:Title|Name):|1\.[ \t]+(?:Thesis|Question):|1\.[ \t]+\S.*\n"
    r"(?:.*\n)*?[ \t]*1\.1\.[ \t]+(?:Pro|Con):)",
    re.I,
)


def looks_like_kialo(head: str) -> bool:
    """Whether the start of a file reads as a Kialo export (either layout)."""
    return _HEAD.match(head) is not None


def unescape(text: str) -> str:
    r"""Kialo's markdown escapes undone.

    >>> unescape(r"\(Joshua 6:20-21\) \*not\* a \\ path")
    '(Joshua 6:20-21) *not* a \\ path'
    """
    return _ESCAPED.sub(r"\1", text)


def _key(number: str) -> str:
    """`1.2.3.` as `k-1-2-3`."""
    return "k-" + number.rstrip(".").replace(".", "-")


@dataclass
class _Item:
    number: str
    label: str | None  # pro, con, thesis, question (lowercase), or None
    line: int
    col: int
    body: list[str] = field(default_factory=list)


def _items(text: str, file: str, d: Draft, problems: list[Problem]) -> list[_Item]:
    """The numbered items of the export with their texts' lines; the title into `d`."""
    items: list[_Item] = []
    numbers: set[str] = set()
    lines = text.splitlines()
    title_next = False
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:  # (most lines of the current layout: not worth a pattern)
            if items:
                items[-1].body.append("")
            continue
        if title_next:
            d.title = unescape(stripped)
            title_next = False
            continue
        m = _ITEM.fullmatch(line) if stripped[0].isdigit() else None
        number = m.group(1) if m else ""
        parent = number.rsplit(".", 2)[0] + "." if number.count(".") > 1 else None
        if m and (parent is None or parent in numbers) and (number not in numbers or not items):
            rest = m.group(2) or ""
            label = _LABEL.match(rest)
            col = (m.start(2) + (label.end() if label else 0) + 1) if m.group(2) else len(line) + 1
            item = _Item(number, label.group(1).lower() if label else None, n, col)
            body = rest[label.end() :] if label else rest
            if body.strip():
                item.body.append(body.strip())
            if parent is None and number != "1." and items:
                problems.append(
                    Problem(
                        file,
                        Place(n, 1),
                        f"{number} is a second top-level point; a "
                        "discussion has one thesis or question, `1.`",
                    )
                )
                continue
            items.append(item)
            numbers.add(number)
            continue
        if not items:
            title = _TITLE.match(line)
            if title and d.title is None:
                d.title = unescape(title.group(1).strip()) or None
                title_next = d.title is None
            else:
                problems.append(
                    Problem(
                        file,
                        Place(n, 1),
                        "expected `Discussion Name:`, `Discussion Title:` or `1.` and the thesis",
                    )
                )
            continue
        if m and number in numbers:
            problems.append(Problem(file, Place(n, 1), f"{number} is numbered twice"))
            continue
        if m and parent is not None and _LABEL.match(m.group(2) or ""):
            problems.append(Problem(file, Place(n, 1), f"{number} comes before its parent"))
            continue
        items[-1].body.append(stripped)  # the text goes on (a line that only looks numbered)
    return items


def read_kialo(text: str, file: str) -> Draft:
    """A `Draft` of a Kialo export, or `BadInput` naming each line it cannot read."""
    d = Draft(file=file, fmt="kialo")
    problems: list[Problem] = []
    items = _items(text, file, d, problems)
    labels: dict[str, str | None] = {}
    links: list[tuple[str, str, str, Place]] = []  # (linked, parent, pro|con, place)
    question: str | None = None
    alias: dict[str, str] = {}  # a link's own number -> the point it links to
    for item in items:
        key = _key(item.number)
        body = unescape("\n".join(item.body).strip())
        depth = item.number.count(".")
        parent = _key(item.number.rsplit(".", 2)[0] + ".") if depth > 1 else None
        label = item.label
        labels[key] = label
        place = Place(item.line, 1)
        if label == "question" and depth == 1:
            question = key
            d.question = body or None
            continue
        stance = label if label in ("pro", "con") else None
        see = _SEE.match(body)
        if see and parent is not None and parent == question:
            d.losses.add(
                "dropped",
                "link under the question",
                "the question is not a point: nothing can support or rebut it",
                place,
                "links under the question",
            )
            continue
        if parent is not None and parent == question:
            if stance is not None:
                d.losses.add(
                    "read",
                    f"{'Pro' if stance == 'pro' else 'Con'} under the question as a thesis",
                    "argmap's question has theses (claims), not pros and cons",
                    place,
                    f"{'Pros' if stance == 'pro' else 'Cons'} under the question as theses",
                )
            stance = None
        elif parent is not None and stance is None:
            problems.append(
                Problem(file, Place(item.line, item.col), "a child needs `Pro:` or `Con:`")
            )
            continue
        if see and parent is not None and stance is not None:
            links.append((_key(see.group(1) + "."), parent, stance, Place(item.line, item.col)))
            alias[key] = _key(see.group(1) + ".")  # its children argue about the linked point
            continue
        d.points[key] = Point(key=key, name=key, text=body, place=place, named=False)
        if parent is None or parent == question:  # a thesis stays a claim, whatever it answers
            d.points[key].role = "claim"
        if parent is not None and stance is not None:
            (d.supports if stance == "pro" else d.attacks).append(Edge(key, parent, place))
    d.supports, d.attacks = _resolved(d.supports, alias, d), _resolved(d.attacks, alias, d)
    for linked, parent, stance, place in links:
        number = linked[2:].replace("-", ".") + "."
        if linked == question:
            d.losses.add(
                "dropped",
                "link to the question",
                "the question is not a point: it neither supports nor rebuts",
                place,
                "links to the question",
            )
        elif linked not in d.points:
            problems.append(
                Problem(file, place, f"the link names {number}, which is not in the discussion")
            )
        else:  # (any point, a thesis too, may support some and rebut others: FORMAT.md)
            (d.supports if stance == "pro" else d.attacks).append(Edge(linked, parent, place))
    if problems:
        raise BadInput(problems)
    if not d.points:
        raise BadInput(
            [Problem(file, Place(1, 1), "no numbered points found: is it a Kialo export?")]
        )
    return d


def _resolved(edges: list[Edge], alias: dict[str, str], d: Draft) -> list[Edge]:
    """Edges whose parent is a link now go to the linked point (a link to a link, too, a few
    steps at most); an edge to no point (the question) is dropped and reported."""
    out: list[Edge] = []
    for e in edges:
        target = e.target
        for _ in range(_MAX_HOPS):
            if target not in alias:
                break
            target = alias[target]
        if target in d.points:
            out.append(e if target == e.target else Edge(e.source, target, e.place))
        else:
            d.losses.add(
                "dropped",
                "pro or con of a link to no point",
                "the link it answers leads to the question or outside the discussion",
                e.place,
                "pros and cons of links to no point",
            )
    return out
