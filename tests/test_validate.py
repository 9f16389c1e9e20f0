"""Tests for argmap.validate: one failing map per rule, at the exact FILE:LINE:COL.

Each map in the tables below has exactly one error (warnings aside), so a check that fires
where it should not fails the test as surely as one that stays silent.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import argmap.load
import argmap.validate
import argmap.validate.quotes
import argmap.validate.sources
from argmap.errors import Diagnostic, InvalidMap
from argmap.evaluate import evaluate
from argmap.load import read_map
from argmap.validate import Validated, did_you_mean, validate

SOURCE_TEXT = (
    "The virtualization spat began last month.\n"
    "\n"
    "Every part of the infrastructure has been changed to VMware, said Crosby. The VMware\n"
    "road show is one that replaces all the other players in the industry.\n"
    "VMware’s Reza Malekzadeh has denied the claim, saying it’s “not so”.\n"
)

# A valid map without warnings, to grow mistakes from.
GOOD = """\
title: T
sources:
  - id: art
    title: The article
    file: src.txt
speakers:
  - id: crosby
    name: Simon Crosby
claims:
  - id: replaces-all
    text: VMware replaces every other player.
    by: crosby
    source: art
    quote: The VMware road show is one that replaces all the other players in the industry.
rebuttals:
  - id: denied
    rebuts: replaces-all
    text: VMware denies it.
    source: art
evidence:
  - id: denial
    supports: [denied]
    text: Malekzadeh denied the claim.
    source: art
"""


def run(
    tmp_path: Path,
    text: str,
    *,
    strict: bool = False,
    files: dict[str, str | bytes] | None = None,
    collapse: bool = True,
) -> tuple[Validated | None, list[Diagnostic]]:
    """Validate `text` as m.yaml in `tmp_path` (beside src.txt and `files`)."""
    (tmp_path / "src.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    for name, content in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        valid = validate(read_map(path, "m.yaml"), strict=strict, collapse=collapse)
    except InvalidMap as e:
        return None, e.diagnostics
    return valid, valid.warnings


def errors_of(tmp_path: Path, text: str, **kwargs: object) -> list[Diagnostic]:
    _, found = run(tmp_path, text, **kwargs)  # type: ignore[arg-type]
    return [d for d in found if d.severity == "error"]


def the_error(tmp_path: Path, text: str, **kwargs: object) -> Diagnostic:
    found = errors_of(tmp_path, text, **kwargs)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def assert_at(d: Diagnostic, line: int, col: int, *words: str) -> None:
    assert str(d).startswith(f"m.yaml:{line}:{col}: error: "), str(d)
    for word in words:
        assert word in d.message, f"{word!r} not in {d.message!r}"


def test_the_good_map_is_valid_without_warnings(tmp_path: Path) -> None:
    valid, found = run(tmp_path, GOOD, strict=True)
    assert found == []
    assert valid is not None
    assert [s.id for s in valid.argmap.statements()] == ["replaces-all", "denied", "denial"]
    assert valid.map_dir == tmp_path


def m(text: str) -> str:
    return dedent(text).lstrip("\n")


# --- the schema ------------------------------------------------------------------------------

SCHEMA = [
    # unknown fields
    pytest.param(
        m("""
        title: T
        titel: U
        claims:
          - id: a
            text: b
        """),
        2,
        1,
        ["the map has a field 'titel'", "did you mean 'title'?"],
        id="unknown-top",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            txt: c
        """),
        5,
        5,
        ["claim 'a' has a field 'txt'", "did you mean 'text'?"],
        id="unknown-claim",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
        rebuttals:
          - id: r
            rebuts: a
            text: t
            sorce: x
        """),
        9,
        5,
        ["rebuttal 'r' has a field 'sorce'", "did you mean 'source'?"],
        id="unknown-rebuttal",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            colour: red
        """),
        5,
        5,
        ["field 'colour'", "known fields: id, text, by, quote, source, reported_by, paraphrase"],
        id="unknown-no-near-match",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            rebuts: a
        """),
        5,
        13,
        ["claim 'a' rebuts itself"],
        id="claim-cannot-rebut-itself",
    ),
    # missing required fields
    pytest.param(
        m("""
        claims:
          - id: a
            text: b
        """),
        1,
        1,
        ["the map is missing 'title'", "add 'title:'"],
        id="missing-title",
    ),
    pytest.param(
        "title: T\n", 1, 1, ["the map is missing 'claims'", "add 'claims:'"], id="missing-claims"
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - text: b
        """),
        3,
        5,
        ["claim #1 is missing 'id'", "add 'id:'"],
        id="missing-id",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
        """),
        3,
        5,
        ["claim 'a' is missing 'text'", "add 'text:'"],
        id="missing-text",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
        rebuttals:
          - id: r
            text: t
        """),
        6,
        5,
        ["rebuttal 'r' is missing 'rebuts'", "add 'rebuts:'"],
        id="missing-rebuts",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
        evidence:
          - id: e
            text: t
            source: s
        sources:
          - id: s
            title: S
        """),
        6,
        5,
        ["evidence 'e' is missing 'supports'"],
        id="missing-supports",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            source: s
        sources:
          - id: s
        """),
        7,
        5,
        ["source 's' is missing 'title'"],
        id="missing-source-title",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            by: p
        speakers:
          - id: p
            role: boss
        """),
        7,
        5,
        ["speaker 'p' is missing 'name'"],
        id="missing-speaker-name",
    ),
    # wrong types
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: yes
        """),
        4,
        11,
        ["'text' of claim 'a' should be text, not true/false", '"yes"'],
        id="yes-is-not-text",
    ),
    pytest.param(
        m("""
        title: 12
        claims:
          - id: a
            text: b
        """),
        1,
        8,
        ["'title' of the map should be text, not a number", '"12"'],
        id="title-number",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
            tags: market
        """),
        5,
        11,
        ["'tags' of claim 'a' should be a list", "tags: [market]"],
        id="tags-text",
    ),
    pytest.param(
        "title: T\nclaims: {}\n",
        2,
        9,
        ["'claims' of the map should be a list, not a mapping"],
        id="claims-mapping",
    ),
    pytest.param(
        "title: T\nclaims:\n",
        2,
        8,
        ["'claims' of the map should be a list, not empty", "each on a line starting with '- '"],
        id="claims-empty-value",
    ),
    pytest.param(
        "title: T\nclaims: []\n", 2, 9, ["empty list", "at least one claim"], id="claims-empty-list"
    ),
    pytest.param(
        "title: T\nquestion: [a]\nclaims:\n  - id: a\n    text: b\n",
        2,
        11,
        ["'question' of the map should be text, not a list"],
        id="question-list",
    ),
    pytest.param(
        "title: T\nclaims:\n  - just words\n",
        3,
        5,
        ["claim #1 should be a mapping of fields (id, text, ...), not text"],
        id="claim-not-a-mapping",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\nspeakers: crosby\n",
        5,
        11,
        ["'speakers' of the map should be a list, not text"],
        id="speakers-text",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
        rebuttals:
          - id: r
            rebuts: 5
            text: t
        """),
        7,
        13,
        ["'rebuts' of rebuttal 'r' should be an id or a list of ids, not a number"],
        id="rebuts-number",
    ),
    pytest.param(
        m("""
        title: T
        claims:
          - id: a
            text: b
        evidence:
          - id: e
            supports: a
            text: t
            kind: fakt
        """),
        9,
        11,
        ["kind 'fakt' of evidence 'e' is not one of fact, statistic", "did you mean 'fact'?"],
        id="evidence-kind",
    ),
    # empty text
    pytest.param(
        'title: T\nclaims:\n  - id: a\n    text: ""\n',
        4,
        11,
        ["'text' of claim 'a' is empty; write some text"],
        id="empty-text",
    ),
    pytest.param(
        'title: T\nclaims:\n  - id: a\n    text: "  \\t "\n',
        4,
        11,
        ["'text' of claim 'a' is empty"],
        id="blank-text",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text:\n",
        4,
        10,
        ["'text' of claim 'a' should be text, not empty", "after the colon"],
        id="text-nothing",
    ),
    pytest.param(
        'title: ""\nclaims:\n  - id: a\n    text: b\n',
        1,
        8,
        ["'title' of the map is empty"],
        id="empty-title",
    ),
    # ids
    pytest.param(
        "title: T\nclaims:\n  - id: Replaces All\n    text: b\n",
        3,
        9,
        [
            "'Replaces All' is not a valid id",
            "lowercase letters, digits and hyphens",
            "e.g. 'replaces-all'",
        ],
        id="id-with-capitals-and-space",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: 12\n    text: b\n",
        3,
        9,
        ["'id' of claim #1 should be an id (text), not a number", "quotes"],
        id="id-number",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: '-a'\n    text: b\n",
        3,
        9,
        ["'-a' is not a valid id", "e.g. 'a'"],
        id="id-leading-hyphen",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: " + "a" * 65 + "\n    text: b\n",
        3,
        9,
        ["is not a valid id", "at most 64 characters", "e.g. '" + "a" * 64 + "'"],
        id="id-too-long",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: café\n    text: b\n",
        3,
        9,
        ["'café' is not a valid id", "e.g. 'caf'"],
        id="id-non-ascii",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\n    by: Simon Crosby\n",
        5,
        9,
        ["'Simon Crosby' is not a valid id", "e.g. 'simon-crosby'"],
        id="by-a-name",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: a\n    text: b\n    tags: [ok, Not OK]\n",
        5,
        16,
        ["'Not OK' is not a valid id"],
        id="tag-pattern",
    ),
    # version and dates
    pytest.param(
        "version: 2\ntitle: T\nclaims:\n  - id: a\n    text: b\n",
        1,
        10,
        ["version 2 is not known", "version 1"],
        id="version-2",
    ),
    pytest.param(
        "version: '1'\ntitle: T\nclaims:\n  - id: a\n    text: b\n",
        1,
        10,
        ["version '1' is not known", "a number, no quotes"],
        id="version-text",
    ),
    # several ids in one text, and ids in capitals (issue 21)
    *(
        pytest.param(
            f"title: T\nclaims:\n  - id: bargain\n    text: b\n  - id: platform\n    text: p\n"
            f"rebuttals:\n  - id: r\n    rebuts: {written}\n    text: t\n",
            9,
            13,
            [
                f"'{written}' of rebuttal 'r' holds several ids in one text",
                "write several ids as a list: `rebuts: [bargain, platform]`",
            ],
            id=f"rebuts-several-{name}",
        )
        for name, written in (
            ("comma", "bargain, platform"),
            ("comma-no-space", "bargain,platform"),
            ("space", "bargain platform"),
            ("semicolon", "bargain; platform"),
            ("capitals", "Bargain, platform"),
        )
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: bargain\n    text: b\n  - id: platform\n    text: p\n"
        "evidence:\n  - id: e\n    supports: bargain,platform\n    text: t\n",
        9,
        15,
        ["write several ids as a list: `supports: [bargain, platform]`"],
        id="supports-several",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: bargain\n    text: b\n"
        "rebuttals:\n  - id: r\n    rebuts: Bargain\n    text: t\n",
        7,
        13,
        ["'Bargain' is not a valid id: ids are written in lowercase; write 'bargain'"],
        id="rebuts-capitals",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: bargain\n    text: b\n"
        "evidence:\n  - id: e\n    supports: [Bargain]\n    text: t\n",
        7,
        16,
        ["'Bargain' is not a valid id", "write 'bargain'"],
        id="supports-list-capitals",
    ),
    pytest.param(
        "title: T\nclaims:\n  - id: Bargain\n    text: b\n",
        3,
        9,
        ["'Bargain' is not a valid id", "write 'bargain'"],
        id="id-capitals",
    ),
    pytest.param(
        "title: T\nspeakers:\n  - id: a\n    name: A\n  - id: b\n    name: B\n"
        "claims:\n  - id: c\n    text: t\n    by: a, b\n",
        10,
        9,
        ["'by' of claim 'c' takes one id, not several ('a, b')"],
        id="by-several",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "words"), SCHEMA)
def test_schema_errors(tmp_path: Path, text: str, line: int, col: int, words: list[str]) -> None:
    assert_at(the_error(tmp_path, text), line, col, *words)


def test_a_required_field_is_never_told_to_be_removed(tmp_path: Path) -> None:
    for text in (
        'title: T\nclaims:\n  - id: a\n    text: ""\n',
        "title: T\nclaims:\n  - id: a\n    text:\n",
    ):
        assert "remove" not in the_error(tmp_path, text).message


def test_an_optional_empty_field_may_be_removed(tmp_path: Path) -> None:
    text = 'title: T\nquestion: ""\nclaims:\n  - id: a\n    text: b\n'
    assert_at(
        the_error(tmp_path, text), 2, 11, "'question' of the map is empty", "or remove the line"
    )


def source_with(field: str) -> str:
    return (
        f"title: T\nclaims:\n  - id: a\n    text: b\n    source: s\nsources:\n  - id: s\n"
        f"    title: S\n    {field}\n"
    )


@pytest.mark.parametrize(
    "date", ["2007-10-01", "2007-10", "2007", "'2007'", "1999-12-31", "2008-02-29"]
)
def test_valid_dates_stay_text(tmp_path: Path, date: str) -> None:
    valid, _ = run(tmp_path, source_with(f"date: {date}"))
    assert valid is not None
    assert valid.argmap.sources[0].date == date.strip("'")


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2007-13", ["date '2007-13' of source 's' is not a date", "YYYY-MM"]),
        ("2007-1-5", ["date '2007-1-5'", "YYYY-MM-DD"]),
        ("07", ["date '07'", "YYYY"]),
        ("2007/10/01", ["date '2007/10/01'"]),
        ("October 2007", ["date 'October 2007'"]),
        ("2007-02-30", ["date '2007-02-30' of source 's' is not a day of the calendar"]),
        ("2007-02-29", ["not a day of the calendar"]),
        ("yes", ["date 'yes'"]),
    ],
)
def test_invalid_dates(tmp_path: Path, date: str, words: list[str]) -> None:
    assert_at(the_error(tmp_path, source_with(f"date: {date}")), 9, 11, *words)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a",
        "http://example.org",
        "HTTPS://example.org/a?b=c#d",
        "https://x.org/a%20b",
    ],
)
def test_web_urls_are_accepted(tmp_path: Path, url: str) -> None:
    assert errors_of(tmp_path, source_with(f"url: '{url}'")) == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("javascript:alert(1)", ["url of source 's' is a 'javascript:' link", "https://"]),
        ("data:text/html,<b>hi</b>", ["'data:' link"]),
        ("file:///etc/passwd", ["'file:' link"]),
        ("ftp://example.org/a", ["'ftp:' link"]),
        ("JavaScript:alert(1)", ["'JavaScript:' link"]),
        ("www.example.org", ["does not start with http:// or https://"]),
        ("//example.org/a", ["does not start with http:// or https://"]),
        ("https://", ["names no host"]),
        ("https://example.org/a b", ["contains a space", "%20"]),
    ],
)
def test_urls_that_are_not_web_links(tmp_path: Path, url: str, words: list[str]) -> None:
    assert_at(the_error(tmp_path, source_with(f"url: '{url}'")), 9, 10, *words)


# --- ids and references ----------------------------------------------------------------------


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    text = "title: T\nclaims:\n  - id: a\n    text: b\n  - id: a\n    text: c\n"
    assert_at(
        the_error(tmp_path, text), 5, 9, "duplicate id 'a'", "a claim at m.yaml:3:9", "rename one"
    )


def test_duplicate_id_across_kinds_is_reported_at_the_later_one(tmp_path: Path) -> None:
    # Speakers come before claims in the schema, but the claim comes first in the file.
    text = m("""
        title: T
        claims:
          - id: crosby
            text: b
            by: crosby
        speakers:
          - id: crosby
            name: Simon Crosby
        """)
    found = errors_of(tmp_path, text)
    assert_at(found[0], 7, 9, "duplicate id 'crosby'", "a claim at m.yaml:3:9")


def test_three_of_the_same_id_all_point_at_the_first(tmp_path: Path) -> None:
    text = "title: T\nclaims:\n" + "".join(f"  - id: a\n    text: t{i}\n" for i in range(3))
    found = errors_of(tmp_path, text)
    assert [(d.line, d.col) for d in found] == [(5, 9), (7, 9)]
    assert all("at m.yaml:3:9" in d.message for d in found)


REFERENCES = [
    pytest.param(
        GOOD.replace("by: crosby", "by: crosbi"),
        12,
        9,
        [
            "'by: crosbi' of claim 'replaces-all' names no speaker in this map",
            "did you mean 'crosby'?",
        ],
        id="unknown-speaker",
    ),
    pytest.param(
        GOOD.replace("rebuts: replaces-all", "rebuts: replace-all"),
        17,
        13,
        [
            "'rebuts: replace-all' of rebuttal 'denied' names no claim, rebuttal or evidence",
            "did you mean 'replaces-all'?",
        ],
        id="unknown-rebuts",
    ),
    pytest.param(
        GOOD.replace("supports: [denied]", "supports: [deny]"),
        22,
        16,
        ["'supports: deny'", "did you mean 'denied'?"],
        id="unknown-supports",
    ),
    pytest.param(
        GOOD.replace("    source: art\n    quote", "    source: article\n    quote"),
        13,
        13,
        ["'source: article' of claim 'replaces-all' names no source", "did you mean 'art'?"],
        id="unknown-source",
    ),
    pytest.param(
        GOOD.replace("supports: [denied]", "supports: [denied, zzz]"),
        22,
        24,
        ["'supports: zzz'", "names no claim, rebuttal or evidence"],
        id="unknown-no-suggestion",
    ),
    # the wrong kind of thing
    pytest.param(
        GOOD.replace("rebuts: replaces-all", "rebuts: art"),
        17,
        13,
        [
            "'rebuts: art' of rebuttal 'denied' names a source, but 'rebuts' takes a "
            "claim, a rebuttal or evidence"
        ],
        id="rebuts-a-source",
    ),
    pytest.param(
        GOOD.replace("rebuts: replaces-all", "rebuts: crosby"),
        17,
        13,
        ["names a speaker, but 'rebuts' takes"],
        id="rebuts-a-speaker",
    ),
    pytest.param(
        GOOD + "  - id: more\n    supports: more\n    text: t\n    source: art\n",
        26,
        15,
        ["evidence 'more' supports itself; evidence must back something else"],
        id="supports-itself",
    ),
    pytest.param(
        GOOD.replace("supports: [denied]", "supports: [art]"),
        22,
        16,
        ["names a source, but 'supports' takes a claim, a rebuttal or evidence"],
        id="supports-a-source",
    ),
    pytest.param(
        GOOD.replace("by: crosby", "by: denied"),
        12,
        9,
        ["'by: denied' of claim 'replaces-all' names a rebuttal, but 'by' takes a speaker"],
        id="by-a-rebuttal",
    ),
    pytest.param(
        GOOD.replace("    source: art\n    quote", "    source: crosby\n    quote"),
        13,
        13,
        ["'source: crosby' of claim 'replaces-all' names a speaker, but 'source' takes a source"],
        id="source-a-speaker",
    ),
    # itself
    pytest.param(
        GOOD.replace("rebuts: replaces-all", "rebuts: [replaces-all, denied]"),
        17,
        28,
        ["rebuttal 'denied' rebuts itself", "something else"],
        id="rebuts-itself",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "words"), REFERENCES)
def test_reference_errors(tmp_path: Path, text: str, line: int, col: int, words: list[str]) -> None:
    assert_at(the_error(tmp_path, text), line, col, *words)


def test_rebuttals_may_target_rebuttals_and_evidence_and_form_cycles(tmp_path: Path) -> None:
    more = (
        "  - id: r1\n    rebuts: [r2, denial]\n    text: t\n    source: art\n"
        "  - id: r2\n    rebuts: r1\n    text: t\n    source: art\n"
    )
    valid, found = run(tmp_path, GOOD.replace("evidence:\n", more + "evidence:\n"), strict=True)
    assert found == [], "\n".join(map(str, found))
    assert valid is not None
    assert [r.id for r in valid.argmap.rebuttals] == ["denied", "r1", "r2"]


def test_did_you_mean() -> None:
    assert did_you_mean("rebut", ["rebuts", "supports"]) == "; did you mean 'rebuts'?"
    assert did_you_mean("zzz", ["rebuts", "supports"]) == ""


# --- quotes ----------------------------------------------------------------------------------


def test_quote_without_source(tmp_path: Path) -> None:
    text = "title: T\nclaims:\n  - id: a\n    text: b\n    quote: Some words.\n"
    assert_at(
        the_error(tmp_path, text), 5, 5, "claim 'a' has a quote but no source", "add 'source:'"
    )


def with_quote(quote: str) -> str:
    return GOOD.replace(
        "quote: The VMware road show is one that replaces all the other players in the industry.",
        f"quote: {quote}",
    )


@pytest.mark.parametrize(
    "quote",
    [
        "The VMware road show is one that replaces all the other players in the industry.",
        "'The   VMware road show is one that replaces all the other players'",
        "|-\n      The VMware\n      road show",  # a line break in the source and in the quote
        "VMware's Reza Malekzadeh has denied the claim",  # ’ in the file, ' in the quote
        "'saying it’s \"not so\".'",  # “” in the file, "" in the quote
        "“not so”",
        "infrastructure has been changed to VMware, said Crosby.",
    ],
)
def test_quotes_found_despite_whitespace_and_quote_marks(tmp_path: Path, quote: str) -> None:
    assert errors_of(tmp_path, with_quote(quote)) == []


@pytest.mark.parametrize(
    ("quote", "line", "passage"),
    [
        (
            "the VMware road show is one that replaces all the other players",
            3,
            "The VMware road show is one that replaces all the other players",
        ),  # case
        (
            "The VMware road show is one that replaced all the other players",
            3,
            "The VMware road show is one that replaces all the other players",
        ),  # a word
        (
            "The VMware road show, is one that replaces all the other players",
            3,
            "The VMware road show is one that replaces all the other players",
        ),  # punctuation
        (
            "VMware’s Reza Malekzadeh has denied the claims",
            5,
            "VMware’s Reza Malekzadeh has denied the claim,",
        ),
        ("The VMwareroad show", 3, "VMware road show"),  # a space is not nothing
        ("'`not so`'", 5, "“not so”."),  # a backtick is not a quote mark
    ],
)
def test_quote_not_in_the_source_shows_the_closest_passage(
    tmp_path: Path, quote: str, line: int, passage: str
) -> None:
    d = the_error(tmp_path, with_quote(quote))
    assert_at(
        d,
        14,
        12,
        "the quote of claim 'replaces-all' is not in src.txt",
        f'closest passage (line {line}) reads: "{passage}"',
        "Copy the words exactly",
    )


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        ("it's", "it’s"),
        ("it’s", "it's"),
        ("‘a’", "'a'"),
        ('"a"', "“a”"),
        ("„a“", '"a"'),
        ("a b", "a\n\t b"),
        ("a\nb", "a b"),
        ("a b", "a\u00a0b"),  # a no-break space is whitespace too
        ("  a b  ", "xa by"),  # the quote's own leading and trailing space does not count
        ("a.*b", "a.*b"),  # no regular-expression meaning
    ],
)
def test_find_quote_forgives_whitespace_and_quote_marks(quote: str, text: str) -> None:
    assert argmap.validate.quotes.find_quote(quote, text) is not None


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        ("It's", "it's"),  # case
        ("a b", "ab"),  # a space is not nothing
        ("ab", "a b"),
        ("`a`", "'a'"),  # a backtick is not a quote mark
        ("5′", "5'"),  # nor is a prime
        ("«a»", '"a"'),  # nor a guillemet
        ("a-b", "a–b"),  # a hyphen is not a dash
        ("a.*b", "a and b"),
        ("a,", "a"),  # punctuation counts
        ("   ", "a b"),  # an empty quote is never found
    ],
)
def test_find_quote_forgives_nothing_else(quote: str, text: str) -> None:
    assert argmap.validate.quotes.find_quote(quote, text) is None


def test_find_quote_gives_the_offset_in_the_original_text() -> None:
    assert argmap.validate.quotes.find_quote("b  c", "a\n b\n c") == 3


# --- files -----------------------------------------------------------------------------------


def with_file(file: str) -> str:
    return GOOD.replace("file: src.txt", f"file: '{file}'")


def test_file_outside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "map"
    root.mkdir()
    (tmp_path / "x.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    for file in ("../x.txt", str(tmp_path / "x.txt"), "/etc/passwd", "sub/../../x.txt"):
        d = the_error(root, with_file(file))
        assert_at(
            d, 5, 11, f"file '{file}' is outside the map's folder (map/)", "copy the source there"
        )


def test_absolute_path_inside_the_folder_is_refused_too(tmp_path: Path) -> None:
    d = the_error(tmp_path, with_file(str(tmp_path / "src.txt")))
    assert_at(d, 5, 11, "is outside the map's folder")


def test_symlink_pointing_outside(tmp_path: Path) -> None:
    root = tmp_path / "map"
    root.mkdir()
    (tmp_path / "x.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "x.txt")
    d = the_error(root, with_file("link.txt"))
    assert_at(d, 5, 11, "file 'link.txt' is a link to a file outside the map's folder")


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to("src.txt")
    assert errors_of(tmp_path, with_file("link.txt")) == []


def test_file_in_a_subfolder_is_fine(tmp_path: Path) -> None:
    assert (
        errors_of(tmp_path, with_file("sources/a.txt"), files={"sources/a.txt": SOURCE_TEXT}) == []
    )


def test_missing_file_suggests_a_near_name(tmp_path: Path) -> None:
    d = the_error(tmp_path, with_file("scr.txt"))
    assert_at(d, 5, 11, "file 'scr.txt' does not exist", "did you mean 'src.txt'?")


def test_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    assert_at(the_error(tmp_path, with_file("sources")), 5, 11, "file 'sources' is a folder")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_file_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    found: list[Diagnostic] = []
    worker = threading.Thread(
        target=lambda: found.append(the_error(tmp_path, with_file("pipe.txt"))), daemon=True
    )
    worker.start()
    worker.join(5)
    if worker.is_alive():
        with (tmp_path / "pipe.txt").open("wb"):  # unblock the stuck reader
            pass
        pytest.fail("checking a FIFO source hung")
    assert_at(found[0], 5, 11, "file 'pipe.txt' is not a regular file")


def test_file_too_big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(argmap.validate.sources, "MAX_SOURCE_BYTES", 100)
    d = the_error(tmp_path, with_file("src.txt"))
    assert_at(d, 5, 11, f"file 'src.txt' is {len(SOURCE_TEXT.encode())} bytes", "at most 100 bytes")


def test_file_not_utf8_names_its_line(tmp_path: Path) -> None:
    d = the_error(
        tmp_path,
        with_file("latin.txt"),
        files={"latin.txt": SOURCE_TEXT.encode("utf-8").replace(b"\xe2\x80\x99", b"\x92")},
    )
    assert_at(d, 5, 11, "file 'latin.txt' is not UTF-8 text", "0x92", "line 5")


def test_file_with_utf8_bom_and_crlf_is_read(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + SOURCE_TEXT.replace("\n", "\r\n").encode()
    assert errors_of(tmp_path, with_file("bom.txt"), files={"bom.txt": content}) == []


def test_unreadable_file_skips_its_quotes(tmp_path: Path) -> None:
    # One error for the file, none for the quote that could not be checked.
    d = the_error(tmp_path, with_file("nope.txt"))
    assert "does not exist" in d.message


# --- the root --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- title: T\n- claims: []\n", "holds a list"),
        ("just some words\n", "holds plain text"),
        ("42\n", "holds a number"),
        ("", "is empty"),
        ("# only a comment\n", "is empty"),
    ],
)
def test_root_not_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    assert_at(
        the_error(tmp_path, text), 1, 1, "starts with 'title:' and 'claims:'", f"this file {what}"
    )


# --- warnings and --strict -------------------------------------------------------------------

WARNINGS = [
    pytest.param(
        GOOD.replace("speakers:\n", "  - id: unused\n    title: U\nspeakers:\n"),
        6,
        9,
        "source 'unused' is never used (nothing has 'source: unused')",
        id="unused-source",
    ),
    pytest.param(
        GOOD.replace("claims:\n", "  - id: nobody\n    name: N\nclaims:\n"),
        9,
        9,
        "speaker 'nobody' is never used (nothing has 'by: nobody')",
        id="unused-speaker",
    ),
    pytest.param(
        GOOD.replace("rebuttals:\n", "  - id: lonely\n    text: t\n    source: art\nrebuttals:\n"),
        15,
        9,
        "claim 'lonely' has neither evidence nor rebuttal",
        id="lonely-claim",
    ),
    pytest.param(
        GOOD + "  - id: hearsay\n    supports: denied\n    text: t\n",
        25,
        5,
        "evidence 'hearsay' has no source",
        id="evidence-without-source",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "words"), WARNINGS)
def test_warnings(tmp_path: Path, text: str, line: int, col: int, words: str) -> None:
    valid, found = run(tmp_path, text)
    assert valid is not None
    assert [str(d) for d in found] == [f"m.yaml:{line}:{col}: warning: {d.message}" for d in found]
    [w] = found
    assert (w.line, w.col, w.severity) == (line, col, "warning")
    assert words in w.message

    valid, found = run(tmp_path, text, strict=True)
    assert valid is None
    [e] = found
    assert (e.line, e.col, e.severity) == (line, col, "error")
    assert words in e.message
    assert e.message.endswith("(--strict)")


def test_a_claim_supported_but_not_rebutted_has_no_warning(tmp_path: Path) -> None:
    text = GOOD + "  - id: backing\n    supports: replaces-all\n    text: t\n    source: art\n"
    assert run(tmp_path, text, strict=True)[1] == []


def test_warnings_come_with_errors_in_file_order(tmp_path: Path) -> None:
    text = (
        GOOD.replace("title: T\n", "title: T\ntitel: U\n", 1)
        + "  - id: hearsay\n    supports: denied\n    text: t\n"
    )
    _, found = run(tmp_path, text)
    assert [(d.line, d.severity) for d in found] == [(2, "error"), (26, "warning")]


def test_many_warnings_are_capped_but_the_map_stays_valid(tmp_path: Path) -> None:
    speakers = "".join(f"  - id: s{i}\n    name: N\n" for i in range(150))
    text = GOOD.replace("  - id: crosby\n", speakers + "  - id: crosby\n")
    valid, found = run(tmp_path, text, collapse=False)
    assert valid is not None
    assert len(found) == argmap.load.MAX_ERRORS + 1
    assert {d.severity for d in found} == {"warning"}
    assert found[-1].message.startswith("stopped after 100 findings (50 more not shown)")


def test_a_flood_of_one_warning_shows_the_first_few_and_a_count(tmp_path: Path) -> None:
    lonely = "".join(f"  - id: c{i}\n    text: t\n" for i in range(10))  # lines 15, 17, ...
    text = GOOD.replace("rebuttals:\n", lonely + "rebuttals:\n")
    text += "".join(f"  - id: e{i}\n    supports: denied\n    text: t\n" for i in range(2))
    valid, found = run(tmp_path, text)
    assert valid is not None and valid.total.warnings == 12  # every warning counts
    lonely_found = [d for d in found if "has neither evidence nor rebuttal" in d.message]
    assert [d.line for d in lonely_found] == [15, 17, 19]
    count = found[3]
    assert (count.line, count.col, count.severity) == (21, 9, "warning")
    assert count.message == (
        "7 more claims with neither evidence nor rebuttal, at lines 21, 23, 25, 27, 29, … "
        "(--verbose lists each)"
    )
    # two of another kind: each shown
    assert [d.message.startswith("evidence 'e") for d in found[4:]] == [True, True]
    assert len(found) == 6

    valid, every = run(tmp_path, text, collapse=False)
    assert valid is not None and len(every) == 12
    assert sum("neither evidence nor rebuttal" in d.message for d in every) == 10


def test_a_flood_of_errors_still_collapses_without_collapsing_warnings(tmp_path: Path) -> None:
    items = "".join(f"  - id: r{i}\n    text: t\n    rebuts: c\n    colour: x\n" for i in range(5))
    text = "title: T\nclaims:\n  - id: c\n    text: t\nrebuttals:\n" + items
    _, found = run(tmp_path, text, collapse=False)
    assert len([d for d in found if d.severity == "error"]) == 1


# --- all errors in one run -------------------------------------------------------------------

EIGHT_MISTAKES = m("""
    title: T
    title: T again
    sources:
      - id: art
        title: The article
        file: src.txt
        url: javascript:alert(1)
    speakers:
      - id: crosby
        name: &n Simon Crosby
    claims:
      - id: replaces-all
        text: yes
        by: crosbi
        source: art
        quote: The VMware road show is one that replaced all the other players.
      - id: Second Claim
        text: t
    rebuttals:
      - id: denied
        rebuts: [replaces-all, denied]
        txt: VMware denies it.
        source: art
    evidence:
      - id: denial
        supports: art
        text: Malekzadeh denied the claim.
        source: art
    """)


def test_every_error_of_a_file_in_one_run_in_file_order(tmp_path: Path) -> None:
    _, found = run(tmp_path, EIGHT_MISTAKES)
    errors = [(d.line, d.col, d.message.split(";")[0]) for d in found if d.severity == "error"]
    assert errors == [
        (2, 1, "duplicate key 'title' (first at line 1, here again at line 2)"),
        (7, 10, "url of source 'art' is a 'javascript:' link"),
        (10, 11, "'&n' is a YAML anchor"),
        (13, 11, "'text' of claim 'replaces-all' should be text, not true/false"),
        (14, 9, "'by: crosbi' of claim 'replaces-all' names no speaker in this map"),
        (16, 12, "the quote of claim 'replaces-all' is not in src.txt"),
        (
            17,
            9,
            "'Second Claim' is not a valid id: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit, at most 64 characters, e.g. 'second-claim'",
        ),
        (20, 5, "rebuttal 'denied' is missing 'text': add 'text:' with the point, in your words"),
        (21, 28, "rebuttal 'denied' rebuts itself"),
        (22, 5, "rebuttal 'denied' has a field 'txt' that the format does not know"),
        (
            26,
            15,
            "'supports: art' of evidence 'denial' names a source, but 'supports' takes a "
            "claim, a rebuttal or evidence",
        ),
    ]
    assert [(d.line, d.col) for d in found] == sorted((d.line, d.col) for d in found)


def test_load_problems_and_schema_errors_do_not_double_up(tmp_path: Path) -> None:
    # A refused tag or alias is reported once, not again as "the wrong type".
    text = m("""
        title: !!python/object/apply:os.system ["true"]
        question: *q
        claims:
          - !custom {id: a, text: b}
          - !!int x
        rebuttals: *r
        """)
    found = errors_of(tmp_path, text)
    assert [(d.line, d.col) for d in found] == [(1, 8), (2, 11), (4, 5), (5, 5), (6, 12)]
    assert all("tag" in d.message or "alias" in d.message for d in found)


def test_an_alias_where_a_list_must_be_is_reported_once(tmp_path: Path) -> None:
    found = errors_of(tmp_path, "title: T\nclaims: *c\n")
    assert [str(d) for d in found] == [
        "m.yaml:2:9: error: '*c' is a YAML alias; argmap does not allow aliases: write the "
        "value out in full"
    ]


def test_findings_stop_at_a_cap(tmp_path: Path) -> None:
    """150 different mistakes (an unknown field of its own in each rebuttal)."""
    items = "".join(f"  - id: r{i}\n    text: t\n    rebuts: c\n    f{i}: x\n" for i in range(150))
    found = errors_of(tmp_path, "title: T\nclaims:\n  - {id: c, text: t}\nrebuttals:\n" + items)
    assert len(found) == argmap.load.MAX_ERRORS + 1
    assert found[-1].message.startswith("stopped after 100 findings (50 more not shown)")
    assert [d.line for d in found[:-1]] == [8 + 4 * i for i in range(100)]


def test_the_same_mistake_in_every_item_of_a_section_is_one_error_and_a_count(
    tmp_path: Path,
) -> None:
    items = "".join(f"  - id: Bad {i}\n    text: t\n" for i in range(150))
    found = errors_of(tmp_path, "title: T\nclaims:\n" + items)
    assert len(found) == 1
    assert found[0].line == 3
    assert found[0].message.startswith("'Bad 0' is not a valid id")
    assert found[0].message.endswith("(and 149 more errors like it, at lines 5, 7, 9, 11, 13, …)")
    listed = "title: T\nclaims:\n" + "".join(f"- c{i}\n" for i in range(5))
    listed += "rebuttals:\n" + "".join(
        f"  - {{id: r{i}, text: t, rebuts: c{i}}}\n" for i in range(5)
    )
    found = errors_of(tmp_path, listed)
    assert [d.line for d in found] == [3, 9]  # the claims, and the references into them
    assert found[0].message.endswith("(and 4 more errors like it, at lines 4, 5, 6, 7)")
    assert "'rebuts: c0' of rebuttal 'r0' names no claim" in found[1].message
    assert found[1].message.endswith("(and 4 more errors like it, at lines 10, 11, 12, 13)")
    three = "title: T\nclaims:\n" + "".join(f"  - id: Bad {i}\n    text: t\n" for i in range(3))
    assert len(errors_of(tmp_path, three)) == 3  # a few stay as they are


# --- safety ----------------------------------------------------------------------------------


def test_alias_bomb_through_the_whole_check(tmp_path: Path) -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    started = time.process_time()
    valid, found = run(tmp_path, "\n".join(lines) + "\n")
    assert valid is None
    assert 0 < len(found) <= 30
    assert time.process_time() - started < 10.0  # CPU seconds


def test_many_quotes_against_a_large_source_stay_quick(tmp_path: Path) -> None:
    big = SOURCE_TEXT * (2 * 2**20 // len(SOURCE_TEXT))  # about 2 MiB
    claims = "".join(
        f"  - id: c{i}\n    text: t\n    source: art\n    quote: no such words {i}\n"
        for i in range(20)
    )
    text = with_file("big.txt").replace("claims:\n", "claims:\n" + claims, 1)
    started = time.process_time()
    found = errors_of(tmp_path, text, files={"big.txt": big})
    assert [d.message.split(";")[0] for d in found] == [
        f"the quote of claim 'c{i}' is not in big.txt" for i in range(20)
    ]
    assert time.process_time() - started < 30.0  # CPU seconds


# --- property: any input gives a clean answer ------------------------------------------------

_TOKENS = st.sampled_from(
    [
        "title:",
        "claims:",
        "rebuttals:",
        "evidence:",
        "sources:",
        "speakers:",
        "version:",
        "- ",
        "  ",
        "\n",
        "id:",
        "text:",
        "rebuts:",
        "supports:",
        "by:",
        "source:",
        "quote:",
        "file:",
        "url:",
        "date:",
        "tags:",
        "kind:",
        "a",
        "b",
        "x-1",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "&a",
        "*a",
        "!x",
        "!!str",
        "yes",
        "12",
        "2007-10",
        "src.txt",
        "../x",
        "#",
        "\t",
        ":",
        "---",
        "?",
        "|",
        ">",
        "%",
        "@",
        "~",
        "null",
        "\x00",
        "é",
        "’",
    ]
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_TOKENS, max_size=60).map("".join))
def test_any_yaml_gives_a_valid_map_or_clean_errors(tmp_path: Path, text: str) -> None:
    valid, found = run(tmp_path, text)
    if valid is None:
        assert any(d.severity == "error" for d in found)
    for d in found:
        assert d.line >= 1
        assert d.col >= 1
        assert d.message
        assert "Traceback" not in d.message


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_valid_map_or_clean_errors(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(raw)
    try:
        valid = validate(read_map(path, "m.yaml"))
    except InvalidMap as e:
        found = e.diagnostics
        assert any(d.severity == "error" for d in found)  # invalid: at least one error says why
    else:  # (a 200-byte map can be valid: "title: T\nclaims: [{id: a, text: b}]")
        assert valid.argmap.title.strip() and valid.argmap.claims
        found = valid.warnings
        assert all(d.severity == "warning" for d in found)
    for d in found:
        assert d.file == "m.yaml" and d.line >= 1 and d.col >= 1
        assert d.message and "\n" not in d.message


def test_evidence_may_support_evidence(tmp_path: Path) -> None:
    """An evidence chain (FORMAT.md, "Meaning"): valid, counted as support, no standing changed."""
    chained, found = run(
        tmp_path, GOOD + "  - id: more\n    supports: [denial]\n    text: t\n    source: art\n"
    )
    assert chained is not None, found
    before, _ = run(tmp_path, GOOD)
    assert before is not None
    ev, ev_before = evaluate(chained.argmap), evaluate(before.argmap)
    assert ev["denial"].supported_by == ("more",)
    assert ev["more"].standing == "stands"
    assert {k: v.standing for k, v in ev_before.verdicts.items()} == {
        k: v.standing for k, v in ev.verdicts.items() if k != "more"
    }


# --- undercuts and points that both rebut and support (FORMAT.md, "Meaning") ---


UNDERCUT_MAP = """\
title: T
claims:
  - {id: c, text: C.}
  - {id: rival, text: R., rebuts: c}
rebuttals:
  - {id: r, rebuts: c, text: No., supports: rival}
  - id: u
    text: Misses the point.
    undercuts:
      - {from: r, to: c}
evidence:
  - {id: e, supports: c, rebuts: rival, text: E.}
"""


def test_claims_rebut_claims_points_support_and_rebut_and_undercuts_load(tmp_path: Path) -> None:
    valid, warnings = run(tmp_path, UNDERCUT_MAP)
    assert valid is not None, warnings
    ev = evaluate(valid.argmap)
    assert ev["rival"].standing == "defeated" and ev["rival"].defeated_by == ("e",)
    assert ev["c"].undercut == ("r",) and ev["c"].standing == "stands"  # r's link is cut
    assert ev["c"].reason.kind == "undercut" and ev["r"].standing == "stands"


def test_an_undercut_of_a_link_the_map_lacks_is_an_error(tmp_path: Path) -> None:
    text = UNDERCUT_MAP.replace("{from: r, to: c}", "{from: r, to: e}")
    assert_at(
        the_error(tmp_path, text),
        10,
        9,
        "rebuttal 'u' undercuts the link from 'r' to 'e'",
        "'r' neither rebuts nor supports 'e'",
        "it names c, rival",
    )


def test_an_undercut_of_its_own_link_or_of_no_point_is_an_error(tmp_path: Path) -> None:
    own = UNDERCUT_MAP.replace("{from: r, to: c}", "{from: u, to: c}")
    assert "undercuts its own link" in the_error(tmp_path, own).message
    unknown = UNDERCUT_MAP.replace("{from: r, to: c}", "{from: rr, to: c}")
    assert "names no claim, rebuttal or evidence" in the_error(tmp_path, unknown).message


def test_a_rebuttal_needs_rebuts_or_undercuts(tmp_path: Path) -> None:
    text = UNDERCUT_MAP.replace("    undercuts:\n      - {from: r, to: c}\n", "")
    assert_at(the_error(tmp_path, text), 7, 5, "rebuttal 'u' is missing 'rebuts'", "'undercuts:'")
