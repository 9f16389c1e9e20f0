"""`argmap import`: find the format, read the file into a `Draft`, build checked claims.yaml.

The format is `--from` when given, else guessed from the extension and the first bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from argmap.errors import InvalidMap, UsageError
from argmap.files import read_regular_file
from argmap.interchange.build import Imported, build
from argmap.interchange.draft import Draft
from argmap.interchange.report import BadInput, Place, Problem
from argmap.load import decode
from argmap.text import size_in_words

FORMATS: Final = ("argdown", "argdown-json", "aif", "kialo")
MAX_INPUT: Final = 32 * 1024 * 1024
_KIALO: Final = re.compile(r"\s*(Discussion Title:.*\n\s*)?1\.\s+\S", re.I)
_ARGDOWN: Final = re.compile(r"\s*(===|\[[^\]\n]+\]|<[^>\n]+>|#+ )")


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
        if '"nodes"' in text[:1_000_000] and '"edges"' in text:
            return "aif"
        if '"statements"' in text or '"arguments"' in text:
            return "argdown-json"
        return "aif" if ext == ".json" else None
    if _KIALO.match(head) and re.search(r"^\s*1\.\d+\.\s+(Pro|Con):", head, re.M):
        return "kialo"
    if _ARGDOWN.match(head):
        return "argdown"
    return None


def readers() -> dict[str, Callable[[str, str], Draft]]:
    from argmap.interchange.aif import read_aif
    from argmap.interchange.argdown_in import read_argdown
    from argmap.interchange.argdown_json import read_argdown_json
    from argmap.interchange.kialo import read_kialo

    return {
        "argdown": read_argdown,
        "argdown-json": read_argdown_json,
        "aif": read_aif,
        "kialo": read_kialo,
    }


def import_file(
    path: Path, out_path: Path, fmt: str | None = None, display: str | None = None
) -> Imported:
    return guess_and_import(path, out_path, fmt, display)[0]


def guess_and_import(
    path: Path, out_path: Path, fmt: str | None = None, display: str | None = None
) -> tuple[Imported, str]:
    """Read `path` (in `fmt`, or the format guessed) into claims.yaml text meant for `out_path`.

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
    return import_text(text, name, fmt, out_path), fmt


def import_text(text: str, name: str, fmt: str, out_path: Path) -> Imported:
    draft = readers()[fmt](text, name)
    return build(draft, out_path)


def load_json(text: str, file: str) -> object:
    """JSON as data, or `BadInput` at the line and column where it stops being JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(
            [Problem(file, Place(e.lineno, e.colno), f"not valid JSON: {e.msg}")]
        ) from None
    except RecursionError:
        raise BadInput([Problem(file, Place(1, 1), "the JSON is nested too deeply")]) from None


__all__ = ["FORMATS", "InvalidMap", "guess", "import_file", "import_text", "load_json"]
