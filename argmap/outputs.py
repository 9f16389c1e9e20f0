"""Every output argmap makes, declared once: its name, media type, what it needs and how it
is made. The CLI's choices (`argmap export --format`), what `render` makes for a build, what
`argmap watch` serves, and the links inside the pictures all read this table.

>>> [o.name for o in BUILT]
['argmap.json', 'argmap.dot', 'argmap.svg', 'argmap.png', 'overview/', 'claims/', 'brief.html']
>>> by_format("png").media_type, claim_picture("vendors-concerned"), overview_page(2)
('image/png', 'claims/vendors-concerned.svg', 'overview/page-2.svg')
>>> served("claims/a-1.svg"), served("overview/page-3.svg"), served("claims/../x.svg")
('image/svg+xml', 'image/svg+xml', None)
>>> served("overview/page-1.svg"), served("other.txt")
(None, None)
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final, Literal

Need = Literal["dot", "layout", "pivotal", "map"]
"""What an output needs made first: the diagram's DOT, dot's layout, the points the outcome
hangs on (`argmap.evaluate.pivotal`), or only the map (another tool's format)."""

Maker = Literal["export", "diagram", "layout", "brief", "interchange"]
"""Which part of render makes it: the JSON export, the DOT writer, Graphviz, the brief, or
an `argmap.interchange` writer (from the map alone)."""

CLAIMS: Final = "claims/"  # the name standing for every claim's picture, claims/ID.svg
CLAIM_ID: Final = r"[a-z0-9][a-z0-9-]*"  # a map id (docs/FORMAT.md): never "/", "." or "_"
CLAIM_PICTURE: Final = re.compile(rf"claims/({CLAIM_ID})\.svg")
# A large map's overview comes in pages (`argmap.render.overview`): page 1 is argmap.svg (and
# argmap.png, argmap.dot), page N >= 2 is overview/page-N.svg; "overview/" stands for them all.
OVERVIEW: Final = "overview/"
OVERVIEW_PAGE: Final = re.compile(r"overview/page-([2-9]|[1-9][0-9]{1,5})\.svg")

# Signs by which argmap knows its own outputs (a source file must not be one of them,
# `argmap.validate.sources`): render writes them, the checks read them from here.
EXPORT_FORMAT_ID: Final = "argmap/1"  # "format" of argmap.json, the first key of the object
GRAPH_NAME: Final = "argmap"  # the diagram's graph: `digraph argmap {`, <title>argmap</title>
GENERATOR_TAG: Final = '<meta name="generator" content="argmap">'  # in the default brief


@dataclass(frozen=True)
class Output:
    """One output: `name` is its file in the output folder ("claims/" for every claim's
    picture), `format` what `argmap export --format` calls it (None: no export of its own)."""

    name: str
    format: str | None
    media_type: str
    needs: frozenset[Need]
    made_by: Maker
    served: bool = True  # by `argmap watch`
    later_in_watch: bool = False  # drawn after the page reloads (the brief does not use it)


BUILT: Final = (
    Output("argmap.json", "json", "application/json", frozenset({"pivotal"}), "export"),
    Output("argmap.dot", "dot", "text/vnd.graphviz; charset=utf-8", frozenset({"dot"}), "diagram"),
    Output("argmap.svg", "svg", "image/svg+xml", frozenset({"dot", "layout"}), "layout"),
    Output(
        "argmap.png",
        "png",
        "image/png",
        frozenset({"dot", "layout"}),
        "layout",
        later_in_watch=True,
    ),
    Output(OVERVIEW, None, "image/svg+xml", frozenset({"dot", "layout"}), "layout"),
    Output(CLAIMS, None, "image/svg+xml", frozenset({"dot", "layout"}), "layout"),
    Output(
        "brief.html",
        "html",
        "text/html; charset=utf-8",
        frozenset({"dot", "layout", "pivotal"}),
        "brief",
    ),
)
"""What `argmap build` writes, in the order it writes (and lists) them."""

NAMES: Final = tuple(o.name for o in BUILT)
EXPORT_FORMATS: Final = {o.format: o.name for o in BUILT if o.format is not None}
_BY_NAME: Final = {o.name: o for o in BUILT}


def by_name(name: str) -> Output:
    """The output written as `name` ("claims/ID.svg" and "claims/ID.dot" are claims/'s,
    "overview/page-N.svg" overview/'s)."""
    if name.startswith(CLAIMS):
        return _BY_NAME[CLAIMS]
    if name.startswith(OVERVIEW):
        return _BY_NAME[OVERVIEW]
    return _BY_NAME[name]


def by_format(fmt: str) -> Output:
    """The output `argmap export --format FMT` writes (KeyError for another tool's format)."""
    return _BY_NAME[EXPORT_FORMATS[fmt]]


def claim_picture(claim_id: str, ext: str = "svg") -> str:
    """Where a claim's own picture is written, relative to the output folder."""
    return f"{CLAIMS}{claim_id}.{ext}"


def overview_page(number: int) -> str:
    """Where page `number` (2 or more) of a large map's overview is written (page 1 is
    argmap.svg), relative to the output folder."""
    return f"{OVERVIEW}page-{number}.svg"


def needs(names: Collection[str]) -> frozenset[Need]:
    """Everything the outputs named in `names` need ("claims/ID.dot" needs no layout)."""
    found: set[Need] = set()
    for name in names:
        if name.startswith(CLAIMS) and name.endswith(".dot"):
            found.add("dot")
        elif name in _BY_NAME or name.startswith((CLAIMS, OVERVIEW)):
            found |= by_name(name).needs
    return frozenset(found)


def served(path: str) -> str | None:
    """The media type `argmap watch` serves the output `path` as, or None if it is no output."""
    if CLAIM_PICTURE.fullmatch(path):
        return _BY_NAME[CLAIMS].media_type
    if OVERVIEW_PAGE.fullmatch(path):
        return _BY_NAME[OVERVIEW].media_type
    found = _BY_NAME.get(path)
    folder = path in (CLAIMS, OVERVIEW)
    return found.media_type if found is not None and found.served and not folder else None


def interchange_formats() -> dict[str, str]:
    """Another tool's formats (`argmap export --format argdown`...): format -> default file."""
    from argmap.interchange.exports import EXPORTS

    return {fmt: export.file for fmt, export in EXPORTS.items()}
