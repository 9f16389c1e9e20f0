"""Finding a quote in its source text.

Matching forgives only differences of whitespace and of straight versus typographic quotes and
apostrophes (FORMAT.md); case, spelling and punctuation must match.

Both searches take time linear in the lengths of the quote and the text, whatever they hold:
a quote and a source file may come from someone else, and must not make argmap hang.

>>> find_quote("it’s  a\\n test", "so it's a test.") is not None
True
>>> find_quote("It's a test", "so it's a test.") is None
True
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import re
from typing import Final

from argmap.text import shorten

# Typographic quote marks and apostrophes, and the straight mark each stands for; nothing else
# (not primes, not the backtick, not guillemets) is forgiven.
_QUOTE_MARKS: Final = str.maketrans(dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟", '"'))
_CANDIDATES: Final = 200
_SPACE: Final = re.compile(r"\s+")
PASSAGE_WORDS: Final = 40  # the closest passage is sought for the quote's first words only
_WORD_CHARS: Final = 40  # and compared on each word's first letters only
PASSAGE_CHARS: Final = 300  # the passage shown is cut to this length


class SourceText:
    """A source file's text, made ready once for the many quotes that may name it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.flat = normalise(text)

    def find(self, quote: str) -> int | None:
        """Offset in the text where `quote` begins, or None (see `find_quote`)."""
        wanted = normalise(quote).strip()
        at = self.flat.find(wanted) if wanted else -1
        return None if at < 0 else _original_offset(self.text, at)

    def has(self, quote: str) -> bool:
        """Whether `quote` is in the text (as `find`, without working out where)."""
        wanted = normalise(quote).strip()
        return bool(wanted) and wanted in self.flat


def find_quote(quote: str, text: str) -> int | None:
    """Offset in `text` where `quote` begins, or None.

    Both are normalised (`normalise`), then searched with `str.find`, which takes linear time;
    a regular expression could backtrack for hours on a long quote against repetitive text.

    >>> find_quote("“A  test”", 'This is "A\\n test".')
    8
    """
    return SourceText(text).find(quote)


def normalise(text: str) -> str:
    """`text` with each run of whitespace made one space and each quote mark made straight.

    >>> print(normalise("it’s \\n\\t “so”"))
    it's "so"
    """
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS))


def _original_offset(text: str, at: int) -> int:
    """The offset in `text` of the character at `at` (never a space) in `normalise(text)`.

    >>> _original_offset("a  \\n b", 2)
    5
    """
    removed = 0
    for run in _SPACE.finditer(text):
        if run.start() - removed > at:
            break
        removed += len(run[0]) - 1
    return at + removed


def closest_passage(quote: str, text: str) -> tuple[int, str]:
    """The passage of `text` most like `quote` (as many words), and the line it starts on.

    Unlike `find_quote`, this forgives everything (case, punctuation, a changed word): it only
    points the user at the words they most likely meant. Only the quote's first
    `PASSAGE_WORDS` words are sought, so that a long quote costs no more than a short one.

    >>> closest_passage("its a TEST", "Line one.\\nSo it’s a “test”\\nof things.")
    (2, 'it’s a “test”')
    """
    words = list(re.finditer(r"\S+", text))
    if not words:
        return 1, ""
    have = [_key(w.group()) for w in words]
    wanted = [_key(w) for w in quote.split()[:PASSAGE_WORDS]]
    span = max(len(wanted), 1)
    vocabulary = set(wanted) - {""}
    shared = list(itertools.accumulate((w in vocabulary for w in have), initial=0))
    starts = range(max(len(have) - span, 0) + 1)
    # Only the windows sharing the most words with the quote are worth comparing closely.
    likely = heapq.nlargest(
        _CANDIDATES, starts, key=lambda s: (shared[min(s + span, len(have))] - shared[s], -s)
    )
    by_words = difflib.SequenceMatcher(autojunk=False)
    by_words.set_seq2(wanted)
    by_letters = difflib.SequenceMatcher(autojunk=False)
    by_letters.set_seq2(" ".join(wanted))
    best, best_at = (-1.0, -1.0), 0
    for start in likely:  # most alike word for word; of equals, most alike letter for letter
        window = have[start : start + span]
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
    end = min(last.end(), first.start() + 4 * PASSAGE_CHARS)
    passage = _SPACE.sub(" ", text[first.start() : end])
    return line, shorten(passage, PASSAGE_CHARS)


def _key(word: str) -> str:
    """A word reduced to its letters and digits, in lower case, for likeness only (and to its
    first letters: a "word" of a megabyte would make every comparison slow)."""
    return "".join(c for c in word[: 4 * _WORD_CHARS].casefold() if c.isalnum())[:_WORD_CHARS]
