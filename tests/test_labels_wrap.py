"""The diagram labels' line wrapping: textwrap's lines, without textwrap where it can."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.render.labels import _wrap

WORDS = st.text(alphabet=st.sampled_from("ab-·é \t\n\u00a0x"), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(WORDS, st.integers(1, 30), st.booleans())
def test_wrap_is_textwraps(text: str, width: int, hyphens: bool) -> None:
    assert _wrap(text, width, break_on_hyphens=hyphens) == textwrap.wrap(
        text, width, break_on_hyphens=hyphens
    )


def test_wrap_fills_lines_greedily() -> None:
    assert _wrap("The merger weakens public sector buyers", 15) == [
        "The merger",
        "weakens public",
        "sector buyers",
    ]
