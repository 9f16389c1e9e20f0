"""AIF out, as AIFdb writes it in JSON, and xAIF: the same graph wrapped with its text.

Each point is an I-node keeping its id; each (rebutter, target) pair a CA node, each
(supporter, target) pair an RA node, each undercut a CA node aimed at the link's CA or RA
node; who said what is an L-node ("Name: quote") asserting the I-node through a YA node,
with a locution naming the participant. What AIF has no place for (title, question, summary,
sources, speakers' roles, tags, evidence kinds) goes in an `argmap` object that AIF tools
ignore and `argmap import` reads back.

xAIF (the layout of OVA3 and the argument-mining pipelines) puts that graph under `AIF`, beside
the `text` it was drawn from: here the text of the map's source files, so that a reader finds
every quote in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from argmap.files import read_regular_file
from argmap.model import ArgMap, Evidence, Rebuttal

_SCHEMES: Final = {"RA": "Default Inference", "CA": "Default Conflict", "YA": "Asserting"}
MAX_TEXT: Final = 32 * 1024 * 1024  # of source text put into one xAIF file, at most


def to_aif(m: ArgMap) -> str:
    """The map as AIFdb JSON; the same map always gives the same bytes."""
    return json.dumps(aif_doc(m), ensure_ascii=False, indent=1) + "\n"


def to_xaif(m: ArgMap, folder: Path | None = None) -> str:
    """The map as xAIF: the AIF graph under `AIF`, the text of the sources' files (read from
    the map's `folder`) as `text`, the `argmap` object beside them."""
    doc = aif_doc(m)
    meta = doc.pop("argmap")
    graph = {**doc, "schemefulfillments": [], "descriptorfulfillments": []}
    wrapped = {"AIF": graph, "text": source_text(m, folder), "dialog": False, "argmap": meta}
    return json.dumps(wrapped, ensure_ascii=False, indent=1) + "\n"


def source_text(m: ArgMap, folder: Path | None) -> str:
    """The texts of the map's source files, each once, in the order the map lists them."""
    if folder is None:
        return ""
    parts: list[str] = []
    seen: set[str] = set()
    total = 0
    for s in m.sources:
        if s.file is None or s.file in seen:
            continue
        seen.add(s.file)
        try:
            raw = read_regular_file(folder / s.file, MAX_TEXT + 1)
        except OSError:
            continue
        if raw is None or total + len(raw) > MAX_TEXT:
            continue
        total += len(raw)
        parts.append(raw.decode("utf-8-sig", errors="replace"))
    return "\n\n".join(parts)


def aif_doc(m: ArgMap) -> dict[str, Any]:
    """The AIF document as data."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    locutions: list[dict[str, Any]] = []
    people = {s.id: n for n, s in enumerate(m.speakers, start=1)}
    names = {s.id: s.name for s in m.speakers}
    extra: dict[str, dict[str, Any]] = {}

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": len(edges) + 1, "fromID": a, "toID": b})

    for item in m.statements():
        nodes.append({"nodeID": item.id, "text": item.text, "type": "I"})
        kind = (
            "rebuttal"
            if isinstance(item, Rebuttal)
            else "evidence"
            if isinstance(item, Evidence)
            else "claim"
        )
        info: dict[str, Any] = {"kind": kind}
        if isinstance(item, Evidence):
            info["evidence_kind"] = item.kind
        for field in ("by", "quote", "source", "reported_by"):
            if getattr(item, field) is not None:
                info[field] = getattr(item, field)
        if item.paraphrase:
            info["paraphrase"] = True
        if item.tags:
            info["tags"] = list(item.tags)
        if item.weight is not None:
            info["weight"] = item.weight
        extra[item.id] = info
    link_node: dict[tuple[str, str], str] = {}  # (from, to) -> its CA or RA node
    for item in m.statements():
        # any point may rebut (a CA node per target) and support (an RA node per target)
        for field, kind, tag in (("rebuts", "CA", "ca"), ("supports", "RA", "ra")):
            for n, target in enumerate(getattr(item, field, None) or (), start=1):
                node = f"{item.id}--{tag}-{n}"
                nodes.append({"nodeID": node, "text": _SCHEMES[kind], "type": kind})
                edge(item.id, node)
                edge(node, target)
                link_node[item.id, target] = node
        if item.by is None and item.quote is None:
            continue
        said = item.quote if item.quote is not None else item.text
        lnode, ya = f"{item.id}--l", f"{item.id}--ya"
        who = names.get(item.by or "", "")
        nodes.append({"nodeID": lnode, "text": f"{who}: {said}" if who else said, "type": "L"})
        nodes.append({"nodeID": ya, "text": _SCHEMES["YA"], "type": "YA"})
        edge(lnode, ya)
        edge(ya, item.id)
        if item.by is not None:
            locutions.append({"nodeID": lnode, "personID": people[item.by]})
    for item in m.statements():  # an undercut: a CA node aimed at the RA or CA node of a link
        for n, link in enumerate(getattr(item, "undercuts", None) or (), start=1):
            if (link.from_, link.to) in link_node:
                ca = f"{item.id}--uc-{n}"
                nodes.append({"nodeID": ca, "text": _SCHEMES["CA"], "type": "CA"})
                edge(item.id, ca)
                edge(ca, link_node[link.from_, link.to])
    participants = [{"participantID": people[s.id], **_split_name(s.name)} for s in m.speakers]
    doc: dict[str, Any] = {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": participants,
        "argmap": {
            "format": "argmap/1",
            "title": m.title,
            "question": m.question,
            "summary": m.summary,
            **({"judgement": m.judgement.model_dump()} if m.judgement.attacks != "all" else {}),
            "sources": [s.model_dump(exclude_none=True) for s in m.sources],
            "speakers": [s.model_dump(exclude_none=True) for s in m.speakers],
            "points": extra,
        },
    }
    return doc


def _split_name(name: str) -> dict[str, str]:
    first, _, last = name.rpartition(" ")
    return {"firstname": first, "surname": last} if first else {"firstname": name, "surname": ""}
