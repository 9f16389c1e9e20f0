"""Stage 4, render: a valid map and its evaluation as every output, in memory.

`diagram` makes the DOT and runs `dot`, `export` the JSON, `brief` the HTML page (with `view`,
its view model, `svg`, the diagram made fit for the page, and `templates`, the sandbox).
Writing the files is stage 5, `argmap.write`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from argmap.errors import MissingTool

if TYPE_CHECKING:
    from pathlib import Path

    from argmap.diff import MapDiff
    from argmap.evaluate import Evaluation
    from argmap.evaluate.pivotal import Pivotal
    from argmap.validate import Validated

OUTPUTS: Final = ("argmap.json", "argmap.dot", "argmap.svg", "argmap.png", "brief.html")


@dataclass
class Rendered:
    """Every output, rendered but not yet written, and why a picture could not be drawn."""

    files: dict[str, bytes] = field(default_factory=dict)
    problem: MissingTool | None = None


def render(
    valid: Validated,
    evaluation: Evaluation,
    *,
    map_name: str,
    templates: Path | None = None,
    only: Collection[str] = OUTPUTS,
    timeout: float | None = None,
    pivotal: Pivotal | None = None,
    changes: MapDiff | None = None,
) -> Rendered:
    """Render the outputs named in `only` (file names from `OUTPUTS`) in memory.

    When Graphviz's dot is missing or fails, the SVG and PNG are left out, the brief says why,
    and `problem` holds the error for the caller to report (exit code 3). `pivotal` (the points
    the outcome hangs on) goes into the JSON and the brief; `changes` (this map compared with
    an earlier revision of it) marks the brief's changed points.
    """
    # Imported here so that `argmap check` starts without Jinja2 and graphviz.
    import jinja2

    from argmap.render import diagram
    from argmap.render.brief import render_brief
    from argmap.render.export import to_json
    from argmap.render.svg import SvgError
    from argmap.render.templates import template_problem

    out = Rendered()
    dot_source = diagram.to_dot(valid.argmap, evaluation)
    wanted = set(only)
    svg: str | None = None
    if wanted & {"argmap.svg", "argmap.png", "brief.html"}:
        try:
            svg = diagram.draw(dot_source, "svg", timeout=timeout).decode("utf-8", "replace")
            if "argmap.png" in wanted:
                out.files["argmap.png"] = diagram.draw(dot_source, "png", timeout=timeout)
        except MissingTool as e:
            out.problem = e
    if "argmap.json" in wanted:
        out.files["argmap.json"] = to_json(valid.argmap, evaluation, pivotal).encode()
    if "argmap.dot" in wanted:
        out.files["argmap.dot"] = dot_source.encode()
    if "argmap.svg" in wanted and svg is not None:
        out.files["argmap.svg"] = svg.encode()
    if "brief.html" in wanted:

        def brief(svg: str | None) -> bytes:
            try:
                return render_brief(
                    valid.argmap,
                    evaluation,
                    svg=svg,
                    diagnostics=valid.warnings,
                    map_name=map_name,
                    map_dir=valid.map_dir,
                    templates=templates,
                    diagram_problem=str(out.problem) if out.problem else None,
                    pivotal=pivotal,
                    changes=changes,
                ).encode()
            except jinja2.TemplateError as e:  # only a user's own template can get here
                raise template_problem(e) from None

        try:
            out.files["brief.html"] = brief(svg)
        except SvgError as e:  # dot drew something that is not an SVG drawing: no picture
            out.problem = MissingTool(f"{e}; the diagram is left out. Check your Graphviz")
            out.files.pop("argmap.svg", None)
            out.files.pop("argmap.png", None)
            out.files["brief.html"] = brief(None)
    out.files = {name: out.files[name] for name in OUTPUTS if name in out.files}
    return out
