"""The JSON export's own pretty printer writes exactly what `json.dumps(indent=2)` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from argmap.render.export import pretty_json

LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=30,
)


@given(VALUES)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
