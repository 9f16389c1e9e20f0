"""Part of stage 2, validate: the checker's state, and what every check uses of it.

The checks are mixins of `argmap.validate._Checker`, one per concern (`messages`,
`references`, `sources`); each inherits this core, which holds all the state they share and
implements the helpers they call (`say`, `name`, `items`, `value_at`, `spend`, `suggest`).
"""

from __future__ import annotations

import bisect
import difflib
import functools
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from argmap.errors import Diagnostic, Severity
from argmap.load import Loaded, YPath
from argmap.model import SECTIONS
from argmap.text import printable, shown
from argmap.validate.quotes import SourceText

Budget = Literal["quotes", "passages", "suggestions"]


@dataclass
class Work:
    """What is left of each bound on work (see the `MAX_*_WORK` constants): characters of
    source text searched for quotes and scanned for closest passages, characters compared for
    "did you mean". A check spends from it, and stops (saying so) once it is used up."""

    quotes: int
    passages: int
    suggestions: int


@dataclass(frozen=True)
class Warned:
    """The family of a kind of warning: `what` names its findings in a count ("claims with
    neither evidence nor rebuttal")."""

    what: str


MAX_SUGGESTED: Final = 128  # characters of a word that "did you mean" is tried for, at most
_CUTOFF: Final = 0.6  # how alike (difflib's ratio) a choice must be to be suggested


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`"; did you mean 'x'?"` for the nearest choice, or nothing (nor for a word longer than
    `MAX_SUGGESTED`: an id has at most 64 characters, a field name a dozen).

    The choice is `difflib.get_close_matches(word, choices, n=1, cutoff=0.6)`'s, found with
    less work: a choice is compared in full (`ratio`) only while the cheap upper bounds of its
    ratio (lengths, then letters counted) could still beat the best one compared so far.

    >>> did_you_mean("sorce", ["text", "source", "speaker"])
    "; did you mean 'source'?"
    """
    if len(word) > MAX_SUGGESTED:
        return ""
    near = _nearest(word, tuple(choices))
    return f"; did you mean '{near}'?" if near is not None else ""


@functools.lru_cache(maxsize=512)  # a map (or a fuzzer) often holds one typo many times
def _nearest(word: str, choices: tuple[str, ...]) -> str | None:
    mine, length = _letters(word), len(word)
    bounded = []  # (upper bound of the ratio, choice), for the choices past the cheap tests
    for choice in set(choices):
        total = len(choice) + length
        if _ratio(min(len(choice), length), total) < _CUTOFF:  # difflib's real_quick_ratio
            continue
        theirs = _letters(choice)  # difflib's quick_ratio: the letters both hold, counted
        common = sum(min(n, mine[c]) for c, n in theirs.items() if c in mine)
        bound = _ratio(common, total)
        if bound >= _CUTOFF:
            bounded.append((bound, choice))
    bounded.sort(reverse=True)
    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    for bound, choice in bounded:
        if best is not None and (bound, choice) < best:
            break  # no choice left can beat the best (ratio <= bound; ties: the later name)
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= _CUTOFF and (best is None or (score, choice) > best):
            best = (score, choice)
    return best[1] if best is not None else None


def _ratio(matches: int, total: int) -> float:
    return 2.0 * matches / total if total else 1.0  # as difflib computes every ratio


@functools.lru_cache(maxsize=4096)
def _letters(word: str) -> Counter[str]:
    return Counter(word)


class Names:
    """Names to suggest from, sorted by their spelling forwards and backwards, so that a
    suggestion compares a word with the few hundred names nearest to it, not with thousands.

    >>> near = Names(f"point-{i}" for i in range(5000)).near("point-42x")
    >>> len(near) <= 400, did_you_mean("xoint-4999", near)
    (True, "; did you mean 'point-4999'?")
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self.backwards = sorted(n[::-1] for n in self.names) if len(self.names) > _NEAR else []

    def near(self, word: str) -> list[str]:
        """The names that share the longest beginnings or endings with `word`."""
        if len(self.names) <= _NEAR:
            return self.names
        half = _NEAR // 4
        i = bisect.bisect_left(self.names, word)
        j = bisect.bisect_left(self.backwards, word[::-1])
        return sorted(
            {
                *self.names[max(i - half, 0) : i + half],
                *(n[::-1] for n in self.backwards[max(j - half, 0) : j + half]),
            }
        )


_NEAR: Final = 400  # names compared with a word for "did you mean", at most


class CheckerCore:
    """The state of one validation, and the helpers every check uses."""

    def __init__(self, loaded: Loaded, work: Work) -> None:
        self.loaded = loaded
        self.data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Diagnostic] = []
        self.family: Hashable | None = None  # the kind of error being said, while one is
        self.families: dict[int, Hashable] = {}  # index in `found` -> its family
        self.ids: dict[str, tuple[str, YPath]] = {}  # id -> (kind, path of its first item)
        self.kinds: dict[str, set[str]] = {}  # id -> the kinds of every item that has it
        self.used: set[str] = set()
        self.unread: set[str] = set()  # the kinds of items whose id could not be read
        self.texts: dict[str, SourceText | None] = {}  # source id -> its file (None: unreadable)
        self.files: dict[Path, SourceText | None] = {}  # each distinct file read, by real path
        self.inputs: set[Path] = {loaded.path.resolve()}  # the map and the files it names
        self.read_bytes = 0  # of all the distinct source files
        self.quotes: dict[tuple[str, str], bool] = {}  # (source, quote) -> found
        self.work = work
        self.choices: dict[tuple[str, ...], Names] = {}  # kinds -> the ids of those kinds
        self.listings: dict[str, Names] = {}  # folder -> its names (for did you mean)
        self.repeated: dict[YPath, set[str]] = {}  # a list of ids -> the ids it names again

    def say(
        self, ypath: YPath, message: str, severity: Severity = "error", *, key: bool = False
    ) -> None:
        tainted = self.loaded.tainted
        if tainted and any(ypath[:n] in tainted for n in range(len(ypath) + 1)):
            return  # the loader has reported what is wrong here
        line, col = self.loaded.spot(ypath, key=key)
        if self.family is not None:
            self.families[len(self.found)] = self.family
        self.found.append(Diagnostic(self.loaded.file, line, col, severity, printable(message)))

    def spend(self, budget: Budget, amount: int) -> bool:
        """Take `amount` from a bound on work (`MAX_*_WORK`); False once it is used up."""
        left: int = getattr(self.work, budget) - amount
        setattr(self.work, budget, left)
        return left >= 0

    def suggest(self, word: str, choices: Names) -> str:
        """`did_you_mean` among the names nearest `word`, while the bound on suggestions lasts
        (each costs the characters compared: the word's length times the names' lengths)."""
        if self.work.suggestions < 0:
            return ""
        near = choices.near(word)
        cost = len(word) * sum(map(len, near))
        return did_you_mean(word, near) if self.spend("suggestions", cost) else ""

    def items(self, section: str) -> Iterator[tuple[YPath, dict[str, Any]]]:
        entries = self.data.get(section)
        if isinstance(entries, list):
            for i, item in enumerate(entries):
                if isinstance(item, dict):
                    yield (section, i), item

    def name(self, ypath: YPath) -> str:
        """'claim 'replaces-all'' or 'claim #3': how to speak of the item at `ypath`."""
        if len(ypath) < 2 or ypath[0] not in SECTIONS:
            return "the map"
        kind = SECTIONS[str(ypath[0])].item_kind
        entries = self.data.get(str(ypath[0]))
        at = ypath[1]
        item = entries[at] if isinstance(entries, list) and isinstance(at, int) else None
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{kind} '{shown(ident)}'"
        return f"{kind} #{int(ypath[1]) + 1}"

    def value_at(self, loc: YPath) -> tuple[bool, Any]:
        value: Any = self.data
        for part in loc:
            if isinstance(value, str):  # pydantic's `rebuts: a` is `rebuts: [a]`: no [0] of it
                return False, None
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return False, None
        return True, value
