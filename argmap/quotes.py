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
import functools
import heapq
import itertools
import re
from typing import Final

# Typographic quote marks and apostrophes, and the straight mark each stands for; nothing else
# (not primes, not the backtick, not guillemets) is forgiven.
_QUOTE_MARKS: Final = str.maketrans(dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟", '"'))
_QUOTE_CLASS: Final = {"'": "['‘’‚‛]", '"': '["“”„‟]'}
_CANDIDATES: Final = 200
_SPACE: Final = re.compile(r"\s+")


def find_quote(quote: str, text: str) -> int | None:
    """Offset in `text` where `quote` begins, or None.

    >>> find_quote("“A  test”", 'This is "A\\n test".')
    8
    """
    m = _pattern(quote).search(text)
    return m.start() if m and quote.strip() else None


def _pattern(quote: str) -> re.Pattern[str]:
    """A regular expression for `quote` in which any run of whitespace matches any other, and
    each quote mark matches its straight and typographic forms."""
    parts = []
    for c in _SPACE.sub(" ", quote.translate(_QUOTE_MARKS).strip()):
        if c == " ":
            parts.append(r"\s+")
        elif c in _QUOTE_CLASS:
            parts.append(_QUOTE_CLASS[c])
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts))


def closest_passage(quote: str, text: str) -> tuple[int, str]:
    """The passage of `text` most like `quote` (as many words), and the line it starts on.

    Unlike `find_quote`, this forgives everything (case, punctuation, a changed word): it only
    points the user at the words they most likely meant.

    >>> closest_passage("its a TEST", "Line one.\\nSo it’s a “test”\\nof things.")
    (2, 'it’s a “test”')
    """
    words, have = _words(text)
    if not words:
        return 1, ""
    wanted = [_key(w) for w in quote.split()]
    span = max(len(wanted), 1)
    vocabulary = set(wanted) - {""}
    shared = list(itertools.accumulate((w in vocabulary for w in have), initial=0))
    starts = range(max(len(have) - span, 0) + 1)
    # Only the windows sharing the most words with the quote are worth comparing closely.
    likely = heapq.nlargest(_CANDIDATES, starts,
                            key=lambda s: (shared[min(s + span, len(have))] - shared[s], -s))
    by_words = difflib.SequenceMatcher(autojunk=False)
    by_words.set_seq2(wanted)
    by_letters = difflib.SequenceMatcher(autojunk=False)
    by_letters.set_seq2(" ".join(wanted))
    best, best_at = (-1.0, -1.0), 0
    for start in likely:  # most alike word for word; of equals, most alike letter for letter
        window = have[start:start + span]
        by_words.set_seq1(window)
        score = (by_words.ratio(), -1.0)
        if score[0] >= best[0]:
            by_letters.set_seq1(" ".join(window))
            score = (score[0], by_letters.ratio())
        if score > best:
            best, best_at = score, start
    first = words[best_at]
    last = words[min(best_at + span, len(words)) - 1]
    line = text.count("\n", 0, first.start()) + 1
    return line, _SPACE.sub(" ", text[first.start():last.end()])


def _key(word: str) -> str:
    """A word reduced to its letters and digits, in lower case, for likeness only."""
    return "".join(c for c in word.casefold() if c.isalnum())


@functools.lru_cache(maxsize=4)
def _words(text: str) -> tuple[list[re.Match[str]], list[str]]:
    """The words of a source text and their keys (kept: one file often has many quotes)."""
    words = list(re.finditer(r"\S+", text))
    return words, [_key(w.group()) for w in words]
