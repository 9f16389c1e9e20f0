"""The command line: the only place that prints messages and picks exit codes.

argmap check   [FILE...] [--strict] [--format text|github] [--explain ID]
argmap build   [FILE] [-o DIR] [--since REV]   every output into DIR (default: out/ beside FILE)
argmap diagram [FILE] [-o PATH]           the diagram as SVG
argmap brief   [FILE] [-o PATH]           the briefing page
argmap export  [FILE] --format json|dot|svg|png|html [--claim ID] [-o PATH|-]
argmap export  [FILE] --format argdown|aif|xaif|i23|apx|tgf [-o PATH|-]   another tool's format
argmap import  FILE [-o claims.yaml|-] [--from argdown|argdown-json|aif|xaif|kialo] [--force]
argmap watch   [FILE] [-o DIR] [--port N | --no-serve]   rebuild on save, serve with live reload
argmap new     [FILE] [--force]           write a commented starter map
argmap schema  [--export] [-o PATH]       the JSON Schema of claims.yaml (or of argmap.json)
argmap diff    [OLD [NEW]] [-- PATH] [--format text|markdown|json]   what an edit changed

Each command's --help says what it is for, shows an example and lists its exit codes. The CLI
resolves flags and environment variables into plain values for the stages, and reports through
one `argmap.report.Reporter`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Final

from argmap import app, outputs
from argmap.cli.commands import dot_timeout
from argmap.cli.parser import _parser
from argmap.errors import ArgmapError, Exit, InvalidMap
from argmap.report import Reporter

__all__ = ["CACHE", "EXPORTS", "_parser", "dot_timeout", "main"]

CACHE: Final = app.PROJECT.cache  # in the output folder: the layouts of earlier builds

EXPORTS: Final = outputs.EXPORT_FORMATS  # --format -> output name (argmap.outputs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    paths: list[str] | None = None
    if argv[:1] == ["diff"] and "--" in argv:  # `argmap diff REV -- PATH`: PATH is no side
        at = argv.index("--")
        argv, paths = argv[:at], argv[at + 1 :]
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said with the usage of the command it was given to
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    args.paths = paths
    if not getattr(args, "run", None):
        parser.print_help()
        return Exit.USAGE
    report = Reporter(github=args.format == "github", out_flag=getattr(args, "out_flag", None))
    try:
        with _stopped_by_signals():
            code: int = args.run(args, report)
        return code
    except InvalidMap as e:
        report.findings(e.diagnostics)
        report.summary(getattr(args, "file", None) or "the map", None, e.total)
        return Exit.INVALID
    except ArgmapError as e:
        report.failure(e)
        return e.exit
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except Exception as e:  # a bug in argmap: say so plainly, the traceback only on request
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        report.bug(e)
        return Exit.INTERNAL


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a CI job cancelled, `timeout`, a closed terminal) end argmap the way
    Ctrl-C does: by an exception, so that every running dot is killed and staged files are
    removed on the way out; exit status 128 + the signal's number, as the shell reports it."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    try:
        before = {name: signal.signal(getattr(signal, name), stop) for name in wanted}
    except ValueError:  # not the main thread (argmap called as a library): leave them be
        before = {}
    try:
        yield
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
