"""Reported speech: `reported_by:` (who passed the words on) and `paraphrase:` (the reporter's
account, not the speaker's words), checked, worded in the brief and carried by the export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import InvalidMap
from argmap.evaluate import evaluate
from argmap.load import read_map
from argmap.model import ArgMap
from argmap.render.brief import render_brief
from argmap.render.export import to_json
from argmap.schema import schema_text
from argmap.validate import validate

SOURCE = "Mr. Douglas charged that Lincoln wished to make war on the Supreme Court.\n"

OTTAWA = """\
title: Ottawa, 1858
sources:
  - id: reply
    title: Mr. Lincoln's reply
    publisher: the Chicago Press and Tribune
    file: reply.txt
speakers:
  - id: douglas
    name: Stephen A. Douglas
  - id: hitt
    name: Robert R. Hitt
claims:
  - id: war-on-court
    text: Lincoln would make war on the Supreme Court.
    by: douglas
    quote: Lincoln wished to make war on the Supreme Court
    source: reply
    reported_by: reply
    paraphrase: true
rebuttals:
  - id: denies
    rebuts: war-on-court
    text: Lincoln denies it.
    by: douglas
    quote: Mr. Douglas charged
    source: reply
    reported_by: hitt
"""


def load(tmp_path: Path, text: str) -> ArgMap:
    (tmp_path / "reply.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    return validate(read_map(tmp_path / "m.yaml", "m.yaml")).argmap


def errors(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "reply.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidMap) as raised:
        validate(read_map(tmp_path / "m.yaml", "m.yaml"))
    return [str(d) for d in raised.value.diagnostics if d.severity == "error"]


def brief(argmap: ArgMap, tmp_path: Path) -> str:
    options: dict[str, Any] = {"svg": None, "diagnostics": [], "map_name": "m.yaml"}
    return render_brief(argmap, evaluate(argmap), map_dir=tmp_path, **options)


def test_a_reported_paraphrase_is_valid_and_read(tmp_path: Path) -> None:
    argmap = load(tmp_path, OTTAWA)
    claim, rebuttal = argmap.claims[0], argmap.rebuttals[0]
    assert (claim.reported_by, claim.paraphrase) == ("reply", True)
    assert (rebuttal.reported_by, rebuttal.paraphrase) == ("hitt", False)


def test_the_brief_says_who_reported_the_words_and_how(tmp_path: Path) -> None:
    page = brief(load(tmp_path, OTTAWA), tmp_path)
    captions = re.findall(r"<figcaption>— (.*?), in <cite>", page)
    assert captions == [
        "Stephen A. Douglas, as paraphrased by the Chicago Press and Tribune",
        "Stephen A. Douglas, as reported by Robert R. Hitt",
    ]
    # a paraphrase is not printed as the speaker's words: no quotation marks, said so
    assert re.search(
        r'<figure class="quote paraphrase">\s*<blockquote><p><span class="sr-only">'
        r"Paraphrase: </span>Lincoln wished",
        page,
    )
    assert '<figure class="quote">' in page  # the verbatim one keeps its marks
    # a speaker who only reports is listed as such under "Who said what"
    assert "Reports the words of 1 point:" in page


@pytest.mark.parametrize(
    ("change", "caption"),
    [
        ({"paraphrase": False}, "Stephen A. Douglas, as reported by the Chicago Press and Tribune"),
        ({"reported_by": None}, "Stephen A. Douglas, paraphrased"),
        ({"by": None}, "paraphrased by the Chicago Press and Tribune"),
        ({"by": None, "reported_by": None}, "a paraphrase"),
    ],
)
def test_each_combination_is_worded(tmp_path: Path, change: dict[str, Any], caption: str) -> None:
    argmap = load(tmp_path, OTTAWA)
    claim = argmap.claims[0].model_copy(update=change)
    page = brief(argmap.model_copy(update={"claims": [claim]}), tmp_path)
    assert re.findall(r"<figcaption>— (.*?), in <cite>", page)[0] == caption


def test_the_export_carries_it_only_where_given(tmp_path: Path) -> None:
    argmap = load(tmp_path, OTTAWA)
    nodes = json.loads(to_json(argmap, evaluate(argmap)))["nodes"]
    assert (nodes[0]["reported_by"], nodes[0]["paraphrase"]) == ("reply", True)
    assert nodes[1]["reported_by"] == "hitt" and "paraphrase" not in nodes[1]
    assert list(nodes[0])[:8] == [
        "id",
        "kind",
        "text",
        "by",
        "quote",
        "source",
        "reported_by",
        "paraphrase",
    ]


def test_the_schema_describes_both_fields() -> None:
    claim = json.loads(schema_text())["$defs"]["Claim"]["properties"]
    assert claim["paraphrase"]["type"] == "boolean"
    assert "as reported by" in claim["reported_by"]["description"]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "reported_by: hitt",
            "reported_by: hit",
            "m.yaml:27:18: error: 'reported_by: hit' of rebuttal 'denies' names no speaker or "
            "source in this map; did you mean 'hitt'?",
        ),
        (
            "reported_by: hitt",
            "reported_by: war-on-court",
            "'reported_by: war-on-court' of rebuttal 'denies' names a claim, but 'reported_by' "
            "takes a speaker or a source",
        ),
        (
            "reported_by: hitt",
            "reported_by: Hitt",
            "'Hitt' is not a valid id: ids are written in lowercase; write 'hitt'",
        ),
        (
            "    paraphrase: true\n",
            "    paraphrase: yes please\n",
            "'paraphrase' of claim 'war-on-court' should be true or false, not text; write true "
            "or false, without quotes",
        ),
        (
            "    quote: Lincoln wished to make war on the Supreme Court\n    source: reply\n",
            "",
            "claim 'war-on-court' says 'paraphrase: true' but has no quote; add 'quote:'",
        ),
    ],
)
def test_mistakes_are_said_in_words(tmp_path: Path, old: str, new: str, words: str) -> None:
    text = OTTAWA.replace(old, new)
    assert text != OTTAWA
    found = errors(tmp_path, text)
    assert len(found) == 1, found
    assert words in found[0]
