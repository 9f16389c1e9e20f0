"""claims.yaml text from plain map data: every string either plain and unambiguous, or
double-quoted with escapes, so that it loads back as exactly the same text.

Plain style is used only for text that cannot be read as anything else: it starts with a
letter or digit, holds no character YAML gives a meaning to (`: `, ` #`, quotes, brackets...),
and the YAML resolver reads it as a string (never `yes`, `null`, `1e3` or `2007`).
Everything else is double-quoted, with every character outside YAML's printable set (controls,
line and paragraph separators, the byte-order mark) written as an escape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import yaml
from yaml.nodes import ScalarNode

from argmap.text import printable

_PLAIN: Final = re.compile(
    r"[A-Za-z0-9\u00c0-\u024f]"
    r"(?:[A-Za-z0-9\u00c0-\u024f ,.'()?/%$+=_;!&*\u2018\u2019\u201c\u201d\u2013\u2014\u2026-]"
    r"|:(?! )|(?<! )#)*"
)
# A digit-led word: a number to some YAML reader (`1e3` is text to PyYAML, a float to YAML 1.2).
_NUMBERISH: Final = re.compile(r"[0-9][^ ]*")
# Lowercase words and hyphens: plain to every YAML reader unless one of these words.
_WORDISH: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_RESERVED: Final = frozenset(
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"]
)  # (YAML 1.1 booleans and null; `.nan`/`.inf` need a dot, but no harm in care)
_RESOLVER: Final = yaml.resolver.Resolver()  # YAML 1.1 with timestamps: the stricter reading
_STR: Final = "tag:yaml.org,2002:str"
_NAMED: Final = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}


def _printable(code: int) -> bool:
    """In YAML's printable set, and not a character YAML reads as a line break or a mark."""
    if code in (0x85, 0x2028, 0x2029, 0xFEFF):
        return False
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if _printable(code):
        return ch
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def scalar(value: object) -> str:
    """One value as YAML: a string (plain or double-quoted), an int, or a bool.

    >>> [scalar(s) for s in ["ok text", "yes", "1e3", "2007", "- a", "a: b", "a\\u2028b"]]
    ['ok text', '"yes"', '"1e3"', '"2007"', '"- a"', '"a: b"', '"a\\\\u2028b"']
    >>> scalar(1), scalar(True)
    ('1', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"not a YAML scalar: {type(value).__name__}")
    if _WORDISH.fullmatch(value) and value.lower() not in _RESERVED:
        return value  # the common case (ids, plain words), without asking the resolver
    if (
        _PLAIN.fullmatch(value)
        and not value.endswith((" ", ":"))
        and not _NUMBERISH.fullmatch(value)
        and _RESOLVER.resolve(ScalarNode, value, (True, False)) == _STR  # type: ignore[no-untyped-call]
    ):
        return value
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _flow(value: object) -> str:
    """An item of a flow list (`[a, b]`): as `scalar`, but quoted where a plain scalar would
    hold a flow indicator (`,` `[` `]` `{` `}`), which would end or split the item there.

    >>> _flow("a"), _flow("A,&a"), _flow("x]")
    ('a', '"A,&a"', '"x]"')
    """
    if isinstance(value, Mapping):  # an undercut's link: `{from: a, to: b}`
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    text = scalar(value)
    if isinstance(value, str) and not text.startswith('"') and any(c in value for c in ",[]{}"):
        return '"' + "".join(_escape(ch) for ch in value) + '"'
    return text


def _item(lines: list[str], item: Mapping[str, Any], indent: str) -> None:
    first = True
    for key, value in item.items():
        if value is None or value == []:
            continue
        lead = indent + ("- " if first else "  ") + scalar(key)
        first = False
        if isinstance(value, list):
            lines.append(f"{lead}: [{', '.join(_flow(v) for v in value)}]")
        else:
            lines.append(f"{lead}: {scalar(value)}")


def dump(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """A whole map: `header` lines as comments, then the top-level fields and each section.

    Keys are written in the order `data` gives them; None and empty lists are left out.
    """
    lines = [("# " + printable(h)).rstrip() for h in header]
    if lines:
        lines.append("")
    for key, value in data.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            lines.append("")
            lines.append(f"{scalar(key)}:")
            for item in value:
                _item(lines, item, "  ")
        elif isinstance(value, Mapping):  # `judgement: {attacks: weighed}`
            lines.append(f"{scalar(key)}: {_flow(value)}")
        else:
            lines.append(f"{scalar(key)}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def _kept(value: object) -> bool:
    return value is not None and value != []


def expected(data: Mapping[str, Any]) -> dict[str, Any]:
    """What `dump(data)` loads back as: the same data without the None and empty lists that
    `dump` leaves out (the check that the text written says exactly what was meant).

    >>> expected({"a": None, "b": [{"id": "x", "tags": []}], "c": 1})
    {'b': [{'id': 'x'}], 'c': 1}
    """
    return {
        k: [{ik: iv for ik, iv in item.items() if _kept(iv)} for item in v]
        if isinstance(v, list)
        else v
        for k, v in data.items()
        if _kept(v)
    }
