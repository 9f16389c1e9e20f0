"""Stage 4, render: a valid map and its evaluation as every output, in memory.

`diagram` makes the DOT and runs `dot`, `export` the JSON, `brief` the HTML page (with `view`,
its view model, `svg`, the diagram made fit for the page, and `templates`, the sandbox).
Writing the files, and the new layouts into the cache, is stage 5, `argmap.write`; which
outputs exist, and what each needs, is `argmap.outputs`; `argmap.app` composes the stages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from argmap.errors import MissingTool
from argmap.outputs import CLAIMS, NAMES, OVERVIEW, overview_page

if TYPE_CHECKING:
    from pathlib import Path

    from argmap.diff import MapDiff
    from argmap.evaluate import Evaluation
    from argmap.evaluate.pivotal import Pivotal
    from argmap.render.layout import Drawn
    from argmap.validate import Validated

# What a build makes, in order, from the output registry ("claims/": every claims/ID.svg).
OUTPUTS: Final = NAMES


@dataclass
class Rendered:
    """Every output, rendered but not yet written; why a picture could not be drawn; and
    notes for the reader about the pictures (a PNG drawn smaller or left out, dot's warnings)."""

    files: dict[str, bytes] = field(default_factory=dict)
    problem: MissingTool | None = None
    notes: list[str] = field(default_factory=list)
    # subfolder -> the names that belong in it (every claim's picture, drawn or not): for
    # `argmap.write.write_all`, which removes the pictures of claims no longer in the map
    keep: dict[str, list[str]] = field(default_factory=dict)
    # the layouts dot made: `argmap.write.cache.keep_layouts` stores the new ones once the
    # files are written (stage 5's job, like the files)
    layouts: Drawn | None = None


def render(
    valid: Validated,
    evaluation: Evaluation,
    *,
    map_name: str,
    templates: Path | None = None,
    only: Collection[str] = OUTPUTS,
    timeout: float | None = None,
    cache_dir: Path | None = None,
    pivotal: Pivotal | None = None,
    changes: MapDiff | None = None,
) -> Rendered:
    """Render the outputs named in `only` (file names from `OUTPUTS`, or one claim's picture
    or its DOT: "claims/ID.svg", "claims/ID.dot") in memory.

    When Graphviz's dot is missing or fails, the SVG and PNG are left out, the brief says why,
    and `problem` holds the error for the caller to report (exit code 3). Layouts are looked
    up in `cache_dir` (None: no cache), so that a rebuild lays out only pictures that changed;
    the new ones come back in `layouts`, for stage 5 to store once the files are written.
    `pivotal` (the points the outcome hangs on) goes into the JSON and the brief; `changes`
    (this map compared with an earlier revision of it) marks the brief's changed points.
    """
    # Imported here so that `argmap check` starts without Jinja2 and graphviz.
    import jinja2

    from argmap.render import diagram
    from argmap.render.brief import render_brief
    from argmap.render.export import to_json
    from argmap.render.layout import Picture, lay_out
    from argmap.render.overview import page_list
    from argmap.render.svg import SvgError
    from argmap.render.templates import template_problem

    out = Rendered()
    wanted = set(only)
    # The DOT text only for outputs that use it (not for the JSON export alone): the whole
    # map's picture, or a large map's overview in pages (page 1 is argmap.svg).
    dot_pages = (
        diagram.to_dots(valid.argmap, evaluation)
        if wanted & {"argmap.dot", "argmap.svg", "argmap.png", OVERVIEW, "brief.html"}
        else [""]
    )
    dot_source = dot_pages[0]
    svg: str | None = None
    formats = tuple(
        fmt
        for fmt, users in (("svg", {"argmap.svg", "brief.html"}), ("png", {"argmap.png"}))
        if wanted & users
    )
    pictures = [Picture("argmap", dot_source, formats)] if formats else []
    # The overview's other pages: files of their own, which the brief links to
    page_names = [overview_page(n) for n in range(2, len(dot_pages) + 1)]
    if OVERVIEW in wanted:
        pictures += [
            Picture(name.removesuffix(".svg"), text, ("svg",))
            for name, text in zip(page_names, dot_pages[1:], strict=True)
        ]
    claim_ids = [c.id for c in valid.argmap.claims]
    # Each claim's own picture: in its card, and a file; or one ("claims/ID.svg" or ".dot").
    one = sorted({n[len(CLAIMS) :].rpartition(".")[::2] for n in wanted if n.startswith(CLAIMS)})
    drawn_ids = claim_ids if wanted & {CLAIMS, "brief.html"} else []
    drawn_ids += [cid for cid, ext in one if ext == "svg" and cid in claim_ids]
    claim_dots = diagram.claim_dots(
        valid.argmap,
        evaluation,
        list(dict.fromkeys([*drawn_ids, *(c for c, _ in one if c in claim_ids)])),
    )
    out.files |= {f"claims/{c}.dot": claim_dots[c].encode() for c, e in one if e == "dot"}
    pictures += [Picture(f"claims/{c}", claim_dots[c], ("svg",)) for c in dict.fromkeys(drawn_ids)]
    claim_svgs: dict[str, str] = {}
    if pictures:
        drawn = lay_out(pictures, timeout=diagram.resolve_timeout(timeout), cache_dir=cache_dir)
        failed = [drawn.failures[p.name] for p in pictures if p.name in drawn.failures]
        out.problem = failed[0] if failed else None  # the whole map's, when it failed
        out.layouts = drawn
        out.notes = drawn.notes
        files = drawn.files.get("argmap", {})
        if "svg" in files:
            svg = files["svg"].decode("utf-8", "replace")
        if "png" in files and "argmap.png" in wanted:
            out.files["argmap.png"] = files["png"]
        if OVERVIEW in wanted:
            out.files |= {
                name: drawn.files[name.removesuffix(".svg")]["svg"]
                for name in page_names
                if "svg" in drawn.files.get(name.removesuffix(".svg"), {})
            }
        for cid in claim_ids:
            picture = drawn.files.get(f"claims/{cid}", {}).get("svg")
            if picture is not None:
                claim_svgs[cid] = picture.decode("utf-8", "replace")
    out.files |= {
        f"claims/{cid}.svg": text.encode()
        for cid, text in claim_svgs.items()
        if CLAIMS in wanted or f"claims/{cid}.svg" in wanted
    }
    if CLAIMS in wanted:
        out.keep["claims"] = [f"{cid}.svg" for cid in claim_ids]
    if OVERVIEW in wanted:  # a map that shrank leaves no pages of its old overview behind
        out.keep["overview"] = [name.removeprefix(OVERVIEW) for name in page_names]
    if "argmap.json" in wanted:
        out.files["argmap.json"] = to_json(valid.argmap, evaluation, pivotal).encode()
    if "argmap.dot" in wanted:
        out.files["argmap.dot"] = dot_source.encode()
    if "argmap.svg" in wanted and svg is not None:
        out.files["argmap.svg"] = svg.encode()
    if "brief.html" in wanted:

        def brief(svg: str | None, pictures: dict[str, str]) -> bytes:
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
                    claim_svgs=pictures,
                    overview=not diagram.drawn_in_full(valid.argmap, evaluation),
                    overview_pages=page_list(valid.argmap, evaluation)
                    if svg is not None and page_names
                    else (),
                    pivotal=pivotal,
                    changes=changes,
                ).encode()
            except jinja2.TemplateError as e:  # only a user's own template can get here
                raise template_problem(e) from None

        try:
            out.files["brief.html"] = brief(svg, claim_svgs)
        except SvgError as e:  # dot drew something that is not an SVG drawing: no picture
            out.problem = MissingTool(f"{e}; the diagram is left out. Check your Graphviz")
            for name in [n for n in out.files if n.startswith((CLAIMS, OVERVIEW))]:
                del out.files[name]
            out.files.pop("argmap.svg", None)
            out.files.pop("argmap.png", None)
            out.keep.clear()  # the last pictures are kept, as when dot is missing
            out.files["brief.html"] = brief(None, {})
    out.files = {
        name: data
        for output in OUTPUTS
        for name, data in out.files.items()
        if name == output or (output in (CLAIMS, OVERVIEW) and name.startswith(output))
    }
    return out
