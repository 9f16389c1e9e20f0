"""Any text given to an importer ends in a map that passes argmap's validator or in clean
messages naming where (FILE:LINE:COL or FILE: node ID): never a traceback, never an invalid
claims.yaml (the importer checks its own output and raises ImportBug, which would fail here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.interchange.importer import import_text
from argmap.interchange.losses import BadInput

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
BITS = {
    "argdown": [
        "<!-- c -->",
        "<!--\n",
        "-->",
        "(2) ",
        "\t",
        "[a]: ",
        "<b>: ",
        "[a]",
        "<b>",
        "\n",
        "\n\n",
        "  ",
        "+> ",
        "-> ",
        "<- ",
        "<+ ",
        "_> ",
        "<_ ",
        ">< ",
        "===\n",
        "title: x\n",
        "{",
        "}",
        "{by: x}",
        "#t ",
        "# h\n",
        "(1) ",
        "----\n",
        "* ",
        "1. ",
        "//",
        "/*",
        "*/",
        "\\",
        "_",
        "*",
        "text",
        ":",
        '"',
    ],
    "kialo": [
        "1. ",
        "1.1. ",
        "1.1.1. ",
        "1.2. ",
        "Pro: ",
        "Con: ",
        "-> See 1.1.",
        "\n",
        "text",
        "Discussion Title: t\n",
        "Discussion Name:\r\n",
        "1. Thesis:\r\n",
        "1. Question:\n",
        "1.1. Thesis:\n",
        "\\(",
        "-> See 1.",
        "\r\n",
        " ",
    ],
    "aif": [
        '{"nodes": [',
        '{"nodeID": ',
        '"1"',
        '"2"',
        "3",
        ', "text": "t"',
        ', "type": "I"',
        ', "type": "CA"',
        ', "type": "RA"',
        ', "type": "L"',
        ', "type": "YA"',
        "}",
        "]",
        ", ",
        '"edges": [',
        '{"fromID": "1", "toID": "2"}',
        '{"fromID": "2", "toID": "3"}',
        '"locutions": [{"nodeID": "3", "personID": 1}]',
        '"participants": [{"participantID": 1, "firstname": " "}]',
        "null",
        '"argmap": {}',
    ],
    "xaif": [
        '{"AIF": {"nodes": [',
        '{"nodeID": ',
        "0",
        "1",
        '"2"',
        ', "text": "t"',
        ', "text": "Ann : t"',
        ', "type": "I"',
        ', "type": "CA"',
        ', "type": "L"',
        ', "type": "YA"',
        "}",
        "]",
        ", ",
        '"edges": [',
        '{"fromID": 0, "toID": 1}',
        '{"fromID": "2", "toID": 1}',
        '"locutions": [{"nodeID": 0, "personID": 1}]',
        '"participants": [{"participantID": 1, "firstname": "Ann"}]',
        '"text": {"txt": "Ann <span>t</span><br>"}',
        '"text": "Ann : t"',
        '"OVA": {}',
        "null",
    ],
    "argdown-json": [
        '{"statements": {',
        '"a": {',
        '"b": {',
        '"members": [{"text": "t"}]',
        "}",
        ', "relations": [',
        '{"relationType": "attack", "from": "a", "to": "b", '
        '"fromType": "equivalence-class", "toType": "equivalence-class"}',
        "]",
        ", ",
        '"arguments": {',
        '"data": {"by": "x"}',
        '"tags": ["t"]',
        "null",
    ],
}


@pytest.mark.parametrize("fmt", sorted(BITS))
@FUZZ
@given(data=st.data())
def test_any_input_gives_a_valid_map_or_clean_messages(
    fmt: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pieces = st.one_of(st.sampled_from(BITS[fmt]), st.text(max_size=4))
    text = "".join(data.draw(st.lists(pieces, max_size=30)))
    out = tmp_path_factory.mktemp("fuzz") / "claims.yaml"
    try:
        imported = import_text(text, "x", fmt, out)
    except BadInput as e:
        for problem in e.problems:
            line = str(problem)
            assert "\n" not in line
            assert re.match(r"^x(:\d+:\d+|: node .*): error: \S", line), line
        return
    assert imported.valid.argmap.claims
    assert Path(out).parent.exists()
