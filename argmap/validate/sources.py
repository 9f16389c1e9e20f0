"""Part of stage 2, validate: the source files a map names, and the quotes taken from them.

`SourceChecks` is a mixin of `argmap.validate._Checker`: each source's file must lie inside the
map's folder and is read once, within bounds on size; each quote must be in its source's text.
The state it keeps (texts, files, inputs, work) lives in `argmap.validate.core`.
"""

from __future__ import annotations

import itertools
import stat
from pathlib import Path
from typing import Any, Final

from argmap.files import read_regular_file
from argmap.load import YPath
from argmap.text import shown, size_in_words
from argmap.validate.core import CheckerCore
from argmap.validate.quotes import SourceText, closest_passage

MAX_SOURCE_BYTES: Final = 8 * 1024 * 1024  # one source file
MAX_SOURCES_BYTES: Final = 32 * 1024 * 1024  # all the distinct source files of a map together
# Bounds on the work a map can ask for (each a few seconds at most), so that no map, however
# made, makes a check hang: past them, the checks say they stopped, or drop their suggestions
# (the bound on those, MAX_SUGGESTION_WORK, is in argmap.validate).
MAX_QUOTE_WORK: Final = 2**34  # characters of source text searched for quotes, in all
MAX_PASSAGE_WORK: Final = 2**24  # characters of source text scanned for closest passages


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
        if (source, quote) not in self.quotes:
            if not self.spend("quotes", len(text.flat)):
                if self.work.quotes + len(text.flat) >= 0:  # said once, at the first one
                    self.say(
                        (*ypath, "quote"),
                        "argmap stopped checking quotes here: the quotes "
                        "and their source files together are too much text to search "
                        f"(over {MAX_QUOTE_WORK // 10**9} billion characters); split the "
                        "map, or keep only the quoted passages in the sources",
                    )
                return
            self.quotes[source, quote] = text.has(quote)
        if self.quotes[source, quote]:
            return
        src_path = self.ids[source][1]
        file = shown(self.value_at((*src_path, "file"))[1], 100)
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
        at, name = (*ypath, "file"), shown(file, 100)
        root = self.loaded.path.parent.resolve()
        try:
            path = (root / file).resolve()
        except (OSError, RuntimeError, ValueError):
            self.say(at, f"file '{name}' cannot be resolved; give a path inside the map's folder")
            return None
        if not path.is_relative_to(root) or Path(file).is_absolute():
            # Written inside the folder, yet resolved outside it: a symbolic link leads out.
            linked = not Path(file).is_absolute() and ".." not in Path(file).parts
            where = "is a link to a file" if linked else "is"
            self.say(
                at,
                f"file '{name}' {where} outside the map's folder ({shown(root.name)}/); "
                "argmap reads only files inside it: copy the source there and give its "
                "path relative to the map",
            )
            return None
        self.inputs.add(path)  # named, and inside the folder: an input, even if missing now
        try:
            info = path.stat()
        except (OSError, ValueError):
            self.say(
                at,
                f"file '{name}' does not exist (looked for "
                f"{shown(path.relative_to(root), 100)} beside the map)"
                + self.suggest(file, _siblings(root, path)),
            )
            return None
        if stat.S_ISDIR(info.st_mode):
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
            return SourceText(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as e:
            line = e.object.count(b"\n", 0, e.start) + 1
            self.say(
                at,
                f"file '{file}' is not UTF-8 text (byte 0x{e.object[e.start]:02X} on "
                f"its line {line}); save it as UTF-8 plain text",
            )
            return None


def _siblings(root: Path, path: Path) -> list[str]:
    """Up to 200 names in the folder where `path` was looked for, for "did you mean"."""
    try:
        folder = path.parent
        found = itertools.islice(folder.iterdir(), 200)
        return [str((folder / p.name).relative_to(root)) for p in found]
    except (OSError, ValueError):
        return []
