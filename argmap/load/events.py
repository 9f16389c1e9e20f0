"""Part of stage 1, load: the parser's event stream turned into dicts, lists and scalars by hand,
in one pass with an explicit stack, each value's and key's position kept by its path (see
`argmap.load` for what is refused on the way).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

import yaml

from argmap.errors import Diagnostic
from argmap.load.hints import too_deep, yaml_problem
from argmap.text import printable, shown

MAX_DEPTH: Final = 64
MAX_ERRORS: Final = 100

YPath = tuple[str | int, ...]
Spot = tuple[int, int]  # 1-based line, column

_TAG: Final = "tag:yaml.org,2002:"
_PLAIN_TAGS: Final = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_COLLECTION_TAGS: Final = {_TAG + "seq", _TAG + "map"}
_NODE_STARTS: Final = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


# Plain (unquoted) scalars that are read as something other than text: a null, a boolean, or a
# short decimal number. Every other scalar is text, whatever YAML 1.1 would make of it: `0x7d7`,
# `33:27` (base 60), `0o17`, `1_000`, `.inf` and dates stay as written. So no number can be too
# long for Python's limits, and none is read in more than linear time (PyYAML reads base-60
# numbers in quadratic time).
_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS: Final = {
    word: value
    for words, value in (("yes true on", True), ("no false off", False))
    for w in words.split()
    for word in (w, w.capitalize(), w.upper())
}
_INT: Final = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")
_FLOAT: Final = re.compile(
    r"[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][-+][0-9]{1,3})?"
)
PARSER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Stop(Exception):
    """Parsing cannot usefully go on."""


@dataclass
class _Frame:
    ypath: YPath
    value: dict[str, object] | list[object]
    items: array[int] | None = None  # of a list: where each item is, packed (`pack`)
    key: str | None = None
    key_spot: Spot = (1, 1)
    refused: bool = False  # the key read last was refused: its value is read, then dropped
    seen: dict[str, Spot] = field(default_factory=dict)


class Assembler:
    """Plain data from the parser's events, with the place of each value, key and problem."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.root: object = None
        self.stack: list[_Frame] = []
        self.spots: dict[YPath, Spot] = {}
        self.keys: dict[YPath, Spot] = {}
        self.items: dict[YPath, array[int]] = {}  # a list -> where each of its items is
        self.errors: list[Diagnostic] = []
        self.fatal = False  # the data is not usable: report `errors` alone
        self.aliases: set[str] = set()
        self.raw: dict[YPath, str] = {}
        self.tainted: set[YPath] = set()
        self.documents = 0

    def error(self, spot: Spot, message: str) -> None:
        self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error", printable(message)))
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(
                Diagnostic(
                    self.name,
                    spot[0],
                    spot[1],
                    "error",
                    f"stopped after {MAX_ERRORS} errors; fix these first",
                )
            )
            raise Stop

    def run(self, events: Iterator[yaml.Event]) -> None:
        for ev in events:
            mark = ev.start_mark
            spot = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if type(ev) is yaml.ScalarEvent and ev.tag is None and ev.anchor is None and self.stack:
                # The most common event by far, in a large map: a plain scalar (no tag, no
                # anchor: nothing to check) in a list or a mapping.
                value = self.scalar(ev, spot)
                top = self.stack[-1]
                if top.items is not None and isinstance(top.value, list):
                    top.items.append(pack(spot))
                    top.value.append(value)
                    if not isinstance(value, str):
                        self.raw[(*top.ypath, len(top.value) - 1)] = ev.value
                else:
                    ypath = self.add(value, spot)
                    if not isinstance(value, str):
                        self.raw[ypath] = ev.value
                continue
            if isinstance(ev, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.error(
                        spot,
                        "the file goes on with a second YAML document after '---'; "
                        "a map is one document: remove the '---' line, or move what "
                        "follows it into a map of its own",
                    )
                    return
            elif isinstance(ev, yaml.AliasEvent):
                anchor = str(ev.anchor)
                if anchor not in self.aliases:  # once per name: an alias bomb has thousands
                    self.aliases.add(anchor)
                    self.error(
                        spot,
                        f"'*{shown(anchor)}' is a YAML alias; argmap does not allow "
                        "aliases: write the value out in full",
                    )
                self.tainted.add(self.add(None, spot))
            elif isinstance(ev, _NODE_STARTS):
                ok = self.check_node(ev, spot)
                if isinstance(ev, yaml.ScalarEvent):
                    value = self.scalar(ev, spot) if ok else ev.value
                    ok = ok and (value is not None or _null_written(ev))
                    ypath = self.add(value, spot)
                    if not isinstance(value, str):
                        self.raw[ypath] = ev.value
                else:
                    ypath = self.open(ev, spot)
                if not ok:
                    self.tainted.add(ypath)
            elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.stack.pop()

    def check_node(self, ev: yaml.NodeEvent, spot: Spot) -> bool:
        """Report an anchor or a tag on this node; False if its value cannot be trusted."""
        ok = True
        if ev.anchor is not None:
            self.error(
                spot,
                f"'&{shown(ev.anchor)}' is a YAML anchor; argmap does not allow "
                "anchors and aliases: write each value out in full",
            )
        tag = getattr(ev, "tag", None)
        if tag not in (None, "!") and tag not in _PLAIN_TAGS:
            self.error(
                spot,
                f"the YAML tag '{_shown(tag)}' is not allowed; remove it (argmap "
                "reads plain text, numbers, lists and mappings only)",
            )
            ok = False
        elif tag in _PLAIN_TAGS and (tag in _COLLECTION_TAGS) != (
            not isinstance(ev, yaml.ScalarEvent)
        ):
            self.error(spot, f"the YAML tag '{_shown(tag)}' does not fit this value; remove it")
            ok = False
        return ok

    def scalar(self, ev: yaml.ScalarEvent, spot: Spot) -> object:
        """The value of a scalar: text, unless it is plain (or tagged) and reads as a null, a
        boolean or a short decimal number (`_NULLS`, `_BOOLS`, `_INT`, `_FLOAT`)."""
        value = ev.value
        tag = ev.tag if ev.tag in _PLAIN_TAGS else None
        if tag is None and (ev.tag == "!" or not ev.implicit[0]):
            return value  # quoted, or explicitly non-specific: text
        if tag is None:
            if value in _NULLS:
                return None
            if value in _BOOLS:
                return _BOOLS[value]
            if _INT.fullmatch(value):
                return int(value)
            return float(value) if _FLOAT.fullmatch(value) else value
        kind = tag.removeprefix(_TAG)
        if kind == "null" and value in _NULLS:
            return None
        if kind == "bool" and value in _BOOLS:
            return _BOOLS[value]
        if kind == "int" and _INT.fullmatch(value):
            return int(value)
        if kind == "float" and (_FLOAT.fullmatch(value) or _INT.fullmatch(value)):
            return float(value)
        if kind == "str":
            return value
        self.error(
            spot,
            f"'{shown(value)}' is not a valid {kind}; remove the tag "
            f"'{_shown(tag)}' or write "
            + {
                "null": "~ or nothing",
                "bool": "true or false",
                "int": "a decimal number of at most 18 digits",
                "float": "a decimal number such as 1.5",
            }[kind],
        )
        return None

    def open(self, ev: yaml.NodeEvent, spot: Spot) -> YPath:
        if len(self.stack) >= MAX_DEPTH:
            self.error(spot, too_deep(MAX_DEPTH))
            raise Stop
        container: dict[str, object] | list[object] = (
            {} if isinstance(ev, yaml.MappingStartEvent) else []
        )
        ypath = self.add(container, spot)
        frame = _Frame(ypath, container)
        if isinstance(container, list):
            frame.items = self.items[ypath] = array("q")
        self.stack.append(frame)
        return ypath

    def add(self, value: object, spot: Spot) -> YPath:
        """Place a value in the open container (or as the root); return its path."""
        if not self.stack:
            self.root = value
            self.spots[()] = spot
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            ypath = (*top.ypath, len(top.value))
            top.value.append(value)
            if top.items is not None:
                top.items.append(pack(spot))
            return ypath
        if top.key is None:  # this value is a key: its path is that of the value to come
            self.take_key(top, value, spot)
            return (*top.ypath, str(top.key))
        ypath = (*top.ypath, top.key)
        if not top.refused:
            top.value[top.key] = value
        self.keys[ypath] = top.key_spot
        top.key, top.refused = None, False
        self.spots[ypath] = spot
        return ypath

    def take_key(self, top: _Frame, key: object, spot: Spot) -> None:
        # A refused key keeps a name no text key has (`\0` and its place; any path to it is
        # unique) and the frame is flagged: a key written as "\0" is text like any other.
        refused = False
        if isinstance(key, dict | list):
            self.error(spot, "a key must be a plain name, not a list or mapping")
            key, refused = f"\0{spot}", True
        elif not isinstance(key, str):
            key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
        if key in top.seen:
            first = top.seen[key]
            self.error(
                spot,
                f"duplicate key '{shown(key)}' (first at line {first[0]}, here again "
                f"at line {spot[0]}); YAML would keep only one of them: remove or rename "
                "one",
            )
            key, refused = f"\0dup{spot}", True
        else:
            top.seen[key] = spot
        top.key, top.key_spot, top.refused = key, spot, refused

    def yaml_error(self, e: yaml.MarkedYAMLError) -> None:
        self.fatal = True
        spot, message = yaml_problem(e, self.text, MAX_DEPTH)
        self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error", printable(message)))


def pack(spot: Spot) -> int:
    """A spot as one number, as lists keep them (a tuple per item costs ten times the memory).

    >>> unpack(pack((3, 14)))
    (3, 14)
    """
    return spot[0] << 32 | spot[1]


def unpack(packed: int) -> Spot:
    return packed >> 32, packed & 0xFFFFFFFF


def _null_written(ev: yaml.ScalarEvent) -> bool:
    """True if the scalar is meant as empty (`~`, `null` or nothing), not a tag gone wrong."""
    return ev.tag in (None, _TAG + "null")


def _shown(tag: str) -> str:
    """A tag as it is usually written: `!!binary` rather than `tag:yaml.org,2002:binary`."""
    return shown("!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag)
