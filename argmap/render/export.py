"""The JSON export (FORMAT.md): the machine-readable twin of the brief.

Its shape is the `ExportDoc` model below: `export_schema` turns it into `argmap.schema.json`, the
JSON Schema that scripts can rely on, and the tests hold every export to that schema
(tests/test_export_schema.py: the repository's maps, random maps, hostile text), so `to_json`
does not check each document again at run time.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from argmap.evaluate import Evaluation
from argmap.evaluate.links import each_link, links
from argmap.evaluate.pivotal import Pivotal
from argmap.evaluate.reasons import ReasonKind, quoting, words
from argmap.model import ArgMap, Evidence, EvidenceKind, Source, Speaker, Standing
from argmap.outputs import EXPORT_FORMAT_ID

FORMAT_ID: Final = EXPORT_FORMAT_ID  # argmap.outputs: the checks know the export by it
SCHEMA_ID: Final = "urn:argmap:export:argmap-1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportNode(_Out):
    """A claim, rebuttal or evidence item with its standing."""

    id: str = Field(description="The point's id in the map.")
    kind: Literal["claim", "rebuttal", "evidence"] = Field(description="What the point is.")
    text: str = Field(description="The point, in the map author's words.")
    by: str | None = Field(description="The id of its speaker, or null.")
    quote: str | None = Field(description="The speaker's verbatim words, or null.")
    source: str | None = Field(description="The id of the source of its words, or null.")
    reported_by: str | None = Field(
        None,
        description="Only when the map gives it: the id of the speaker or source who reported "
        "its words.",
    )
    paraphrase: bool | None = Field(
        None,
        description="Only when true in the map: its quote is a reporter's paraphrase, not the "
        "speaker's verbatim words.",
    )
    tags: list[str] = Field(description="Its tags, in the map's order.")
    evidence_kind: EvidenceKind | None = Field(
        None, description="Evidence only (absent on claims and rebuttals): what sort it is."
    )
    standing: Standing = Field(description="The grounded labelling: stands, defeated, undecided.")
    reason: str = Field(
        description="Why it has its standing, in words for people; may change between versions."
    )
    reason_kind: ReasonKind = Field(description="What decided the standing (FORMAT.md).")
    reason_ids: list[str] = Field(description="The ids of the points that decided it.")
    rebutted_by: list[str] = Field(description="Every rebuttal against it, standing or not.")
    defeated_by: list[str] = Field(description="The rebuttals against it that stand.")
    supported_by: list[str] = Field(description="The evidence that supports it.")
    defeat: Literal["refuted", "unsupported"] | None = Field(
        description="Defeated points only (else null): `unsupported` when every rebuttal that "
        "defeats it carries no source, no quote and no evidence that stands (a bare denial), "
        "`refuted` otherwise."
    )
    undercut: list[str] = Field(
        description="The points whose link to it (a rebuttal or support) is undercut by a point "
        "that stands: that link counts for nothing."
    )
    outweighed_by: list[str] = Field(
        description="Weighed maps: the rebuttals against it too weak to defeat it (else [])."
    )
    strength: int | None = Field(
        description='Weighed maps: its strength (FORMAT.md, "Judgement"); null otherwise.'
    )
    credulous: bool | None = Field(
        description="Whether it stands in at least one position the map allows (preferred "
        "semantics); null when its knot was too large to work out."
    )
    sceptical: bool | None = Field(
        description="Whether it stands in every position the map allows; null as `credulous`."
    )
    pivotal: list[str] | None = Field(
        None,
        description="Claims only, when the build computed it: the ids of the points the claim's "
        "standing hangs on (FORMAT.md), or null when the analysis was skipped as too large.",
    )


class ExportLink(_Out):
    """The rebuttal or support link a point undercuts."""

    from_: str = Field(alias="from", description="The id of the point that rebuts or supports.")
    to: str = Field(description="The id of the point it rebuts or supports.")


class ExportEdge(_Out):
    """One relation: a point rebuts, supports, or undercuts a link."""

    from_: str = Field(
        alias="from", description="The id of the point that rebuts, supports or undercuts."
    )
    to: str = Field(
        description="The id of the point it rebuts or supports (for an undercut: the link's end)."
    )
    relation: Literal["rebuts", "supports", "undercuts"]
    link: ExportLink | None = Field(
        None, description="Undercuts only (absent otherwise): the link it attacks."
    )


class ExportCounts(_Out):
    """How many points stand, are defeated and are undecided."""

    stands: int
    defeated: int
    undecided: int
    unsupported: int = Field(
        description="Of the defeated points, how many fell only to unsupported denials."
    )


class ExportPosition(_Out):
    """One coherent position on a knot (a preferred labelling of its points)."""

    stands: list[str]
    defeated: list[str]
    undecided: list[str]
    stable: bool = Field(description="Whether it leaves none of the knot's points undecided.")


class ExportKnot(_Out):
    """Undecided points connected by rebuttals, and the positions they allow."""

    points: list[str] = Field(description="Its points, in file order.")
    positions: list[ExportPosition] | None = Field(
        description="Its preferred labellings; null when it was too large to work out."
    )


class ExportPositions(_Out):
    """The positions the map allows where the grounded labelling leaves points undecided."""

    count: int | None = Field(
        description="How many positions the whole map allows (1 when nothing is undecided); "
        "null when some knot was too large to work out."
    )
    knots: list[ExportKnot]


class ExportDoc(_Out):
    """The whole export; keys and list items keep their order, so bytes are stable."""

    format: Literal["argmap/1"] = Field(description="This format and its version.")
    title: str
    question: str | None
    summary: str | None
    rule: Literal["all", "weighed"] = Field(
        description="The map's `judgement.attacks`: how attacks were judged (FORMAT.md)."
    )
    counts: ExportCounts
    positions: ExportPositions
    nodes: list[ExportNode] = Field(description="Claims, rebuttals and evidence, in file order.")
    edges: list[ExportEdge] = Field(description="Relations, in file order.")
    sources: list[Source] = Field(description="As in claims.yaml; absent fields are null.")
    speakers: list[Speaker] = Field(description="As in claims.yaml; absent fields are null.")


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export, from the models that shape it."""
    generated = ExportDoc.model_json_schema(mode="serialization", by_alias=True)
    generated.update(
        title="argmap JSON export (format argmap/1)",
        description="What `argmap export --format json` and `argmap build` write to "
        "argmap.json: the map's points with their standings, the relations, sources and speakers.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
    }


def export_schema_text() -> str:
    """The schema as the text of `argmap.schema.json` (sorted keys: stable bytes)."""
    return json.dumps(export_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_json(argmap: ArgMap, ev: Evaluation, pivotal: Pivotal | None = None) -> str:
    """Nodes and edges in file order, so the same map always gives the same bytes.

    With `pivotal`, each claim carries `pivotal`: the ids of the points its standing hangs on
    (FORMAT.md), or null on every claim when the analysis was skipped as too large.
    """
    nodes: list[dict[str, Any]] = []
    name = quoting({item.id: item.text for item in argmap.statements()})
    edges: list[dict[str, Any]] = []
    for item in argmap.statements():
        verdict = ev[item.id]
        node: dict[str, Any] = {
            "id": item.id,
            "kind": item.item_kind,
            "text": item.text,
            "by": item.by,
            "quote": item.quote,
            "source": item.source,
        }
        if item.reported_by is not None:  # absent unless given: earlier exports keep their bytes
            node["reported_by"] = item.reported_by
        if item.paraphrase:
            node["paraphrase"] = True
        node["tags"] = list(item.tags)
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
            "defeat": verdict.fell,
            "undercut": list(verdict.undercut),
            "outweighed_by": list(verdict.outweighed),
            "strength": ev.strengths[item.id].value if ev.strengths else None,
        }
        node["credulous"], node["sceptical"] = ev.positions.acceptance(item.id, verdict.standing)
        if pivotal is not None and item.item_kind == "claim":
            pivots = None if pivotal.skipped else pivotal.points.get(item.id, ())
            node["pivotal"] = None if pivots is None else [p.point for p in pivots]
        nodes.append(node)
    found = links(argmap)
    for relation, (source, target) in each_link(found):
        edges.append({"from": source, "to": target, "relation": relation})
    for (source, target), cutters in found.undercut.items():
        edges += [
            {
                "from": u,
                "to": target,
                "relation": "undercuts",
                "link": {"from": source, "to": target},
            }
            for u in cutters
        ]
    counts: dict[str, int] = {str(k): v for k, v in ev.counts().items()}
    counts["unsupported"] = sum(v.fell == "unsupported" for v in ev.verdicts.values())
    doc = {
        "format": FORMAT_ID,
        "title": argmap.title,
        "question": argmap.question,
        "summary": argmap.summary,
        "rule": ev.rule,
        "counts": counts,
        "positions": {
            "count": ev.positions.count(),
            "knots": [
                {
                    "points": list(knot.points),
                    "positions": None
                    if knot.positions is None
                    else [
                        {
                            "stands": list(p.stands),
                            "defeated": list(p.defeated),
                            "undecided": list(p.undecided),
                            "stable": p.stable,
                        }
                        for p in knot.positions
                    ],
                }
                for knot in ev.positions.knots
            ],
        },
        "nodes": nodes,
        "edges": edges,
        "sources": [s.model_dump() for s in argmap.sources],
        "speakers": [s.model_dump() for s in argmap.speakers],
    }
    return pretty_json(doc) + "\n"


_LITERALS: Final = {None: "null", True: "true", False: "false"}


def pretty_json(value: Any, indent: str = "") -> str:
    r"""`json.dumps(value, ensure_ascii=False, indent=2)`, the same text, about a third faster:
    with `indent`, `json` leaves its C encoder for a pure-Python one (0.2 s at 10,000 points).

    >>> pretty_json({"a": [1, None, "é"], "b": {}, "c": []})
    '{\n  "a": [\n    1,\n    null,\n    "é"\n  ],\n  "b": {},\n  "c": []\n}'
    """
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        if any(type(k) is not str for k in value):
            return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
        items = (f"{inner}{_string(k)}: {pretty_json(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + "  "
        return (
            "[\n" + ",\n".join(inner + pretty_json(v, inner) for v in value) + "\n" + indent + "]"
        )
    if value is None or kind is bool:
        return _LITERALS[value]
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
