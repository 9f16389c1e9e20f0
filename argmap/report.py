"""What argmap tells its user, for `check`, `build`, `export` and `watch` alike: the one place
that writes messages. Findings and failures go to standard error, results (summaries, the files
written) to standard output.

The stages raise errors and return results; `argmap.cli` hands them to a `Reporter`, which
knows how the command in use is written (its flag for the output, its output style).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from argmap.errors import ArgmapError, Diagnostic, MissingTool, Tally, WriteError
from argmap.model import Standing
from argmap.text import plural, printable, shown_path
from argmap.vocab import tally
from argmap.write import written

if TYPE_CHECKING:
    from argmap.interchange.convert import Imported
    from argmap.interchange.losses import Problem
    from argmap.validate import Validated
    from argmap.watch import Rebuild


@dataclass
class Reporter:
    """Prints findings, failures and results the same way for every command."""

    github: bool = False  # findings as GitHub Actions annotations
    out_flag: str | None = None  # how this command picks where to write, e.g. "-o DIR"
    stdout: TextIO | None = None  # None: sys.stdout, as it is when a line is written
    stderr: TextIO | None = None

    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        return self.stderr or sys.stderr

    def findings(self, found: Sequence[Diagnostic]) -> None:
        """Errors and warnings, one `FILE:LINE:COL: severity: message` line each."""
        for d in found:
            if self.github:
                level = "error" if d.severity == "error" else "warning"
                root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
                file = _gh(os.path.relpath(os.path.abspath(d.file), root), prop=True)
                line = f"::{level} file={file},line={d.line},col={d.col},title=argmap::"
                print(line + _gh(d.message), file=self.out)
            else:
                print(d, file=self.err)

    def failure(self, error: ArgmapError) -> None:
        """A failure that stopped the command (or left an output out), with what to do."""
        print(f"argmap: {printable(self.advice(error))}", file=self.err)

    def advice(self, error: ArgmapError) -> str:
        """The error's message, with how to choose another output where that helps."""
        if isinstance(error, WriteError) and error.elsewhere and self.out_flag:
            return f"{error}; or choose another output with {self.out_flag}"
        if isinstance(error, MissingTool) and error.more_time:
            return f"{error}: use --dot-timeout SECONDS or set ARGMAP_DOT_TIMEOUT"
        return str(error)

    def notes(self, notes: Sequence[str]) -> None:
        """Notes about the pictures (a PNG drawn smaller or left out, dot's warnings)."""
        for note in notes:
            print(f"argmap: note: {printable(note)}", file=self.err)  # (a cache's may be planted)

    def bug(self, error: Exception) -> None:
        print(
            f"argmap: internal error ({type(error).__name__}: {printable(str(error)[:500])}). "
            "This is a bug in argmap, not in your map: please report it with the map that "
            "caused it (ARGMAP_DEBUG=1 shows the traceback)",
            file=self.err,
        )

    def summary(
        self,
        file: Path | str,
        valid: Validated | None,
        total: Tally,
        *,
        side: str = "",
    ) -> None:
        """One line per map checked: what it holds and whether it is valid (`total` counts
        every finding, also those not shown; `side`: which side of `argmap diff` it is, "the
        old side")."""
        errors, warnings = total
        file = shown_path(str(file))
        if valid is None:
            counts = [plural(errors, "error")] + ([plural(warnings, "warning")] if warnings else [])
            which = f" ({side})" if side else ""
            print(f"{file}: {', '.join(counts)}: invalid{which}", file=self.err)
            return
        argmap = valid.argmap
        parts = [
            plural(len(argmap.claims), "claim"),
            plural(len(argmap.rebuttals), "rebuttal"),
            f"{len(argmap.evidence)} evidence",
            plural(len(argmap.speakers), "speaker"),
            plural(len(argmap.sources), "source"),
        ]
        tail = f" ({plural(warnings, 'warning')})" if warnings else ""
        print(f"{file}: {', '.join(parts)}: valid{tail}", file=self.out)

    def wrote(self, paths: Sequence[Path]) -> None:
        """What was written, a line a file; the claims' pictures as one line with a count."""
        for line in written(list(paths)):
            print(f"wrote {shown_path(line)}", file=self.out)

    def bad_input(self, source: Path, problems: Sequence[Problem]) -> None:
        """A file `argmap import` cannot read: each problem at its place, then a summary."""
        for problem in problems:  # (its message may quote the foreign file: shown escaped)
            print(printable(str(problem)), file=self.err)
        print(f"{source}: {plural(len(problems), 'error')}: nothing imported", file=self.err)

    def imported(self, result: Imported, source: Path, out: Path | None, fmt: str) -> None:
        """What `argmap import` wrote, and its loss report: every kind of loss counted, by
        line or node id; the foreign names given new ids. To standard error when the map
        itself went to standard output (`out` None)."""
        from argmap.interchange.convert import FORMAT_NAMES
        from argmap.interchange.losses import phrase
        from argmap.text import printable

        stream = self.err if out is None else self.out
        m = result.valid.argmap
        print(
            f"wrote {'standard output' if out is None else out}: "
            f"{plural(len(m.claims), 'claim')}, {plural(len(m.rebuttals), 'rebuttal')}, "
            f"{len(m.evidence)} evidence, {plural(len(m.speakers), 'speaker')} "
            f"(from {source}, {FORMAT_NAMES[fmt]})",
            file=stream,
        )
        if result.losses:
            kinds = plural(len(result.losses), "kind")
            print(f"not carried over ({kinds} of loss):", file=stream)
            for loss in result.losses:
                print(f"  {printable(phrase(loss))}", file=stream)  # (quotes the foreign file)
        else:
            print("nothing was lost", file=stream)
        if result.renamed:
            shown = list(result.renamed.items())
            pairs = ", ".join(f"{printable(a)} → {b}" for a, b in shown[:12])
            more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
            print(f"ids made from {plural(len(shown), 'name')}: {pairs}{more}", file=stream)
        if out is not None:
            print(f"next: argmap check {out} && argmap build {out}", file=stream)

    def waiting(self, folder: Path) -> Callable[[], None]:
        """What to call when a write into `folder` has to wait for another argmap."""

        def say() -> None:
            print(
                f"argmap: another argmap is writing into {folder}/; waiting for it to finish",
                file=self.err,
                flush=True,
            )

        return say

    def standings(self, counts: dict[Standing, int], brief: Path | None) -> None:
        """The end of a build: where the points stand, in one line, and the brief to open."""
        print(tally(counts), file=self.out)
        if brief is not None:
            print(f"open {brief.resolve().as_uri()}", file=self.out)

    def serving(self, url: str) -> None:
        self.say(f"serving the brief at {url} (Ctrl-C to stop)")

    def say(self, line: str) -> None:
        """A line for the user that is neither a finding nor a failure."""
        print(line, file=self.out, flush=True)

    def rebuilt(self, rebuild: Rebuild) -> None:
        """One rebuild of `argmap watch`: its findings, then one line saying how it went."""
        self.findings(rebuild.findings)
        self.notes(rebuild.notes)
        if isinstance(rebuild.failure, ArgmapError):
            self.failure(rebuild.failure)
        elif rebuild.failure is not None:
            print(f"argmap: {printable(str(rebuild.failure))}", file=self.err)
        stamp = f"[{rebuild.at}] {shown_path(str(rebuild.map_path))}"
        if rebuild.ok:
            files = ", ".join(shown_path(line) for line in written(list(rebuild.written)))
            print(f"{stamp}: built in {rebuild.seconds:.2f} s: wrote {files}", file=self.out)
        else:
            errors = sum(d.severity == "error" for d in rebuild.findings)
            errors += rebuild.failure is not None
            print(
                f"{stamp}: {plural(errors, 'error')}; the outputs are left as they were",
                file=self.out,
            )
        self.out.flush()


def _gh(text: str, *, prop: bool = False) -> str:
    """Escaped for a GitHub Actions workflow command (a property value also escapes : and ,)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text
