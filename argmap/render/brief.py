"""Part of stage 4, render: the briefing page, one self-contained HTML file from a map, its
verdicts and its diagram.

The view model is in `view`, the cleaning of the SVG in `svg`, the sandbox in `templates`, the
Content-Security-Policy in `csp`; the
markup lives in the top-level `templates/`, overridable file by file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from markupsafe import Markup

from argmap.diff import MapDiff
from argmap.errors import Diagnostic
from argmap.evaluate import Evaluation
from argmap.evaluate.pivotal import Pivotal
from argmap.model import ArgMap
from argmap.render.csp import Produced, add_policy
from argmap.render.hinges import Hinges
from argmap.render.svg import inline_svg, safe_url
from argmap.render.templates import environment
from argmap.render.view import View
from argmap.text import NOT_IN_MARKUP
from argmap.vocab import KINDS, STANDINGS


def render_brief(
    argmap: ArgMap,
    ev: Evaluation,
    *,
    svg: str | None,
    diagnostics: Sequence[Diagnostic],
    map_name: str,
    map_dir: Path,
    templates: Path | None = None,
    diagram_problem: str | None = None,
    claim_svgs: Mapping[str, str] | None = None,
    overview: bool = False,
    pivotal: Pivotal | None = None,
    changes: MapDiff | None = None,
) -> str:
    """The briefing page as HTML text: the same inputs always give the same text.

    `claim_svgs` holds each claim's own picture as dot drew it (claim id -> SVG), shown in
    its card; `overview` says that `svg` is the overview of a large map. `pivotal` (the
    points the outcome hangs on) and `changes` (this map compared with an earlier revision of
    it) add their sentences; without them the page says nothing of either. `SvgError` if `svg`
    (or a claim's picture) is not a drawing argmap can read. The page carries a
    Content-Security-Policy that lets only its own inline scripts and styles run (`csp`).
    """
    view = View(argmap, ev)
    drawing, anchored = inline_svg(svg, view.nodes) if svg is not None else ("", [])
    pictures = {
        cid: Markup(inline_svg(text, (), prefix=f"cd_{cid}_", anchor=False)[0])  # noqa: S704
        for cid, text in (claim_svgs or {}).items()
        if cid in view.nodes
    }
    warnings = [
        f"{d.file}:{d.line}:{d.col}: {d.message}" for d in diagnostics if d.severity == "warning"
    ]
    picture = Markup(drawing) if svg is not None else None  # noqa: S704 - cleaned above
    env = environment(map_dir, templates)
    produced = Produced(lambda text: NOT_IN_MARKUP.sub("\ufffd", text))
    env.globals["inline"] = produced
    html = NOT_IN_MARKUP.sub(
        "\ufffd",
        env.get_template("brief.html.j2").render(
            argmap=argmap,
            evaluation=ev,
            view=view,
            standings=STANDINGS,
            kinds=KINDS,
            svg=picture,
            anchored=set(anchored),
            claim_svgs=pictures,
            overview=overview,
            warnings=warnings,
            diagram_problem=diagram_problem,
            map_name=map_name,
            counts=ev.counts(),
            safe_url=safe_url,
            hinges=Hinges(view, pivotal, changes),
        ),
    )
    # argmap's own templates record their inline code as they write it; a page from a
    # user's templates may hold code anywhere, and is parsed (see `csp.Produced`).
    return add_policy(html) if env.sandboxed else produced.add_policy(html)
