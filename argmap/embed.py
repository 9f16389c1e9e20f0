"""A map's bottom line and diagram as one self-contained HTML fragment, to sit inside another
page: a notebook's output cell (`argmap.notebook`) or a documentation page
(`argmap.mkdocs_plugin`).

The words are the brief's own (`argmap.render.view.View` and `argmap.render.hinges.Hinges`),
every piece of map text escaped; the diagram is dot's SVG cleaned as the brief cleans it
(`argmap.render.svg.inline_svg`: no script, no event handler, no link but http(s) and the
page's own anchors). Styles are inline and scoped to the fragment; nothing is fetched.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Final

from argmap.errors import ArgmapError
from argmap.render.hinges import Hinges
from argmap.render.svg import SvgError, inline_svg
from argmap.render.view import Seg, View
from argmap.session import Opened, picture
from argmap.text import NOT_IN_MARKUP
from argmap.vocab import STANDINGS

_STYLE: Final = """
.argmap-embed{font:15px/1.45 system-ui,sans-serif;color:#1f1f1f;max-width:60rem}
.argmap-embed h3{margin:.2rem 0 .3rem;font-size:1.15rem}
.argmap-embed .am-q{margin:0 0 .6rem;color:#444}
.argmap-embed .am-lead{font-weight:600;margin:.6rem 0 .2rem}
.argmap-embed ul{margin:.2rem 0 .6rem;padding-left:1.1rem}
.argmap-embed li{margin:.15rem 0}
.argmap-embed .am-badge{font-weight:700;white-space:nowrap}
.argmap-embed figure{margin:.8rem 0;overflow:auto;max-width:100%}
.argmap-embed figure svg{max-width:100%;height:auto}
.argmap-embed .am-problem{color:#a1221b}
""" + "".join(
    f".argmap-embed .v-{s} .am-badge{{color:{look.brief_ink}}}" for s, look in STANDINGS.items()
)


def _text(text: str) -> str:
    """Map text made safe for HTML: escaped, characters markup cannot hold replaced."""
    return escape(NOT_IN_MARKUP.sub("\ufffd", text))


def _segs(segments: list[Seg]) -> str:
    return "".join(_text(text) for text, _ in segments)


def _badge(standing: str) -> str:
    look = STANDINGS[standing]  # type: ignore[index]
    return f'<span class="am-badge">{look.icon} {escape(look.word)}</span>'


def bottom_line(opened: Opened, claim: str | None = None) -> str:
    """The bottom line as HTML: per speaker a sentence, then one per claim (or only `claim`'s
    sentence and the points it hangs on), then the points the outcome hangs on."""
    argmap, evaluation = opened.valid.argmap, opened.evaluation
    view = View(argmap, evaluation)
    hinges = Hinges(view, opened.pivotal)
    out: list[str] = []
    if claim is not None:
        found = next(c for c in argmap.claims if c.id == claim)
        standing = evaluation[claim].standing
        out.append(
            f'<ul><li class="v-{standing}">{_badge(standing)} '
            f"{_segs(view.verdict_line(found))}</li></ul>"
        )
        out += [f"<ul><li>⚖ {_segs(line)}</li></ul>" for line in hinges.lines(claim)]
        return "\n".join(out)
    for lead, lines in view.bottom_line():
        out.append(f'<p class="am-lead">{_text(lead)}</p>\n<ul>')
        out += [f'<li class="v-{s}">{_badge(s)} {_segs(segs)}</li>' for s, segs in lines]
        out.append("</ul>")
    lead, points, more = hinges.outcome()
    if lead:
        out.append(f'<p class="am-lead">{_text(lead)}</p>')
        if points:
            out.append("<ul>" + "".join(f"<li>⚖ {_segs(p)}</li>" for p in points) + "</ul>")
        if more:
            out.append(f"<p>And {more} more point{'s' * (more != 1)}.</p>")
    return "\n".join(out)


def diagram(opened: Opened, claim: str | None = None, *, prefix: str = "am_") -> str:
    """The diagram as inline SVG, or a sentence saying why it could not be drawn."""
    try:
        svg = picture(opened, claim)
        cleaned, _ = inline_svg(svg, [], prefix=prefix, anchor=False)
    except (ArgmapError, SvgError) as e:
        return f'<p class="am-problem">The diagram could not be drawn: {_text(str(e))}</p>'
    return cleaned


def fragment(opened: Opened, claim: str | None = None, *, with_title: bool = True) -> str:
    """The bottom line and the diagram of the map (or of one of its claims), as one `<div>`.

    Ids inside the SVG get a prefix made from the map, so that two maps on one page never
    share an id.
    """
    argmap = opened.valid.argmap
    if claim is not None and claim not in {c.id for c in argmap.claims}:
        raise KeyError(claim)
    digest = hashlib.sha256(f"{argmap.title}\0{claim}".encode()).hexdigest()[:8]
    parts = [f'<div class="argmap-embed" data-argmap="{digest}">', f"<style>{_STYLE}</style>"]
    if with_title:
        parts.append(f"<h3>{_text(argmap.title)}</h3>")
        if argmap.question and claim is None:
            parts.append(f'<p class="am-q">{_text(argmap.question)}</p>')
    parts.append(f'<section aria-label="The bottom line">{bottom_line(opened, claim)}</section>')
    parts.append(
        f'<figure aria-label="The argument diagram">'
        f"{diagram(opened, claim, prefix=f'am{digest}_')}</figure>"
    )
    parts.append("</div>")
    return "\n".join(parts)
