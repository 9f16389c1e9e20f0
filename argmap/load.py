"""Stage 1, load: read a claims.yaml safely into plain data, remembering where each value stood.

The parser's event stream is turned into dicts, lists and scalars by hand, in one pass with an
explicit stack, so that nothing dangerous can happen on the way:

- no anchors or aliases (an alias-built file can grow to millions of objects once expanded);
- no tags but the plain ones (nothing is ever constructed from a tag);
- no duplicate keys (PyYAML would silently keep the last);
- no nesting deeper than `MAX_DEPTH`, no file larger than `MAX_BYTES`;
- dates stay text (`2007-10-01` is not turned into a date object).

Every value's and key's position is kept by its path, e.g. `("claims", 2, "text")`, so that the
later stages can report `FILE:LINE:COL`.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from argmap.errors import Diagnostic, InvalidMap, UsageError

MAX_BYTES: Final = 4 * 1024 * 1024
MAX_DEPTH: Final = 64
MAX_ERRORS: Final = 100

YPath = tuple[str | int, ...]
Spot = tuple[int, int]  # 1-based line, column

_TAG: Final = "tag:yaml.org,2002:"
_PLAIN_TAGS: Final = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_BOMS: Final = {codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16",
                codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32"}


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 scalar resolution without timestamps: dates stay text."""


_Resolver.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rules if tag != _TAG + "timestamp"]
    for ch, rules in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_RESOLVER: Final = _Resolver()
_CONSTRUCTOR: Final = SafeConstructor()
_PARSER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Loaded:
    """A parsed map: its data, and where each value (`spots`) and each key (`keys`) was written."""

    file: str
    path: Path
    data: object
    spots: dict[YPath, Spot] = field(default_factory=dict)
    keys: dict[YPath, Spot] = field(default_factory=dict)
    raw: dict[YPath, str] = field(default_factory=dict)  # as written, for scalars not read as text

    def spot(self, ypath: YPath, *, key: bool = False) -> Spot:
        """Where `ypath` was written, or the nearest enclosing value that was."""
        for n in range(len(ypath), -1, -1):
            found = (self.keys if key and n == len(ypath) else self.spots).get(ypath[:n])
            if found:
                return found
        return (1, 1)


def read_map(path: Path, display: str | None = None) -> Loaded:
    """Read and parse the map at `path`; raise `UsageError` if it cannot be read as a file."""
    name = display or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file; give the path to a claims.yaml") from None
    except OSError as e:
        raise UsageError(f"{name}: cannot read it ({e.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{name} is a folder; give the path to the claims.yaml inside it")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{name} is not a regular file; give the path to a claims.yaml")
    if info.st_size > MAX_BYTES:
        raise InvalidMap([_too_big(name, info.st_size)])
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise UsageError(f"{name}: cannot read it ({e.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InvalidMap([_too_big(name, len(raw))])
    return parse(raw, name, path)


def _too_big(name: str, size: int) -> Diagnostic:
    return Diagnostic(name, 1, 1, "error",
                      f"the file is {size / 2**20:.1f} MiB; argmap reads maps of at most "
                      f"{MAX_BYTES // 2**20} MiB. Split it into smaller maps")


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text, a leading byte-order mark dropped; `InvalidMap` naming the first bad byte."""
    for bom, enc in _BOMS.items():
        if raw.startswith(bom):
            raise InvalidMap([Diagnostic(name, 1, 1, "error",
                                         f"the file is saved as {enc}; save it as UTF-8")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        msg = (f"the file is not UTF-8 text (byte 0x{raw[e.start]:02X} here); "
               "save it as UTF-8 in your editor")
        raise InvalidMap([Diagnostic(name, line, col, "error", msg)]) from None


def parse(raw: bytes | str, name: str, path: Path | None = None) -> Loaded:
    """Parse YAML text into plain data; `InvalidMap` with every problem found."""
    text = decode(raw, name) if isinstance(raw, bytes) else raw
    builder = _Builder(name)
    try:
        builder.run(yaml.parse(text, Loader=_PARSER))
    except yaml.MarkedYAMLError as e:
        builder.yaml_error(e)
    except yaml.reader.ReaderError as e:  # a character YAML refuses, e.g. NUL
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        builder.errors.append(Diagnostic(name, line, col, "error", (
            f"the file holds the control character U+{e.character:04X} here, which YAML does not "
            "allow; delete it (it is often invisible in an editor)")))
    except _Stop:
        pass
    if builder.errors:
        raise InvalidMap(sorted(builder.errors))
    return Loaded(name, path or Path(name), builder.root, builder.spots, builder.keys,
                  builder.raw)


class _Stop(Exception):
    """Parsing cannot usefully go on."""


@dataclass
class _Frame:
    ypath: YPath
    value: dict[str, object] | list[object]
    key: str | None = None
    key_spot: Spot = (1, 1)
    seen: dict[str, Spot] = field(default_factory=dict)


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.root: object = None
        self.stack: list[_Frame] = []
        self.spots: dict[YPath, Spot] = {}
        self.keys: dict[YPath, Spot] = {}
        self.errors: list[Diagnostic] = []
        self.aliases: set[str] = set()
        self.raw: dict[YPath, str] = {}

    def error(self, spot: Spot, message: str) -> None:
        self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error", message))
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error",
                                          f"stopped after {MAX_ERRORS} errors; fix these first"))
            raise _Stop

    def run(self, events: Iterator[yaml.Event]) -> None:
        for ev in events:
            spot = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            if isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in self.aliases:  # once per name: an alias bomb has thousands
                    self.aliases.add(ev.anchor)
                    self.error(spot, f"'*{ev.anchor}' is a YAML alias; argmap does not allow "
                               "aliases: write the value out in full")
                self.add(None, spot)
            elif isinstance(ev, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self.check_node(ev, spot)
                if isinstance(ev, yaml.ScalarEvent):
                    value = self.scalar(ev, spot)
                    ypath = self.add(value, spot)
                    if not isinstance(value, str):
                        self.raw[ypath] = ev.value
                else:
                    self.open(ev, spot)
            elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.stack.pop()

    def check_node(self, ev: yaml.NodeEvent, spot: Spot) -> None:
        if ev.anchor is not None:
            self.error(spot, f"'&{ev.anchor}' is a YAML anchor; argmap does not allow anchors "
                       "and aliases: write each value out in full")
        tag = getattr(ev, "tag", None)
        if tag not in (None, "!") and tag not in _PLAIN_TAGS:
            self.error(spot, f"the YAML tag '{tag}' is not allowed; remove it (argmap reads "
                       "plain text, numbers, lists and mappings only)")

    def scalar(self, ev: yaml.ScalarEvent, spot: Spot) -> object:
        tag = ev.tag if ev.tag in _PLAIN_TAGS else None
        if tag is None:
            if ev.tag == "!" or not ev.implicit[0]:
                return ev.value  # quoted, or explicitly non-specific: text
            tag = _RESOLVER.resolve(ScalarNode, ev.value, (True, False))
        node = ScalarNode(tag, ev.value)
        kind = tag.removeprefix(_TAG)
        try:
            if kind == "null":
                return None
            if kind == "bool":
                return _CONSTRUCTOR.construct_yaml_bool(node)
            if kind == "int":
                return _CONSTRUCTOR.construct_yaml_int(node)
            if kind == "float":
                return _CONSTRUCTOR.construct_yaml_float(node)
        except ValueError:
            self.error(spot, f"'{ev.value}' is not a valid {kind}; remove the tag or fix the value")
            return None
        return ev.value

    def open(self, ev: yaml.NodeEvent, spot: Spot) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.error(spot, f"the file nests deeper than {MAX_DEPTH} levels; a map needs only "
                       "a few: check the indentation")
            raise _Stop
        container: dict[str, object] | list[object] = (
            {} if isinstance(ev, yaml.MappingStartEvent) else [])
        ypath = self.add(container, spot)
        self.stack.append(_Frame(ypath, container))

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
        elif top.key is None:  # this value is a key
            self.take_key(top, value, spot)
            return top.ypath
        else:
            ypath = (*top.ypath, top.key)
            top.value[top.key] = value
            self.keys[ypath] = top.key_spot
            top.key = None
        self.spots[ypath] = spot
        return ypath

    def take_key(self, top: _Frame, key: object, spot: Spot) -> None:
        if isinstance(key, dict | list):
            self.error(spot, "a key must be a plain name, not a list or mapping")
            key = f"\0{spot}"
        elif not isinstance(key, str):
            key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
        if key in top.seen:
            first = top.seen[key]
            self.error(spot, f"duplicate key '{key}' (first at line {first[0]}); YAML keeps only "
                       "one of them: remove or rename this one")
            key = f"\0dup{spot}"
        else:
            top.seen[key] = spot
        top.key, top.key_spot = key, spot

    def yaml_error(self, e: yaml.MarkedYAMLError) -> None:
        mark = e.problem_mark or e.context_mark
        spot = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or "").strip()
        context = (e.context or "").strip()
        message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
        self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error",
                                      message + _yaml_hint(problem, context)))


def _yaml_hint(problem: str, context: str) -> str:
    both = f"{problem} {context}"
    if "\\t" in both or "tab" in both:
        return "; indent with spaces, not tabs"
    if "mapping values are not allowed" in both:
        return "; a value that contains ': ' must be put in quotes"
    if "could not find expected ':'" in both or "expected <block end>" in both:
        return "; check the indentation of this line and the one before it"
    if "found unexpected end of stream" in both or "found unexpected ':'" in both:
        return "; a quote or bracket may not be closed"
    return ""
