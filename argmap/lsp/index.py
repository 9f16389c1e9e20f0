"""Where each id of a buffer is defined and where it is used, from the places the loader kept.

Built from `argmap.load.Loaded` (the data and the spot of every value), never by reading the
text again as YAML: an id is where the loader says its value starts, and it ends where that
scalar ends. A use whose text is not the id itself (an escaped or folded scalar) is left out,
so that a rename never edits text it does not understand.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Final

from argmap.load import Loaded, YPath
from argmap.lsp.text import Lines
from argmap.model import SECTIONS

POINTS: Final = ("claim", "rebuttal", "evidence")
# A field that names ids -> the kinds of items it may name.
REFERENCES: Final[dict[str, tuple[str, ...]]] = {
    "rebuts": POINTS,
    "supports": POINTS,
    "by": ("speaker",),
    "source": ("source",),
}


@dataclass(frozen=True)
class Place:
    """One id as written: its offsets in the text, and what writes it there."""

    id: str
    start: int
    end: int
    ypath: YPath  # of the value: ("rebuttals", 0, "rebuts", 1), or ("claims", 2, "id")
    field: str  # "id" for a definition, else the referring field


@dataclass
class MapIndex:
    """Definitions and uses of every id in one buffer."""

    kinds: dict[str, str] = field(default_factory=dict)  # id -> "claim", "speaker", ...
    definitions: dict[str, Place] = field(default_factory=dict)  # the first item with the id
    uses: dict[str, list[Place]] = field(default_factory=dict)  # id -> every use, file order
    items: dict[str, YPath] = field(default_factory=dict)  # id -> its item's path
    _starts: list[int] = field(default_factory=list)
    _places: list[Place] = field(default_factory=list)

    def at(self, offset: int) -> Place | None:
        """The id written at `offset` (its end counts too: the cursor just after a word)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self._places[i].start <= offset <= self._places[i].end:
            return self._places[i]
        return None

    def of_kinds(self, kinds: tuple[str, ...]) -> list[str]:
        """The ids of items of these kinds, in file order."""
        return [i for i, kind in self.kinds.items() if kind in kinds]

    def everywhere(self, ident: str) -> list[Place]:
        """The definition of `ident` (if it has one) and every use, in file order."""
        found = [*([self.definitions[ident]] if ident in self.definitions else [])]
        return sorted(found + self.uses.get(ident, []), key=lambda p: p.start)


def build_index(loaded: Loaded, lines: Lines) -> MapIndex:
    """Every id of `loaded`, with the places where it is defined and used."""
    index = MapIndex()
    data = loaded.data if isinstance(loaded.data, dict) else {}
    places: list[Place] = []

    def place(ident: object, ypath: YPath, name: str) -> Place | None:
        if not isinstance(ident, str) or not ident:
            return None
        start, end = lines.id_span(lines.offset_of_spot(*loaded.spot(ypath)))
        if lines.text[start:end] != ident:
            return None
        found = Place(ident, start, end, ypath, name)
        places.append(found)
        return found

    for section, model in SECTIONS.items():
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        for i, item in enumerate(entries):
            if not isinstance(item, dict):
                continue
            ident = item.get("id")
            if isinstance(ident, str) and ident not in index.kinds:
                index.kinds[ident] = model.item_kind
                index.items[ident] = (section, i)
            defined = place(ident, (section, i, "id"), "id")
            if defined is not None and defined.id not in index.definitions:
                index.definitions[defined.id] = defined
            for name in REFERENCES:
                value = item.get(name)
                values = value if isinstance(value, list) else [value]
                for j, target in enumerate(values):
                    at = (section, i, name, j) if isinstance(value, list) else (section, i, name)
                    used = place(target, at, name)
                    if used is not None:
                        index.uses.setdefault(used.id, []).append(used)
    places.sort(key=lambda p: p.start)
    index._places = places
    index._starts = [p.start for p in places]
    return index
