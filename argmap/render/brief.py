"""Part of stage 4, render: the briefing page, one self-contained HTML file from a map, its
verdicts and its diagram.

The view model is in `view`, the cleaning of the SVG in `svg`, the sandbox in `templates`, the
Content-Security-Policy in `csp`; the
markup lives in the top-level `templates/`, overridable file by file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from markupsafe import Markup

from argmap.diff import MapDiff
from argmap.errors import Diagnostic
from argmap.evaluate import Evaluation
from argmap.evaluate.pivotal import Pivotal
from argmap.model import ArgMap
from argmap.render.cards import CompactCards
from argmap.render.csp import Produced, add_policy
from argmap.render.hinges import Hinges
from argmap.render.svg import inline_svg, safe_url
from argmap.render.templates import environment
from argmap.render.view import View
from argmap.text import NOT_IN_MARKUP
from argmap.vocab import KINDS, STANDINGS

if TYPE_CHECKING:
    from argmap.render.overview import Page

# A brief of more points than this is a large one (docs/large-maps.md): its cards come in a
# compact form, each claim's picture is linked (claims/ID.svg beside the brief) rather than
# carried, and an overview taller than `TALLEST` is linked too, the table "At a glance"
# standing for it. Measured in Chromium on generated maps (scripts/bench_brief.py): 1,000
# points made a 4.6 MB page with its pictures, 10,000 points 49 MB that took 21 s to open.
LARGE: Final = 2000
TALLEST: Final = 4000  # px at 96 dpi: four or five screens of a laptop
_SIZE: Final = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"[^>]*?\bheight="([0-9.]+)pt"')


def picture_size(svg: str) -> tuple[int, int] | None:
    """The width and height of dot's drawing in px at 96 dpi (dot writes them in pt), or None.

    >>> picture_size('<svg width="636pt" height="211334pt" viewBox="0 0 636 211334">')
    (848, 281779)
    """
    found = _SIZE.search(svg, 0, 4096)
    if found is None:
        return None
    return round(float(found[1]) * 4 / 3), round(float(found[2]) * 4 / 3)


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
    overview_pages: Sequence[Page] = (),
) -> str:
    """The briefing page as HTML text: the same inputs always give the same text.

    `claim_svgs` holds each claim's own picture as dot drew it (claim id -> SVG), shown in
    its card; `overview` says that `svg` is the overview of a large map. `pivotal` (the
    points the outcome hangs on) and `changes` (this map compared with an earlier revision of
    it) add their sentences; without them the page says nothing of either. `overview_pages`:
    the overview's pages after the first (`svg`), which the page lists and links to.
    `SvgError` if `svg` (or a claim's picture) is not a drawing argmap can read. The page carries a
    Content-Security-Policy that lets only its own inline scripts and styles run (`csp`).
    """
    view = View(argmap, ev)
    large = len(view.nodes) > LARGE
    size = picture_size(svg) if svg is not None else None
    too_tall = large and size is not None and size[1] > TALLEST
    drawing, anchored = "", list[str]()
    if svg is not None and not too_tall:
        drawing, anchored = inline_svg(svg, view.nodes)
    pictures = {
        cid: Markup(inline_svg(text, (), prefix=f"cd_{cid}_", anchor=False)[0])  # noqa: S704
        for cid, text in (claim_svgs or {}).items()
        if cid in view.nodes and not large
    }
    warnings = [
        f"{d.file}:{d.line}:{d.col}: {d.message}" for d in diagnostics if d.severity == "warning"
    ]
    picture = Markup(drawing) if svg is not None else None  # noqa: S704 - cleaned above
    linked = sorted(cid for cid in (claim_svgs or {}) if cid in view.nodes) if large else []
    env = environment(map_dir, templates)
    produced = Produced(lambda text: NOT_IN_MARKUP.sub("\ufffd", text))
    env.globals["inline"] = produced
    hinges = Hinges(view, pivotal, changes)
    # argmap's own templates alone: a large brief's cards written in Python (`cards`)
    fast = large and not env.sandboxed
    compact_card = (
        CompactCards(view, ev, hinges, set(anchored), set(linked), pictures) if fast else None
    )
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
            large=large,
            linked_pictures=set(linked),
            overview_size=size if too_tall else None,
            overview_pages=overview_pages,
            warnings=warnings,
            diagram_problem=diagram_problem,
            map_name=map_name,
            counts=ev.counts(),
            safe_url=safe_url,
            hinges=hinges,
            compact_card=compact_card,
        ),
    )
    # argmap's own templates record their inline code as they write it; a page from a
    # user's templates may hold code anywhere, and is parsed (see `csp.Produced`).
    return add_policy(html) if env.sandboxed else produced.add_policy(html)
