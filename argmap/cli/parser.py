"""The command line's parser: every command, its options, its --help (purpose, example and
exit codes)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from argmap import __version__, outputs
from argmap.cli import commands
from argmap.interchange.formats import FORMATS as IMPORT_FORMATS
from argmap.text import printable

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
        commands.run_check,
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
        commands.run_build,
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
        commands.run_one("svg"),
        out="PATH",
    )
    command(
        "brief",
        "Write the briefing page (one self-contained HTML file).",
        "argmap brief claims.yaml -o brief.html",
        [0, 1, 2, 3],
        commands.run_one("html"),
        out="PATH",
    )
    e = command(
        "export",
        "Write one output, in the format you choose.",
        "argmap export claims.yaml --format json -o - | jq .counts",
        [0, 1, 2, 3],
        commands.run_export,
        out="PATH",
    )
    e.add_argument(
        "--format",
        required=True,
        choices=sorted([*outputs.EXPORT_FORMATS, *outputs.interchange_formats()]),
        dest="export_format",
        help="what to write: json (the JSON export, docs/FORMAT.md), dot (the diagram's "
        "Graphviz source), svg or png (the diagram), html (the brief); argdown, aif or xaif (for "
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
        commands.run_watch,
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
    w.add_argument(
        "--since",
        metavar="REV",
        help="mark in the brief what changed since this git revision of the map",
    )
    n = command(
        "new",
        "Write a commented starter map, its example source and claims.schema.json (if missing).",
        "argmap new debate/claims.yaml",
        [0, 2],
        commands.run_new,
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
        commands.run_diff,
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
        commands.run_schema,
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
        commands.run_import,
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
        choices=IMPORT_FORMATS,
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
