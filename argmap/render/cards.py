"""Part of stage 4, render: a large brief's compact cards, written in Python.

The same markup as `templates/_compact.html.j2` (with `_pivotal.html.j2`'s marks and
`_claim_diagram.html.j2`'s picture), byte for byte: a large map calls those macros once a point,
and Jinja's macro calls, filters and loops were most of a 20,000-point brief's rendering. Used
only when the brief renders with argmap's own templates alone (`templates.environment` is not
sandboxed); a user's templates folder, which may override any of those files, renders through
the templates themselves. A test renders both ways and compares the pages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from markupsafe import Markup, escape

from argmap.evaluate import Evaluation
from argmap.render.hinges import Hinges
from argmap.render.view import Node, Seg, Thread, View
from argmap.vocab import KINDS, STANDINGS

_SPECIAL = re.compile("[&<>\"']")  # what markupsafe's escape replaces
# _macros.html.j2's REFS: why a point is a link rather than shown in full
REFS = {
    "loop": "appears higher up this same thread: these rebuttals answer each other in a circle",
    "elsewhere": "shown in full above",
    "later": "continued under “Further points”",
}


def _e(value: object) -> str:
    """`value` as Jinja's autoescape writes it (markupsafe's `escape`), plain text at once."""
    if type(value) is str and not _SPECIAL.search(value):
        return value
    return str(escape(value))


def _pieces(segments: Sequence[Seg]) -> str:
    return "".join(
        f'<a href="#{_e(target)}">{_e(text)}</a>' if target else _e(text)
        for text, target in segments
    )


class CompactCards:
    """`card(thread)` as `_compact.html.j2` writes it, for `_claims.html.j2` (`compact_card`)."""

    def __init__(
        self,
        view: View,
        evaluation: Evaluation,
        hinges: Hinges | None,
        anchored: Collection[str],
        linked_pictures: Collection[str],
        claim_svgs: Mapping[str, str],
    ) -> None:
        self.view, self.evaluation, self.hinges = view, evaluation, hinges
        self.anchored, self.linked, self.svgs = anchored, linked_pictures, claim_svgs

    def __call__(self, thread: Thread) -> Markup:
        out: list[str] = []
        point = thread.node
        out.append(
            f'<article class="card node s-{_e(self.evaluation[point.id].standing)}" '
            f'id="{_e(point.id)}">\n'
        )
        self._body(out, point, "", "h3")
        out.append("\n")
        self._picture(out, point)
        out.append("\n")
        self._replies(out, thread)
        out.append("\n</article>")
        return Markup("".join(out))  # noqa: S704 - every piece escaped above

    def _body(self, out: list[str], point: Node, parent: str, element: str) -> None:
        view = self.view
        kind = point.item_kind
        standing = self.evaluation[point.id].standing
        others = [t for t in view.targets(point) if t != parent]
        line = f'<p><b class="k-{_e(kind)}">{_e(KINDS[kind].word)}'
        if kind == "evidence":
            line += f" · {_e(getattr(point, 'kind', ''))}"
        line += "</b>"
        if point.by:
            who = _e(view.who(point))
            if point.by in view.speakers:
                line += f' · <a class="who" href="#{_e(point.by)}">{who}</a>'
            else:
                line += f' · <span class="who">{who}</span>'
        if others:
            verb = "answers" if kind == "rebuttal" else "supports"
            links = ", ".join(f'<a href="#{_e(t)}">“{_e(view.short(t, 40))}”</a>' for t in others)
            line += f" · {'also ' if parent else ''}{verb} {links}"
        out.append(line + "</p>\n")
        out.append(f'<{element} class="text">{_e(point.text)}</{element}>\n')
        line = f'<p><b class="b-{_e(standing)}">{_e(STANDINGS[standing].word)}</b> '
        line += _pieces(view.reason(point.id))
        if point.tags:
            line += f" <small>Tags: {_e(', '.join(point.tags))}</small>"
        if point.id in self.anchored:
            line += f' <a class="to-diagram" href="#node_{_e(point.id)}">Show in diagram</a>'
        out.append(line + "</p>\n")
        self._marks(out, point)
        quote = getattr(point, "quote", None)
        if quote:
            out.append(f'<blockquote class="quote"><p>{_e(quote)}</p></blockquote>\n')
        source = getattr(point, "source", None)
        if source in view.sources:
            title = _e(view.sources[source].title)
            out.append(f'<p class="cite">Source: <a href="#{_e(source)}">{title}</a></p>\n')

    def _marks(self, out: list[str], point: Node) -> None:
        hinges = self.hinges
        if not hinges:
            return
        was = hinges.change(point.id)
        if was:
            out.append(
                '<p class="changed"><span class="change-mark">'
                f"{'New' if was == 'new' else 'Changed'} since {_e(hinges.since)}</span>"
                + (f' <span class="muted">({_e(was)})</span>' if was != "new" else "")
                + "</p>\n"
            )
        sentences = hinges.lines(point.id)
        if sentences:
            out.append('<ul class="hinges" aria-label="What this claim hangs on">\n')
            for segments in sentences:
                out.append(
                    f'<li><span class="icon" aria-hidden="true">⚖</span> {_pieces(segments)}</li>\n'
                )
            out.append("</ul>\n")

    def _picture(self, out: list[str], point: Node) -> None:
        pid = _e(point.id)
        if point.id in self.svgs:
            out.append(
                '<figure class="claim-diagram" aria-label="Diagram of this claim’s thread">\n'
                f'<div class="claim-picture">\n{_e(self.svgs[point.id])}\n</div>\n'
                '<figcaption class="hint">This claim, what answers it and its evidence; each box '
                f'opens its card below. <a href="claims/{pid}.svg">Open this diagram on its own'
                "</a></figcaption>\n</figure>\n"
            )
        elif point.id in self.linked:
            out.append(
                f'<p class="claim-link"><a href="claims/{pid}.svg">This claim’s diagram</a></p>\n'
            )

    def _replies(self, out: list[str], thread: Thread) -> None:
        parent = thread.node.id
        if thread.rebuttals:
            ids = [reply.node.id for reply in thread.rebuttals]
            out.append(
                '<details class="thread" open>\n'
                f"<summary>{len(ids)} rebuttal{'s' if len(ids) != 1 else ''} "
                f'<span class="tally">({_e(self.view.tally(ids))})</span></summary>\n'
                '<ol class="items">\n'
            )
            for reply in thread.rebuttals:
                self._item(out, reply, parent)
            out.append("</ol>\n</details>\n")
        if thread.evidence:
            out.append(
                '<div class="support">\n'
                f'<p class="sub">Evidence for it ({len(thread.evidence)})</p>\n'
                '<ul class="items">\n'
            )
            for support in thread.evidence:
                self._item(out, support, parent)
            out.append("</ul>\n</div>\n")

    def _item(self, out: list[str], thread: Thread, parent: str) -> None:
        point = thread.node
        standing = self.evaluation[point.id].standing
        if thread.ref:
            out.append(
                f'<li class="ref"><a href="#{_e(point.id)}">↪ {_e(point.item_kind)} '
                f"“{_e(self.view.short(point.id, 48))}”</a> "
                f'<b class="b-{_e(standing)} small">{_e(STANDINGS[standing].word)}</b> '
                f'<span class="muted">— {_e(REFS[thread.ref])}</span></li>\n'
            )
            return
        out.append(f'<li class="node s-{_e(standing)}" id="{_e(point.id)}">\n')
        self._body(out, point, parent, "p")
        out.append("\n")
        self._replies(out, thread)
        out.append("\n</li>\n")
