"""Finding a quote in its source text.

Matching forgives only differences of whitespace and of straight versus typographic quotes and
apostrophes (FORMAT.md); case, spelling and punctuation must match.

>>> find_quote("it’s  a\\n test", "so it's a test.") is not None
True
>>> find_quote("It's a test", "so it's a test.") is None
True
"""

from __future__ import annotations

import difflib
import re
from typing import Final

_QUOTE_MARKS: Final = str.maketrans({c: "'" for c in "‘’‚‛′`"} | {c: '"' for c in "“”„‟″"})
_SPACE: Final = re.compile(r"\s+")


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with quote marks made straight and whitespace runs made one space, and for each
    character of the result the offset it came from in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    for m in re.finditer(r"\s+|\S", text.translate(_QUOTE_MARKS)):
        out.append(" " if m.group().isspace() else m.group())
        offsets.append(m.start())
    return "".join(out), offsets


def find_quote(quote: str, text: str) -> int | None:
    """Offset in `text` where `quote` begins, or None."""
    needle = _SPACE.sub(" ", quote.translate(_QUOTE_MARKS)).strip()
    hay, offsets = normalise(text)
    at = hay.find(needle)
    return offsets[at] if at >= 0 and needle else None


def closest_passage(quote: str, text: str) -> tuple[int, str]:
    """The passage of `text` most like `quote` (about its length), and the line it starts on."""
    words = list(re.finditer(r"\S+", text))
    if not words:
        return 1, ""
    wanted = quote.translate(_QUOTE_MARKS).split()
    have = [w.group().translate(_QUOTE_MARKS) for w in words]
    best, best_at = -1.0, 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    span = max(len(wanted), 1)
    vocabulary = set(wanted)
    starts = sorted({s for i, w in enumerate(have) if w in vocabulary
                     for s in range(max(i - span + 1, 0), i + 1)} or {0})
    for start in starts:  # only windows holding at least one word of the quote
        matcher.set_seq1(have[start:start + span])
        if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
            continue
        ratio = matcher.ratio()
        if ratio > best:
            best, best_at = ratio, start
    first = words[best_at]
    last = words[min(best_at + span, len(words)) - 1]
    line = text.count("\n", 0, first.start()) + 1
    return line, _SPACE.sub(" ", text[first.start():last.end()])
