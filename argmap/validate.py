"""Stage 2, validate: check loaded data against the format and turn it into an `ArgMap`.

Every problem is reported at once, as a `Diagnostic` at the place it was written: schema errors
from the pydantic models (translated into the user's words), then the checks that need the whole
map (ids, references, quotes, files), then the warnings.

This module holds the entry point, `validate`, and the core of its `_Checker`: the state, the ids
and references, and the warnings. The checker's mixins hold the rest: `validate_schema` the
schema errors, `validate_sources` the source files and quotes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from argmap.errors import Diagnostic, InvalidMap, Severity
from argmap.load import MAX_ERRORS, Loaded, YPath, printable, shown
from argmap.model import DATE_PATTERN, ID_RE, SECTIONS, ArgMap
from argmap.quotes import SourceText
from argmap.validate_schema import Names, SchemaChecks
from argmap.validate_schema import did_you_mean as did_you_mean  # part of this module's API
from argmap.validate_sources import MAX_PASSAGE_WORK, MAX_QUOTE_WORK, SourceChecks

# A bound on work, as MAX_QUOTE_WORK and MAX_PASSAGE_WORK are (see argmap.validate_sources).
# Characters compared for "did you mean": a word's length times the lengths of the names it is
# compared with, summed (difflib compares some 15 million such pairs a second).
MAX_SUGGESTION_WORK: Final = 5_000_000


@dataclass(frozen=True)
class Validated:
    """A valid map, with its warnings, as the later stages need it."""

    argmap: ArgMap
    warnings: list[Diagnostic]
    map_dir: Path


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
        raise InvalidMap(found)
    return Validated(argmap, found, loaded.path.parent)


class _Checker(SchemaChecks, SourceChecks):
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Diagnostic] = []
        self.ids: dict[str, tuple[str, YPath]] = {}  # id -> (kind, path of its first item)
        self.kinds: dict[str, set[str]] = {}  # id -> the kinds of every item that has it
        self.used: set[str] = set()
        self.texts: dict[str, SourceText | None] = {}  # source id -> its file (None: unreadable)
        self.files: dict[Path, SourceText | None] = {}  # each distinct file read, by real path
        self.read_bytes = 0  # of all the distinct source files
        self.quotes: dict[tuple[str, str], bool] = {}  # (source, quote) -> found
        self.listings: dict[Path, Names] = {}  # folder -> its names (for did you mean)
        self.work = {
            "quotes": MAX_QUOTE_WORK,
            "passages": MAX_PASSAGE_WORK,
            "suggestions": MAX_SUGGESTION_WORK,
        }
        self.choices: dict[tuple[str, ...], Names] = {}  # kinds -> the ids of those kinds

    def say(
        self, ypath: YPath, message: str, severity: Severity = "error", *, key: bool = False
    ) -> None:
        if any(ypath[:n] in self.loaded.tainted for n in range(len(ypath) + 1)):
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
        kind = SECTIONS[str(ypath[0])][0]
        entries = self.data.get(str(ypath[0]))
        at = ypath[1]
        item = entries[at] if isinstance(entries, list) and isinstance(at, int) else None
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{kind} '{shown(ident)}'"
        return f"{kind} #{int(ypath[1]) + 1}"

    # -- the whole map ----------------------------------------------------------------------

    def references(self) -> None:
        everything = [
            (self.loaded.spot((*ypath, "id")), kind, ypath, item)
            for section, (kind, _) in SECTIONS.items()
            for ypath, item in self.items(section)
        ]
        for _, kind, ypath, item in sorted(everything, key=lambda e: e[0]):  # in file order
            ident = item.get("id")
            if not isinstance(ident, str) or not ID_RE.match(ident):
                continue
            self.kinds.setdefault(ident, set()).add(kind)
            if ident in self.ids:
                first_kind, first = self.ids[ident]
                line, col = self.loaded.spot((*first, "id"))
                self.say(
                    (*ypath, "id"),
                    f"duplicate id '{ident}': {_any((first_kind,))} at "
                    f"{self.loaded.file}:{line}:{col} has it already; ids must be unique "
                    "across the whole file: rename one of them",
                )
            else:
                self.ids[ident] = (kind, ypath)
        for ypath, item in self.items("sources"):
            self.check_date(ypath, item)
            self.check_file(ypath, item)
        for section in ("claims", "rebuttals", "evidence"):
            for ypath, item in self.items(section):
                self.refer(ypath, item, "by", ("speaker",))
                self.refer(ypath, item, "source", ("source",))
                if section == "rebuttals":  # elsewhere the schema reports the field itself
                    self.refer(ypath, item, "rebuts", ("claim", "rebuttal", "evidence"))
                if section == "evidence":
                    self.refer(ypath, item, "supports", ("claim", "rebuttal"))
                self.check_quote(ypath, item)

    def check_date(self, ypath: YPath, item: dict[str, Any]) -> None:
        """A date of the right shape that no calendar has, such as 2007-02-30."""
        date = item.get("date")
        if isinstance(date, str) and len(date) == 10 and re.fullmatch(DATE_PATTERN, date):
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                self.say(
                    (*ypath, "date"),
                    f"date '{date}' of {self.name(ypath)} is not a day "
                    "of the calendar; check the day of the month, or write only YYYY-MM",
                )

    def refer(self, ypath: YPath, item: dict[str, Any], field: str, kinds: tuple[str, ...]) -> None:
        value = item.get(field)
        targets = (
            [((*ypath, field), value)]
            if isinstance(value, str)
            else [((*ypath, field, i), v) for i, v in enumerate(value or []) if isinstance(v, str)]
            if isinstance(value, list)
            else []
        )
        for at, target in targets:
            if not ID_RE.match(target):
                continue  # reported by the schema
            self.used.add(target)
            if target not in self.ids:
                if kinds not in self.choices:
                    self.choices[kinds] = Names(i for i, (k, _) in self.ids.items() if k in kinds)
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names no "
                    f"{_any(kinds, article=False)} in this map"
                    + self.suggest(target, self.choices[kinds]),
                )
            elif target == item.get("id") and field == "rebuts":
                self.say(
                    at,
                    f"{self.name(ypath)} rebuts itself; a rebuttal must argue against "
                    "something else",
                )
            elif not self.kinds[target] & set(kinds):  # a duplicate id of the right kind will do
                what = self.ids[target][0]
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names {_any((what,))}, "
                    f"but '{field}' takes {_any(kinds)}",
                )

    # -- warnings ---------------------------------------------------------------------------

    def warnings(self) -> None:
        for section in ("sources", "speakers"):
            for ypath, item in self.items(section):
                ident = item.get("id")
                if isinstance(ident, str) and ident not in self.used and ID_RE.match(ident):
                    field = "source" if section == "sources" else "by"
                    self.say(
                        (*ypath, "id"),
                        f"{self.name(ypath)} is never used (nothing has "
                        f"'{field}: {ident}'); use it or remove it",
                        "warning",
                    )
        targets = self.used
        for ypath, item in self.items("claims"):
            ident = item.get("id")
            if isinstance(ident, str) and ident not in targets and ID_RE.match(ident):
                self.say(
                    (*ypath, "id"),
                    f"{self.name(ypath)} has neither evidence nor rebuttal; "
                    "add evidence that supports it, or a rebuttal",
                    "warning",
                )
        for ypath, item in self.items("evidence"):
            if item.get("source") is None:
                self.say(
                    ypath,
                    f"{self.name(ypath)} has no source; add 'source:' so readers can check it",
                    "warning",
                )


def _any(kinds: tuple[str, ...], *, article: bool = True) -> str:
    """'a claim, a rebuttal or evidence'."""
    words = [k if k == "evidence" or not article else f"a {k}" for k in kinds]
    return " or ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} or {words[-1]}"
