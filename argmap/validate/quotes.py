"""Finding a quote in its source text.

Matching forgives only differences of whitespace, of straight versus typographic quotes and
apostrophes, and of Unicode encoding (FORMAT.md): both sides are compared in NFC, so a composed
`é` and an `e` followed by a combining accent are the same letter. Case, spelling, punctuation,
accents and invisible characters must match, and a quote must begin and end on whole characters
as a reader sees them (grapheme clusters): `cafe` is not in `café`, nor `👩` in `👩‍👩‍👧`.

Both searches take time linear in the lengths of the quote and the text, whatever they hold,
and the closest-passage search holds only a slice of the text in memory at a time: a quote and
a source file may come from someone else, and must not make argmap hang or swell.

>>> find_quote("it’s  a\\n test", "so it's a test.") is not None
True
>>> find_quote("It's a test", "so it's a test.") is None
True
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import itertools
import operator
import re
import unicodedata
from array import array
from typing import Final, NamedTuple

from argmap.text import shorten

# Typographic quote marks and apostrophes, and the straight mark each stands for; nothing else
# (not primes, not the backtick, not guillemets) is forgiven.
_QUOTE_MARKS: Final = str.maketrans(dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟", '"'))
_CANDIDATES: Final = 200
_SPACE: Final = re.compile(r"\s+")
_WORD: Final = re.compile(r"\S+")
_NOT_ALNUM: Final = re.compile(r"[^\w ]|_")  # \w is isalnum() and "_"
PASSAGE_WORDS: Final = 40  # the closest passage is sought for the quote's first words only
_WORD_CHARS: Final = 40  # and compared on each word's first letters only
PASSAGE_CHARS: Final = 300  # the passage shown is cut to this length
_SLICE_CHARS: Final = 1 << 20  # the closest passage is sought a slice of this many at a time
MAX_HITS: Final = 10_000  # occurrences of a quote inside larger characters tried, at most
# Characters that show nothing (Unicode's default-ignorable code points, less the joiners and
# selectors that belong to a visible character): a copy from a web page often carries them.
INVISIBLE: Final = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\U0001bca0-\U0001bca3]"
)
_RI: Final = re.compile("[\U0001f1e6-\U0001f1ff]+")  # regional indicators: two make a flag
_ZWJ: Final = "\u200d"


class Miss(NamedTuple):
    """Why a quote that is not in its source comes close: the source holds invisible
    characters, or the two differ only in compatibility forms ('ﬁ' for 'fi'), as found by
    `SourceText.near_miss`."""

    kind: str  # "invisible" or "compatibility"
    chars: tuple[str, ...]  # the characters in question, e.g. ("\u00ad",)
    line: int  # of the source where the first of them is (0: it is in the quote)


class SourceText:
    """A source file's text, made ready once for the many quotes that may name it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.flat = normalise(text)
        self.plain = text.isascii()  # no marks, no invisible characters, nothing to compose
        self._ri: array[int] | None = None  # where runs of regional indicators start
        self._lenient: dict[str, str] = {}

    def find(self, quote: str) -> int | None:
        """Offset in the text where `quote` begins, or None (see `find_quote`)."""
        at = self._search(quote)
        return None if at is None else _original_offset(self.text, at)

    def has(self, quote: str) -> bool:
        """Whether `quote` is in the text (as `find`, without working out where)."""
        return self._search(quote) is not None

    def _search(self, quote: str) -> int | None:
        """Offset in `flat` of the first match of `quote` on character boundaries, or None.

        Occurrences that begin or end inside a character (between a letter and its accent, or
        in an emoji sequence) are passed over, up to `MAX_HITS` of them.
        """
        wanted = normalise(quote).strip()
        if not wanted:
            return None
        at = self.flat.find(wanted)
        for _ in range(MAX_HITS):
            if at < 0:
                return None
            if self._boundary(at) and self._boundary(at + len(wanted)):
                return at
            at = self.flat.find(wanted, at + 1)
        return None

    def _boundary(self, k: int) -> bool:
        """Whether offset `k` of `flat` lies between two grapheme clusters (UAX #29's rules
        for combining marks, joiners, emoji modifiers, tags, flags and Hangul syllables)."""
        flat = self.flat
        if k <= 0 or k >= len(flat):
            return True
        before, after = flat[k - 1], flat[k]
        if before == _ZWJ or _extends(after) or _hangul_joins(before, after):
            return False
        if _RI.match(before) and _RI.match(after):  # inside a run of flags: between pairs only
            if self._ri is None:
                self._ri = array("q", (m.start() for m in _RI.finditer(flat)))
            run = self._ri[bisect.bisect_right(self._ri, k - 1) - 1]
            return (k - run) % 2 == 0
        return True

    def near_miss(self, quote: str) -> Miss | None:
        """Why `quote`, not in the text, would be there but for invisible characters or
        compatibility forms; None if it would not."""
        if (self.plain and quote.isascii()) or not quote.strip():
            return None
        for kind in ("invisible", "compatibility"):
            wanted = _lenient(quote, kind).strip()
            if kind not in self._lenient:
                self._lenient[kind] = _lenient(self.text, kind)
            if wanted and wanted in self._lenient[kind]:
                return self._miss(quote, kind)
        return None

    def _miss(self, quote: str, kind: str) -> Miss:
        if kind == "invisible":
            in_quote = INVISIBLE.findall(quote)
            if in_quote:
                return Miss(kind, tuple(dict.fromkeys(in_quote)), 0)
            seen: dict[str, int] = {}  # the first few kinds, and where each is first
            for m in INVISIBLE.finditer(self.text):
                seen.setdefault(m[0], m.start())
                if len(seen) == 3:
                    break
            first = min(seen.values(), default=0)
            return Miss(kind, tuple(seen), self.text.count("\n", 0, first) + 1)
        odd = [c for c in dict.fromkeys(quote) if unicodedata.normalize("NFKC", c) != c]
        return Miss(kind, tuple(odd[:3]), 0)


def find_quote(quote: str, text: str) -> int | None:
    """Offset in `text` where `quote` begins, or None.

    Both are normalised (`normalise`), then searched with `str.find`, which takes linear time;
    a regular expression could backtrack for hours on a long quote against repetitive text.

    >>> find_quote("“A  test”", 'This is "A\\n test".')
    8
    >>> find_quote("café", "un cafe\\u0301 noir"), find_quote("cafe", "un cafe\\u0301 noir")
    (3, None)
    """
    return SourceText(text).find(quote)


def normalise(text: str) -> str:
    """`text` in NFC, each run of whitespace made one space and each quote mark made straight.

    >>> print(normalise("it’s \\n\\t “so”"))
    it's "so"
    >>> normalise("e\\u0301") == "\\u00e9"
    True
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_QUOTE_MARKS)
    return _SPACE.sub(" ", text)


def _lenient(text: str, kind: str) -> str:
    """`normalise(text)` without invisible characters, and for "compatibility" in NFKC too."""
    text = INVISIBLE.sub("", text)
    if kind == "compatibility":
        text = unicodedata.normalize("NFKC", text)
    return normalise(text)


def _extends(char: str) -> bool:
    """Whether `char` belongs to the character before it (a mark, a joiner, a modifier)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code in (0x200C, 0x200D, 0xFF9E, 0xFF9F)
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tags
    )


def _hangul_joins(before: str, after: str) -> bool:
    """Whether two Hangul jamo (or a syllable and a jamo) make one syllable together."""
    a, b = _jamo(before), _jamo(after)
    return (
        (a == "L" and b in ("L", "V", "LV", "LVT"))
        or (a in ("V", "LV") and b in ("V", "T"))
        or (a in ("T", "LVT") and b == "T")
    )


def _jamo(char: str) -> str:
    code = ord(char)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _original_offset(text: str, at: int) -> int:
    """The offset in `text` of the character at `at` (never a space) in `normalise(text)`.

    >>> _original_offset("a  \\n b", 2)
    5
    >>> _original_offset("e\\u0301 e\\u0301", 2)
    3
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        # Normalising changed lengths: find the shortest prefix that normalises past `at`.
        k = bisect.bisect_left(range(len(text) + 1), at + 1, key=lambda k: len(normalise(text[:k])))
        return k - 1
    removed = 0
    for run in _SPACE.finditer(text):
        if run.start() - removed > at:
            break
        removed += len(run[0]) - 1
    return at + removed


class _Window(NamedTuple):
    shared: int  # how many of its words are words of the quote
    first: int  # the index of its first word in the text, negated: of equals, the first wins
    keys: tuple[str, ...]


def closest_passage(quote: str, text: str) -> tuple[int, str]:
    """The passage of `text` most like `quote` (as many words), and the line it starts on.

    Unlike `find_quote`, this forgives everything (case, punctuation, a changed word): it only
    points the user at the words they most likely meant. Only the quote's first
    `PASSAGE_WORDS` words are sought, so that a long quote costs no more than a short one, and
    the text is read a slice at a time, so that a long text costs no more memory than a slice.

    >>> closest_passage("its a TEST", "Line one.\\nSo it’s a “test”\\nof things.")
    (2, 'it’s a “test”')
    """
    wanted = [_key(w) for w in _SPACE.split(quote.strip(), PASSAGE_WORDS)[:PASSAGE_WORDS]]
    span = max(len(wanted), 1)
    slices: list[tuple[int, int, int]] = []  # each slice's start, end and first word's index
    likely = _likely(text, span, set(wanted) - {""}, slices)
    if not likely:
        return 1, ""
    by_words = difflib.SequenceMatcher(autojunk=False)
    by_words.set_seq2(wanted)
    by_letters = difflib.SequenceMatcher(autojunk=False)
    by_letters.set_seq2(" ".join(wanted))
    best, best_at = (-1.0, -1.0), likely[0]
    for window in likely:
        by_words.set_seq1(window.keys)
        score = (by_words.ratio(), -1.0)
        if score[0] >= best[0]:  # most alike word for word; of equals, letter for letter
            by_letters.set_seq1(" ".join(window.keys))
            score = (score[0], by_letters.ratio())
        if score > best:
            best, best_at = score, window
    start = _word_at(text, slices, -best_at.first)[0]
    end = _word_at(text, slices, -best_at.first + len(best_at.keys) - 1)[1]
    line = text.count("\n", 0, start) + 1
    passage = _SPACE.sub(" ", text[start : min(end, start + 4 * PASSAGE_CHARS)])
    return line, shorten(passage, PASSAGE_CHARS)


def _likely(
    text: str, span: int, vocabulary: set[str], slices: list[tuple[int, int, int]]
) -> list[_Window]:
    """The `_CANDIDATES` windows of `span` words of `text` that share the most words with the
    quote, found a slice of the text at a time (each slice noted in `slices`). The last words
    of a slice are carried into the next, so that no window is lost."""
    likely: list[_Window] = []
    carried: list[str] = []
    start = index = 0  # where the slice starts; the index of its first word
    while start < len(text):
        end = min(start + _SLICE_CHARS, len(text))
        space = _SPACE.search(text, end, end + _SLICE_CHARS) if end < len(text) else None
        end = space.start() if space else end
        words = text[start:end].split()  # the same words as _WORD finds in the slice
        if words:
            slices.append((start, end, index))
            flat = _NOT_ALNUM.sub("", " ".join(words).casefold())
            keys = carried + [k[:_WORD_CHARS] for k in flat.split(" ")]
            base = index - len(carried)
            index += len(words)
            n = len(keys)
            if n >= span:
                shared = list(itertools.accumulate((k in vocabulary for k in keys), initial=0))
                sums = list(map(operator.sub, shared[span:], shared))
                best = heapq.nlargest(_CANDIDATES, range(len(sums)), key=sums.__getitem__)
                found = [_Window(sums[s], -(base + s), tuple(keys[s : s + span])) for s in best]
                likely = heapq.nlargest(_CANDIDATES, likely + found)
                keys = keys[n - span + 1 :] if span > 1 else []
            carried = keys
        start = end
    if not likely and carried:  # fewer words in all than the quote has
        likely = [_Window(sum(k in vocabulary for k in carried), 0, tuple(carried))]
    return likely


def _word_at(text: str, slices: list[tuple[int, int, int]], index: int) -> tuple[int, int]:
    """Where the word of `index` (counted from the start of `text`) begins and ends."""
    start, end, first = slices[bisect.bisect_right([s[2] for s in slices], index) - 1]
    word = next(itertools.islice(_WORD.finditer(text, start, end), index - first, None))
    return word.start(), word.end()


def _key(word: str) -> str:
    """A word reduced to its letters and digits, in lower case, for likeness only (and to its
    first letters: a "word" of a megabyte would make every comparison slow)."""
    return "".join(c for c in word[: 4 * _WORD_CHARS].casefold() if c.isalnum())[:_WORD_CHARS]
