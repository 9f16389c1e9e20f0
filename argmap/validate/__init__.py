"""Stage 2, validate: check loaded data against the format and turn it into an `ArgMap`.

Every problem is reported at once, as a `Diagnostic` at the place it was written: schema errors
from the pydantic models (translated into the user's words), then the checks that need the whole
map (ids, references, quotes, files), then the warnings.

This module holds the entry point, `validate`, and the core of its `_Checker`: the state. The
checker's mixins hold the checks: `messages` the schema errors, `references` the ids, references
and warnings, `sources` the source files and quotes (`quotes` finds a quote in a text).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from argmap.errors import Diagnostic, InvalidMap, Severity, Tally
from argmap.load import MAX_ERRORS, Loaded, YPath
from argmap.model import SECTIONS, ArgMap
from argmap.text import printable, shown
from argmap.validate.messages import Names, SchemaChecks
from argmap.validate.messages import did_you_mean as did_you_mean  # part of this module's API
from argmap.validate.quotes import SourceText
from argmap.validate.references import ReferenceChecks
from argmap.validate.sources import MAX_PASSAGE_WORK, MAX_QUOTE_WORK

# A bound on work, as MAX_QUOTE_WORK and MAX_PASSAGE_WORK are (see argmap.validate.sources):
# characters compared for "did you mean", a word's length times the lengths of the names it is
# compared with, summed (difflib compares some 15 million such pairs a second).
MAX_SUGGESTION_WORK: Final = 3_000_000


NO_FINDINGS: Final = Tally(0, 0)


@dataclass(frozen=True)
class Validated:
    """A valid map, with its warnings, as the later stages need it."""

    argmap: ArgMap
    warnings: list[Diagnostic]  # the first MAX_ERRORS of them
    map_dir: Path
    inputs: frozenset[Path] = frozenset()  # the map and its source files (real paths)
    total: Tally = NO_FINDINGS  # every warning, also those not shown


def validate(loaded: Loaded, *, strict: bool = False) -> Validated:
    """The map as an `ArgMap`, or `InvalidMap` with every error (and warning) in file order.

    With `strict`, warnings count as errors.
    """
    check = _Checker(loaded)
    argmap = check.schema()
    check.references()
    check.warnings()
    found = sorted([*loaded.problems, *check.found], key=lambda d: (d.line, d.col))
    if strict:
        found = [
            Diagnostic(d.file, d.line, d.col, "error", d.message + " (--strict)")
            if d.severity == "warning"
            else d
            for d in found
        ]
    total = Tally.of(found)
    if len(found) > MAX_ERRORS:
        last = found[MAX_ERRORS - 1]
        severity: Severity = "error" if any(d.severity == "error" for d in found) else "warning"
        found = [
            *found[:MAX_ERRORS],
            Diagnostic(
                last.file,
                last.line,
                last.col,
                severity,
                f"stopped after {MAX_ERRORS} findings ({len(found) - MAX_ERRORS} more not shown); "
                "fix these first",
            ),
        ]
    if argmap is None or any(d.severity == "error" for d in found):
        raise InvalidMap(found, frozenset(check.inputs), total)
    return Validated(argmap, found, loaded.path.parent, frozenset(check.inputs), total)


class _Checker(SchemaChecks, ReferenceChecks):
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Diagnostic] = []
        self.ids: dict[str, tuple[str, YPath]] = {}  # id -> (kind, path of its first item)
        self.kinds: dict[str, set[str]] = {}  # id -> the kinds of every item that has it
        self.used: set[str] = set()
        self.texts: dict[str, SourceText | None] = {}  # source id -> its file (None: unreadable)
        self.files: dict[Path, SourceText | None] = {}  # each distinct file read, by real path
        self.inputs: set[Path] = {loaded.path.resolve()}  # the map and the files it names
        self.read_bytes = 0  # of all the distinct source files
        self.quotes: dict[tuple[str, str], bool] = {}  # (source, quote) -> found
        self.listings: dict[str, Names] = {}  # folder -> its names (for did you mean)
        self.work = {
            "quotes": MAX_QUOTE_WORK,
            "passages": MAX_PASSAGE_WORK,
            "suggestions": MAX_SUGGESTION_WORK,
        }
        self.choices: dict[tuple[str, ...], Names] = {}  # kinds -> the ids of those kinds
        self.repeated: dict[YPath, set[str]] = {}  # a list of ids -> the ids it names again

    def say(
        self, ypath: YPath, message: str, severity: Severity = "error", *, key: bool = False
    ) -> None:
        tainted = self.loaded.tainted
        if tainted and any(ypath[:n] in tainted for n in range(len(ypath) + 1)):
            return  # the loader has reported what is wrong here
        line, col = self.loaded.spot(ypath, key=key)
        self.found.append(Diagnostic(self.loaded.file, line, col, severity, printable(message)))

    def spend(self, budget: str, amount: int) -> bool:
        """Take `amount` from a bound on work (`MAX_*_WORK`); False once it is used up."""
        self.work[budget] -= amount
        return self.work[budget] >= 0

    def suggest(self, word: str, choices: Names) -> str:
        """`did_you_mean` among the names nearest `word`, while the bound on suggestions lasts
        (each costs the characters compared: the word's length times the names' lengths)."""
        if self.work["suggestions"] < 0:
            return ""
        near = choices.near(word)
        cost = len(word) * sum(map(len, near))
        return did_you_mean(word, near) if self.spend("suggestions", cost) else ""

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
