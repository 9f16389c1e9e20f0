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
import stat
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

from argmap.errors import Diagnostic, InvalidMap, UsageError
from argmap.files import read_regular_file
from argmap.load.events import (
    MAX_DEPTH,
    MAX_ERRORS,
    PARSER,
    Assembler,
    Spot,
    Stop,
    YPath,
    unpack,
)
from argmap.text import size_in_words

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_ERRORS", "Loaded", "Spot", "YPath", "parse", "read_map"]

MAX_BYTES: Final = 4 * 1024 * 1024
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS: Final = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


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
    items: dict[YPath, array[int]] = field(default_factory=dict)  # where each item of a list is

    def spot(self, ypath: YPath, *, key: bool = False) -> Spot:
        """Where `ypath` was written, or the nearest enclosing value that was."""
        for n in range(len(ypath), -1, -1):
            if key and n == len(ypath):
                found = self.keys.get(ypath)
            elif n and isinstance(ypath[n - 1], int) and ypath[: n - 1] in self.items:
                items, i = self.items[ypath[: n - 1]], int(ypath[n - 1])
                found = unpack(items[i]) if 0 <= i < len(items) else None
            else:
                found = self.spots.get(ypath[:n])
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
        raise InvalidMap([too_big(name, info.st_size)])
    try:
        raw = read_regular_file(path, MAX_BYTES + 1)
    except OSError as e:
        raise UsageError(f"{name}: cannot read it ({e.strerror})") from None
    if raw is None:
        raise UsageError(f"{name} is not a regular file; give the path to a claims.yaml")
    if len(raw) > MAX_BYTES:
        raise InvalidMap([too_big(name, len(raw))])
    return parse(raw, name, path)


def too_big(name: str, size: int) -> Diagnostic:
    """The error for a map over `MAX_BYTES` (also read from git by `argmap diff`)."""
    return Diagnostic(
        name,
        1,
        1,
        "error",
        f"the file is {size_in_words(size)}; argmap reads maps of at most "
        f"{size_in_words(MAX_BYTES)}: split it into smaller maps",
    )


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
    assembler = Assembler(name, text)
    try:
        assembler.run(yaml.parse(text, Loader=PARSER))
    except yaml.MarkedYAMLError as e:
        assembler.yaml_error(e)
    except yaml.reader.ReaderError as e:  # a character YAML refuses, e.g. NUL
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        assembler.fatal = True
        assembler.errors.append(
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
    except Stop:
        assembler.fatal = True
    if assembler.fatal:
        raise InvalidMap(sorted(assembler.errors))
    return Loaded(
        name,
        path or Path(name),
        assembler.root,
        assembler.spots,
        assembler.keys,
        assembler.raw,
        sorted(assembler.errors),
        assembler.tainted,
        assembler.items,
    )
