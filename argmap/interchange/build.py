"""From a `Draft` to claims.yaml data, and on to checked claims.yaml text.

A point that attacks something is a rebuttal; one that only supports is evidence; one that does
neither is a claim. What argmap cannot say is dropped and recorded as a `Loss`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from argmap.errors import InvalidMap
from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.ids import IdMaker, slug
from argmap.interchange.report import Loss, Place, phrase
from argmap.interchange.yamlout import dump
from argmap.load import parse
from argmap.model import ID_RE
from argmap.validate import Validated, validate

EVIDENCE_KINDS: Final = ("fact", "statistic", "quote", "example", "document")
# Evidence may support evidence (an evidence chain; FORMAT.md, "Meaning").
EVIDENCE_CHAINS: Final = True
FORMAT_NAMES: Final = {
    "argdown": "Argdown",
    "argdown-json": "Argdown JSON (argdown json)",
    "aif": "AIF (AIFdb JSON)",
    "kialo": "Kialo discussion export",
}


@dataclass(frozen=True)
class Imported:
    """The result of an import: the claims.yaml text, the map as argmap reads it, the losses
    and the foreign names that were given new ids."""

    text: str
    valid: Validated
    losses: list[Loss]
    renamed: dict[str, str]


class ImportBug(Exception):
    """argmap wrote a map its own validator refuses: a bug in the importer, never the input's."""


def build(draft: Draft, out_path: Path) -> Imported:
    """Decide each point's kind, give ids, drop what argmap cannot hold, and check the result
    the way `argmap check` would from `out_path`."""
    ids = IdMaker()
    losses = draft.losses
    _name_the_unnamed(draft)
    source_ids = {s["id"]: ids.make(s["id"], key="source:" + s["id"]) for s in draft.sources}
    speaker_ids = {s["id"]: ids.make(s["id"], key="speaker:" + s["id"]) for s in draft.speakers}
    point_ids = {k: ids.make(p.name, key="point:" + k) for k, p in draft.points.items()}

    attacks = _distinct(draft.attacks)
    supports = _distinct(draft.supports)
    for e in attacks:
        if e.source == e.target:
            losses.add("dropped", "attack", "a point cannot rebut itself in argmap", e.place)
    for e in supports:
        if e.source == e.target:
            losses.add("dropped", "support", "a point cannot support itself in argmap", e.place)
    attacks = [e for e in attacks if e.source != e.target]
    supports = [e for e in supports if e.source != e.target]
    attackers = {e.source for e in attacks}
    supporters = {e.source for e in supports}
    kinds = {
        k: "rebuttal" if k in attackers else "evidence" if k in supporters else "claim"
        for k in draft.points
    }
    kept_supports: list[Edge] = []
    for e in supports:
        if kinds[e.source] == "rebuttal":
            losses.add(
                "dropped",
                "support by a point that also attacks",
                "in argmap a rebuttal cannot support; the point became a rebuttal",
                e.place,
                "supports by points that also attack",
            )
        elif kinds[e.target] == "evidence" and not EVIDENCE_CHAINS:
            losses.add("dropped", "support of evidence", "argmap has no evidence chains", e.place)
        else:
            kept_supports.append(e)
    supporters = {e.source for e in kept_supports}
    kinds = {
        k: "rebuttal" if k in attackers else "evidence" if k in supporters else "claim"
        for k in draft.points
    }
    if not any(kind == "claim" for kind in kinds.values()):
        _promote_a_claim(draft, kinds, losses)

    targets: dict[str, list[str]] = {k: [] for k in draft.points}
    for e in attacks:
        targets[e.source].append(point_ids[e.target])
    for e in kept_supports:
        targets[e.source].append(point_ids[e.target])
    # A point promoted to claim keeps no outgoing relations.
    sections: dict[str, list[dict[str, Any]]] = {"claims": [], "rebuttals": [], "evidence": []}
    for key, point in draft.points.items():
        kind = kinds[key]
        item: dict[str, Any] = {"id": point_ids[key]}
        if kind == "rebuttal":
            item["rebuts"] = targets[key]
        elif kind == "evidence":
            item["supports"] = targets[key]
            item["kind"] = _kind(point, losses)
        item["text"] = _text(point, losses)
        item["by"] = speaker_ids.get(point.by) if point.by else None
        if point.quote and point.source:
            item["quote"] = point.quote
        item["source"] = source_ids.get(point.source) if point.source else None
        item["tags"] = _tags(point)
        sections[{"claim": "claims", "rebuttal": "rebuttals", "evidence": "evidence"}[kind]].append(
            item
        )

    sources = [_source(s, source_ids, out_path, losses) for s in draft.sources]
    speakers = [{**s, "id": speaker_ids[s["id"]]} for s in draft.speakers]
    title = (draft.title or "").strip() and draft.title
    data: dict[str, Any] = {
        "version": 1,
        "title": title or f"Imported from {Path(draft.file).name}",
        "question": draft.question if draft.question and draft.question.strip() else None,
        "summary": draft.summary if draft.summary and draft.summary.strip() else None,
        "sources": sources,
        "speakers": speakers,
        **sections,
    }
    found = losses.all()
    header = [
        f"Imported by `argmap import` from {Path(draft.file).name} "
        f"({FORMAT_NAMES.get(draft.fmt, draft.fmt)}).",
        *(["Not carried over (the import's loss report):"] if found else []),
        *("  " + phrase(loss) for loss in found),
    ]
    text = dump(data, header)
    return Imported(text, check_own_output(text, out_path), found, ids.renamed())


def check_own_output(text: str, out_path: Path) -> Validated:
    """Validate the text about to be written, as `argmap check` would at `out_path`."""
    try:
        return validate(parse(text, str(out_path), out_path))
    except InvalidMap as e:
        errors = "; ".join(str(d) for d in e.diagnostics if d.severity == "error")
        raise ImportBug(f"the imported map does not pass argmap check: {errors}") from None


def _name_the_unnamed(draft: Draft) -> None:
    """A speaker or source that points name but the file does not list gets an entry of its
    own, named as the points name it."""
    speakers = {s["id"] for s in draft.speakers}
    sources = {s["id"] for s in draft.sources}
    for point in draft.points.values():
        if point.by is not None and point.by not in speakers:
            speakers.add(point.by)
            draft.speakers.append({"id": point.by, "name": point.by})
        if point.source is not None and point.source not in sources:
            sources.add(point.source)
            draft.sources.append({"id": point.source, "title": point.source})


def _distinct(edges: list[Edge]) -> list[Edge]:
    seen: set[tuple[str, str]] = set()
    out: list[Edge] = []
    for e in edges:
        if (e.source, e.target) not in seen:
            seen.add((e.source, e.target))
            out.append(e)
    return out


def _promote_a_claim(draft: Draft, kinds: dict[str, str], losses: Any) -> None:
    """argmap needs a claim. When every point rebuts or supports another (the relations then
    form cycles), the first point in the file becomes the claim and its own relations go."""
    first = next(iter(draft.points), None)
    if first is None:
        return
    kinds[first] = "claim"
    for e in draft.attacks + draft.supports:
        if e.source == first:
            losses.add(
                "dropped",
                "relation of the first point",
                "argmap needs a claim, and a claim neither rebuts nor supports; "
                "the first point became the claim",
                e.place,
                "relations of the first point",
            )


def _text(point: Point, losses: Any) -> str:
    if point.text is not None and point.text.strip():
        return point.text
    losses.add(
        "used", "title as text", "the point has no text of its own", point.place, "titles as texts"
    )
    return point.name


def _kind(point: Point, losses: Any) -> str:
    if point.kind is None or point.kind in EVIDENCE_KINDS:
        return point.kind or "fact"
    losses.add(
        "read",
        "unknown evidence kind as a fact",
        f"argmap's kinds are {', '.join(EVIDENCE_KINDS)}",
        point.place,
        "unknown evidence kinds as facts",
    )
    return "fact"


def _tags(point: Point) -> list[str]:
    out: list[str] = []
    for tag in point.tags:
        made = tag if ID_RE.fullmatch(tag) else slug(tag, "tag")
        if made not in out:
            out.append(made)
    return out


def _source(
    s: dict[str, Any], source_ids: dict[str, str], out_path: Path, losses: Any
) -> dict[str, Any]:
    item = {**s, "id": source_ids[s["id"]]}
    file = item.get("file")
    if isinstance(file, str):
        folder = out_path.parent.resolve()
        target = (folder / file).resolve()
        if not target.is_relative_to(folder) or not target.is_file():
            losses.add(
                "dropped",
                "source file",
                "it is not found beside the new claims.yaml (copy it there and add `file:`)",
                Place(node=s["id"]),
            )
            item["file"] = None
    return item
