"""Part of stage 4, render: the SVG that `dot` drew, made fit to sit inside the brief.

dot writes well-formed XML, so the SVG is parsed (the standard library's ElementTree, from the
root element on: no doctype, so no entity is ever declared or expanded) and written out again
from the tree,
keeping only what a drawing needs: the elements dot draws with (`KEPT`), and attributes that
are not event handlers, styles or link targets. Text is never searched as markup, so a map
text that looks like markup or an attribute (`onclick=`) stays text.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from functools import lru_cache
from html import escape
from typing import Final

from argmap.outputs import CLAIM_PICTURE

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
# What dot draws with. Anything else (script, style, foreignObject, image, animate, use, ...)
# is dropped with all it holds.
KEPT: Final = frozenset(
    {"svg", "g", "title", "a", "polygon", "polyline", "path", "ellipse", "circle", "rect"}
    | {"line", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop"}
)
_DROPPED_ATTRIBUTES: Final = frozenset({"style", "target"})
_WHITESPACE_REFS: Final = {ord("\n"): "&#10;", ord("\r"): "&#13;", ord("\t"): "&#9;"}
_URL_REF: Final = re.compile(r"url\(#([^)\"']*)\)")
_CARD_ID: Final = re.compile(r"#([a-z0-9][a-z0-9-]*)")
_PICTURE_LINK: Final = CLAIM_PICTURE  # a link to a claim's own picture (argmap.outputs)


class SvgError(ValueError):
    """dot's output could not be read as an SVG drawing."""


def inline_svg(
    svg: str, ids: Collection[str], *, prefix: str = "dg_", anchor: bool = True
) -> tuple[str, list[str]]:
    """The diagram made fit to sit inside the page, and the node ids it now anchors.

    Drops the XML prolog, doctype, comments and processing instructions, every element but
    those in `KEPT` (with all they hold), event attributes, `style` and `target`; links to
    `ANY.html#ID` become `#ID`, and so do links to a claim's own picture, `claims/ID.svg`
    (http(s) links stay, others go). With `anchor`, each Graphviz node group
    `<g class="node">` gets the id `node_ID` (ID from its link); every other SVG id gets
    `prefix` (a claim's picture in its card: "cd_ID_"). Map ids never contain `_`, so these
    can never clash with a card's id, nor with each other. `SvgError` if `svg` is not a
    well-formed SVG document.

    >>> svg, _ = inline_svg('<svg xmlns="http://www.w3.org/2000/svg"><text onclick="x()">'
    ...                     'a &lt;b onclick=&gt;</text><script>x()</script></svg>', [])
    >>> svg.partition(">")[2]
    '<text>a &lt;b onclick=&gt;</text></svg>'
    """
    if not anchor:  # a claim's picture: the same drawing is cleaned once per process
        key = (hashlib.sha256(svg.encode("utf-8", "surrogatepass")).digest(), prefix)
        cleaned = _CLEANED.get(key)
        if cleaned is None:
            cleaned = _clean(svg, ids, prefix, anchor)[0]
            _remember(key, cleaned)
        return cleaned, []  # without `anchor`, no node is anchored
    return _clean(svg, ids, prefix, anchor)


# Claim pictures already cleaned, by the SHA-256 of dot's SVG and the prefix: `argmap watch`
# renders the brief again on every save, and an edit changes one claim's picture, not the
# hundred others (cleaning 126 pictures was 0.4 s of a 1,000-point rebuild). Bounded.
_CLEANED: dict[tuple[bytes, str], str] = {}
_CLEANED_MAX: Final = 64 * 1024 * 1024  # characters kept, at most
_cleaned_size = [0]


def _remember(key: tuple[bytes, str], cleaned: str) -> None:
    while _CLEANED and _cleaned_size[0] + len(cleaned) > _CLEANED_MAX:
        _cleaned_size[0] -= len(_CLEANED.pop(next(iter(_CLEANED))))  # the oldest goes
    if len(cleaned) <= _CLEANED_MAX:
        _CLEANED[key] = cleaned
        _cleaned_size[0] += len(cleaned)


def _clean(svg: str, ids: Collection[str], prefix: str, anchor: bool) -> tuple[str, list[str]]:
    root = _parse(svg)
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgError(f"dot's output is not an SVG drawing (its root is {root.tag!r})")
    _prune(root)
    renamed: dict[str, str] = {}  # Graphviz's id -> node_ID
    anchored: dict[str, None] = {}
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "node" not in group.get("class", "").split() or "id" not in group.attrib:
            continue
        card = next(_card_links(group), None)
        if anchor and card is not None and card in ids and card not in anchored:
            renamed[group.attrib["id"]] = f"node_{card}"
            anchored[card] = None
    out: list[str] = []
    _write(root, renamed, prefix, out, top=True)
    return "".join(out).strip(), list(anchored)


def _parse(svg: str) -> ET.Element:
    """The tree of the document from its root element on. dot's prolog (the XML declaration,
    a doctype without declarations of its own, comments) is skipped: with no doctype, no
    entity can be declared, so none is ever expanded."""
    start = svg.find("<svg")
    try:
        # No doctype, so no entity can be declared: nothing for defusedxml to defuse.
        return ET.fromstring(svg[max(start, 0) :])  # noqa: S314
    except ET.ParseError as e:
        raise SvgError(f"dot's output is not well-formed XML ({e})") from None


def _prune(element: ET.Element) -> None:
    """Drop every child not in `KEPT` (keeping the text that followed it), recursively."""
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag, SVG_NS) not in KEPT:
            if child.tail:
                _add_text(element, child, child.tail)
            element.remove(child)
        else:
            _prune(child)


def _add_text(parent: ET.Element, removed: ET.Element, text: str) -> None:
    """Move `text` (the tail of `removed`) onto what came before it in `parent`."""
    children = list(parent)
    at = children.index(removed)
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        before = children[at - 1]
        before.tail = (before.tail or "") + text


def _card_links(group: ET.Element) -> Iterator[str]:
    """The card ids a node group links to (`ANY#ID` or `#ID`), in document order."""
    for a in group.iter(f"{{{SVG_NS}}}a"):
        for name in (f"{{{XLINK_NS}}}href", "href"):
            link = _href(a.get(name, ""))
            m = _CARD_ID.fullmatch(link) if link else None
            if m:
                yield m[1]


def _href(value: str) -> str:
    """A link as the page keeps it: http(s) as it is, `ANY#ID` and `claims/ID.svg` as `#ID`,
    anything else ""."""
    if safe_url(value):
        return value
    picture = _PICTURE_LINK.fullmatch(value)
    if picture:
        return f"#{picture[1]}"
    return "#" + value.partition("#")[2] if "#" in value else ""


def _write(
    element: ET.Element, renamed: dict[str, str], prefix: str, out: list[str], *, top: bool
) -> None:
    tag = _TAGS.get(element.tag)
    if tag is None:
        tag = _TAGS[element.tag] = _local(element.tag, SVG_NS)
    parts = [f"<{tag}"]
    if top:
        parts.append(f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"')
    if tag == "a":
        parts.append(' tabindex="-1"')  # the cards are the keyboard path
    for key, value in element.attrib.items():
        name = _attribute(key)
        if name is None:
            continue
        if name in ("href", "xlink:href"):
            value = _href(value)
            if not value:
                continue
        elif name == "id":
            value = renamed.get(value, f"{prefix}{value}")
        elif "url(" in value:
            value = _URL_REF.sub(lambda m: f"url(#{prefix}{m[1]})", value)
        parts.append(f' {name}="{_attr_text(value)}"')
    out.append("".join(parts))
    text = element.text
    if text is None and len(element) == 0:
        out.append("/>")
        return
    out.append(">")
    if text:
        out.append(_text(text))
    for child in element:
        _write(child, renamed, prefix, out, top=False)
        if child.tail:
            out.append(_text(child.tail))
    out.append(f"</{tag}>")


_TAGS: dict[str, str] = {}  # a parsed tag -> the name written (few: those in KEPT)
# Most values and texts (numbers, points, colours, words) hold nothing to escape: they are
# written as they are, which is what `escape` would give them, without its five passes.
_ATTR_SPECIAL: Final = re.compile("[&<>\"'\n\r\t]")
_TEXT_SPECIAL: Final = re.compile("[&<>]")


def _text(text: str) -> str:
    """Element text, escaped (`escape(text, quote=False)`, quickly)."""
    return escape(text, quote=False) if _TEXT_SPECIAL.search(text) else text


def _attr_text(value: str) -> str:
    """An attribute value, escaped, its line breaks and tabs as references (as dot wrote them:
    an XML reader would turn raw ones into spaces)."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return escape(value).translate(_WHITESPACE_REFS)


@lru_cache(maxsize=256)  # a drawing has few attribute names, each seen thousands of times
def _attribute(key: str) -> str | None:
    """The name to write for a parsed attribute, or None to drop it."""
    if key.startswith(f"{{{XLINK_NS}}}"):
        local = key[len(XLINK_NS) + 2 :]
        return f"xlink:{local}" if local in ("href", "title") else None
    if key.startswith("{") or key.lower().startswith("on") or key in _DROPPED_ATTRIBUTES:
        return None  # another namespace (xml:base, ...), an event handler, a style, a target
    return key


def _local(tag: str, ns: str) -> str:
    """The local name of an element in namespace `ns`; "" for any other namespace."""
    prefix = f"{{{ns}}}"
    return tag[len(prefix) :] if tag.startswith(prefix) else ""


def safe_url(url: str | None) -> str:
    """`url` if it is http(s), else "" (the model checks this too; links stay defensive)."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""
