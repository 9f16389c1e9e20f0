from __future__ import annotations

import html
import re
from typing import Any, Final

from argmap.interchange.aif_speech import FILE_SOURCE, read_speech
from argmap.interchange.draft import Draft, Edge, Point, Undercut
from argmap.interchange.jsonread import load_json
from argmap.interchange.losses import BadInput, Place, Problem
from argmap.interchange.shapes import judgement_of, rival_theses, weight_of

__all__ = ["FILE_SOURCE", "read_aif", "read_xaif"]

_RELATION_OF: Final = {"RA": "support", "CA": "rebuttal"}
_META_KEYS: Final = (
    "format",
    "title",
    "question",
    "summary",
    "judgement",
    "sources",
    "speakers",
    "points",
)
_POINT_KEYS: Final = (
    *("kind", "evidence_kind", "by", "quote", "source", "tags", "weight"),
    *("reported_by", "paraphrase"),
)
# The markup OVA and the pipelines put in a dialogue's text (text with a bare `<` stays as is).
_TAG: Final = re.compile(r"</?(?:span|br|p|div|b|i|u|em|strong|font|a)\b[^<>]*>", re.I)
_BREAK: Final = re.compile(r"<(?:br|/?p)\b", re.I)
_DROPPED_NODES: Final = {
    "MA": ("MA node (rephrase)", "argmap has no rephrase relation", "MA nodes (rephrases)"),
    "TA": ("TA node (transition)", "argmap has no dialogue structure", "TA nodes (transitions)"),
    "PA": ("PA node (preference)", "argmap has no preferences", "PA nodes (preferences)"),
}


def dialogue_text(value: object) -> str | None:
    r"""xAIF's `text`: a string, or `{"txt": ...}`, often HTML (spans around each locution,
    `<br>` between turns), as plain text: tags out, line breaks in, entities resolved.

    >>> dialogue_text({"txt": 'Bob <span id="1">we &amp; they</span>.<br><br>Ann'})
    'Bob we & they.\n\nAnn'
    """
    if isinstance(value, dict):
        value = value.get("txt")
    if not isinstance(value, str) or not value.strip():
        return None
    if "<" in value and _TAG.search(value):
        value = _TAG.sub(lambda m: "\n" if _BREAK.match(m.group(0)) else "", value)
        value = html.unescape(value)
    return value


class _AifReader:
    def __init__(self, doc: dict[str, Any], meta: object, file: str, fmt: str) -> None:
        self.doc = doc
        self.meta: dict[str, Any] = meta if isinstance(meta, dict) else {}
        self.file = file
        self.problems: list[Problem] = []
        self.draft = Draft(file=file, fmt=fmt)
        self.types: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.into: dict[str, list[str]] = {}
        self.out_of: dict[str, list[str]] = {}
        self.aimed_at_links: list[tuple[str, str]] = []  # (CA node, the RA or CA node it attacks)

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

    def settings(self) -> dict[str, Any]:
        """The `argmap` object's title, question, summary, sources and speakers into the draft;
        its per-point details returned. An unknown field is dropped and reported."""
        meta, d = self.meta, self.draft
        for key in meta:
            if key not in _META_KEYS:
                d.losses.add(
                    "dropped",
                    "field of the argmap object argmap does not know",
                    f"the object's fields are {', '.join(_META_KEYS)}",
                    Place(item=f"argmap.{key}"),
                    "fields of the argmap object argmap does not know",
                )
        for key in ("title", "question", "summary"):
            if isinstance(meta.get(key), str):
                setattr(d, key, meta[key])
        if meta.get("judgement") is not None:
            d.judgement = judgement_of(meta["judgement"])
            if d.judgement is None:
                d.losses.add(
                    "dropped",
                    "judgement argmap does not know",
                    "a map's judgement is `{attacks: all}` or `{attacks: weighed}`",
                    Place(item="argmap.judgement"),
                )
        for section in ("sources", "speakers"):
            items = meta.get(section)
            if isinstance(items, list):
                getattr(d, section).extend(
                    {str(k): v for k, v in i.items()}
                    for i in items
                    if isinstance(i, dict) and isinstance(i.get("id"), str)
                )
        points = meta.get("points")
        return points if isinstance(points, dict) else {}

    def point(self, nid: str, info: object) -> Point:
        point = Point(key=nid, name=nid, text=self.texts[nid], place=Place(node=nid))
        if not isinstance(info, dict):
            return point
        point.by = _str(info.get("by"))
        point.quote = _str(info.get("quote"))
        point.source = _str(info.get("source"))
        point.reported_by = _str(info.get("reported_by"))
        point.paraphrase = info.get("paraphrase") is True
        point.kind = _str(info.get("evidence_kind"))
        role = info.get("kind")
        point.role = role if role in ("claim", "rebuttal", "evidence") else None
        if info.get("weight") is not None:
            point.weight = weight_of(info["weight"])
            if point.weight is None:
                self.lose("dropped", "weight", "a weight is a whole number from 0", nid)
        tags = info.get("tags")
        point.tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
        for key in info:
            if key not in _POINT_KEYS:
                self.lose(
                    "dropped",
                    "point detail argmap does not know",
                    f"the argmap object's points have {', '.join(_POINT_KEYS)}",
                    nid,
                )
        return point

    def run(self, dialogue: str | None) -> Draft:
        self.nodes()
        self.edges()
        if self.problems:
            return self.draft
        d = self.draft
        details = self.settings()
        for nid, kind in self.types.items():
            if kind == "I":
                d.points[nid] = self.point(nid, details.get(nid))
        for nid, kind in self.types.items():
            if kind == "CA":
                self.scheme(nid, d.attacks, "attack")
            elif kind == "RA":
                self.scheme(nid, d.supports, "support")
            elif kind in _DROPPED_NODES:
                noun, why, plural = _DROPPED_NODES[kind]
                self.lose("dropped", noun, why, nid, plural)
            elif kind not in ("I", "L", "YA"):
                self.lose("dropped", f"{kind} node", "argmap does not know this node type", nid)
        for ca, link in self.aimed_at_links:
            self.undercut(ca, link)
        for key in rival_theses(d):  # (a file that says what its points are is not guessed)
            d.points[key].role = "claim"
        if not self.meta:
            read_speech(self.doc, self.types, self.texts, self.out_of, d, dialogue)
        return d

    def scheme(self, nid: str, into: list[Edge], what: str) -> None:
        premises = [p for p in self.into[nid] if self.types[p] == "I"]
        targets = self.out_of[nid]
        place = Place(node=nid)
        for t in targets:
            if self.types[t] == "I":
                continue
            if what == "attack" and self.types[t] in _RELATION_OF:
                self.aimed_at_links.append((nid, t))  # an undercut: read once all links are
            else:
                self.lose(
                    "dropped",
                    "support of an inference" if what == "support" else "conflict with a node",
                    f"argmap has no {what} on a {_RELATION_OF.get(self.types[t], 'relation')}"
                    if what == "support"
                    else f"argmap's rebuttals and undercuts aim at points and links, not at "
                    f"{self.types[t]} nodes",
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

    def undercut(self, ca: str, link: str) -> None:
        """A CA node aimed at the RA or CA node `link`: each of its premises undercuts each link
        from `link`'s premises to its targets (argmap's `undercuts`)."""
        premises = [p for p in self.into[ca] if self.types[p] == "I"]
        ends = [p for p in self.into[link] if self.types[p] == "I"]
        targets = self.out_of[link]
        if any(self.types[t] != "I" for t in targets):
            self.lose(
                "dropped",
                "undercut of an undercut",
                "argmap undercuts rebuttal and support links, not other undercuts",
                ca,
                "undercuts of undercuts",
            )
            return
        if not premises or not ends or not targets:
            self.lose(
                "dropped",
                "undercut without both ends",
                "an undercut needs a point and a link with a point on each side",
                ca,
                "undercuts without both ends",
            )
            return
        for p in premises:
            for a in ends:
                for t in targets:
                    self.draft.undercuts.append(Undercut(p, a, t, Place(node=ca)))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def read_aif(text: str, file: str) -> Draft:
    """A `Draft` of AIFdb JSON (or of xAIF, if that is what it is), or `BadInput` naming each
    bad node."""
    return _read(text, file)


def read_xaif(text: str, file: str) -> Draft:
    """A `Draft` of xAIF: the AIF graph under `AIF` and the dialogue's `text`."""
    return _read(text, file)


def _read(text: str, file: str) -> Draft:
    doc = load_json(text, file)
    if not isinstance(doc, dict):
        raise BadInput(
            [Problem(file, Place(1, 1), "AIF JSON is an object with `nodes` and `edges`")]
        )
    graph = doc.get("AIF")
    if isinstance(graph, dict):  # xAIF
        meta = doc.get("argmap", graph.get("argmap"))
        reader = _AifReader(graph, meta, file, "xaif")
        dialogue = dialogue_text(doc.get("text"))
        if dialogue is not None and meta:
            dialogue = None  # argmap's own export: the sources are in the argmap object
        draft = reader.run(dialogue)
        for key, value in doc.items():
            if key == "OVA" and value:
                draft.losses.add(
                    "dropped",
                    "OVA layout",
                    "argmap lays out its own diagram",
                    Place(item="OVA"),
                )
    else:
        reader = _AifReader(doc, doc.get("argmap"), file, "aif")
        draft = reader.run(None)
    if reader.problems:
        raise BadInput(reader.problems)
    if not draft.points:
        raise BadInput([Problem(file, Place(1, 1), "no I-nodes (points) found")])
    return draft
