"""The fragment that notebooks and MkDocs pages show (argmap.embed): every piece of map text
is escaped wherever it lands (title, question, points, speakers, the diagram), and the fragment
holds nothing that runs or fetches."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.embed import fragment
from argmap.session import open_map
from tests.conftest import Page

pytestmark = pytest.mark.needs_dot

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "</div></figure></svg><b>out</b>",
    "javascript:alert(1)",
    "{{ 7*7 }} &amp; &lt;",
    "\x1b[2J \u202e reversed",
]


def hostile_map(text: str) -> str:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e") + '"'
    return f"""\
title: {quoted}
question: {quoted}
speakers:
  - id: s
    name: {quoted}
    org: {quoted}
claims:
  - id: c
    text: {quoted}
    by: s
rebuttals:
  - id: r
    rebuts: c
    text: {quoted}
    by: s
"""


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("claim", [None, "c"])
def test_map_text_is_escaped_everywhere(tmp_path: Path, text: str, claim: str | None) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(hostile_map(text), encoding="utf-8")
    html = fragment(open_map(path), claim)
    page = Page(html)
    tags = {tag for tag, _ in page.tags}
    assert tags <= {"div", "style", "h3", "p", "section", "ul", "li", "span", "figure"} | {
        "svg",
        "g",
        "title",
        "polygon",
        "path",
        "text",
        "ellipse",
        "polyline",
        "a",
        "defs",
        "linearGradient",
        "stop",
        "tspan",
        "rect",
    }, tags
    attributes = {name for _, attrs in page.tags for name in attrs}
    assert not {a for a in attributes if a.startswith("on")}
    links = [v or "" for _, attrs in page.tags for k, v in attrs.items() if k.endswith("href")]
    assert all(link.startswith(("#", "http://", "https://")) for link in links), links
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    # The words are still there, as text.
    words = " ".join(page.text)
    assert text.split()[0].replace("\x1b[2J", "") in words or "\ufffd" in words
