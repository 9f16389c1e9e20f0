"""Part of stage 4, render: the SVG that `dot` drew, made fit to sit inside the brief."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

_COMMENT: Final = re.compile(r"<!--.*?-->", re.S)
_UNSAFE: Final = re.compile(
    r"<(script|foreignObject|iframe|style)\b.*?</\1\s*>"
    r"|\s(?:on[a-z]+|target)\s*=\s*\"[^\"]*\"",
    re.S | re.I,
)
_HREF: Final = re.compile(r'\s((?:xlink:)?href)="([^"]*)"')
_ID: Final = re.compile(r'\sid="([^"]*)"')
_NODE: Final = re.compile(r'<g id="([^"]*)" class="node"')


def inline_svg(svg: str, ids: Collection[str]) -> tuple[str, list[str]]:
    """The diagram made fit to sit inside the page, and the node ids it now anchors.

    Drops the XML prolog, doctype, comments, scripts and event attributes; links to
    `ANY.html#ID` become `#ID` (http(s) links stay, others go). Each Graphviz node group
    `<g class="node">` gets the id `node_ID` (ID from its link); every other SVG id gets the
    prefix `dg_`. Map ids never contain `_`, so these can never clash with a card's id.
    """
    start = svg.find("<svg")
    text = _UNSAFE.sub("", _COMMENT.sub("", svg[start:] if start >= 0 else ""))

    def href(m: re.Match[str]) -> str:
        if safe_url(m[2]):
            return m[0]
        return f' {m[1]}="#{m[2].partition("#")[2]}"' if "#" in m[2] else ""

    text = _HREF.sub(href, text)
    anchored: dict[str, None] = {}
    starts = [(m.start(), m[1]) for m in _NODE.finditer(text)]
    renamed: dict[str, str] = {}  # Graphviz's id -> node_ID
    for (begin, old), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=False):
        found = re.findall(r'href="#([a-z0-9][a-z0-9-]*)"', text[begin:end])
        if found and found[0] in ids and found[0] not in anchored:
            renamed[old] = f"node_{found[0]}"
            anchored[found[0]] = None
    text = _ID.sub(lambda m: f' id="{renamed.get(m[1], "dg_" + m[1])}"', text)
    text = re.sub(r"url\(#([^)\"']*)\)", r"url(#dg_\1)", text)
    text = re.sub(r"<a\b", '<a tabindex="-1"', text)  # the cards are the keyboard path
    return text.strip(), list(anchored)


def safe_url(url: str | None) -> str:
    """`url` if it is http(s), else "" (the model checks this too; links stay defensive)."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""
