"""The stages joined: load → validate → evaluate → render, all in memory; writing is the caller's.

Nothing here prints or exits; `argmap.cli` does that.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import jinja2

from argmap.diff import MapDiff
from argmap.errors import Diagnostic, InvalidMap, MissingTool
from argmap.evaluate import Evaluation, evaluate
from argmap.load import printable, read_map, shown
from argmap.pivotal import analyse
from argmap.validate import Validated, validate

OUTPUTS: Final = ("argmap.json", "argmap.dot", "argmap.svg", "argmap.png", "brief.html")


@dataclass
class Rendered:
    """Every output, rendered but not yet written, and why a picture could not be drawn."""

    files: dict[str, bytes] = field(default_factory=dict)
    problem: MissingTool | None = None


def check(path: Path, display: str | None = None, *, strict: bool = False) -> Validated:
    """Load and validate; `InvalidMap` or `UsageError` when the map cannot be used."""
    return validate(read_map(path, display), strict=strict)


def render(
    valid: Validated,
    *,
    map_name: str,
    templates: Path | None = None,
    only: Collection[str] = OUTPUTS,
    timeout: float | None = None,
    changes: MapDiff | None = None,
) -> Rendered:
    """Render the outputs named in `only` (file names from `OUTPUTS`) in memory.

    When Graphviz's dot is missing or fails, the SVG and PNG are left out, the brief says why,
    and `problem` holds the error for the caller to report (exit code 3). With `changes` (this
    map compared with an earlier version of it), the brief marks what changed since then.
    """
    # Imported here so that `argmap check` starts without Jinja2 and graphviz.
    from argmap.render import diagram
    from argmap.render.brief import render_brief
    from argmap.render.export import to_json

    ev: Evaluation = evaluate(valid.argmap)
    wanted = set(only)
    hinges = analyse(valid.argmap) if wanted & {"argmap.json", "brief.html"} else None
    out = Rendered()
    dot_source = diagram.to_dot(valid.argmap, ev)
    svg: str | None = None
    if wanted & {"argmap.svg", "argmap.png", "brief.html"}:
        try:
            svg = diagram.draw(dot_source, "svg", timeout=timeout).decode("utf-8", "replace")
            if "argmap.png" in wanted:
                out.files["argmap.png"] = diagram.draw(dot_source, "png", timeout=timeout)
        except MissingTool as e:
            out.problem = e
    if "argmap.json" in wanted:
        out.files["argmap.json"] = to_json(valid.argmap, ev, hinges).encode()
    if "argmap.dot" in wanted:
        out.files["argmap.dot"] = dot_source.encode()
    if "argmap.svg" in wanted and svg is not None:
        out.files["argmap.svg"] = svg.encode()
    if "brief.html" in wanted:
        try:
            html = render_brief(
                valid.argmap,
                ev,
                svg=svg,
                diagnostics=valid.warnings,
                map_name=map_name,
                map_dir=valid.map_dir,
                templates=templates,
                diagram_problem=str(out.problem) if out.problem else None,
                pivotal=hinges,
                changes=changes,
                since=changes.old.rev if changes else None,
            )
        except jinja2.TemplateError as e:  # only a user's own template can get here
            raise _template_problem(e) from None
        out.files["brief.html"] = html.encode()
    out.files = {name: out.files[name] for name in OUTPUTS if name in out.files}
    return out


def _template_problem(e: jinja2.TemplateError) -> InvalidMap:
    """A broken template override, reported like a map error, at its file and line."""
    from argmap.render.brief import TemplateRefused

    if isinstance(e, TemplateRefused):
        return InvalidMap([Diagnostic(e.filename, 1, 1, "error", printable(str(e.message)))])
    name = getattr(e, "filename", None) or getattr(e, "name", None)
    line = getattr(e, "lineno", None)
    tb = e.__traceback__
    while tb is not None and getattr(e, "filename", None) is None:
        # Jinja2 puts template files and lines in the traceback; the last one is the culprit.
        if tb.tb_frame.f_code.co_filename.endswith((".j2", ".html", ".css", ".js")):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    name, line = name or "a template", line or 1
    what = shown(e.message or type(e).__name__, 300)
    return InvalidMap(
        [
            Diagnostic(
                str(name),
                line,
                1,
                "error",
                f"template error: {what}; fix the template, or delete it to use the default",
            )
        ]
    )
