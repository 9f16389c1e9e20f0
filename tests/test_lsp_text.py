"""Places in a buffer (argmap.lsp.text): YAML's places turned into the editor's, and the end of
the scalar written at a place, in time linear in the line however hostile it is."""

from __future__ import annotations

import time

import pytest

from argmap.lsp.text import Lines, utf16


def test_yaml_and_editor_lines_differ_only_where_their_line_breaks_do() -> None:
    # YAML also breaks lines at U+2028; an editor (LSP) breaks them at \n, \r\n and \r only.
    text = "a: 1\r\nb: x\u2028y\nc: 😋 z\n"
    lines = Lines(text)
    assert lines.position(lines.offset_of_spot(3, 1)) == (1, 5)  # YAML's line 3: "y"
    at = lines.offset_of_spot(4, 6)  # YAML's line 4, column 6: "z", after a wide character
    assert text[at] == "z"
    assert lines.position(at) == (2, 6)  # 😋 is two UTF-16 units
    assert lines.offset(2, 6) == at
    assert lines.line_text(1) == "b: x\u2028y"


def test_positions_in_other_units() -> None:
    lines = Lines("k: 😋😋 v\n", units=lambda s: len(s.encode("utf-8")))
    assert lines.position(6) == (0, 12)  # 😋 is four UTF-8 bytes
    assert utf16("😋😋") == 4


@pytest.mark.parametrize(
    "line",
    [
        "id: a" + " " * 2_000_000 + "b",
        "rebuts: [" + "a, " * 600_000 + "]",
        'quote: "' + "\\\\" * 1_000_000 + '"',
        "text: " + " :" * 1_000_000,
    ],
)
def test_the_end_of_a_scalar_costs_one_pass_over_its_line(line: str) -> None:
    lines = Lines(line + "\nnext: 1\n")
    start = time.process_time()
    for offset in (line.index(":") + 2, len(line) // 2):
        assert offset <= lines.scalar_end(offset) <= len(line)
    # Measured: under 0.2 s of CPU for these lines; a quadratic scan would take hours.
    assert time.process_time() - start < 3.0


def test_a_place_on_a_megabyte_line_is_found_in_few_passes() -> None:
    line = "title: " + "é😋 " * 300_000
    lines = Lines(line + "\n")
    start = time.process_time()
    end = lines.position(len(line))
    assert end == (0, utf16(line))
    assert lines.offset(*end) == len(line)
    assert lines.offset(0, utf16(line[:1000])) == 1000
    # Measured: 0.05 s of CPU here; a walk character by character is a hundred times slower.
    assert time.process_time() - start < 2.0
