"""`argmap import`: find the format, read the file into a `Draft`, make checked claims.yaml of it.

The format is `--from` when given, else guessed from the extension and the first bytes.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from argmap.errors import InvalidMap, UsageError
from argmap.files import read_regular_file
from argmap.interchange.convert import Imported, to_map
from argmap.interchange.formats import FORMATS, reader
from argmap.interchange.jsonread import load_json
from argmap.interchange.kialo import looks_like_kialo
from argmap.interchange.losses import BadInput, Place, Problem
from argmap.load import decode
from argmap.text import size_in_words

MAX_INPUT: Final = 32 * 1024 * 1024
_ARGDOWN: Final = re.compile(r"\s*(===|\[[^\]\n]+\]|<[^>\n]+>|#+ |<!--|//|/\*)")
_XAIF: Final = re.compile(r'\A\s*\{(?:[^{]|\{\s*\})*?"AIF"\s*:\s*\{')


def read_text(path: Path, display: str) -> str:
    """The file as text: UTF-8, at most `MAX_INPUT` bytes, a regular file."""
    try:
        raw = read_regular_file(path, MAX_INPUT + 1)
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{display} is a folder; give the file to import") from None
    except OSError as e:
        raise UsageError(f"{display}: cannot read it ({e.strerror})") from None
    if raw is None:
        raise UsageError(f"{display} is not a regular file")
    if len(raw) > MAX_INPUT:
        raise BadInput(
            [
                Problem(
                    display,
                    Place(1, 1),
                    f"the file is larger than {size_in_words(MAX_INPUT)}; split it first",
                )
            ]
        )
    return decode(raw, display)


def guess(path: Path, text: str) -> str | None:
    """The format of a file by its extension, then by its content; None when unclear."""
    ext = path.suffix.lower()
    if ext in (".argdown", ".ad"):
        return "argdown"
    head = text.lstrip()[:4096]
    if head.startswith(("{", "[")):
        if _XAIF.match(text[:1_000_000]):
            return "xaif"
        if '"nodes"' in text[:1_000_000] and '"edges"' in text:
            return "aif"
        if '"statements"' in text or '"arguments"' in text:
            return "argdown-json"
        return "aif" if ext == ".json" else None
    if looks_like_kialo(head):
        return "kialo"
    if _ARGDOWN.match(head):
        return "argdown"
    return None


def import_file(
    path: Path, out_path: Path, fmt: str | None = None, display: str | None = None
) -> Imported:
    return guess_and_import(path, out_path, fmt, display)[0]


def guess_and_import(
    path: Path,
    out_path: Path,
    fmt: str | None = None,
    display: str | None = None,
    *,
    beside: bool = True,
) -> tuple[Imported, str]:
    """Read `path` (in `fmt`, or the format guessed) into claims.yaml text meant for `out_path`
    (`beside`: whether files may be written beside it, see `to_map`).

    `BadInput` (or `InvalidMap` for text that is not UTF-8) when the file cannot be read;
    `UsageError` when the format cannot be told.
    """
    name = display or str(path)
    text = read_text(path, name)
    fmt = fmt or guess(path, text)
    if fmt is None:
        raise UsageError(
            f"{name}: cannot tell its format from its name or content; "
            f"say which with --from {'|'.join(FORMATS)}"
        )
    return import_text(text, name, fmt, out_path, beside=beside), fmt


def import_text(text: str, name: str, fmt: str, out_path: Path, *, beside: bool = True) -> Imported:
    with _collector_paused():
        draft = reader(fmt)(text, name)
        return to_map(draft, out_path, beside=beside)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while one import runs. An import near the map cap makes
    millions of objects that live until it ends (points, the written data, the data loaded
    back) and almost no cycles; the collector would walk them again and again, a third of the
    import's CPU time. The garbage left is bounded by the input (`MAX_INPUT`), and is
    collected as usual once the collector is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


__all__ = ["FORMATS", "InvalidMap", "guess", "import_file", "import_text", "load_json"]
