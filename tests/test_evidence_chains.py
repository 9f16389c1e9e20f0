"""Evidence that supports other evidence (an evidence chain, FORMAT.md "Meaning"): the
diagram draws the support, the brief shows the backing under the evidence it backs, the JSON
export lists the edge, and no standing changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.render.brief import render_brief
from argmap.render.diagram import to_dot
from argmap.render.export import to_json

CHAIN = ArgMap.model_validate(
    {
        "title": "Chains",
        "claims": [{"id": "claim", "text": "Trams cut traffic."}],
        "rebuttals": [{"id": "doubt", "rebuts": ["stat"], "text": "The statistic is old."}],
        "evidence": [
            {"id": "stat", "supports": ["claim"], "kind": "statistic", "text": "Traffic fell 20%."},
            {"id": "study", "supports": ["stat"], "kind": "document", "text": "A 2019 city study."},
            {"id": "loop-a", "supports": ["loop-b", "claim"], "text": "Loop A."},
            {"id": "loop-b", "supports": ["loop-a"], "text": "Loop B."},
        ],
    }
)


def test_support_of_evidence_changes_no_standing() -> None:
    ev = evaluate(CHAIN)
    assert ev["stat"].supported_by == ("study",)
    assert ev["loop-a"].supported_by == ("loop-b",)
    assert ev["stat"].standing == "defeated"  # the study does not save it: support never does
    assert ev["study"].standing == "stands"


def test_the_diagram_draws_the_chain() -> None:
    dot = to_dot(CHAIN, evaluate(CHAIN))
    for a, b in (("study", "stat"), ("loop-a", "loop-b"), ("loop-b", "loop-a")):
        assert re.search(rf'"?{a}"? -> "?{b}"? \[[^\]]*tooltip="{a} supports {b}"', dot), (a, b)


def test_the_export_lists_the_chain() -> None:
    doc = json.loads(to_json(CHAIN, evaluate(CHAIN)))
    assert {"from": "study", "to": "stat", "relation": "supports"} in doc["edges"]
    node = next(n for n in doc["nodes"] if n["id"] == "stat")
    assert node["supported_by"] == ["study"]


def test_the_brief_shows_the_backing_under_the_evidence(tmp_path: Path) -> None:
    ev = evaluate(CHAIN)
    html = render_brief(CHAIN, ev, svg=None, diagnostics=[], map_name="m.yaml", map_dir=tmp_path)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Under the statistic, its backing: the study.
    at = text.index("Traffic fell 20%.")
    assert "A 2019 city study." in text[at:]
    assert text.count("Loop B.") >= 1  # a circular chain renders, once placed and then named
