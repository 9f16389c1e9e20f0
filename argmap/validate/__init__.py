"""Stage 2, validate: check loaded data against the format and turn it into an `ArgMap`.

Every problem is reported at once, as a `Diagnostic` at the place it was written: schema errors
from the pydantic models (translated into the user's words), then the checks that need the whole
map (ids, references, quotes, files), then the warnings.

This module holds the entry point, `validate`. Its `_Checker` is made of one mixin per concern,
each on the same core (`core`: the state, and the helpers every check uses): `messages` the
schema errors, `references` the ids, references and warnings, `sources` the source files and
quotes (`quotes` finds a quote in a text).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from argmap.errors import Diagnostic, InvalidMap, Severity, Tally
from argmap.load import MAX_ERRORS, Loaded
from argmap.model import ArgMap
from argmap.validate.core import Warned, Work
from argmap.validate.core import did_you_mean as did_you_mean  # part of this module's API
from argmap.validate.messages import SchemaChecks
from argmap.validate.references import ReferenceChecks
from argmap.validate.sources import MAX_PASSAGE_WORK, MAX_QUOTE_WORK

# A bound on work, as MAX_QUOTE_WORK and MAX_PASSAGE_WORK are (see argmap.validate.sources):
# characters compared for "did you mean", a word's length times the lengths of the names it is
# compared with, summed (difflib compares some 15 million such pairs a second).
MAX_SUGGESTION_WORK: Final = 3_000_000
SAME_ERRORS: Final = 3  # more errors than this of one family (see `_collapse`) become one

NO_FINDINGS: Final = Tally(0, 0)


@dataclass(frozen=True)
class Validated:
    """A valid map, with its warnings, as the later stages need it."""

    argmap: ArgMap
    warnings: list[Diagnostic]  # the first MAX_ERRORS of them
    map_dir: Path
    inputs: frozenset[Path] = frozenset()  # the map and its source files (real paths)
    total: Tally = NO_FINDINGS  # every warning, also those not shown


def validate(loaded: Loaded, *, strict: bool = False, collapse: bool = True) -> Validated:
    """The map as an `ArgMap`, or `InvalidMap` with every error (and warning) in file order.

    With `strict`, warnings count as errors. With `collapse` (the default), more than
    `SAME_ERRORS` findings of one family are shown as the first (errors) or the first few
    (warnings) and a count that names the others' lines; without it, each is shown.
    """
    check = _Checker(loaded, Work(MAX_QUOTE_WORK, MAX_PASSAGE_WORK, MAX_SUGGESTION_WORK))
    argmap = check.schema()
    check.references()
    check.reported_speech()
    check.warnings()
    warned = sum(d.severity == "warning" for d in [*loaded.problems, *check.found])
    families = check.families if collapse else _errors_only(check.families)
    mine = _collapse(check.found, families)
    found = sorted([*loaded.problems, *mine], key=lambda d: (d.line, d.col))
    warned_shown = sum(d.severity == "warning" for d in found)
    if strict:
        found = [
            Diagnostic(d.file, d.line, d.col, "error", d.message + " (--strict)")
            if d.severity == "warning"
            else d
            for d in found
        ]
    # every warning counts, also those folded into a count (and, with `strict`, as an error)
    errors = sum(d.severity == "error" for d in found) - (warned_shown if strict else 0)
    total = Tally(errors + warned, 0) if strict else Tally(errors, warned)
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


def _errors_only(families: dict[int, Hashable]) -> dict[int, Hashable]:
    """The families of errors: those of warnings (`Warned`) left out, so each is shown."""
    return {at: family for at, family in families.items() if not isinstance(family, Warned)}


def _lines(found: list[Diagnostic]) -> str:
    """'12, 15, 18, 21, 24, …': where the findings folded into a count are."""
    return ", ".join(str(d.line) for d in found[:5]) + (", …" if len(found) > 5 else "")


def _collapse(found: list[Diagnostic], families: dict[int, Hashable]) -> list[Diagnostic]:
    """A flood of errors from one broken section as its first error and a count: errors of one
    family (the same mistake in every item of a section, or references into a section in
    which no item could be read), more than `SAME_ERRORS` of them, become one error that says
    where the others are. A flood of one kind of warning (`Warned`) shows its first
    `SAME_ERRORS` warnings, then one that counts the others and says where they are.
    `families` maps an index in `found` to its family."""
    groups: dict[Hashable, list[int]] = {}
    for at, family in families.items():
        groups.setdefault(family, []).append(at)
    dropped: set[int] = set()
    result = list(found)
    for family, same in groups.items():
        if isinstance(family, Warned) and len(same) > SAME_ERRORS + 1:
            first, others = found[same[SAME_ERRORS]], [found[at] for at in same[SAME_ERRORS:]]
            result[same[SAME_ERRORS]] = Diagnostic(
                first.file,
                first.line,
                first.col,
                "warning",
                f"{len(others)} more {family.what}, at lines {_lines(others)} "
                "(--verbose lists each)",
            )
            dropped.update(same[SAME_ERRORS + 1 :])
        elif isinstance(family, Warned):
            continue
        elif len(same) > SAME_ERRORS:
            first, others = found[same[0]], [found[at] for at in same[1:]]
            more = f" (and {len(others)} more errors like it, at lines {_lines(others)})"
            result[same[0]] = Diagnostic(
                first.file, first.line, first.col, "error", first.message + more
            )
            dropped.update(same[1:])
    return [d for at, d in enumerate(result) if at not in dropped]


class _Checker(SchemaChecks, ReferenceChecks):
    """Every check of a map, on the state its core (`argmap.validate.core`) holds."""
