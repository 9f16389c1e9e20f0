"""Stage 2, validate: check loaded data against the format and turn it into an `ArgMap`.

Every problem is reported at once, as a `Diagnostic` at the place it was written: schema errors
from the pydantic models (translated into the user's words), then the checks that need the whole
map (ids, references, quotes, files), then the warnings.

This module holds the entry point, `validate`, and the core of its `_Checker`: the state. The
checker's mixins hold the checks: `messages` the schema errors, `references` the ids, references
and warnings, `sources` the source files and quotes (`quotes` finds a quote in a text).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from argmap.errors import Diagnostic, InvalidMap, Severity
from argmap.load import MAX_ERRORS, Loaded, YPath
from argmap.model import SECTIONS, ArgMap
from argmap.text import printable, shown
from argmap.validate.messages import SchemaChecks
from argmap.validate.messages import did_you_mean as did_you_mean  # part of this module's API
from argmap.validate.quotes import SourceText
from argmap.validate.references import ReferenceChecks
from argmap.validate.sources import MAX_PASSAGE_WORK, MAX_QUOTE_WORK

# A bound on work, as MAX_QUOTE_WORK and MAX_PASSAGE_WORK are (see argmap.validate.sources).
MAX_SUGGESTION_WORK: Final = 1_000_000  # names compared for "did you mean"
SAME_ERRORS: Final = 3  # more errors than this of one family (see `_collapse`) become one


@dataclass(frozen=True)
class Validated:
    """A valid map, with its warnings, as the later stages need it."""

    argmap: ArgMap
    warnings: list[Diagnostic]
    map_dir: Path
    inputs: frozenset[Path] = frozenset()  # the map and its source files (real paths)


def validate(loaded: Loaded, *, strict: bool = False) -> Validated:
    """The map as an `ArgMap`, or `InvalidMap` with every error (and warning) in file order.

    With `strict`, warnings count as errors.
    """
    check = _Checker(loaded)
    argmap = check.schema()
    check.references()
    check.warnings()
    mine = _collapse(check.found, check.families)
    found = sorted([*loaded.problems, *mine], key=lambda d: (d.line, d.col))
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
        raise InvalidMap(found, frozenset(check.inputs))
    return Validated(argmap, found, loaded.path.parent, frozenset(check.inputs))


def _collapse(found: list[Diagnostic], families: dict[int, Hashable]) -> list[Diagnostic]:
    """A flood of errors from one broken section as its first error and a count: errors of one
    family (the same mistake in every item of a section, or references into a section in
    which no item could be read), more than `SAME_ERRORS` of them, become one error that says
    where the others are. `families` maps an index in `found` to its family."""
    groups: dict[Hashable, list[int]] = {}
    for at, family in families.items():
        groups.setdefault(family, []).append(at)
    dropped: set[int] = set()
    result = list(found)
    for same in groups.values():
        if len(same) > SAME_ERRORS:
            first, others = found[same[0]], [found[at] for at in same[1:]]
            lines = ", ".join(str(d.line) for d in others[:5]) + (", …" if len(others) > 5 else "")
            more = f" (and {len(others)} more errors like it, at lines {lines})"
            result[same[0]] = Diagnostic(
                first.file, first.line, first.col, "error", first.message + more
            )
            dropped.update(same[1:])
    return [d for at, d in enumerate(result) if at not in dropped]


class _Checker(SchemaChecks, ReferenceChecks):
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Diagnostic] = []
        self.family: Hashable | None = None  # the kind of error being said, while one is
        self.families: dict[int, Hashable] = {}  # index in `found` -> its family
        self.ids: dict[str, tuple[str, YPath]] = {}  # id -> (kind, path of its first item)
        self.kinds: dict[str, set[str]] = {}  # id -> the kinds of every item that has it
        self.used: set[str] = set()
        self.texts: dict[str, SourceText | None] = {}  # source id -> its file (None: unreadable)
        self.files: dict[Path, SourceText | None] = {}  # each distinct file read, by real path
        self.inputs: set[Path] = {loaded.path.resolve()}  # the map and the files it names
        self.read_bytes = 0  # of all the distinct source files
        self.quotes: dict[tuple[str, str], bool] = {}  # (source, quote) -> found
        self.work = {
            "quotes": MAX_QUOTE_WORK,
            "passages": MAX_PASSAGE_WORK,
            "suggestions": MAX_SUGGESTION_WORK,
        }
        self.choices: dict[tuple[str, ...], list[str]] = {}  # kinds -> the ids of those kinds

    def say(
        self, ypath: YPath, message: str, severity: Severity = "error", *, key: bool = False
    ) -> None:
        if any(ypath[:n] in self.loaded.tainted for n in range(len(ypath) + 1)):
            return  # the loader has reported what is wrong here
        line, col = self.loaded.spot(ypath, key=key)
        if self.family is not None and severity == "error":
            self.families[len(self.found)] = self.family
        self.found.append(Diagnostic(self.loaded.file, line, col, severity, printable(message)))

    def spend(self, budget: str, amount: int) -> bool:
        """Take `amount` from a bound on work (`MAX_*_WORK`); False once it is used up."""
        self.work[budget] -= amount
        return self.work[budget] >= 0

    def suggest(self, word: str, choices: list[str]) -> str:
        """`did_you_mean`, while the bound on suggestions lasts (each costs the choices)."""
        return did_you_mean(word, choices) if self.spend("suggestions", len(choices)) else ""

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
