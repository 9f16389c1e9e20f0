"""claims.yaml text from plain map data: every string either plain and unambiguous, or
double-quoted with escapes, so that it loads back as exactly the same text.

Plain style is used only for text that cannot be read as anything else: it starts with a
letter or digit, holds no character YAML gives a meaning to (`: `, ` #`, quotes, brackets...),
and the YAML resolver reads it as a string (never `yes`, `null`, `1e3` or `2007`).
Everything else is double-quoted, with every character outside YAML's printable set (controls,
line and paragraph separators, the byte-order mark) written as an escape. Keys are written as
values are.

A lone surrogate (half of a UTF-16 pair: a JSON file can hold `"\\ud800"`, no UTF-8 file can)
is no character any YAML file can hold, escaped or not: `Unwritable` refuses it in words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import yaml
from yaml.nodes import ScalarNode

from argmap.errors import ArgmapError
from argmap.text import printable, shown

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
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_NAMED: Final = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}


class Unwritable(ArgmapError):
    """Text that no claims.yaml can hold (a lone surrogate); the message says where."""


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


# Each character `_escape` changes: outside YAML's printable set (`_printable`), a quote or a
# backslash. Searched in C; the rest of the text is copied as it is.
_UNSAFE: Final = re.compile(
    '[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|["\\\\\x85\u2028\u2029\ufeff]'
)


def _quoted(value: str) -> str:
    return '"' + _UNSAFE.sub(lambda m: _escape(m.group()), value) + '"'


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if _printable(code):
        return ch
    if 0xD800 <= code <= 0xDFFF:
        raise Unwritable(
            f"'{shown(ch)}' is a lone surrogate, half of a UTF-16 pair and no character: "
            "a UTF-8 file cannot hold it; replace it with the character meant"
        )
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
    return _quoted(value)


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
        return _quoted(value)
    return text


@functools.lru_cache(maxsize=1024)
def _key(key: str) -> str:
    """A key as `scalar` writes it, remembered: a map's items share a few field names."""
    return scalar(key)


def _item(lines: list[str], item: Mapping[str, Any], indent: str) -> None:
    first = True
    for key, value in item.items():
        if value is None or value == []:
            continue
        lead = indent + ("- " if first else "  ") + (_key(key) if type(key) is str else scalar(key))
        first = False
        if isinstance(value, list):
            lines.append(f"{lead}: [{', '.join(_flow(v) for v in value)}]")
        else:
            lines.append(f"{lead}: {scalar(value)}")


def dump(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """A whole map: `header` lines as comments, then the top-level fields and each section.

    Keys are written in the order `data` gives them; None and empty lists are left out.
    `Unwritable` if a key or value holds a lone surrogate (the message names which).
    """
    lines = [("# " + printable(h)).rstrip() for h in header]
    if lines:
        lines.append("")
    try:
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
    except Unwritable as e:
        raise Unwritable(f"cannot write {_where(data)}: {e}") from None
    return "\n".join(lines) + "\n"


def _where(data: Mapping[str, Any]) -> str:
    """The first key or value of `data` that holds a lone surrogate, in words."""
    for key, value in data.items():
        if _SURROGATE.search(str(key)):
            return f"the field name '{shown(str(key))}'"
        for n, item in enumerate(value if isinstance(value, list) else [], start=1):
            for k, v in item.items() if isinstance(item, Mapping) else ():
                if _SURROGATE.search(str(k)):
                    return f"the field name '{shown(str(k))}' of item {n} of '{shown(key)}'"
                if any(_SURROGATE.search(str(x)) for x in (v if isinstance(v, list) else [v])):
                    return f"'{shown(str(k))}' of item {n} of '{shown(key)}'"
        if isinstance(value, str) and _SURROGATE.search(value):
            return f"'{shown(str(key))}'"
    return "the map"


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
