"""The brief's words for the points an outcome hangs on (argmap/render/hinges.py), for every
kind of flip, and the JSON's `pivotal`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from argmap.evaluate import evaluate
from argmap.evaluate.pivotal import analyse
from argmap.model import ArgMap
from argmap.render.export import to_json
from argmap.render.hinges import Hinges
from argmap.render.view import View

SPEAKERS = [{"id": "ann", "name": "Ann"}]


def hinges(limit: int | None = None, **parts: Any) -> Hinges:
    m = ArgMap.model_validate({"title": "T", "speakers": SPEAKERS, **parts})
    ev = evaluate(m)
    pivotal = analyse(m) if limit is None else analyse(m, limit=limit)
    return Hinges(View(m, ev), pivotal)


def words(segs: list[tuple[str, str | None]]) -> str:
    return "".join(text for text, _ in segs)


def c(id_: str) -> dict[str, Any]:
    return {"id": id_, "text": f"Claim {id_}."}


def r(id_: str, *targets: str, by: str | None = None) -> dict[str, Any]:
    return {"id": id_, "text": f"Point {id_}.", "rebuts": list(targets), "by": by}


@pytest.mark.parametrize(
    ("rebuttals", "expected"),
    [
        ([r("x", "c")], ["Would stand again if the rebuttal “Point x” fell."]),
        (
            [r("q", "c"), r("x", "q", by="ann")],
            ["Stands only because Ann's rebuttal “Point x” defeats “Point q”."],
        ),
        (
            [r("b", "c", "d"), r("d", "b"), r("x", "b")],
            [
                "Stands only because the rebuttal “Point x” defeats “Point b”; without it, it "
                "would be undecided."
            ],
        ),
        (
            [r("a", "b"), r("b", "a", "c")],
            [
                "Would be defeated if the rebuttal “Point a” fell.",
                "Would stand if the rebuttal “Point b” fell.",
            ],
        ),
        (
            [r("s", "c"), r("a", "b"), r("b", "a", "c")],
            ["Would be undecided if the rebuttal “Point s” fell."],
        ),
    ],
)
def test_each_kind_of_flip_in_words(rebuttals: list[dict[str, Any]], expected: list[str]) -> None:
    h = hinges(claims=[c("c")], rebuttals=rebuttals)
    lines = h.lines("c")
    assert [words(segs) for segs in lines] == expected
    for segs in lines:  # every point named links to its card
        assert all(target in {"c", *(x["id"] for x in rebuttals)} for _, target in segs if target)


def test_the_bottom_line_names_the_points_most_claims_hang_on() -> None:
    claims = [c(f"c{i}") for i in range(8)]
    rebuttals = [r(f"r{i}", f"c{i}") for i in range(7)] + [r("wide", "c6", "c7")]
    rebuttals[6] = r("r6", "c0")  # c0 now has two standing rebuttals: neither alone decides it
    h = hinges(claims=claims, rebuttals=rebuttals)
    lead, items, more = h.outcome()
    assert lead.startswith("The outcome hangs on 6 points")  # r1-r5 and wide
    assert words(items[0]).startswith("The rebuttal “Point wide” — 2 claims hang on it:")
    assert len(items) == 5
    assert [target for segs in items for _, target in segs[1:2]] == ["wide", "r1", "r2", "r3", "r4"]
    assert more == 1


def test_nothing_to_hang_on_and_skipped_say_so() -> None:
    lead, items, _ = hinges(claims=[c("c")]).outcome()
    assert lead.startswith("No single point decides a claim")
    assert items == []
    big = hinges(limit=1, claims=[c("c")], rebuttals=[r("x", "c")])
    assert big.skipped
    assert big.lines("c") == []
    assert big.outcome()[0].startswith("The map is too large to work out")


def test_json_pivotal_per_claim_or_null_when_skipped() -> None:
    m = ArgMap.model_validate({"title": "T", "claims": [c("c")], "rebuttals": [r("x", "c")]})
    ev = evaluate(m)
    doc = json.loads(to_json(m, ev, analyse(m)))
    assert [n.get("pivotal", "absent") for n in doc["nodes"]] == [["x"], "absent"]
    skipped = json.loads(to_json(m, ev, analyse(m, limit=1)))
    assert skipped["nodes"][0]["pivotal"] is None
    assert "pivotal" not in json.loads(to_json(m, ev))["nodes"][0]
