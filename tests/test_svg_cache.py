"""A claim's picture is cleaned once per process (`svg._CLEANED`): the cached text is the text
a fresh cleaning gives, a changed picture is cleaned anew, and the cache stays bounded."""

from __future__ import annotations

import pytest

from argmap.render import svg
from argmap.render.svg import inline_svg


def picture(word: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<g id="n1" class="node"><a xlink:href="../brief.html#{word}"><text>{word} &amp; '
        "&lt;b&gt;</text></a></g><script>x()</script></svg>"
    )


def test_the_cached_text_is_the_fresh_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svg, "_CLEANED", {})
    first = inline_svg(picture("a"), (), prefix="cd_a_", anchor=False)
    assert len(svg._CLEANED) == 1
    again = inline_svg(picture("a"), (), prefix="cd_a_", anchor=False)
    fresh = svg._clean(picture("a"), (), "cd_a_", False)
    assert first == again == (fresh[0], [])
    other = inline_svg(picture("b"), (), prefix="cd_a_", anchor=False)
    assert other != first and "#b" in other[0]
    assert inline_svg(picture("a"), (), prefix="cd_z_", anchor=False) != first  # by prefix
    assert len(svg._CLEANED) == 3


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svg, "_CLEANED", {})
    monkeypatch.setattr(svg, "_cleaned_size", [0])
    monkeypatch.setattr(svg, "_CLEANED_MAX", 1000)
    for n in range(50):
        inline_svg(picture(f"w{n}"), (), prefix="p_", anchor=False)
        assert svg._cleaned_size[0] == sum(map(len, svg._CLEANED.values())) <= 1000
    assert 0 < len(svg._CLEANED) < 50
    last = inline_svg(picture("w49"), (), prefix="p_", anchor=False)[0]
    assert svg._CLEANED[next(reversed(svg._CLEANED))] == last  # the newest is kept
