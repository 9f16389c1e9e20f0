"""The command line: the only place that prints messages and picks exit codes.

argmap check   [FILE...] [--strict] [--format text|github] [--explain ID]
argmap build   [FILE] [-o DIR] [--since REV]   every output into DIR (default: out/ beside FILE)
argmap diagram [FILE] [-o PATH]           the diagram as SVG
argmap brief   [FILE] [-o PATH]           the briefing page
argmap export  [FILE] --format json|dot|svg|png|html [--claim ID] [-o PATH|-]
argmap export  [FILE] --format argdown|aif|i23|apx|tgf [-o PATH|-]   another tool's format
argmap import  FILE [-o claims.yaml|-] [--from argdown|argdown-json|aif|kialo] [--force]
argmap watch   [FILE] [-o DIR] [--port N | --no-serve]   rebuild on save, serve with live reload
argmap new     [FILE] [--force]           write a commented starter map
argmap schema  [--export] [-o PATH]       the JSON Schema of claims.yaml (or of argmap.json)
argmap diff    [OLD [NEW]] [-- PATH] [--format text|markdown|json]   what an edit changed

Each command's --help says what it is for, shows an example and lists its exit codes. The CLI
resolves flags and environment variables into plain values for the stages, and reports through
one `argmap.report.Reporter`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from argmap import __version__
from argmap.errors import ArgmapError, Exit, InvalidMap, MissingTool, UsageError
from argmap.evaluate import Evaluation, evaluate
from argmap.evaluate.pivotal import analyse
from argmap.interchange.exports import EXPORTS as INTERCHANGE
from argmap.interchange.exports import Export
from argmap.pipeline import check
from argmap.render import render
from argmap.report import Reporter
from argmap.text import printable, shown
from argmap.validate import Validated, did_you_mean
from argmap.write import Inputs, refuse_inputs, write_all, write_file

CACHE = ".cache"  # in the output folder: the layouts of earlier builds (argmap.render.layout)
if TYPE_CHECKING:
    from argmap.diff import MapDiff

EXPORTS = {
    "json": "argmap.json",
    "dot": "argmap.dot",
    "svg": "argmap.svg",
    "png": "argmap.png",
    "html": "brief.html",
}


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
        if isinstance(e, OSError) and e.filename is not None:  # a path the system refuses
            report.failure(UsageError(unusable_path(e)))
            return Exit.USAGE
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        report.bug(e)
        return Exit.INTERNAL


def unusable_path(error: OSError) -> str:
    """The message for a path the system refuses (`ENAMETOOLONG`, `ELOOP`...), named shortly.

    >>> import errno
    >>> unusable_path(OSError(errno.ENAMETOOLONG, "File name too long", "a" * 300))[:28]
    'cannot use the path aaaaaaaa'
    """
    name = shown(str(error.filename), 120)
    reason = (error.strerror or "not usable").lower()
    return f"cannot use the path {name} ({reason}); give a shorter or another path"


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


def dot_timeout(option: float | None, environ: Mapping[str, str]) -> float | None:
    """The seconds Graphviz may take: `--dot-timeout`, else $ARGMAP_DOT_TIMEOUT, else None
    (the stage's default); `UsageError` naming where a value that is no duration came from.

    >>> dot_timeout(5.0, {}), dot_timeout(None, {"ARGMAP_DOT_TIMEOUT": " 7"}), dot_timeout(None, {})
    (5.0, 7.0, None)
    """
    from argmap.render.diagram import MAX_TIMEOUT  # here: `check` starts without graphviz

    raw = environ.get("ARGMAP_DOT_TIMEOUT", "").strip()
    if option is None and not raw:
        return None
    source = "--dot-timeout" if option is not None else "ARGMAP_DOT_TIMEOUT"
    try:
        value = option if option is not None else float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_TIMEOUT:
        shown = repr(option) if option is not None else repr(raw[:40])
        raise UsageError(
            f"{source} must be a number of seconds above 0 and at most "
            f"{MAX_TIMEOUT:g} (a day), not {shown}"
        )
    return value


def _settings(args: argparse.Namespace) -> tuple[Path | None, float | None]:
    """The render options, resolved from the flags and the environment: templates, timeout."""
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")
    return args.templates, dot_timeout(args.dot_timeout, os.environ)


_CODES: Final = {
    0: "done (warnings may have been printed)",
    1: "the map is invalid (every error is listed), or a template is broken",
    2: "usage: a bad option, a missing file, an output that cannot be written",
    3: "Graphviz's dot is missing or failed (the other outputs are written)",
    70: "a bug in argmap (ARGMAP_DEBUG=1 shows the traceback)",
    130: "stopped with Ctrl-C",
}


def _epilog(example: str, codes: Sequence[int | tuple[int, str]]) -> str:
    """The end of a command's --help: an example, then the exit codes it can end with (a
    code, or a code with what it means for this command)."""
    said = [code if isinstance(code, tuple) else (code, _CODES[code]) for code in codes]
    lines = [
        f"  {code:<3} {meaning}" for code, meaning in [*said, (70, _CODES[70]), (130, _CODES[130])]
    ]
    return f"example:\n  {example}\n\nexit codes:\n" + "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="argmap",
        description=(
            "Claim-and-rebuttal argument maps: validate claims.yaml, work out what still\n"
            "stands, draw the diagram and write the briefing page."
        ),
        epilog=_epilog("argmap build claims.yaml", [0, 1, 2, 3]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"argmap {__version__}")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    render_opts = argparse.ArgumentParser(add_help=False)
    render_opts.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="templates that override the defaults, file by file (docs/templates.md)",
    )
    render_opts.add_argument(
        "--dot-timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="how long Graphviz may take (default: $ARGMAP_DOT_TIMEOUT, else 60)",
    )
    render_opts.add_argument(
        "--no-cache",
        action="store_true",
        help="lay every picture out anew (default: reuse layouts kept in OUT/.cache/)",
    )

    def command(
        name: str,
        purpose: str,
        example: str,
        codes: Sequence[int | tuple[int, str]],
        run: object,
        *,
        renders: bool = True,
        takes_map: bool = True,
        out: str | None = None,
        out_help: str | None = None,
    ) -> argparse.ArgumentParser:
        """A subcommand whose --help says what it is for, shows an example and its exit codes."""
        c = sub.add_parser(
            name,
            help=purpose[0].lower() + purpose[1:].rstrip("."),
            description=purpose,
            epilog=_epilog(example, codes),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[render_opts] if renders else [],
        )
        if takes_map:
            c.add_argument(
                "file",
                nargs="?",
                default=Path("claims.yaml"),
                type=Path,
                metavar="FILE",
                help="the map (default: claims.yaml)",
            )
            c.add_argument("--strict", action="store_true", help="treat warnings as errors")
        if out is not None:  # a folder is a Path; a file may be '-', standard output
            c.add_argument(
                "-o",
                "--out",
                metavar=out,
                type=Path if out == "DIR" else str,
                help=out_help or _OUT_HELP[out],
            )
        c.set_defaults(run=run, format="text", out_flag=f"-o {out}" if out else None, parser=c)
        return c

    c = command(
        "check",
        "Validate maps and report every error and warning, with where and how to fix it.",
        "argmap check claims.yaml other.yaml --strict",
        [0, 1, 2],
        _check,
        renders=False,
        takes_map=False,
    )
    c.add_argument(
        "files",
        nargs="*",
        default=[Path("claims.yaml")],
        type=Path,
        metavar="FILE",
        help="the maps (default: claims.yaml)",
    )
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="how to report: text (FILE:LINE:COL lines, the default) or github "
        "(annotations for GitHub Actions)",
    )
    c.add_argument(
        "--explain",
        metavar="ID",
        help="print one point's standing, reason, rebuttal chain and the points it hangs on",
    )
    c.set_defaults(file=None)
    b = command(
        "build",
        "Write every output: the diagram (SVG, PNG, DOT), the brief (HTML) and the JSON export.",
        "argmap build claims.yaml -o out --since HEAD~1",
        [0, 1, 2, 3],
        _build,
        out="DIR",
    )
    b.add_argument(
        "--since",
        metavar="REV",
        help="mark in the brief what changed since this git revision of the map",
    )
    command(
        "diagram",
        "Write the diagram as SVG.",
        "argmap diagram claims.yaml -o map.svg",
        [0, 1, 2, 3],
        _one("svg"),
        out="PATH",
    )
    command(
        "brief",
        "Write the briefing page (one self-contained HTML file).",
        "argmap brief claims.yaml -o brief.html",
        [0, 1, 2, 3],
        _one("html"),
        out="PATH",
    )
    e = command(
        "export",
        "Write one output, in the format you choose.",
        "argmap export claims.yaml --format json -o - | jq .counts",
        [0, 1, 2, 3],
        _export,
        out="PATH",
    )
    e.add_argument(
        "--format",
        required=True,
        choices=sorted([*EXPORTS, *INTERCHANGE]),
        dest="export_format",
        help="what to write: json (the JSON export, docs/FORMAT.md), dot (the diagram's "
        "Graphviz source), svg or png (the diagram), html (the brief); argdown or aif (for "
        "other argument-mapping tools), i23, apx or tgf (the attack graph, for ICCMA solvers)",
    )
    e.add_argument(
        "--claim",
        metavar="ID",
        help="one claim's own diagram instead of the whole map's (--format svg or dot)",
    )
    w = command(
        "watch",
        "Rebuild on every save and serve the brief on 127.0.0.1, reloading it in the browser.",
        "argmap watch claims.yaml --port 8001",
        [0, 2, 3],
        _watch,
        out="DIR",
    )
    w.add_argument(
        "--port",
        type=_port,
        default=8000,
        metavar="N",
        help="serve the brief on http://127.0.0.1:N (default 8000)",
    )
    w.add_argument("--no-serve", action="store_true", help="rebuild only; serve nothing")
    n = command(
        "new",
        "Write a commented starter map, its example source and claims.schema.json (if missing).",
        "argmap new debate/claims.yaml",
        [0, 2],
        _new,
        renders=False,
        takes_map=False,
    )
    n.add_argument(
        "file",
        nargs="?",
        default=Path("claims.yaml"),
        type=Path,
        metavar="FILE",
        help="where to write the map (default: claims.yaml)",
    )
    n.add_argument("--force", action="store_true", help="replace the files if they exist")
    df = command(
        "diff",
        "Compare two versions of a map: files, or git revisions read with git show (nothing is\n"
        "checked out). 'argmap diff OLD NEW', 'argmap diff REV' (REV's claims.yaml against the\n"
        "file as it is), 'argmap diff REV [REV2] -- PATH'.",
        "argmap diff HEAD~1 --format markdown",
        [(0, "no standing changed"), (1, "a standing changed, or a side is invalid"), 2],
        _diff,
        renders=False,
        takes_map=False,
    )
    df.add_argument("sides", nargs="*", metavar="SIDE", help="a claims.yaml, or a git revision")
    df.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="how to write it: text (the default), markdown (for a pull-request comment) or "
        "json (for scripts)",
    )
    df.add_argument("--strict", action="store_true", help="treat warnings as errors")
    df.set_defaults(file=Path("claims.yaml"))
    s = command(
        "schema",
        "Write the JSON Schema of claims.yaml, for editors.",
        "argmap schema -o claims.schema.json",
        [0, 2],
        _schema,
        renders=False,
        takes_map=False,
        out="PATH",
        out_help="where to write (default, or '-': standard output)",
    )
    s.add_argument(
        "--export",
        action="store_true",
        help="the schema of the JSON export (argmap.json, format argmap/1) instead",
    )
    i = command(
        "import",
        "Turn an Argdown file, the JSON of `argdown json`, an AIF (AIFdb JSON) file or a Kialo\n"
        "discussion export into a claims.yaml that passes `argmap check`, and report everything\n"
        "that could not be carried over.",
        "argmap import debate.argdown -o claims.yaml",
        [0, 1, 2],
        _import,
        renders=False,
        takes_map=False,
    )
    i.add_argument("source", type=Path, metavar="FILE", help="the file to import")
    i.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("claims.yaml"),
        metavar="PATH",
        help="where (default: claims.yaml; '-': standard output, the report on standard error)",
    )
    i.add_argument(
        "--from",
        dest="from_format",
        choices=("argdown", "argdown-json", "aif", "kialo"),
        help="the file's format (default: guessed from its name and content)",
    )
    i.add_argument("--force", action="store_true", help="replace the output if it exists")
    i.set_defaults(file=None, out_flag="-o PATH")
    return p


_OUT_HELP: Final = {
    "DIR": "the output folder (default: out/ beside the map)",
    "PATH": "where to write ('-': standard output; default: out/ beside the map)",
}


def _port(text: str) -> int:
    """A TCP port for `watch --port` (0: any free one); argparse makes any other a usage error."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{printable(text[:20])}' is not a port: give a number from 0 to 65535 "
            "(0: any free port)"
        )
    return port


def _load(args: argparse.Namespace, report: Reporter) -> Validated:
    valid = check(args.file, str(args.file), strict=args.strict)
    report.findings(valid.warnings)
    return valid


def _check(args: argparse.Namespace, report: Reporter) -> int:
    if args.explain is not None:
        return _explain(args, report)
    worst = Exit.OK
    for file in args.files:
        try:
            valid = check(file, str(file), strict=args.strict)
        except InvalidMap as e:
            report.findings(e.diagnostics)
            report.summary(file, None, e.total)
            worst = max(worst, Exit.INVALID)
        except ArgmapError as e:
            report.failure(e)
            worst = max(worst, e.exit)
        else:
            report.findings(valid.warnings)
            report.summary(file, valid, valid.total)
    return worst


def _explain(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.render.explain import explain

    if len(args.files) != 1:
        raise UsageError("--explain takes one map: argmap check FILE --explain ID")
    args.file = args.files[0]
    valid = _load(args, report)
    ids = [s.id for s in valid.argmap.statements()]
    if args.explain not in ids:
        raise UsageError(
            f"--explain {shown(args.explain)}: {args.file} has no claim, rebuttal or evidence "
            f"with that id{did_you_mean(args.explain, ids)}"
        )
    evaluation = evaluate(valid.argmap)
    pivotal = analyse(valid.argmap, [args.explain])
    report.say(explain(valid.argmap, evaluation, args.explain, pivotal).rstrip("\n"))
    return Exit.OK


def _build(args: argparse.Namespace, report: Reporter) -> int:
    templates, timeout = _settings(args)
    valid = _load(args, report)
    out_dir = args.out or args.file.parent / "out"
    inside = None if args.out else args.file.parent  # a default out/ must stay in the folder
    inputs = _inputs(args, valid)
    refuse_inputs([out_dir / name for name in EXPORTS.values()], inputs)  # before the work
    evaluation = evaluate(valid.argmap)
    changes = _since(args, valid, evaluation, report) if args.since is not None else None
    rendered = render(
        valid,
        evaluation,
        map_name=args.file.name,
        templates=templates,
        timeout=timeout,
        cache_dir=None if args.no_cache else out_dir / CACHE,
        pivotal=analyse(valid.argmap),
        changes=changes,
    )
    waiting = report.waiting(out_dir)
    written = write_all(
        out_dir,
        rendered.files,
        inside=inside,
        inputs=inputs,
        waiting=waiting,
        keep=rendered.keep,
    )
    report.wrote(written)
    rendered.keep_layouts()
    report.notes(rendered.notes)
    code = _tool_problem(rendered.problem, report)
    brief = next((path for path in written if path.name == "brief.html"), None)
    report.standings(evaluation.counts(), brief)  # last: what the user reads first
    return code


def _since(
    args: argparse.Namespace, valid: Validated, evaluation: Evaluation, report: Reporter
) -> MapDiff | None:
    """This map compared with its revision `--since REV`; None, said why, if that one is invalid."""
    from argmap.diff import Side, Spec, compare, read_side

    old = Spec(args.file, args.since)
    try:
        before = read_side(old)
    except InvalidMap as e:
        errors = sum(d.severity == "error" for d in e.diagnostics)
        report.failure(
            ArgmapError(
                f"--since {shown(args.since)}: the map at that revision ({old.label}) has "
                f"{errors} error{'s' * (errors != 1)}, so the brief does not mark changes "
                f"(argmap diff {shown(args.since)} lists them)"
            )
        )
        return None
    return compare(before, Side(Spec(args.file), valid, evaluation))


def _diff(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.diff import compare, read_side, specs
    from argmap.render.diff import to_json, to_markdown, to_text

    old, new = specs(args.sides, args.paths, args.file)
    sides = []
    for which, spec in (("old", old), ("new", new)):
        try:
            sides.append(read_side(spec, strict=args.strict))
        except InvalidMap as e:
            report.findings(e.diagnostics)
            report.summary(spec.label, None, e.total, side=f"the {which} side")
            return Exit.INVALID
    result = compare(sides[0], sides[1])
    formats = {"text": to_text, "markdown": to_markdown, "json": to_json}
    report.say(formats[args.format](result).rstrip("\n"))
    return Exit.INVALID if result.standing_changed else Exit.OK


def _one(fmt: str) -> object:
    def run(args: argparse.Namespace, report: Reporter) -> int:
        args.export_format = fmt
        return _export(args, report)

    return run


def _export(args: argparse.Namespace, report: Reporter) -> int:
    templates, timeout = _settings(args)
    valid = _load(args, report)
    interchange = INTERCHANGE.get(args.export_format)
    if interchange is not None:
        if getattr(args, "claim", None) is not None:
            raise UsageError(
                f"--claim draws a claim's diagram as svg or dot, not {args.export_format}"
            )
        return _export_other(args, valid, interchange, report)
    name = EXPORTS[args.export_format]
    if getattr(args, "claim", None) is not None:  # export --claim (not brief or diagram)
        name = _claim_picture(valid, args.claim, args.export_format)
    default_out = args.file.parent / "out"
    path = Path(args.out) if args.out else default_out / name
    inputs = _inputs(args, valid)
    if args.out != "-":
        refuse_inputs([path], inputs)  # before the work of rendering
    rendered = render(
        valid,
        evaluate(valid.argmap),
        map_name=args.file.name,
        templates=templates,
        only=(name,),
        timeout=timeout,
        # The cache lives in the default output folder; an export elsewhere makes none.
        cache_dir=None if args.no_cache or args.out else default_out / CACHE,
        pivotal=analyse(valid.argmap) if name in ("argmap.json", "brief.html") else None,
    )
    report.notes(rendered.notes)
    if name not in rendered.files:
        if rendered.problem is None:  # a picture left out on purpose (the notes say why)
            report.failure(MissingTool(f"{name} was not drawn"))
            return Exit.MISSING_TOOL
        return _tool_problem(rendered.problem, report)
    data = rendered.files[name]
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        inside = None if args.out else args.file.parent
        if not write_file(path, data, inside=inside, inputs=inputs):
            report.wrote([path])  # not for a device or pipe: it may be this very output
        rendered.keep_layouts()
    return _tool_problem(rendered.problem, report)


def _export_other(
    args: argparse.Namespace, valid: Validated, chosen: Export, report: Reporter
) -> int:
    """Another tool's format (Argdown, AIF, ICCMA): written from the map alone."""
    path = Path(args.out) if args.out else args.file.parent / "out" / chosen.file
    data = chosen.write(valid.argmap).encode()
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return Exit.OK
    inputs = _inputs(args, valid)
    inside = None if args.out else args.file.parent
    if not write_file(path, data, inside=inside, inputs=inputs):
        report.wrote([path])
    return Exit.OK


def _import(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.interchange.importer import guess_and_import
    from argmap.interchange.report import BadInput

    args.file = args.source  # named in the summary of an InvalidMap (text that is not UTF-8)
    to_stdout = str(args.out) == "-"
    # With `-o -` the map is checked as if it were claims.yaml in the current folder.
    out: Path = Path("claims.yaml") if to_stdout else args.out
    if not to_stdout and out.exists() and not args.force:
        raise UsageError(f"{out} already exists; choose another name with -o, or add --force")
    if not out.absolute().parent.is_dir():
        raise UsageError(f"{out.parent} is not a folder; create it first")
    inputs: Inputs = {args.source: f"the file to import ({printable(str(args.source))})"}
    if not to_stdout:
        refuse_inputs([out], inputs)
    try:
        imported, fmt = guess_and_import(args.source, out, args.from_format, str(args.source))
    except BadInput as e:
        report.bad_input(args.source, e.problems)
        return Exit.INVALID
    if to_stdout:
        sys.stdout.write(imported.text)
        sys.stdout.flush()
    else:
        write_file(out, imported.text.encode("utf-8"), inputs=inputs)
    report.imported(imported, args.source, None if to_stdout else out, fmt)
    return Exit.OK


def _claim_picture(valid: Validated, claim: str, fmt: str) -> str:
    """The output name of one claim's picture ("claims/ID.svg"), or `UsageError`."""
    claims = [c.id for c in valid.argmap.claims]
    if fmt not in ("svg", "dot"):
        raise UsageError(f"--claim draws a claim's diagram as svg or dot, not {fmt}")
    if claim not in claims:
        hint = did_you_mean(claim, claims) or f"; the claims are: {', '.join(claims[:12])}"
        raise UsageError(f"--claim {claim[:60]!r} is not a claim of this map{hint}")
    return f"claims/{claim}.{fmt}"


def _watch(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.watch import watch

    templates, timeout = _settings(args)
    code = watch(
        args.file,
        args.out,
        port=None if args.no_serve else args.port,
        templates=templates,
        strict=args.strict,
        dot_timeout=timeout,
        listener=report,
        cache=not args.no_cache,
    )
    if code == Exit.INTERRUPTED:  # Ctrl-C is how a watch ends
        report.say("stopped")
        return Exit.OK
    return code


def _new(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.starter import write_starter

    report.wrote(write_starter(args.file, force=args.force))
    report.say(f"next: open {args.file} in your editor and run: argmap watch {args.file}")
    return Exit.OK


def _schema(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.render.export import SCHEMA_ID as EXPORT_SCHEMA_ID
    from argmap.render.export import export_schema_text
    from argmap.schema import SCHEMA_ID, holds_other_text, schema_text

    text = export_schema_text() if args.export else schema_text()
    if args.out in (None, "-"):
        sys.stdout.write(text)
        return Exit.OK
    path = Path(args.out)
    if holds_other_text(path, EXPORT_SCHEMA_ID if args.export else SCHEMA_ID):
        raise UsageError(
            f"{path} already holds something else than argmap's schema; argmap schema -o "
            "replaces only an earlier schema: choose another path, or delete the file first"
        )
    if not write_file(path, text.encode()):
        report.wrote([path])
    return Exit.OK


def _inputs(args: argparse.Namespace, valid: Validated) -> Inputs:
    """The files an output must never replace: the map, its schema, its source files."""
    schema = args.file.parent / "claims.schema.json"
    found: dict[Path, str] = {
        args.file: f"the map ({printable(str(args.file))})",
        schema: f"the map's schema ({printable(str(schema))})",
    }
    for s in valid.argmap.sources:
        if s.file:
            what = f"the file of source '{s.id}' ({printable(s.file)})"
            found.setdefault(valid.map_dir / s.file, what)
    return found


def _tool_problem(problem: ArgmapError | None, report: Reporter) -> int:
    if problem is None:
        return Exit.OK
    report.failure(problem)
    return Exit.MISSING_TOOL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
