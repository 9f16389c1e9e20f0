"""Argdown text, character by character: comments, escapes, emphasis, inline data's extent and
trailing tags, as Argdown's own lexer reads them (for `argdown_in`)."""

from __future__ import annotations

import json
import re
from typing import Any, Final

TRAILING_TAGS: Final = re.compile(r"(?:(?:^|(?<=\s))(?:#\([^)]+\)|#[\w-]+)\s*)+$")
_EMPHASIS: Final = re.compile(r"(?<![\\\w])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)(?<!\\)\1(?!\w)")
ESCAPE: Final = re.compile(r"\\(.)")
ESCAPED_OR_BRACE: Final = re.compile(r"\\.|\{")
_COMMENT_OR_SKIP: Final = re.compile(r"\\.|\{|//|/\*|<!--")
# Inside data: a quoted string (closed on its line, or not), a brace, or a line break.
_DATA_TOKEN: Final = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"?|'[^'\n]*'?|[{}\n]")
_PLACEHOLDER: Final = "\ue000"  # stands for an escaped character while emphasis is removed


def data_start(text: str) -> int | None:
    """Where trailing inline data `{...}` starts (the first `{` not escaped), or None."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return None
    for m in ESCAPED_OR_BRACE.finditer(stripped):
        if m.group(0) == "{":
            return m.start() if _data_end(stripped, m.start()) == len(stripped) else None
    return None


def json_object(text: str) -> dict[str, Any] | None:
    """`text` as a JSON object (JSON is also YAML, and much faster to read), or None."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def strip_comments(text: str) -> str:
    """Comments removed, each replaced by as many line breaks as it held (lines keep their
    numbers). Escaped characters and inline data `{...}` are copied as they are: a `//` inside
    a quoted data value is not a comment."""
    if "//" not in text and "/*" not in text and "<!--" not in text:
        return text
    out: list[str] = []
    at = 0  # copied up to here
    i = 0
    n = len(text)
    while i < n:
        m = _COMMENT_OR_SKIP.search(text, i)
        if m is None:
            break
        piece = m.group(0)
        if piece.startswith("\\"):
            i = m.end()
            continue
        if piece == "{":
            i = max(_data_end(text, m.start()), m.end())
            continue
        out.append(text[at : m.start()])
        if piece == "//":
            close = text.find("\n", m.start())
            end = n if close < 0 else close
        else:
            closer = "*/" if piece == "/*" else "-->"
            close = text.find(closer, m.end())
            end = n if close < 0 else close + len(closer)
            out.append("\n" * text.count("\n", m.start(), end))
        at = i = end
    out.append(text[at:])
    return "".join(out)


def _data_end(text: str, start: int) -> int:
    """The index after the `}` that closes the `{` at `start` (quotes respected), or the end of
    its line when it is never closed."""
    depth = 0
    for m in _DATA_TOKEN.finditer(text, start):
        piece = m.group(0)
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
            if depth == 0:
                return m.end()
        elif piece == "\n" or (piece[0] in "\"'" and piece[-1:] != piece[0]) or len(piece) == 1:
            return m.start() if piece == "\n" else m.end()
    return len(text)


def strip_trailing_tags(text: str) -> str:
    """A text without the `#tags` it ends with (Argdown keeps them in the text)."""
    return TRAILING_TAGS.sub("", text)


def unescape(text: str) -> str:
    return ESCAPE.sub(r"\1", text)


def clean(text: str) -> str:
    """Argdown's reading of a text: emphasis marks dropped, escapes resolved, trimmed."""
    if _PLACEHOLDER in text:
        return unescape(text).strip()
    escaped: list[str] = []

    def hold(m: re.Match[str]) -> str:
        escaped.append(m.group(1))
        return _PLACEHOLDER

    held = ESCAPE.sub(hold, text)
    if "*" in held or "_" in held:
        held = _EMPHASIS.sub(lambda m: m.group(2), held)
    it = iter(escaped)
    return re.sub(_PLACEHOLDER, lambda _m: next(it), held).strip()
