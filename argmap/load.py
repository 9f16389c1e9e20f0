"""Stage 1, load: read a claims.yaml safely into plain data, remembering where each value stood.

The parser's event stream is turned into dicts, lists and scalars by hand, in one pass with an
explicit stack, so that nothing dangerous can happen on the way:

- no anchors or aliases (an alias-built file can grow to millions of objects once expanded);
- no tags but the plain ones (nothing is ever constructed from a tag);
- no duplicate keys (PyYAML would silently keep the last);
- one document per file (a second `---` document is refused, not silently read);
- no nesting deeper than `MAX_DEPTH`, no file larger than `MAX_BYTES`;
- dates stay text (`2007-10-01` is not turned into a date object).

Every value's and key's position is kept by its path, e.g. `("claims", 2, "text")`, so that the
later stages can report `FILE:LINE:COL`.

A file that cannot be read as YAML at all raises `InvalidMap`. Problems that leave the rest of
the file readable (a duplicate key, an alias, a tag) are kept in `Loaded.problems` instead, so
that `argmap.validate` can report them together with every other error in the file.
"""

from __future__ import annotations

import codecs
import os
import re
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
_COLLECTION_TAGS: Final = {_TAG + "seq", _TAG + "map"}
_NODE_STARTS: Final = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as YAML counts lines
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS: Final = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
# Characters a message must not print as they are: controls (a terminal obeys escape
# sequences; a line break would split the FILE:LINE:COL line) and the marks that reorder
# text right to left (they would make a message read differently from what it says).
_UNPRINTABLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


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
    problems: list[Diagnostic] = field(default_factory=list)  # errors found while loading
    tainted: set[YPath] = field(default_factory=set)  # values replaced because of a problem

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
        raw = read_regular_file(path, MAX_BYTES + 1)
    except OSError as e:
        raise UsageError(f"{name}: cannot read it ({e.strerror})") from None
    if raw is None:
        raise UsageError(f"{name} is not a regular file; give the path to a claims.yaml")
    if len(raw) > MAX_BYTES:
        raise InvalidMap([_too_big(name, len(raw))])
    return parse(raw, name, path)


def read_regular_file(path: Path, limit: int, *, follow: bool = True) -> bytes | None:
    """At most `limit` bytes of `path`, or None if it is not a regular file.

    Opened without blocking and checked again once open, so that a file swapped for a FIFO or a
    device after the caller's `stat` cannot make argmap wait forever. With `follow=False` (for
    a path already resolved and checked), a symbolic link swapped in since is not followed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags if follow else flags | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read(limit)


def printable(message: str) -> str:
    r"""`message` safe to print on one line of a terminal: each control character and each
    mark that reorders text is written as an escape.

    >>> printable("a\nb\x1b[2J\u202e")
    'a\\nb\\x1b[2J\\u202e'
    """
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), message)


def shown(value: object, limit: int = 60) -> str:
    r"""A value from the map as a message quotes it: printable, and cut to `limit` characters.

    >>> shown("x" * 100, 10), shown("a\tb")
    ('xxxxxxxxx…', 'a\\tb')
    """
    text = str(value)[: 4 * limit]
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_big(name: str, size: int) -> Diagnostic:
    return Diagnostic(
        name,
        1,
        1,
        "error",
        f"the file is {size_in_words(size)}; argmap reads maps of at most "
        f"{size_in_words(MAX_BYTES)}: split it into smaller maps",
    )


def size_in_words(size: int) -> str:
    """`4 MiB`, `1.5 MiB`, `12 KiB`, `100 bytes`.

    >>> size_in_words(4 * 2**20), size_in_words(3 * 2**19), size_in_words(100)
    ('4 MiB', '1.5 MiB', '100 bytes')
    """
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text, a leading byte-order mark dropped; `InvalidMap` naming the first bad byte."""
    for bom, enc in _BOMS.items():
        if raw.startswith(bom):
            raise InvalidMap(
                [Diagnostic(name, 1, 1, "error", f"the file is saved as {enc}; save it as UTF-8")]
            )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        msg = (
            f"the file is not UTF-8 text (byte 0x{raw[e.start]:02X} here); "
            "save it as UTF-8 in your editor"
        )
        raise InvalidMap([Diagnostic(name, line, col, "error", msg)]) from None


def parse(raw: bytes | str, name: str, path: Path | None = None) -> Loaded:
    """Parse YAML text into plain data.

    `InvalidMap` when the file cannot be read as YAML at all; other problems are returned in
    `Loaded.problems`, for `argmap.validate` to report with the rest.
    """
    text = decode(raw, name) if isinstance(raw, bytes) else raw
    builder = _Builder(name, text)
    try:
        builder.run(yaml.parse(text, Loader=_PARSER))
    except yaml.MarkedYAMLError as e:
        builder.yaml_error(e)
    except yaml.reader.ReaderError as e:  # a character YAML refuses, e.g. NUL
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        builder.fatal = True
        builder.errors.append(
            Diagnostic(
                name,
                line,
                col,
                "error",
                (
                    f"the file holds the control character U+{e.character:04X} here, which "
                    "YAML does not allow; delete it (it is often invisible in an editor)"
                ),
            )
        )
    except _Stop:
        builder.fatal = True
    if builder.fatal:
        raise InvalidMap(sorted(builder.errors))
    return Loaded(
        name,
        path or Path(name),
        builder.root,
        builder.spots,
        builder.keys,
        builder.raw,
        sorted(builder.errors),
        builder.tainted,
    )


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
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.root: object = None
        self.stack: list[_Frame] = []
        self.spots: dict[YPath, Spot] = {}
        self.keys: dict[YPath, Spot] = {}
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
            raise _Stop

    def run(self, events: Iterator[yaml.Event]) -> None:
        for ev in events:
            mark = ev.start_mark
            spot = (mark.line + 1, mark.column + 1) if mark else (1, 1)
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
        tag = ev.tag if ev.tag in _PLAIN_TAGS else None
        if tag is None:
            if ev.tag == "!" or not ev.implicit[0]:
                return ev.value  # quoted, or explicitly non-specific: text
            tag = _RESOLVER.resolve(ScalarNode, ev.value, (True, False))  # type: ignore[no-untyped-call]
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
        except (ValueError, KeyError):
            self.error(
                spot,
                f"'{shown(ev.value)}' is not a valid {kind}; remove the tag "
                f"'{_shown(tag)}' or fix the value",
            )
            return None
        return ev.value

    def open(self, ev: yaml.NodeEvent, spot: Spot) -> YPath:
        if len(self.stack) >= MAX_DEPTH:
            self.error(spot, _too_deep())
            raise _Stop
        container: dict[str, object] | list[object] = (
            {} if isinstance(ev, yaml.MappingStartEvent) else []
        )
        ypath = self.add(container, spot)
        self.stack.append(_Frame(ypath, container))
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
        elif top.key is None:  # this value is a key: its path is that of the value to come
            self.take_key(top, value, spot)
            return (*top.ypath, str(top.key))
        else:
            ypath = (*top.ypath, top.key)
            if not top.key.startswith("\0"):  # a refused key: its value is read, then dropped
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
            self.error(
                spot,
                f"duplicate key '{shown(key)}' (first at line {first[0]}, here again "
                f"at line {spot[0]}); YAML would keep only one of them: remove or rename "
                "one",
            )
            key = f"\0dup{spot}"
        else:
            top.seen[key] = spot
        top.key, top.key_spot = key, spot

    def yaml_error(self, e: yaml.MarkedYAMLError) -> None:
        self.fatal = True
        problem = (e.problem or "").strip()
        context = (e.context or "").strip()
        mark, opened = e.problem_mark or e.context_mark, e.context_mark
        spot = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        start = (opened.line + 1, opened.column + 1) if opened else spot
        if "quoted scalar" in context and "end of stream" in problem:
            spot, message = (
                start,
                (
                    "not valid YAML: the quoted text that starts here is never "
                    "closed; add the closing quote mark"
                ),
            )
        elif "nesting depth" in problem:
            message = _too_deep()
        else:
            message = (
                f"not valid YAML: {problem}"
                + (f" ({context})" if context else "")
                + self.hint(problem, context, mark, start)
            )
        self.errors.append(Diagnostic(self.name, spot[0], spot[1], "error", printable(message)))

    def hint(self, problem: str, context: str, mark: yaml.Mark | None, start: Spot) -> str:
        """How to fix the YAML error `problem`, judged from the text where it was found."""
        lines = _LINE_BREAK.split(self.text)
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        col = mark.column if mark else 0
        char = line[col : col + 1]
        at_indent = not line[:col].strip()
        if char == "\t" or "tab" in problem:
            return "; indent with spaces, not tabs"
        if "cannot start any token" in problem and char:
            return f"; a value cannot begin with '{char}': put the whole value in quotes"
        if "mapping values are not allowed" in problem:
            return "; a value that contains ': ' must be put in quotes"
        if "escape" in problem:
            return (
                '; in "double quotes" a backslash starts an escape such as \\n: write \\\\ '
                "for a backslash, or use 'single quotes'"
            )
        if "flow sequence" in context or "flow mapping" in context:
            bracket = "[" if "sequence" in context else "{"
            return (
                f"; the '{bracket}' at line {start[0]}, column {start[1]} is not closed, or "
                "a comma is missing between its items"
            )
        if "simple key" in context and col > 1024:
            return (
                "; a key (the name before ':') may be at most 1024 characters long: shorten "
                "it, or check for a missing ': ' after it"
            )
        if "expected" in problem and not at_indent:
            return (
                "; the value goes on after its closing quote: quote the whole value with "
                'the other kind of quotes ("VMware\'s"), or write a quote mark inside '
                "'...' twice ('VMware''s')"
            )
        if "expected" in problem or "block" in context:
            return "; check the indentation of this line and the ones before it"
        if "end of stream" in problem:
            return "; a quote or bracket may not be closed"
        return ""


def _null_written(ev: yaml.ScalarEvent) -> bool:
    """True if the scalar is meant as empty (`~`, `null` or nothing), not a tag gone wrong."""
    return ev.tag in (None, _TAG + "null")


def _shown(tag: str) -> str:
    """A tag as it is usually written: `!!binary` rather than `tag:yaml.org,2002:binary`."""
    return shown("!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag)


def _too_deep() -> str:
    return (
        f"the file nests deeper than {MAX_DEPTH} levels; a map needs only a few: check the "
        "indentation and the brackets"
    )
