"""What can go wrong, in the user's words, and the exit code each failure carries.

Stages raise these; only `argmap.cli` turns them into printed messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal, NamedTuple

from argmap.text import printable, shown_path


class Exit(IntEnum):
    OK = 0
    INVALID = 1  # the map (or its sources) has errors
    USAGE = 2  # the command line is wrong, or a path cannot be used
    MISSING_TOOL = 3  # Graphviz's dot is not installed or failed


Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about a file, at a place a person can jump to (1-based line and column)."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        file = shown_path(self.file)
        return f"{file}:{self.line}:{self.col}: {self.severity}: {printable(self.message)}"


class ArgmapError(Exception):
    """Base of every failure argmap reports to a user; `exit` is the process exit code."""

    exit: Exit = Exit.INVALID


class Tally(NamedTuple):
    """How many errors and warnings a check found: all of them, also those not shown."""

    errors: int
    warnings: int

    @classmethod
    def of(cls, found: Sequence[Diagnostic]) -> Tally:
        errors = sum(d.severity == "error" for d in found)
        return cls(errors, len(found) - errors)


class InvalidMap(ArgmapError):
    """The map has errors; `diagnostics` holds all of them (and any warnings), in file order,
    or the first of them, when `total` counts more."""

    def __init__(self, diagnostics: list[Diagnostic], total: Tally | None = None) -> None:
        self.diagnostics = diagnostics
        self.total = total or Tally.of(diagnostics)
        super().__init__(f"{self.total.errors} error(s)")


class UsageError(ArgmapError):
    """A command-line argument or path that cannot be used as given."""

    exit = Exit.USAGE


class MissingTool(ArgmapError):
    """Graphviz's `dot` is not installed, failed, or ran too long."""

    exit = Exit.MISSING_TOOL


class WriteError(ArgmapError):
    """An output could not be written; the previous output is left as it was."""

    exit = Exit.USAGE
