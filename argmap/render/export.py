"""The JSON export (FORMAT.md): the machine-readable twin of the brief."""

from __future__ import annotations

import json
from typing import Any

from argmap.evaluate import Evaluation
from argmap.evaluate.pivotal import Pivotal
from argmap.evaluate.reasons import quoting, words
from argmap.model import ArgMap, Evidence, Rebuttal

FORMAT_ID = "argmap/1"


def to_json(argmap: ArgMap, ev: Evaluation, pivotal: Pivotal | None = None) -> str:
    """Nodes and edges in file order, so the same map always gives the same bytes.

    With `pivotal`, each claim carries `pivotal`: the ids of the points its standing hangs on
    (FORMAT.md), or null on every claim when the analysis was skipped as too large.
    """
    nodes: list[dict[str, Any]] = []
    name = quoting({item.id: item.text for item in argmap.statements()})
    edges: list[dict[str, str]] = []
    for item in argmap.statements():
        verdict = ev[item.id]
        node: dict[str, Any] = {
            "id": item.id,
            "kind": item.item_kind,
            "text": item.text,
            "by": item.by,
            "quote": item.quote,
            "source": item.source,
            "tags": list(item.tags),
        }
        if isinstance(item, Evidence):
            node["evidence_kind"] = item.kind
        node |= {
            "standing": verdict.standing,
            "reason": words(verdict.reason, name),
            "reason_kind": verdict.reason.kind,
            "reason_ids": list(verdict.reason.ids),
            "rebutted_by": list(verdict.rebutted_by),
            "defeated_by": list(verdict.defeated_by),
            "supported_by": list(verdict.supported_by),
        }
        if pivotal is not None and item.item_kind == "claim":
            pivots = None if pivotal.skipped else pivotal.points.get(item.id, ())
            node["pivotal"] = None if pivots is None else [p.point for p in pivots]
        nodes.append(node)
        if isinstance(item, Rebuttal):
            edges += [{"from": item.id, "to": t, "relation": "rebuts"} for t in item.rebuts]
        elif isinstance(item, Evidence):
            edges += [{"from": item.id, "to": t, "relation": "supports"} for t in item.supports]
    doc = {
        "format": FORMAT_ID,
        "title": argmap.title,
        "question": argmap.question,
        "summary": argmap.summary,
        "counts": ev.counts(),
        "nodes": nodes,
        "edges": edges,
        "sources": [s.model_dump() for s in argmap.sources],
        "speakers": [s.model_dump() for s in argmap.speakers],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
