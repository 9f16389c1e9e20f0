"""What an import could not carry over (`Loss`), and input it could not read (`BadInput`).

Stages hand these on as data; `phrase` is the one place that turns a loss into words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from argmap.errors import ArgmapError
from argmap.text import plural, printable

MAX_PLACES = 12  # places named per loss line; the rest are counted


MAX_NODE_NAME: Final = 40  # characters of a node id shown; a 5,000-digit id is cut


def node_name(node: str) -> str:
    """A node id as a message shows it: printable, and cut short when it is long."""
    shown = printable(node)
    return shown if len(shown) <= MAX_NODE_NAME else shown[: MAX_NODE_NAME - 1] + "…"


@dataclass(frozen=True)
class Place:
    """Where something was in the foreign file: a line (and column), or a node id."""

    line: int | None = None
    col: int | None = None
    node: str | None = None
    item: str | None = None  # a speaker or source, as "speaker bob"

    def __str__(self) -> str:
        if self.item is not None:
            return printable(self.item)
        if self.node is not None:
            return f"node {node_name(self.node)}"
        if self.line is not None:
            return f"line {self.line}"
        return "the file"


@dataclass
class Loss:
    """One kind of thing dropped or changed, and every place it happened.

    `action` is the verb ("dropped", "turned"), `noun` the thing counted ("undercut"),
    `why` the reason in argmap's terms.
    """

    action: str
    noun: str
    why: str
    places: list[Place] = field(default_factory=list)
    plural: str | None = None  # when the noun's plural is not made by adding -s


class Losses:
    """Losses gathered during an import, one `Loss` per (action, noun, why), in first-seen order."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str, str], Loss] = {}

    def add(
        self, action: str, noun: str, why: str, place: Place, plural: str | None = None
    ) -> None:
        key = (action, noun, why)
        loss = self._by_key.get(key)
        if loss is None:
            loss = self._by_key[key] = Loss(action, noun, why, plural=plural)
        loss.places.append(place)

    def all(self) -> list[Loss]:
        return list(self._by_key.values())


def phrase(loss: Loss) -> str:
    """A loss as one line: `dropped 3 undercuts: argmap has no attack on a support: nodes 4, 9`.

    >>> phrase(Loss("dropped", "undercut", "why", [Place(node="4"), Place(node="9")]))
    'dropped 2 undercuts: why: nodes 4, 9'
    >>> phrase(Loss("read", "heading", "argmap has no sections", [Place(line=3)]))
    'read 1 heading: argmap has no sections: line 3'
    """
    places = loss.places
    shown = places[:MAX_PLACES]
    kinds = {"node" if p.node is not None else "line" if p.line is not None else "" for p in shown}
    if kinds == {"node"}:
        where = ("node " if len(places) == 1 else "nodes ") + ", ".join(
            node_name(p.node or "") for p in shown
        )
    elif kinds == {"line"}:
        where = ("line " if len(places) == 1 else "lines ") + ", ".join(str(p.line) for p in shown)
    else:
        where = ", ".join(str(p) for p in shown)
    if len(places) > len(shown):
        where += f" and {len(places) - len(shown)} more"
    # (a noun or a reason may name what the foreign file holds, a node type: shown escaped)
    said = f"{loss.action} {plural(len(places), loss.noun, loss.plural)}: {loss.why}: {where}"
    return printable(said)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the foreign file, where it was."""

    file: str
    place: Place
    message: str

    def __str__(self) -> str:
        file = printable(self.file)
        if self.place.node is not None:
            return f"{file}: node {node_name(self.place.node)}: error: {printable(self.message)}"
        line = self.place.line or 1
        col = self.place.col or 1
        return f"{file}:{line}:{col}: error: {printable(self.message)}"


class BadInput(ArgmapError):
    """The file to import is not in the format, or not consistent; `problems` says where."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
