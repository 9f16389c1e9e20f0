"""Text helpers that belong to no stage: text made safe to print on a terminal or to put in
markup, cut to a length, and counted in words ("3 entries").
"""

from __future__ import annotations

import re
from typing import Final

# Characters a message must not print as they are: controls (a terminal obeys escape
# sequences; a line break would split the FILE:LINE:COL line) and the marks that reorder
# text right to left (they would make a message read differently from what it says).
UNPRINTABLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


# Characters HTML and XML do not allow in a page (controls) or cannot hold (lone surrogates,
# non-characters): the diagram and the brief write each as U+FFFD (the JSON keeps the text).
NOT_IN_MARKUP: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(message: str) -> str:
    r"""`message` safe to print on one line of a terminal: each control character and each
    mark that reorders text is written as an escape.

    >>> printable("a\nb\x1b[2J\u202e")
    'a\\nb\\x1b[2J\\u202e'
    """
    if message.isascii() and message.isprintable():  # the common case, at C speed
        return message
    return UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), message)


def shown_path(name: str) -> str:
    r"""A file name as a message or a summary line shows it: printable, and never at the start
    of a line in a form that a CI runner obeys (GitHub Actions reads a line that starts with
    `::` or `##[` as a workflow command): such a name is written as `./NAME`, the same file.

    >>> shown_path("::warning::x.yaml"), shown_path("a[2J.yaml"), shown_path("/m.yaml")
    ('./::warning::x.yaml', 'a\\x1b[2J.yaml', '/m.yaml')
    """
    name = printable(name)
    return "./" + name if name.lstrip().startswith((":", "#")) or name[:1].isspace() else name


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` characters, at a space where one is near, ending in "…".

    >>> shorten("one two three", 10), shorten("one two, three", 10), shorten("abcdefgh", 5)
    ('one two…', 'one two…', 'abcd…')
    """
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width * 2 // 3 else cut).rstrip(" ,;:") + "…"


def shown(value: object, limit: int = 60) -> str:
    r"""A value from the map as a message quotes it: printable, and cut to `limit` characters.

    >>> shown("x" * 100, 10), shown("a\tb")
    ('xxxxxxxxx…', 'a\\tb')
    """
    return shorten(printable(shorten(str(value)[: 4 * limit], limit)), limit)


def size_in_words(size: int) -> str:
    """`4 MiB`, `1.5 MiB`, `12 KiB`, `100 bytes`.

    >>> size_in_words(4 * 2**20), size_in_words(3 * 2**19), size_in_words(100)
    ('4 MiB', '1.5 MiB', '100 bytes')
    """
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


# Words after which a noun phrase's head is complete: "linked argument into separate points"
# counts arguments, so its plural is "linked arguments into separate points".
_AFTER_HEAD: Final = re.compile(r" (?:into|of|by|as|without|with|from|past|under|in) | \(")


def plural(n: int, noun: str, many: str | None = None) -> str:
    """A count and its noun, the one plural helper of every message and page: "1 point",
    "2 points", "3 entries", "2 pieces of evidence" (or `many` where English is irregular).

    >>> plural(1, "point"), plural(2, "point"), plural(3, "entry"), plural(2, "box")
    ('1 point', '2 points', '3 entries', '2 boxes')
    >>> plural(2, "linked argument into separate points"), plural(0, "piece of evidence")
    ('2 linked arguments into separate points', '0 pieces of evidence')
    >>> plural(2, "analysis", "analyses")
    '2 analyses'
    """
    if n == 1:
        return f"1 {noun}"
    if many is not None:
        return f"{n} {many}"
    cut = _AFTER_HEAD.search(noun)
    head, rest = (noun[: cut.start()], noun[cut.start() :]) if cut else (noun, "")
    if head.endswith(("s", "x", "ch", "sh")):
        head = f"{head}es"
    elif head.endswith("y") and not head.endswith(("ay", "ey", "oy", "uy")):
        head = f"{head[:-1]}ies"
    else:
        head = f"{head}s"
    return f"{n} {head}{rest}"
