"""A foreign map as read, before it is claims.yaml: points, attacks and supports by foreign key.

Each reader (`argdown_in`, `argdown_json`, `aif`, `kialo`) fills a `Draft`; `build` decides
what each point is in argmap's terms and gives every foreign name an argmap id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from argmap.interchange.ids import IdMaker
from argmap.interchange.losses import Losses, Place


@dataclass
class Point:
    """A statement or argument of the foreign file."""

    key: str  # unique among the draft's points
    name: str  # what the argmap id is made from
    text: str | None
    place: Place
    by: str | None = None  # a speaker key
    quote: str | None = None
    source: str | None = None  # a source key
    tags: list[str] = field(default_factory=list)
    reported_by: str | None = None  # a speaker or source key (reported speech)
    paraphrase: bool = False  # the quote is a reporter's account, not the speaker's words
    kind: str | None = None  # evidence kind, when the file says
    named: bool = True  # False: `name` was made by the reader (Kialo's numbers), not written
    weight: int | None = None  # the analyst's strength (read under `attacks: weighed`)
    role: str | None = None  # "claim", "rebuttal" or "evidence" when the file says (argmap's own)


@dataclass(frozen=True)
class Edge:
    source: str  # point key
    target: str  # point key
    place: Place


@dataclass(frozen=True)
class Undercut:
    """`source` attacks the link from `link_from` to `link_to` (which rebuts or supports it);
    `link_to` None: every link of `link_from` (an Argdown undercut of an argument's inference)."""

    source: str  # point key
    link_from: str  # point key
    link_to: str | None  # point key, or None for all of `link_from`'s links
    place: Place


@dataclass
class Draft:
    """Everything a reader found; `losses` already holds what the reader itself could not read."""

    file: str
    fmt: str
    title: str | None = None
    question: str | None = None
    summary: str | None = None
    judgement: dict[str, Any] | None = None  # the map's `judgement:` (argmap's own exports)
    sources: list[dict[str, Any]] = field(default_factory=list)  # argmap-shaped, id = key
    speakers: list[dict[str, Any]] = field(default_factory=list)  # argmap-shaped, id = key
    points: dict[str, Point] = field(default_factory=dict)
    attacks: list[Edge] = field(default_factory=list)
    supports: list[Edge] = field(default_factory=list)
    undercuts: list[Undercut] = field(default_factory=list)
    losses: Losses = field(default_factory=Losses)
    texts: dict[str, str] = field(default_factory=dict)  # source key -> its text, to write
    ids: IdMaker | None = None  # the ids `build` gave, once it has
