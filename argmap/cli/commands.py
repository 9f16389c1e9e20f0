"""The commands: each resolves its flags into plain values, calls the app layer
(`argmap.app`) or a stage, and reports through the one `argmap.report.Reporter`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from argmap import app, outputs
from argmap.errors import ArgmapError, Exit, InvalidMap, MissingTool, UsageError
from argmap.evaluate import evaluate
from argmap.evaluate.pivotal import analyse
from argmap.pipeline import check
from argmap.report import Reporter
from argmap.text import printable, shown
from argmap.validate import Validated, did_you_mean
from argmap.write import Inputs, refuse_inputs, write_file


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


def _load(args: argparse.Namespace, report: Reporter) -> Validated:
    valid = check(args.file, str(args.file), strict=args.strict, collapse=not args.verbose)
    report.findings(valid.warnings)
    return valid


def run_check(args: argparse.Namespace, report: Reporter) -> int:
    if args.explain is not None:
        return run_explain(args, report)
    worst = Exit.OK
    for file in args.files:
        try:
            valid = check(file, str(file), strict=args.strict, collapse=not args.verbose)
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


def run_explain(args: argparse.Namespace, report: Reporter) -> int:
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


def _options(args: argparse.Namespace) -> app.Options:
    """The plain options of the app layer, resolved from the flags and the environment."""
    templates, timeout = _settings(args)
    return app.Options(
        map_path=args.file,
        out_dir=getattr(args, "out", None)
        if isinstance(getattr(args, "out", None), Path)
        else None,
        templates=templates,
        dot_timeout=timeout,
        cache=not args.no_cache,
        strict=args.strict,
        since=getattr(args, "since", None),
        collapse=not getattr(args, "verbose", False),
    )


def run_build(args: argparse.Namespace, report: Reporter) -> int:
    built = app.build(
        _options(args),
        on_valid=lambda valid: report.findings(valid.warnings),
        waiting=report.waiting(args.out or app.PROJECT.out_dir(args.file)),
    )
    if built.since_problem is not None:
        report.failure(built.since_problem)
    report.wrote(list(built.written))
    report.notes(built.notes)
    code = _tool_problem(built.problem, report)
    report.standings(built.counts, built.brief)  # last: what the user reads first
    return code


def run_diff(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.cli.revisions import specs
    from argmap.diff import compare, read_side
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


def run_one(fmt: str) -> object:
    def run(args: argparse.Namespace, report: Reporter) -> int:
        args.export_format = fmt
        return run_export(args, report)

    return run


def run_export(args: argparse.Namespace, report: Reporter) -> int:
    options = _options(args)
    if args.export_format in outputs.interchange_formats():
        if getattr(args, "claim", None) is not None:
            raise UsageError(
                f"--claim draws a claim's diagram as svg or dot, not {args.export_format}"
            )
        return run_export_other(args, options, report)
    name = outputs.EXPORT_FORMATS[args.export_format]
    if getattr(args, "claim", None) is not None:  # export --claim (not brief or diagram)
        valid = app.load(options)
        name = app.claim_output(valid, args.claim, args.export_format)
    to = None if args.out in (None, "-") else Path(args.out)
    built = app.export(
        options,
        name,
        to=to,
        stream=args.out == "-",
        on_valid=lambda valid: report.findings(valid.warnings),
    )
    report.notes(built.notes)
    if name not in built.data:
        if built.problem is None:  # a picture left out on purpose (the notes say why)
            report.failure(MissingTool(f"{name} was not drawn"))
            return Exit.MISSING_TOOL
        return _tool_problem(built.problem, report)
    if args.out == "-":
        sys.stdout.buffer.write(built.data[name])
        sys.stdout.flush()
    else:
        report.wrote(list(built.written))
    return _tool_problem(built.problem, report)


def run_export_other(args: argparse.Namespace, options: app.Options, report: Reporter) -> int:
    """Another tool's format (Argdown, AIF, ICCMA): written from the map alone."""
    to = None if args.out in (None, "-") else Path(args.out)
    data, written = app.export_other(options, args.export_format, to=to, stream=args.out == "-")
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return Exit.OK
    report.wrote(list(written))
    return Exit.OK


def run_import(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.interchange.importer import guess_and_import
    from argmap.interchange.losses import BadInput

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
        imported, fmt = guess_and_import(
            args.source, out, args.from_format, str(args.source), beside=not to_stdout
        )
    except BadInput as e:
        report.bad_input(args.source, e.problems)
        return Exit.INVALID
    if to_stdout:
        sys.stdout.write(imported.text)
        sys.stdout.flush()
    else:
        for name, body in imported.files.items():  # a dialogue's text, as a source
            write_file(out.parent / name, body.encode("utf-8"), inside=out.parent, inputs=inputs)
        write_file(out, imported.text.encode("utf-8"), inputs=inputs)
    report.imported(imported, args.source, None if to_stdout else out, fmt)
    return Exit.OK


def run_watch(args: argparse.Namespace, report: Reporter) -> int:
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
        since=args.since,
    )
    if code == Exit.INTERRUPTED:  # Ctrl-C is how a watch ends
        report.say("stopped")
        return Exit.OK
    return code


def run_new(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.starter import invocation, new_map, next_steps

    path, written = new_map(args.file, force=args.force)
    report.wrote(written)
    for line in next_steps(path, invocation()):
        report.say(line)
    return Exit.OK


def run_lsp(args: argparse.Namespace, report: Reporter) -> int:
    from argmap.lsp import serve

    return serve()


def run_schema(args: argparse.Namespace, report: Reporter) -> int:
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


def _tool_problem(problem: ArgmapError | None, report: Reporter) -> int:
    if problem is None:
        return Exit.OK
    report.failure(problem)
    return Exit.MISSING_TOOL
