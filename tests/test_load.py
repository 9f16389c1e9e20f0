"""Tests for argmap.load: YAML read safely, every refusal at the right FILE:LINE:COL.

Each failing input names the exact place and the key words of its message. Errors that stop
the parse come as `InvalidMap`; the others (duplicate keys, tags, aliases) are kept in
`Loaded.problems` for the validator to report with the rest, so `problems_of` looks at both.
"""

from __future__ import annotations

import codecs
import os
import stat
import threading
import time
from pathlib import Path
from textwrap import dedent

import pytest

import argmap.files
import argmap.load
from argmap.errors import Diagnostic, InvalidMap, UsageError
from argmap.load import MAX_DEPTH, Loaded, parse, read_map

VALID = "title: T\nclaims:\n  - id: a\n    text: b\n"


def problems_of(text: str | bytes, name: str = "m.yaml") -> list[Diagnostic]:
    """Every error the loader finds in `text`, whether it stopped the parse or not."""
    try:
        loaded = parse(text, name)
    except InvalidMap as e:
        return e.diagnostics
    return loaded.problems


def only_error(text: str | bytes) -> Diagnostic:
    found = problems_of(text)
    assert len(found) == 1, "\n".join(map(str, found))
    assert found[0].severity == "error"
    return found[0]


def assert_at(d: Diagnostic, line: int, col: int, *words: str) -> None:
    assert str(d).startswith(f"m.yaml:{line}:{col}: error: "), str(d)
    for word in words:
        assert word in d.message, f"{word!r} not in {d.message!r}"


def test_a_valid_file_loads_as_plain_data() -> None:
    loaded = parse(VALID, "m.yaml")
    assert loaded.data == {"title": "T", "claims": [{"id": "a", "text": "b"}]}
    assert loaded.problems == []


# --- YAML that does not parse ----------------------------------------------------------------

SYNTAX = [
    pytest.param(
        'title: "abc\nclaims: []\n',
        1,
        8,
        ["quoted text", "never closed"],
        id="unclosed-double-quote",
    ),
    pytest.param(
        "title: x\nclaims:\n  - id: a\n    text: 'no end\n",
        4,
        11,
        ["never closed"],
        id="unclosed-single-quote",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\n   - id: c\n",
        5,
        4,
        ["not valid YAML", "indentation"],
        id="bad-indentation-dash",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\n - id: c\n   text: d\n",
        5,
        2,
        ["not valid YAML", "indentation"],
        id="bad-indentation-outdent",
    ),
    pytest.param(
        "title: T\nclaims:\n\t- id: a\n",
        3,
        1,
        ["indent with spaces, not tabs"],
        id="tab-indentation",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n\ttext: b\n",
        4,
        1,
        ["indent with spaces, not tabs"],
        id="tab-in-item",
    ),
    pytest.param(
        "a: b: c\n", 1, 5, ["mapping values are not allowed", "put in quotes"], id="a-b-c"
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: he said: no\n",
        4,
        18,
        ["put in quotes"],
        id="colon-in-value",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: 'VMware's road show'\n",
        4,
        19,
        ["goes on after its closing quote", "'VMware''s'"],
        id="apostrophe-in-quotes",
    ),
    pytest.param(
        'title: T\nclaims:\n  - id: a\n    text: "He said "no" to it"\n',
        4,
        21,
        ["goes on after its closing quote"],
        id="double-quote-in-quotes",
    ),
    pytest.param(
        "title: [x\nclaims: y\n",
        2,
        7,
        ["'[' at line 1, column 8 is not closed"],
        id="unclosed-bracket",
    ),
    pytest.param(
        "title: T\nclaims: [a, {b: c]\n",
        2,
        18,
        ["'{' at line 2", "not closed"],
        id="unclosed-brace",
    ),
    pytest.param(
        "title: T\nclaims: @a\n", 2, 9, ["cannot begin with '@'", "quotes"], id="reserved-indicator"
    ),
    pytest.param(
        'title: "C:\\q"\n', 1, 11, ["escape", "backslash", "single quotes"], id="unknown-escape"
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\n  bad\n",
        6,
        1,
        ["not valid YAML", "indentation"],
        id="line-without-colon",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "words"), SYNTAX)
def test_yaml_that_does_not_parse(text: str, line: int, col: int, words: list[str]) -> None:
    with pytest.raises(InvalidMap) as e:
        parse(text, "m.yaml")
    [d] = e.value.diagnostics
    assert_at(d, line, col, *words)
    assert "Error" not in d.message  # no parser class names or exception types


# --- duplicate keys --------------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    d = only_error("title: T\ntitle: U\nclaims: []\n")
    assert_at(d, 2, 1, "duplicate key 'title'", "line 1", "line 2", "remove or rename")


def test_duplicate_key_inside_an_item() -> None:
    d = only_error("title: T\nclaims:\n  - id: a\n    text: b\n    text: c\n")
    assert_at(d, 5, 5, "duplicate key 'text'", "line 4", "line 5")


def test_duplicate_key_keeps_the_first_value_and_drops_the_second() -> None:
    loaded = parse("title: T\nclaims:\n  - id: a\n    text: b\n    text: [c, d]\n", "m.yaml")
    assert loaded.data == {"title": "T", "claims": [{"id": "a", "text": "b"}]}


def test_keys_that_are_equal_as_written_numbers_are_duplicates() -> None:
    d = only_error("title: T\n1: a\n1: b\n")
    assert_at(d, 3, 1, "duplicate key '1'")


def test_same_key_in_two_items_is_not_a_duplicate() -> None:
    text = "claims:\n  - id: a\n    text: b\n  - id: c\n    text: d\n"
    assert problems_of(text) == []


def test_a_list_as_key_is_refused() -> None:
    d = only_error("title: T\n? [a]\n: b\n")
    assert_at(d, 2, 3, "key must be a plain name")


# --- tags ------------------------------------------------------------------------------------

TAGS = [
    pytest.param(
        'title: !!python/object/apply:os.system ["true"]\n',
        "'!!python/object/apply:os.system'",
        id="python-object-apply",
    ),
    pytest.param("title: !!python/name:os.system\n", "'!!python/name:os.system'", id="python-name"),
    pytest.param("title: !custom x\n", "'!custom'", id="local-tag"),
    pytest.param("title: !!binary aGVsbG8=\n", "'!!binary'", id="binary"),
    pytest.param("title: !!set {a: null}\n", "'!!set'", id="set"),
    pytest.param("title: !!timestamp 2007-10-01\n", "'!!timestamp'", id="timestamp"),
    pytest.param(
        "title: !<tag:example.com,2000:x> y\n", "'tag:example.com,2000:x'", id="verbatim-tag"
    ),
]


@pytest.mark.parametrize(("text", "shown"), TAGS)
def test_tags_other_than_the_plain_ones_are_refused(text: str, shown: str) -> None:
    d = only_error(text)
    assert_at(d, 1, 8, f"the YAML tag {shown} is not allowed", "remove it")


@pytest.mark.parametrize(
    "text",
    [
        "title: !!str 12\n",
        "title: ! 12\n",
        "n: !!int 12\n",
        "t: !!bool yes\n",
        "l: !!seq [a]\n",
        "m: !!map {a: b}\n",
    ],
)
def test_plain_tags_are_accepted(text: str) -> None:
    assert problems_of(text) == []


def test_plain_tags_give_their_plain_values() -> None:
    loaded = parse("a: !!str 12\nb: ! 12\nc: !!int '12'\nd: !!float 1\n", "m.yaml")
    assert loaded.data == {"a": "12", "b": "12", "c": 12, "d": 1.0}


def test_a_plain_tag_that_does_not_fit_its_value() -> None:
    assert_at(only_error("a: !!int abc\n"), 1, 4, "'abc' is not a valid int", "'!!int'")
    assert_at(only_error("a: !!bool maybe\n"), 1, 4, "'maybe' is not a valid bool", "'!!bool'")
    assert_at(only_error("a: !!float abc\n"), 1, 4, "'abc' is not a valid float")
    assert_at(only_error("a: !!seq abc\n"), 1, 4, "'!!seq' does not fit")
    assert_at(only_error("a: !!str [x]\n"), 1, 4, "'!!str' does not fit")


@pytest.mark.parametrize(
    "payload",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        '!!python/object/new:os.system ["touch {marker}"]',
    ],
)
def test_no_tag_is_ever_constructed(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    text = f"title: {payload.format(marker=marker)}\nclaims:\n  - id: a\n    text: b\n"
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = read_map(path, "m.yaml")
    assert [d.line for d in loaded.problems] == [1]
    assert not marker.exists()
    assert _only_plain(loaded.data)


def _only_plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_a_tag_on_a_key_taints_that_key_only() -> None:
    loaded = parse("!custom title: T\nclaims: [x]\n", "m.yaml")
    assert [d.line for d in loaded.problems] == [1]
    assert loaded.tainted == {("title",)}


# --- anchors and aliases ---------------------------------------------------------------------


def test_anchor_and_alias_are_both_refused() -> None:
    found = problems_of("title: &t T\nquestion: *t\nclaims: []\n")
    assert [(d.line, d.col) for d in found] == [(1, 8), (2, 11)]
    assert_at(found[0], 1, 8, "'&t' is a YAML anchor", "write each value out in full")
    assert_at(found[1], 2, 11, "'*t' is a YAML alias", "write the value out in full")


def test_alias_to_an_unknown_anchor_is_refused_too() -> None:
    assert_at(only_error("title: *nothing\n"), 1, 8, "'*nothing' is a YAML alias")


def test_aliases_are_never_expanded() -> None:
    loaded = parse("a: &x [1, 2]\nb: *x\n", "m.yaml")
    assert loaded.data == {"a": [1, 2], "b": None}
    assert ("b",) in loaded.tainted


def _alias_bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_with_few_messages() -> None:
    started = time.process_time()
    found = problems_of(_alias_bomb())
    elapsed = time.process_time() - started  # CPU seconds: a busy machine does not add to it
    assert found, "an alias bomb must be refused"
    assert all("anchor" in d.message or "alias" in d.message for d in found)
    assert len(found) <= 2 * 9  # one per anchor and one per alias name, not one per use
    assert elapsed < 10.0


def test_an_alias_used_a_thousand_times_is_reported_once() -> None:
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * 1000) + "]\n"
    assert len(problems_of(text)) == 2


# --- encodings and bytes ---------------------------------------------------------------------


def test_not_utf8_names_the_line_and_byte() -> None:
    d = only_error(b"title: T\nclaims:\n  - id: a\n    text: caf\xe9\n")
    assert_at(d, 4, 14, "not UTF-8", "0xE9", "save it as UTF-8")


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_named(bom: bytes, codec: str, name: str) -> None:
    d = only_error(bom + VALID.encode(codec))
    assert_at(d, 1, 1, f"saved as {name}", "save it as UTF-8")


def test_utf8_bom_and_crlf_are_accepted() -> None:
    raw = codecs.BOM_UTF8 + VALID.replace("\n", "\r\n").encode()
    loaded = parse(raw, "m.yaml")
    assert loaded.problems == []
    assert loaded.data == parse(VALID, "m.yaml").data
    assert loaded.spot(("claims", 0, "text")) == (4, 11)
    assert loaded.spot(("claims", 0, "text"), key=True) == (4, 5)


def test_crlf_positions_stay_right_in_errors() -> None:
    d = only_error("title: T\r\ntitle: U\r\n")
    assert_at(d, 2, 1, "duplicate key 'title'")


def test_nul_byte_is_named() -> None:
    d = only_error(b"title: T\x00\n")
    assert_at(d, 1, 9, "U+0000", "delete it")


def test_other_control_character_is_named() -> None:
    d = only_error("title: T\nclaims: x\x07\n")
    assert_at(d, 2, 10, "U+0007")


# --- sizes and depth -------------------------------------------------------------------------


def test_file_over_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(argmap.load, "MAX_BYTES", 100)
    path = tmp_path / "m.yaml"
    path.write_text(VALID + "# " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(InvalidMap) as e:
        read_map(path, "m.yaml")
    [d] = e.value.diagnostics
    assert_at(d, 1, 1, "at most 100 bytes", "split it into smaller maps")


def test_file_at_the_size_cap_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(VALID, encoding="utf-8")
    monkeypatch.setattr(argmap.load, "MAX_BYTES", len(VALID))
    assert read_map(path, "m.yaml").problems == []


def test_50_mb_file_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.yaml"
    with path.open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: no need to write 50 MB

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a file over the cap must be refused by its size alone")

    monkeypatch.setattr(argmap.load, "read_regular_file", no_reading)
    with pytest.raises(InvalidMap) as e:
        read_map(path, "m.yaml")
    [d] = e.value.diagnostics
    assert_at(d, 1, 1, "the file is 50 MiB", "at most 4 MiB")


def _nested_blocks(depth: int) -> str:
    return "".join(f"{'  ' * i}k:\n" for i in range(depth)) + f"{'  ' * depth}v\n"


def test_nesting_up_to_max_depth_is_read() -> None:
    assert problems_of("[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n") == []
    assert problems_of(_nested_blocks(MAX_DEPTH)) == []


def test_nesting_deeper_than_max_depth_is_refused() -> None:
    d = only_error("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    assert_at(d, 1, MAX_DEPTH + 1, f"nests deeper than {MAX_DEPTH} levels")
    d = only_error(_nested_blocks(MAX_DEPTH + 5))
    assert_at(d, MAX_DEPTH + 1, 2 * MAX_DEPTH + 1, f"nests deeper than {MAX_DEPTH} levels")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000,
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000,
        "- " * 10_000 + "x",
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000)),
    ],
)
def test_very_deep_nesting_is_a_clean_error(text: str) -> None:
    d = only_error(text)  # no RecursionError, no MemoryError
    assert "nests deeper than" in d.message


# --- documents, dates, positions -------------------------------------------------------------


def test_a_second_document_is_refused() -> None:
    d = only_error(VALID + "---\ntitle: U\n")
    assert_at(d, 5, 1, "second YAML document", "'---'")


def test_a_single_document_marker_is_fine() -> None:
    assert problems_of("---\n" + VALID + "...\n") == []


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2007-10-01", "2007-10-01"),
        ("2007-10", "2007-10"),
        ("2007", 2007),
        ("2007-10-01 10:00:00", "2007-10-01 10:00:00"),
        ("'2007'", "2007"),
    ],
)
def test_dates_are_not_turned_into_date_objects(written: str, value: object) -> None:
    assert parse(f"date: {written}\n", "m.yaml").data == {"date": value}


def test_yaml_1_1_scalars_and_how_they_were_written() -> None:
    """Nulls, booleans and short decimal numbers are read as YAML 1.1 reads them; every other
    plain scalar (hex, octal, base 60, underscores, .inf) is text, as written."""
    loaded = parse(
        "a: yes\nb: No\nc: ~\nd: 0x1F\ne: 1_000\nf: .5\ng: 'yes'\nh:\ni: -12\nj: 1:30\nk: .inf\n",
        "m.yaml",
    )
    assert loaded.data == {
        "a": True,
        "b": False,
        "c": None,
        "d": "0x1F",
        "e": "1_000",
        "f": 0.5,
        "g": "yes",
        "h": None,
        "i": -12,
        "j": "1:30",
        "k": ".inf",
    }
    assert loaded.raw[("a",)] == "yes"
    assert ("g",) not in loaded.raw


def test_every_value_and_key_has_its_position() -> None:
    loaded = parse(
        dedent("""\
        title: T
        claims:
          - id: a
            text: b
            tags: [x, y]
        """),
        "m.yaml",
    )
    assert loaded.spot(()) == (1, 1)
    assert loaded.spot(("title",)) == (1, 8)
    assert loaded.spot(("title",), key=True) == (1, 1)
    assert loaded.spot(("claims", 0)) == (3, 5)
    assert loaded.spot(("claims", 0, "tags", 1)) == (5, 15)
    assert loaded.spot(("claims", 0, "tags"), key=True) == (5, 5)
    assert loaded.spot(("claims", 0, "missing")) == (3, 5)  # the nearest enclosing value


def test_after_a_duplicate_key_the_rest_of_the_file_is_still_read() -> None:
    loaded = parse("title: T\ntitle: U\nclaims:\n  - id: a\n    text: b\n", "m.yaml")
    assert loaded.data == {"title": "T", "claims": [{"id": "a", "text": "b"}]}
    assert len(loaded.problems) == 1


def test_errors_stop_at_a_cap() -> None:
    text = "".join(f"k: &a{i} {i}\n" for i in range(500))
    found = problems_of(text)
    assert len(found) == argmap.load.MAX_ERRORS + 1
    assert "stopped after" in found[-1].message


# --- reading the file ------------------------------------------------------------------------


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_map(tmp_path / "nope.yaml")


def test_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        read_map(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_as_the_map_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "m.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            read_map(fifo)
        except BaseException as e:  # handed to the test thread
            outcome.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # unblock the reader so the daemon thread can end
        with fifo.open("wb"):
            pass
        pytest.fail("reading a FIFO hung")
    [error] = outcome
    assert isinstance(error, UsageError)
    assert "not a regular file" in str(error)


def test_reader_refuses_a_non_regular_file_even_after_stat(tmp_path: Path) -> None:
    # The second line of defence, for a file swapped for a FIFO between stat and open.
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert argmap.files.read_regular_file(fifo, 10) is None


def test_read_map_returns_the_path_and_display_name(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded = read_map(path, "shown.yaml")
    assert isinstance(loaded, Loaded)
    assert (loaded.file, loaded.path) == ("shown.yaml", path)
