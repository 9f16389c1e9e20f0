"""The command line: the only place that prints messages and picks exit codes.

argmap check   [FILE...] [--strict] [--format text|github]
argmap build   [FILE] [-o DIR]            every output into DIR (default: out/ beside FILE)
argmap diagram [FILE] [-o PATH]           the diagram as SVG
argmap brief   [FILE] [-o PATH]           the briefing page
argmap export  [FILE] --format json|dot|svg|png|html|argdown|aif|i23|apx|tgf [-o PATH|-]
argmap import  FILE [-o claims.yaml|-] [--from argdown|argdown-json|aif|kialo] [--force]
argmap watch   [FILE] [-o DIR] [--port N | --no-serve]   rebuild on save, serve with live reload
argmap new     [FILE] [--force]           write a commented starter map
argmap schema  [--export] [-o PATH]       the JSON Schema of claims.yaml (or of argmap.json)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from argmap import __version__
from argmap.errors import ArgmapError, Diagnostic, Exit, InvalidMap, UsageError
from argmap.evaluate import evaluate
from argmap.interchange.exports import EXPORTS as INTERCHANGE
from argmap.pipeline import check
from argmap.render import render
from argmap.text import printable
from argmap.validate import Validated
from argmap.write import write_all, write_atomic

EXPORTS = {
    "json": "argmap.json",
    "dot": "argmap.dot",
    "svg": "argmap.svg",
    "png": "argmap.png",
    "html": "brief.html",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return Exit.USAGE
    try:
        code: int = args.run(args)
        return code
    except InvalidMap as e:
        _report(e.diagnostics, args)
        _summary(args.file, None, e.diagnostics)
        return Exit.INVALID
    except ArgmapError as e:
        print(f"argmap: {e}", file=sys.stderr)
        return e.exit
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in argmap: say so plainly, the traceback only on request
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        print(
            f"argmap: internal error ({type(e).__name__}: {e}). This is a bug in argmap, "
            "not in your map: please report it with the map that caused it "
            "(ARGMAP_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 70


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="argmap",
        description=(
            "Claim-and-rebuttal argument maps: validate claims.yaml, work out what still stands, "
            "draw the diagram and write the briefing page."
        ),
    )
    p.add_argument("--version", action="version", version=f"argmap {__version__}")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    render_opts = argparse.ArgumentParser(add_help=False)
    render_opts.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="templates that override the defaults, file by file",
    )
    render_opts.add_argument(
        "--dot-timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="how long Graphviz may take (default: $ARGMAP_DOT_TIMEOUT, else 60)",
    )

    def command(
        name: str,
        help_: str,
        run: object,
        *,
        renders: bool = True,
    ) -> argparse.ArgumentParser:
        c = sub.add_parser(
            name, help=help_, description=help_, parents=[render_opts] if renders else []
        )
        c.add_argument(
            "file",
            nargs="?",
            default="claims.yaml",
            type=Path,
            help="the map (default: claims.yaml)",
        )
        c.add_argument("--strict", action="store_true", help="treat warnings as errors")
        c.set_defaults(run=run, format="text")
        return c

    c = sub.add_parser(
        "check",
        help="validate maps and report every error and warning",
        description="Validate maps and report every error and warning.",
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
    c.set_defaults(run=_check, file=None)
    c.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github': annotations for GitHub Actions",
    )
    b = command("build", "write the diagram, the brief and the JSON export", _build)
    b.add_argument(
        "-o", "--out", type=Path, metavar="DIR", help="output folder (default: out/ beside the map)"
    )
    for name, help_, run in (
        ("diagram", "write the diagram as SVG", _one("svg")),
        ("brief", "write the briefing page (HTML)", _one("html")),
    ):
        d = command(name, help_, run)
        d.add_argument("-o", "--out", metavar="PATH", help="where to write ('-': standard output)")
    e = command("export", "write one output in the format you choose", _export)
    e.add_argument(
        "--format", required=True, choices=sorted([*EXPORTS, *INTERCHANGE]), dest="export_format"
    )
    e.add_argument("-o", "--out", metavar="PATH", help="where to write ('-': standard output)")
    w = command("watch", "rebuild on every save and serve the brief with live reload", _watch)
    w.add_argument(
        "-o", "--out", type=Path, metavar="DIR", help="output folder (default: out/ beside the map)"
    )
    w.add_argument(
        "--port",
        type=int,
        default=8000,
        help="serve the brief on http://127.0.0.1:PORT (default 8000)",
    )
    w.add_argument("--no-serve", action="store_true", help="rebuild only; serve nothing")
    n = sub.add_parser(
        "new",
        help="write a commented starter map",
        description="Write a commented starter map, its example source and "
        "claims.schema.json (if missing).",
    )
    n.add_argument(
        "file", nargs="?", default="claims.yaml", type=Path, help="where (default: claims.yaml)"
    )
    n.add_argument("--force", action="store_true", help="replace the files if they exist")
    n.set_defaults(run=_new, format="text")
    s = sub.add_parser(
        "schema",
        help="write the JSON Schema of claims.yaml, for editors",
        description="Write the JSON Schema of claims.yaml, for editors.",
    )
    s.add_argument("-o", "--out", metavar="PATH", help="where to write (default: standard output)")
    s.add_argument(
        "--export",
        action="store_true",
        help="the schema of the JSON export (argmap.json, format argmap/1) instead",
    )
    s.set_defaults(run=_schema, format="text")
    i = sub.add_parser(
        "import",
        help="turn an Argdown, AIF or Kialo file into a claims.yaml",
        description="Turn an Argdown file, the JSON of `argdown json`, an AIF (AIFdb JSON) file "
        "or a Kialo discussion export into a claims.yaml that passes `argmap check`, and report "
        "everything that could not be carried over.",
    )
    i.add_argument("source", type=Path, metavar="FILE", help="the file to import")
    i.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("claims.yaml"),
        help="where (default: claims.yaml; '-': standard output, the report on standard error)",
    )
    i.add_argument(
        "--from",
        dest="from_format",
        choices=("argdown", "argdown-json", "aif", "kialo"),
        help="the file's format (default: guessed from its name and content)",
    )
    i.add_argument("--force", action="store_true", help="replace the output if it exists")
    i.set_defaults(run=_import, format="text", file=None)
    return p


def _load(args: argparse.Namespace) -> Validated:
    return check(args.file, str(args.file), strict=args.strict)


def _check(args: argparse.Namespace) -> int:
    worst = Exit.OK
    for file in args.files:
        try:
            valid = check(file, str(file), strict=args.strict)
        except InvalidMap as e:
            _report(e.diagnostics, args)
            _summary(file, None, e.diagnostics)
            worst = max(worst, Exit.INVALID)
        except ArgmapError as e:
            print(f"argmap: {e}", file=sys.stderr)
            worst = max(worst, e.exit)
        else:
            _report(valid.warnings, args)
            _summary(file, valid, valid.warnings)
    return worst


def _build(args: argparse.Namespace) -> int:
    valid = _load(args)
    _report(valid.warnings, args)
    out_dir = args.out or args.file.parent / "out"
    inside = None if args.out else args.file.parent  # a default out/ must stay in the folder
    rendered = render(
        valid,
        evaluate(valid.argmap),
        map_name=args.file.name,
        templates=args.templates,
        timeout=args.dot_timeout,
    )
    for path in write_all(out_dir, rendered.files, inside=inside):
        print(f"wrote {path}")
    return _tool_problem(rendered.problem)


def _one(fmt: str) -> object:
    def run(args: argparse.Namespace) -> int:
        args.export_format = fmt
        return _export(args)

    return run


def _export(args: argparse.Namespace) -> int:
    valid = _load(args)
    _report(valid.warnings, args)
    if args.export_format in INTERCHANGE:
        chosen = INTERCHANGE[args.export_format]
        _write_one(args, chosen.file, chosen.write(valid.argmap).encode())
        return Exit.OK
    name = EXPORTS[args.export_format]
    rendered = render(
        valid,
        evaluate(valid.argmap),
        map_name=args.file.name,
        templates=args.templates,
        only=(name,),
        timeout=args.dot_timeout,
    )
    if name not in rendered.files:
        return _tool_problem(rendered.problem)
    _write_one(args, name, rendered.files[name])
    return _tool_problem(rendered.problem)


def _write_one(args: argparse.Namespace, name: str, data: bytes) -> None:
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        path = Path(args.out) if args.out else args.file.parent / "out" / name
        write_all(path.parent, {path.name: data}, inside=None if args.out else args.file.parent)
        print(f"wrote {path}")


def _import(args: argparse.Namespace) -> int:
    from argmap.interchange.build import FORMAT_NAMES
    from argmap.interchange.importer import guess_and_import
    from argmap.interchange.report import BadInput, phrase

    args.file = args.source  # named in the summary of an InvalidMap (text that is not UTF-8)
    to_stdout = str(args.out) == "-"
    # With `-o -` the map is checked as if it were claims.yaml in the current folder.
    out: Path = Path("claims.yaml") if to_stdout else args.out
    if not to_stdout and out.exists() and not args.force:
        raise UsageError(f"{out} already exists; choose another name with -o, or add --force")
    if not out.absolute().parent.is_dir():
        raise UsageError(f"{out.parent} is not a folder; create it first")
    try:
        imported, fmt = guess_and_import(args.source, out, args.from_format, str(args.source))
    except BadInput as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(
            f"{args.source}: {_plural(len(e.problems), 'error')}: nothing imported", file=sys.stderr
        )
        return Exit.INVALID
    report = sys.stderr if to_stdout else sys.stdout
    if to_stdout:
        sys.stdout.write(imported.text)
        sys.stdout.flush()
    else:
        write_atomic(out, imported.text.encode("utf-8"))
    m = imported.valid.argmap
    print(
        f"wrote {'standard output' if to_stdout else out}: "
        f"{_plural(len(m.claims), 'claim')}, {_plural(len(m.rebuttals), 'rebuttal')}, "
        f"{len(m.evidence)} evidence, {_plural(len(m.speakers), 'speaker')} "
        f"(from {args.source}, {FORMAT_NAMES[fmt]})",
        file=report,
    )
    if imported.losses:
        print(f"not carried over ({_plural(len(imported.losses), 'kind')} of loss):", file=report)
        for loss in imported.losses:
            print(f"  {phrase(loss)}", file=report)
    else:
        print("nothing was lost", file=report)
    if imported.renamed:
        shown = list(imported.renamed.items())
        pairs = ", ".join(f"{printable(a)} → {b}" for a, b in shown[:12])
        more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
        print(f"ids made from {_plural(len(shown), 'name')}: {pairs}{more}", file=report)
    if not to_stdout:
        print(f"next: argmap check {out} && argmap build {out}", file=report)
    return Exit.OK


def _watch(args: argparse.Namespace) -> int:
    from argmap.watch import watch

    return watch(
        args.file,
        args.out,
        port=None if args.no_serve else args.port,
        templates=args.templates,
        strict=args.strict,
        dot_timeout=args.dot_timeout,
    )


def _new(args: argparse.Namespace) -> int:
    from argmap.starter import write_starter

    for path in write_starter(args.file, force=args.force):
        print(f"wrote {path}")
    print(f"next: open {args.file} in your editor and run: argmap watch {args.file}")
    return Exit.OK


def _schema(args: argparse.Namespace) -> int:
    from argmap.render.export import export_schema_text
    from argmap.schema import schema_text

    text = export_schema_text() if args.export else schema_text()
    if args.out in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.out), text.encode())
        print(f"wrote {args.out}")
    return Exit.OK


def _tool_problem(problem: ArgmapError | None) -> int:
    if problem is None:
        return Exit.OK
    print(f"argmap: {problem}", file=sys.stderr)
    return Exit.MISSING_TOOL


def _report(found: Sequence[Diagnostic], args: argparse.Namespace) -> None:
    for d in found:
        if args.format == "github":
            level = "error" if d.severity == "error" else "warning"
            root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
            file = _gh(os.path.relpath(os.path.abspath(d.file), root), prop=True)
            print(f"::{level} file={file},line={d.line},col={d.col},title=argmap::{_gh(d.message)}")
        else:
            print(d, file=sys.stderr)


def _gh(text: str, *, prop: bool = False) -> str:
    """Escaped for a GitHub Actions workflow command (a property value also escapes : and ,)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _summary(file: Path, valid: Validated | None, found: Sequence[Diagnostic]) -> None:
    errors = sum(d.severity == "error" for d in found)
    warnings = len(found) - errors
    if valid is None:
        counts = [_plural(errors, "error")] + ([_plural(warnings, "warning")] if warnings else [])
        print(f"{file}: {', '.join(counts)}: invalid", file=sys.stderr)
        return
    m = valid.argmap
    parts = [
        _plural(len(m.claims), "claim"),
        _plural(len(m.rebuttals), "rebuttal"),
        f"{len(m.evidence)} evidence",
        _plural(len(m.speakers), "speaker"),
        _plural(len(m.sources), "source"),
    ]
    tail = f" ({_plural(warnings, 'warning')})" if warnings else ""
    print(f"{file}: {', '.join(parts)}: valid{tail}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
