"""'did you mean': the same suggestion as difflib's `get_close_matches(n=1, cutoff=0.6)`, with
bounded work (the fuzz target of claims.yaml spent a third of its time there)."""

from __future__ import annotations

import difflib
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from argmap.validate import did_you_mean
from argmap.validate.core import MAX_SUGGESTED, _nearest

# Few letters, so that words are often alike; names of the lengths a map holds.
WORDS = st.text(alphabet="abcde-_.x", max_size=30)


def difflib_says(word: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else ""


@given(WORDS, st.lists(WORDS, max_size=40))
def test_the_suggestion_is_difflibs(word: str, choices: list[str]) -> None:
    assert did_you_mean(word, choices) == difflib_says(word, choices)


@given(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=12))
def test_the_suggestion_is_difflibs_for_any_characters(word: str, choices: list[str]) -> None:
    assert did_you_mean(word, choices) == difflib_says(word, choices)


def test_a_tie_goes_to_the_name_difflib_picks() -> None:
    choices = ["abd", "abe", "abf"]  # each as near to 'abc'
    assert did_you_mean("abc", choices) == difflib_says("abc", choices) == "; did you mean 'abf'?"


def test_the_names_far_from_the_word_are_never_compared_in_full() -> None:
    """Of 1,000 names, those whose lengths or letters cannot reach the cutoff, and those that
    cannot beat the best found, are passed over without difflib's quadratic ratio."""
    choices = [f"claim-{i}" for i in range(500)] + ["x" * n for n in range(1, 501)]
    compared: list[int] = []
    real = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        compared.append(1)
        return real(self)

    _nearest.cache_clear()  # a suggestion is remembered: this one must be worked out
    with mock.patch.object(difflib.SequenceMatcher, "ratio", counted):
        said = did_you_mean("claim-42x", choices)
    assert said == difflib_says("claim-42x", choices) == "; did you mean 'claim-42'?"
    assert 1 <= len(compared) <= 20, len(compared)


def test_a_suggestion_asked_for_again_is_remembered() -> None:
    choices = [f"claim-{i}" for i in range(300)]
    _nearest.cache_clear()
    did_you_mean("claim-7x", choices)
    with mock.patch.object(difflib.SequenceMatcher, "ratio", side_effect=AssertionError):
        assert did_you_mean("claim-7x", choices) == "; did you mean 'claim-7'?"


def test_a_word_longer_than_any_name_gets_no_suggestion() -> None:
    long = "a" * (MAX_SUGGESTED + 1)
    assert did_you_mean(long, [long[:-1]]) == ""
    assert did_you_mean(long[:-1], [long[:-2]]) == f"; did you mean '{long[:-2]}'?"
