"""What can go wrong, in the user's words, and the exit code each failure carries.

Stages raise these; only `argmap.cli` turns them into printed messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Literal, NamedTuple

from argmap.text import printable, shown_path


class Exit(IntEnum):
    OK = 0
    INVALID = 1  # the map (or its sources) has errors
    USAGE = 2  # the command line is wrong, or a path cannot be used
    MISSING_TOOL = 3  # Graphviz's dot is not installed or failed
    INTERNAL = 70  # a bug in argmap (EX_SOFTWARE of sysexits.h)
    INTERRUPTED = 130  # stopped with Ctrl-C (128 + SIGINT, as shells report it)


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
    or the first of them, when `total` counts more.

    `inputs` are the files the map was read from, as far as validation got: the map and the
    source files it names (real paths), so that `argmap watch` knows what to watch.
    """

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        inputs: frozenset[Path] = frozenset(),
        total: Tally | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        self.inputs = inputs
        self.total = total or Tally.of(diagnostics)
        super().__init__(f"{self.total.errors} error(s)")


class UsageError(ArgmapError):
    """A command-line argument or path that cannot be used as given."""

    exit = Exit.USAGE


class MissingTool(ArgmapError):
    """Graphviz's `dot` is not installed, failed, or ran too long (`more_time`: the command
    line then says how to allow more)."""

    exit = Exit.MISSING_TOOL

    def __init__(self, message: str, *, more_time: bool = False) -> None:
        super().__init__(message)
        self.more_time = more_time


class WriteError(ArgmapError):
    """An output could not be written; the previous output is left as it was.

    `elsewhere` is True when writing to another folder would help: the command line then says
    how to choose one (the stage does not know the command's flags).
    """

    exit = Exit.USAGE

    def __init__(self, message: str, *, elsewhere: bool = False) -> None:
        super().__init__(message)
        self.elsewhere = elsewhere
