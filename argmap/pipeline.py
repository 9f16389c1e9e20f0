"""The stages joined: load → validate → evaluate → render, all in memory; writing is the caller's.

Nothing here prints or exits; `argmap.cli` does that.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import jinja2

from argmap.errors import Diagnostic, InvalidMap, MissingTool
from argmap.evaluate import Evaluation, evaluate
from argmap.load import printable, read_map, shown
from argmap.validate import Validated, validate

OUTPUTS: Final = ("argmap.json", "argmap.dot", "argmap.svg", "argmap.png", "brief.html")


@dataclass
class Rendered:
    """Every output, rendered but not yet written; why a picture could not be drawn; and
    notes for the reader about the pictures (a PNG drawn smaller or left out, dot's warnings)."""

    files: dict[str, bytes] = field(default_factory=dict)
    problem: MissingTool | None = None
    notes: list[str] = field(default_factory=list)


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
    cache_dir: Path | None = None,
) -> Rendered:
    """Render the outputs named in `only` (file names from `OUTPUTS`) in memory.

    When Graphviz's dot is missing or fails, the SVG and PNG are left out, the brief says why,
    and `problem` holds the error for the caller to report (exit code 3). Layouts are kept in
    `cache_dir` (None: no cache), so that a rebuild lays out only pictures that changed.
    """
    # Imported here so that `argmap check` starts without Jinja2 and graphviz.
    from argmap.render import diagram
    from argmap.render.brief import render_brief
    from argmap.render.export import to_json
    from argmap.render.layout import Picture, lay_out

    ev: Evaluation = evaluate(valid.argmap)
    out = Rendered()
    wanted = set(only)
    # The DOT text only for outputs that use it (not for the JSON export alone).
    dot_source = (
        diagram.to_dot(valid.argmap, ev)
        if wanted & {"argmap.dot", "argmap.svg", "argmap.png", "brief.html"}
        else ""
    )
    svg: str | None = None
    formats = tuple(
        fmt
        for fmt, users in (("svg", {"argmap.svg", "brief.html"}), ("png", {"argmap.png"}))
        if wanted & users
    )
    if formats:
        drawn = lay_out(
            [Picture("argmap", dot_source, formats)],
            timeout=diagram.resolve_timeout(timeout),
            cache_dir=cache_dir,
        )
        out.problem = drawn.failures.get("argmap")
        out.notes = drawn.notes
        files = drawn.files.get("argmap", {})
        if "svg" in files:
            svg = files["svg"].decode("utf-8", "replace")
        if "png" in files and "argmap.png" in wanted:
            out.files["argmap.png"] = files["png"]
    if "argmap.json" in wanted:
        out.files["argmap.json"] = to_json(valid.argmap, ev).encode()
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
