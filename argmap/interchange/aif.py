"""AIF, as AIFdb writes it in JSON: `nodes` (nodeID, text, type), `edges` (fromID, toID),
and optionally `locutions` (nodeID, personID) and `participants` (participantID, names).

Export: each point is an I-node keeping its id; each (rebuttal, target) pair a CA node, each
(evidence, target) pair an RA node; who said what is an L-node ("Name: quote") asserting the
I-node through a YA node, with a locution naming the participant. What AIF has no place for
(title, question, summary, sources, speakers' roles, tags, evidence kinds) goes in an
`argmap` object that AIF tools ignore and `argmap import` reads back.

Import: I-nodes become points, CA nodes rebuttals, RA nodes evidence (a linked argument with
several premises becomes several evidence items, reported), L/YA nodes and locutions give
speakers and quotes (the file itself is named as the quotes' source). Files without locutions
(the AraucariaDB style) import too. MA and TA nodes, undercuts (an attack on an RA or CA
node) and anything else are reported as losses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.report import BadInput, Place, Problem
from argmap.model import ArgMap, Evidence, Rebuttal

FILE_SOURCE: Final = "aif-file"  # the id of the source named for quotes without one
_RELATION_OF: Final = {"RA": "support", "CA": "rebuttal"}
_SCHEMES: Final = {"RA": "Default Inference", "CA": "Default Conflict", "YA": "Asserting"}


def to_aif(m: ArgMap) -> str:
    """The map as AIFdb JSON; the same map always gives the same bytes."""
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
        extra[item.id] = info
    for item in m.statements():
        if isinstance(item, Rebuttal):
            for n, target in enumerate(item.rebuts, start=1):
                ca = f"{item.id}--ca-{n}"
                nodes.append({"nodeID": ca, "text": _SCHEMES["CA"], "type": "CA"})
                edge(item.id, ca)
                edge(ca, target)
        elif isinstance(item, Evidence):
            for n, target in enumerate(item.supports, start=1):
                ra = f"{item.id}--ra-{n}"
                nodes.append({"nodeID": ra, "text": _SCHEMES["RA"], "type": "RA"})
                edge(item.id, ra)
                edge(ra, target)
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
    participants = [{"participantID": people[s.id], **_split_name(s.name)} for s in m.speakers]
    doc = {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": participants,
        "argmap": {
            "format": "argmap/1",
            "title": m.title,
            "question": m.question,
            "summary": m.summary,
            "sources": [s.model_dump(exclude_none=True) for s in m.sources],
            "speakers": [s.model_dump(exclude_none=True) for s in m.speakers],
            "points": extra,
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _split_name(name: str) -> dict[str, str]:
    first, _, last = name.rpartition(" ")
    return {"firstname": first, "surname": last} if first else {"firstname": name, "surname": ""}


# -- import ---------------------------------------------------------------------------------------


class _AifReader:
    def __init__(self, doc: dict[str, Any], file: str) -> None:
        self.doc = doc
        self.file = file
        self.problems: list[Problem] = []
        self.draft = Draft(file=file, fmt="aif")
        self.types: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.into: dict[str, list[str]] = {}
        self.out_of: dict[str, list[str]] = {}

    def bad(self, node: str | None, message: str) -> None:
        place = Place(node=node) if node is not None else Place(1, 1)
        self.problems.append(Problem(self.file, place, message))

    def lose(self, action: str, noun: str, why: str, node: str, plural: str | None = None) -> None:
        self.draft.losses.add(action, noun, why, Place(node=node), plural)

    def nodes(self) -> None:
        nodes = self.doc.get("nodes")
        if not isinstance(nodes, list):
            self.bad(None, "no `nodes` list: is it AIF (AIFdb JSON)?")
            return
        for n, node in enumerate(nodes):
            if not isinstance(node, dict) or not isinstance(node.get("nodeID"), str | int):
                self.bad(None, f"nodes[{n}] has no nodeID")
                continue
            nid = str(node["nodeID"])
            kind = node.get("type")
            if not isinstance(kind, str):
                self.bad(nid, "the node has no `type` (I, RA, CA, MA, L, YA, TA ...)")
                continue
            if nid in self.types:
                self.bad(nid, "a second node with this nodeID; nodeIDs must be unique")
                continue
            text = node.get("text")
            self.types[nid] = kind.upper()
            self.texts[nid] = text if isinstance(text, str) else ""
            self.into[nid] = []
            self.out_of[nid] = []

    def edges(self) -> None:
        edges = self.doc.get("edges")
        if not isinstance(edges, list):
            self.bad(None, "no `edges` list: is it AIF (AIFdb JSON)?")
            return
        for n, e in enumerate(edges):
            if not isinstance(e, dict):
                self.bad(None, f"edges[{n}] is not an object")
                continue
            a, b = e.get("fromID"), e.get("toID")
            name = str(e.get("edgeID", f"#{n}"))
            if not isinstance(a, str | int) or not isinstance(b, str | int):
                self.bad(None, f"edge {name} lacks fromID or toID")
                continue
            a, b = str(a), str(b)
            missing = [x for x in (a, b) if x not in self.types]
            for x in missing:
                self.bad(x, f"edge {name} names node {x}, which is not in `nodes`")
            if not missing:
                self.out_of[a].append(b)
                self.into[b].append(a)

    def run(self) -> Draft:
        self.nodes()
        self.edges()
        if self.problems:
            return self.draft
        meta = self.doc.get("argmap")
        meta = meta if isinstance(meta, dict) else {}
        points_meta = meta.get("points") if isinstance(meta.get("points"), dict) else {}
        d = self.draft
        for key in ("title", "question", "summary"):
            if isinstance(meta.get(key), str):
                setattr(d, key, meta[key])
        for section in ("sources", "speakers"):
            items = meta.get(section)
            if isinstance(items, list):
                getattr(d, section).extend(
                    {k: str(v) for k, v in i.items()}
                    for i in items
                    if isinstance(i, dict) and isinstance(i.get("id"), str)
                )
        for nid, kind in self.types.items():
            if kind == "I":
                point = Point(key=nid, name=nid, text=self.texts[nid], place=Place(node=nid))
                info = points_meta.get(nid) if isinstance(points_meta, dict) else None
                if isinstance(info, dict):
                    point.by = _str(info.get("by"))
                    point.quote = _str(info.get("quote"))
                    point.source = _str(info.get("source"))
                    point.kind = _str(info.get("evidence_kind"))
                    tags = info.get("tags")
                    point.tags = (
                        [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
                    )
                d.points[nid] = point
        for nid, kind in self.types.items():
            if kind == "CA":
                self.scheme(nid, d.attacks, "attack")
            elif kind == "RA":
                self.scheme(nid, d.supports, "support")
            elif kind == "MA":
                self.lose(
                    "dropped",
                    "MA node (rephrase)",
                    "argmap has no rephrase relation",
                    nid,
                    "MA nodes (rephrases)",
                )
            elif kind == "TA":
                self.lose(
                    "dropped",
                    "TA node (transition)",
                    "argmap has no dialogue structure",
                    nid,
                    "TA nodes (transitions)",
                )
            elif kind == "PA":
                self.lose(
                    "dropped",
                    "PA node (preference)",
                    "argmap has no preferences",
                    nid,
                    "PA nodes (preferences)",
                )
            elif kind not in ("I", "L", "YA"):
                self.lose("dropped", f"{kind} node", "argmap does not know this node type", nid)
        if not meta:
            self.speech()
        return d

    def scheme(self, nid: str, into: list[Edge], what: str) -> None:
        premises = [p for p in self.into[nid] if self.types[p] == "I"]
        targets = self.out_of[nid]
        place = Place(node=nid)
        for t in targets:
            if self.types[t] != "I":
                self.lose(
                    "dropped",
                    "undercut" if what == "attack" else "support of an inference",
                    f"argmap has no {what} on a {_RELATION_OF.get(self.types[t], 'relation')}",
                    nid,
                )
        kept = [t for t in targets if self.types[t] == "I"]
        if (not premises or not kept) and len(kept) == len(targets):
            self.lose(
                "dropped",
                f"{'CA' if what == 'attack' else 'RA'} node without both ends",
                "a relation needs a point on each side",
                nid,
                f"{'CA' if what == 'attack' else 'RA'} nodes without both ends",
            )
        targets = kept
        if not premises or not targets:
            return
        if len(premises) > 1:
            self.lose(
                "split",
                "linked argument into separate points"
                if what == "support"
                else "linked attack into separate rebuttals",
                "argmap has no linked premises; each premise now stands alone",
                nid,
            )
        for p in premises:
            for t in targets:
                into.append(Edge(p, t, place))

    def speech(self) -> None:
        """Speakers and quotes from L-nodes, YA nodes, locutions and participants."""
        people: dict[str, str] = {}
        participants = self.doc.get("participants")
        for p in participants if isinstance(participants, list) else []:
            if isinstance(p, dict) and isinstance(p.get("participantID"), str | int):
                # The export splits a name at its last space; join the parts back exactly.
                full = " ".join(str(p[k]) for k in ("firstname", "surname") if p.get(k))
                if not full.strip():
                    full = f"participant {p['participantID']}"
                people[str(p["participantID"])] = full
        speaker_of: dict[str, str] = {}
        locutions = self.doc.get("locutions")
        for loc in locutions if isinstance(locutions, list) else []:
            if isinstance(loc, dict) and str(loc.get("personID")) in people:
                speaker_of[str(loc.get("nodeID"))] = people[str(loc.get("personID"))]
        speakers: dict[str, str] = {}  # name -> speaker key
        d = self.draft
        for lnode, kind in self.types.items():
            if kind != "L":
                continue
            text = self.texts[lnode]
            name: str | None = speaker_of.get(lnode)
            words = text
            if name and text.startswith(name + ": "):
                words = text[len(name) + 2 :]
            elif name and text.startswith(name + ":"):
                words = text[len(name) + 1 :].lstrip()
            elif name is None and "locutions" not in self.doc:
                # No locutions at all: AIFdb's L-nodes still read "Name: words".
                head, sep, tail = text.partition(": ")
                if sep and 0 < len(head) <= 40 and len(head.split()) <= 4:
                    name, words = head.strip(), tail
            words = words or ""
            asserted = [
                i
                for ya in self.out_of[lnode]
                if self.types[ya] == "YA"
                for i in self.out_of[ya]
                if self.types[i] == "I"
            ]
            for i in asserted:
                point = d.points[i]
                if name and point.by is None:
                    if name not in speakers:
                        speakers[name] = name
                        d.speakers.append({"id": name, "name": name})
                    point.by = speakers[name]
                if words and point.quote is None:
                    point.quote = words
                    point.source = FILE_SOURCE
        if any(p.source == FILE_SOURCE for p in d.points.values()):
            d.sources.append({"id": FILE_SOURCE, "title": Path(self.file).name})


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def read_aif(text: str, file: str) -> Draft:
    """A `Draft` of AIFdb JSON, or `BadInput` naming each bad node."""
    from argmap.interchange.importer import load_json

    doc = load_json(text, file)
    if not isinstance(doc, dict):
        raise BadInput(
            [Problem(file, Place(1, 1), "AIF JSON is an object with `nodes` and `edges`")]
        )
    reader = _AifReader(doc, file)
    draft = reader.run()
    if reader.problems:
        raise BadInput(reader.problems)
    if not draft.points:
        raise BadInput([Problem(file, Place(1, 1), "no I-nodes (points) found")])
    return draft
