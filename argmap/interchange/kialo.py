"""Read a Kialo discussion export (plain text): `1.` the thesis, `1.1. Pro:` and `1.1. Con:`
its children, `-> See 1.2.3.` a link to another point. Numbering becomes ids (`k-1-2`).

A Pro becomes evidence for its parent, a Con a rebuttal of it; a link child makes the linked
point support (Pro) or rebut (Con) the parent too.
"""

from __future__ import annotations

import re
from typing import Final

from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.report import BadInput, Place, Problem

_ITEM: Final = re.compile(r"\s*((?:\d+\.)+)\s+(?:(Pro|Con):\s*)?(.*)")
_SEE: Final = re.compile(r"->\s*See\s+((?:\d+\.)*\d+)\.?\s*$", re.I)
_TITLE: Final = re.compile(r"\s*Discussion Title:\s*(.*)", re.I)


def _key(number: str) -> str:
    return "k-" + "-".join(part for part in number.split(".") if part)


def read_kialo(text: str, file: str) -> Draft:
    """A `Draft` of a Kialo export, or `BadInput` naming each line it cannot read."""
    d = Draft(file=file, fmt="kialo")
    problems: list[Problem] = []
    links: list[tuple[str, str, str, Place]] = []  # (linked, parent, Pro|Con, place)
    stances: dict[str, str] = {}
    last: Point | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        title = _TITLE.match(line)
        if title and d.title is None and not d.points:
            d.title = title.group(1).strip()
            continue
        m = _ITEM.fullmatch(line)
        if m is None:
            if last is None:
                problems.append(
                    Problem(
                        file, Place(n, 1), "expected `1.` and the thesis, or `Discussion Title:`"
                    )
                )
            else:
                last.text = f"{last.text}\n{line.strip()}" if last.text else line.strip()
            continue
        number, stance, body = m.group(1), m.group(2), m.group(3).strip()
        key = _key(number)
        depth = number.count(".")
        parent = _key(number.rsplit(".", 2)[0] + ".") if depth > 1 else None
        if depth > 1 and stance is None:
            problems.append(
                Problem(file, Place(n, m.start(3) + 1), "a child needs `Pro:` or `Con:`")
            )
            continue
        if parent is not None and parent not in d.points:
            problems.append(Problem(file, Place(n, 1), f"{number} comes before its parent"))
            continue
        if key in d.points:
            problems.append(Problem(file, Place(n, 1), f"{number} is numbered twice"))
            continue
        see = _SEE.match(body)
        if see and parent is not None and stance is not None:
            links.append((_key(see.group(1) + "."), parent, stance, Place(n, m.start(3) + 1)))
            last = None
            continue
        last = d.points[key] = Point(key=key, name=key, text=body, place=Place(n, 1))
        if parent is not None and stance is not None:
            stances[key] = stance
            (d.supports if stance == "Pro" else d.attacks).append(Edge(key, parent, Place(n, 1)))
    for linked, parent, stance, place in links:
        if linked not in d.points:
            problems.append(
                Problem(
                    file,
                    place,
                    f"the link names {linked[2:].replace('-', '.')}., "
                    "which is not in the discussion",
                )
            )
            continue
        (d.supports if stance == "Pro" else d.attacks).append(Edge(linked, parent, place))
    if problems:
        raise BadInput(problems)
    if not d.points:
        raise BadInput(
            [Problem(file, Place(1, 1), "no numbered points found: is it a Kialo export?")]
        )
    return d
