"""The importer's YAML writer (`argmap.interchange.yamlout.dump`) against argmap's own loader:
any draft, its keys and values drawn from hostile strings, loads back as exactly the same data.

Issue 18: a foreign key with a line break was written as raw YAML, so a map gained an item the
foreign file did not hold; a key made of control characters (`"\\0"`) was read back as no key
(the loader took a leading NUL for its own mark of a refused key); a lone surrogate was
written as the escape `\\uD800`, which YAML refuses (exit 70).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from argmap.interchange.yamlout import dump
from argmap.load import parse

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # what a message may not hold
MANY = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
HOSTILE = [
    "\n",
    "\r\n",
    "\r",
    ": ",
    "- ",
    "#",
    " #",
    "&a",
    "*a",
    "!!python/object:os.system",
    "!x",
    "? ",
    "|",
    ">",
    "%",
    "@",
    "`",
    "[",
    "]",
    "{",
    "}",
    ",",
    '"',
    "'",
    "\\",
    "\t",
    "---",
    "...",
    "\x00",
    "\x1b[2J",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202e",
    "🎉",
    "yes",
    "no",
    "null",
    "~",
    "1e3",
    "0x7d7",
    "33:27",
    "2007",
    "2024-13-45",
    ".inf",
    "evidence:\n  - id: planted\n",
]
# Lone surrogates are no text a UTF-8 file can hold: `test_a_lone_surrogate...` below.
CHARS = st.characters(blacklist_categories=["Cs"])
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(CHARS, max_size=6)), max_size=8).map(
    "".join
)
KEYS = ("id", "text", "name", "role", "org", "by", "kind", "title", "url", "date", "quote")
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(min_value=-(10**17), max_value=10**17))
VALUE = st.one_of(SCALAR, st.lists(TEXT, min_size=1, max_size=4))
SECTIONS = ("sources", "speakers", "claims", "rebuttals", "evidence")


def _draft(
    keys: st.SearchStrategy[str], values: st.SearchStrategy[Any] = VALUE
) -> st.SearchStrategy[dict[str, Any]]:
    item = st.dictionaries(keys, values, min_size=1, max_size=5)
    return st.fixed_dictionaries(
        {"title": TEXT},
        optional={
            "question": TEXT,
            "summary": TEXT,
            **{s: st.lists(item, min_size=1, max_size=3) for s in SECTIONS},
        },
    )


def _loads_back(draft: dict[str, Any]) -> None:
    text = dump(draft, header=["Imported \n by a test", "\x1b[2J"])
    loaded = parse(text, "claims.yaml")
    assert not loaded.problems, (text, loaded.problems)
    assert loaded.data == draft, text


@MANY
@given(draft=_draft(st.sampled_from(KEYS), SCALAR))
@example(draft={"title": "a\u2028b", "claims": [{"id": "x", "text": "evidence:\n  - id: p"}]})
def test_any_scalar_values_load_back_as_the_same_draft(draft: dict[str, Any]) -> None:
    _loads_back(draft)


@MANY
@given(draft=_draft(st.sampled_from(KEYS), VALUE))
@example(draft={"title": "", "sources": [{"id": ["A,&a"]}]})
def test_any_list_values_load_back_as_the_same_draft(draft: dict[str, Any]) -> None:
    _loads_back(draft)


@MANY
@given(draft=_draft(st.one_of(st.sampled_from(KEYS), TEXT.filter(bool))))
@example(draft={"title": "", "evidence": [{"\x00": ""}]})
@example(
    draft={
        "title": "x",
        "speakers": [{"id": "p", "role\n\nevidence:\n  - id: planted\n    text": "x"}],
    }
)
def test_any_keys_load_back_as_the_same_draft(draft: dict[str, Any]) -> None:
    _loads_back(draft)


def test_a_key_of_control_characters_is_a_key_like_any_other() -> None:
    """The loader once marked a key it refused (a duplicate, a list) with a leading NUL, so a
    key written as `"\\0"` was read back as no key at all; refused keys are still dropped."""
    loaded = parse(
        'evidence:\n  - "\\0": x\n    "\\0dup(3, 5)": y\n    a: 1\n    a: 2\n    [l]: 3\n',
        "claims.yaml",
    )
    assert loaded.data == {"evidence": [{"\0": "x", "\0dup(3, 5)": "y", "a": 1}]}
    assert [d.line for d in loaded.problems] == [5, 6]  # the duplicate 'a', the list as a key


def test_a_lone_surrogate_is_refused_in_words_naming_where() -> None:
    """No UTF-8 file can hold half a UTF-16 pair: the writer says so, and where (the
    importer's `clean` replaces such text with U+FFFD before it gets here)."""
    from argmap.interchange.yamlout import Unwritable

    for draft, where in (
        ({"title": "a \ud800 b"}, "'title'"),
        ({"title": "x", "speakers": [{"id": "p", "na\udc00me": "y"}]}, "item 1 of 'speakers'"),
        ({"title": "x", "claims": [{"id": "c", "tags": ["ok", "b\udfff"]}]}, "'tags' of item 1"),
    ):
        with pytest.raises(Unwritable) as refused:
            dump(draft)
        said = str(refused.value)
        assert "lone surrogate" in said and where in said, said
        assert not _CONTROL.search(said), said  # one line, the surrogate shown as \udXXX


@MANY
@given(
    draft=_draft(
        st.one_of(st.sampled_from(KEYS), TEXT.filter(bool)),
        st.one_of(VALUE, st.sampled_from(["\ud800", "a\udfffb"])),
    )
)
def test_any_draft_loads_back_or_is_refused_for_a_lone_surrogate(draft: dict[str, Any]) -> None:
    from argmap.interchange.yamlout import Unwritable

    if not _holds_a_surrogate(draft):
        _loads_back(draft)
        return
    with pytest.raises(Unwritable) as refused:  # refused, and only for a surrogate
        _loads_back(draft)
    said = str(refused.value)
    assert "lone surrogate" in said and not _CONTROL.search(said), said


def _holds_a_surrogate(value: object) -> bool:
    if isinstance(value, dict):
        return any(_holds_a_surrogate(k) or _holds_a_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_a_surrogate(v) for v in value)
    return isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value)
