"""Part of stage 2, validate: the source files a map names, and the quotes taken from them.

`SourceChecks` is a mixin of `argmap.validate._Checker`: each source's file must lie inside the
map's folder and is read once, within bounds on size; each quote must be in its source's text.
The state it keeps (texts, files, inputs, work) lives in `argmap.validate.core`.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, Final

from argmap.files import read_regular_file
from argmap.load import YPath
from argmap.outputs import EXPORT_FORMAT_ID, GENERATOR_TAG, GRAPH_NAME
from argmap.schema import SCHEMA_ID
from argmap.text import shown, size_in_words
from argmap.validate.core import CheckerCore, Names
from argmap.validate.quotes import Miss, SourceText, closest_passage

MAX_SOURCE_BYTES: Final = 8 * 1024 * 1024  # one source file
MAX_SOURCES_BYTES: Final = 32 * 1024 * 1024  # all the distinct source files of a map together
# Bounds on the work a map can ask for (each a few seconds at most), so that no map, however
# made, makes a check hang: past them, the checks say they stopped, or drop their suggestions
# (the bound on those, MAX_SUGGESTION_WORK, is in argmap.validate).
MAX_QUOTE_WORK: Final = 2**30  # characters of source text searched for quotes, in all
MAX_PASSAGE_WORK: Final = 2**24  # characters of source text scanned for closest passages
MAX_LISTED: Final = 100_000  # names read from one folder, for "did you mean" on a missing file


# Signs of what argmap writes (those marked True are sought in the first 4 KiB only): a
# source must not be one of them.
_OUTPUTS: Final = (
    (
        "the JSON export",
        True,
        re.compile(r'\A\s*\{\s*"format": "' + re.escape(EXPORT_FORMAT_ID.split("/")[0] + "/")),
    ),
    ("the JSON Schema of maps", False, re.compile(re.escape(f'"$id": "{SCHEMA_ID}"'))),
    ("the diagram's DOT", True, re.compile(rf"\A\s*digraph {re.escape(GRAPH_NAME)} \{{")),
    ("the briefing page", False, re.compile(re.escape(GENERATOR_TAG))),
    ("the diagram", True, re.compile(rf"<svg[^>]*>\s*<title>{re.escape(GRAPH_NAME)}</title>")),
)
_MAP_LINES: Final = (re.compile(r"^title:", re.MULTILINE), re.compile(r"^claims:", re.MULTILINE))
_NOT_A_SOURCE: Final = (
    "a quote is always found in a file that argmap copied it into: give the plain-text "
    "copy of the source the words come from"
)


class SourceChecks(CheckerCore):
    """The checks of source files and quotes; `argmap.validate._Checker` keeps their state."""

    def check_quote(self, ypath: YPath, item: dict[str, Any]) -> None:
        quote, source = item.get("quote"), item.get("source")
        if not isinstance(quote, str) or not quote.strip():
            return
        if source is None:
            self.say(
                (*ypath, "quote"),
                f"{self.name(ypath)} has a quote but no source: add "
                "'source:' with the id of the source the words come from",
                key=True,
            )
            return
        if not isinstance(source, str) or self.ids.get(source, ("",))[0] != "source":
            return
        text = self.texts.get(source)
        if text is None:
            return
        src_path = self.ids[source][1]
        file = shown(self.value_at((*src_path, "file"))[1], 100)
        if (source, quote) not in self.quotes:
            if not self.spend("quotes", len(text.flat)):
                if not self.stopped:  # said once, at the source, where it is seen first
                    self.stopped.add(source)
                    line = self.loaded.spot((*ypath, "quote"))[0]
                    self.say(
                        (*src_path, "file"),
                        f"argmap stopped checking quotes against {file} at "
                        f"{self.name(ypath)} (line {line}): the quotes and their source "
                        "files together are too much text to search (over "
                        f"{MAX_QUOTE_WORK // 10**9} billion characters); split the map, or "
                        "keep only the quoted passages in the sources",
                    )
                return
            self.quotes[source, quote] = text.has(quote)
        if self.quotes[source, quote]:
            return
        if not (text.plain and quote.isascii()) and self.spend("quotes", 2 * len(text.flat)):
            miss = text.near_miss(quote)
            if miss is not None:
                self.say(
                    (*ypath, "quote"),
                    f"the quote of {self.name(ypath)} is not in {file} as written: {_why(miss)}",
                )
                return
        where = ""
        if self.spend("passages", len(text.text)):
            line, passage = closest_passage(quote, text.text)
            where = (
                f'; the closest passage (line {line}) reads: "{passage}". Copy the '
                "words exactly; only spacing and the style of quote marks may differ"
            )
        self.say(
            (*ypath, "quote"),
            f"the quote of {self.name(ypath)} is not in {file}"
            + (
                where
                or "; copy the words exactly: only spacing and the style of quote marks may differ"
            ),
        )

    def resolve_file(self, ypath: YPath, item: dict[str, Any]) -> Path | None:
        """The source's `file` as a path inside the map's folder, or None (after saying why)."""
        file = item.get("file")
        if not isinstance(file, str) or not file.strip():
            return None
        at, root = (*ypath, "file"), self.map_root
        try:
            real = self.real_path(file)
        except (OSError, RuntimeError, ValueError):
            self.say(
                at,
                f"file '{shown(file, 100)}' cannot be resolved; give a path inside the map's "
                "folder",
            )
            return None
        inside = os.path.join(root, "")
        if not real.startswith(inside) or os.path.isabs(file):
            # Written inside the folder, yet resolved outside it: a symbolic link leads out.
            linked = not Path(file).is_absolute() and ".." not in Path(file).parts
            where = "is a link to a file" if linked else "is"
            self.say(
                at,
                f"file '{shown(file, 100)}' {where} outside the map's folder "
                f"({shown(root.name)}/); argmap reads only files inside it: copy the source "
                "there and give its path relative to the map",
            )
            return None
        path = Path(real)
        self.inputs.add(path)  # named, and inside the folder: an input, even if missing now
        try:
            info = os.stat(real)
        except (OSError, ValueError):
            folder = os.path.dirname(real)
            if folder not in self.listings:  # each folder is listed once
                self.listings[folder] = Names(_siblings(root, Path(folder)))
            self.say(
                at,
                f"file '{shown(file, 100)}' does not exist (looked for "
                f"{shown(real.removeprefix(inside), 100)} beside the map)"
                + self.suggest(file, self.listings[folder]),
            )
            return None
        name = shown(file, 100)
        if self.is_the_map(info):
            self.say(at, f"file '{name}' is this map itself; {_NOT_A_SOURCE}")
        elif stat.S_ISDIR(info.st_mode):
            self.say(
                at, f"file '{name}' is a folder; give the path of the plain-text file inside it"
            )
        elif not stat.S_ISREG(info.st_mode):
            self.say(
                at,
                f"file '{name}' is not a regular file (a pipe or a device); give a plain-text file",
            )
        elif info.st_size > MAX_SOURCE_BYTES:
            self.say(
                at,
                f"file '{name}' is {size_in_words(info.st_size)}; argmap reads source "
                f"files of at most {size_in_words(MAX_SOURCE_BYTES)}: keep only the text "
                "that is quoted",
            )
        elif path not in self.files and self.read_bytes + info.st_size > MAX_SOURCES_BYTES:
            self.say(
                at,
                f"file '{name}' would take the source files of this map past "
                f"{size_in_words(MAX_SOURCES_BYTES)} in all, the most argmap reads for one "
                "map: keep only the quoted passages in the sources, or split the map",
            )
        else:
            return path
        return None

    def check_file(self, ypath: YPath, item: dict[str, Any]) -> None:
        ident = item.get("id")
        path = self.resolve_file(ypath, item)
        if path is not None and path not in self.files:  # each file is read once
            self.files[path] = self.read_source((*ypath, "file"), shown(item["file"], 100), path)
        if isinstance(ident, str):
            self.texts[ident] = None if path is None else self.files[path]

    def read_source(self, at: YPath, file: str, path: Path) -> SourceText | None:
        """The text of a source file (already checked by `resolve_file`), or None."""
        try:
            raw = read_regular_file(path, MAX_SOURCE_BYTES + 1, follow=False)
        except OSError as e:
            self.say(at, f"file '{file}' cannot be read ({e.strerror})")
            return None
        if raw is None or len(raw) > MAX_SOURCE_BYTES:
            self.say(at, f"file '{file}' changed while argmap was reading it; run the check again")
            return None
        self.read_bytes += len(raw)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = e.object.count(b"\n", 0, e.start) + 1
            self.say(
                at,
                f"file '{file}' is not UTF-8 text (byte 0x{e.object[e.start]:02X} on "
                f"its line {line}); save it as UTF-8 plain text",
            )
            return None
        made = self.made_by_argmap(raw, text)
        if made:
            self.say(at, f"file '{file}' {made}; {_NOT_A_SOURCE}")
            return None
        return SourceText(text)

    def real_path(self, file: str) -> str:
        """`file` of the map's folder, every link followed (`os.path.realpath`), the real
        folders of the files a map names remembered: thousands of files in one folder would
        otherwise look up each folder on the way thousands of times."""
        folder, name = os.path.split(file)
        if ".." in file.split("/") or name in ("", ".", ".."):
            return os.path.realpath(os.path.join(self.map_root, file))
        if folder not in self.folders:
            self.folders[folder] = os.path.realpath(os.path.join(self.map_root, folder))
        real = os.path.join(self.folders[folder], name)
        return os.path.realpath(real) if os.path.islink(real) else real

    @functools.cached_property
    def stopped(self) -> set[str]:
        """The sources against which quotes were no longer checked (see MAX_QUOTE_WORK)."""
        return set()

    @functools.cached_property
    def folders(self) -> dict[str, str]:
        """Folders as written in `file:`, and where each really is (see `real_path`)."""
        return {}

    @functools.cached_property
    def map_root(self) -> Path:
        """The map's folder, every link in its path followed."""
        return self.loaded.path.parent.resolve()

    @functools.cached_property
    def map_file(self) -> tuple[int, int, int]:
        """The map's file: its device, inode and size (zeros if it cannot be found)."""
        try:
            mine = self.loaded.path.stat()
        except (OSError, ValueError):
            return (0, 0, -1)
        return (mine.st_dev, mine.st_ino, mine.st_size)

    def is_the_map(self, info: os.stat_result) -> bool:
        """Whether the file of `info` is this map's file (by any path, or a hard link)."""
        return (info.st_dev, info.st_ino) == self.map_file[:2]

    def made_by_argmap(self, raw: bytes, text: str) -> str:
        """What argmap file `text` is ("is a copy of this map", "is an output of argmap (the
        briefing page)"), or "": the quotes of the map are in each of them, copied there."""
        try:
            if len(raw) == self.map_file[2] and raw == self.loaded.path.read_bytes():
                return "is a copy of this map"
        except (OSError, ValueError):
            pass
        if _MAP_LINES[0].search(text) and _MAP_LINES[1].search(text):
            return "is an argmap map (it has 'title:' and 'claims:' lines)"
        head = text[:4096]
        for what, at_head, sign in _OUTPUTS:
            if sign.search(head if at_head else text):
                return f"is an output of argmap ({what})"
        return ""


def _why(miss: Miss) -> str:
    """How a near miss reads in a message."""
    names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in miss.chars)
    if miss.kind == "invisible" and miss.line == 0:
        return (
            f"the quote holds invisible characters ({names}) that the source does not have "
            "there; delete them from the quote"
        )
    if miss.kind == "invisible":
        return (
            "it is there only if invisible characters are ignored, and the source holds "
            f"{names} (the first on its line {miss.line}): remove them from the source "
            "file, or copy the quote from it with them"
        )
    where = f" ({names} in the quote)" if names else ""
    return (
        "it differs from the source only in characters that look alike but are encoded "
        f"differently, such as ligatures or full-width letters{where}; write them as the "
        "source does"
    )


def _siblings(root: Path, folder: Path) -> list[str]:
    """The names in `folder` (up to `MAX_LISTED`), as paths relative to the map's folder, for
    "did you mean"."""
    try:
        found = itertools.islice(folder.iterdir(), MAX_LISTED)
        return [str((folder / p.name).relative_to(root)) for p in found]
    except (OSError, ValueError):
        return []
