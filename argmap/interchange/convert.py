"""From a `Draft` to claims.yaml data, and on to checked claims.yaml text.

What each point is (claim, rebuttal, evidence) and which links its undercuts attack is decided
by `shapes`. What argmap cannot say is dropped and recorded as a `Loss`.

The text is written by one quoting writer (`yamlout`) and checked twice before it is handed
on: it must load back to exactly the data it was written from, and pass `argmap check` as it
would at its destination. A draft too large for a map (`MAX_BYTES`) keeps the points that fit,
in file order, and says so.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, get_args

from argmap.errors import InvalidMap
from argmap.interchange import shapes
from argmap.interchange.clean import clean
from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.formats import IMPORTS
from argmap.interchange.formats import title as format_title
from argmap.interchange.ids import IdMaker, slug
from argmap.interchange.losses import Loss, Losses, Place, phrase
from argmap.interchange.yamlout import dump, expected
from argmap.load import MAX_BYTES, parse
from argmap.model import ID_RE, EvidenceKind
from argmap.text import size_in_words
from argmap.validate import Validated, validate

EVIDENCE_KINDS: Final[tuple[str, ...]] = get_args(EvidenceKind)
# Evidence may support evidence (an evidence chain; FORMAT.md, "Meaning").
EVIDENCE_CHAINS: Final = True
# Room kept under the map cap for the header's loss lines, which grow with the truncation.
_HEADROOM: Final = 64 * 1024
_SHRINK_ROUNDS: Final = 12
_SAMPLE: Final = 2000  # points written to learn the size of a point, when a map may not fit
FORMAT_NAMES: Final = {name: f.title for name, f in IMPORTS.items()}  # for the report


@dataclass(frozen=True)
class Imported:
    """The result of an import: the claims.yaml text, the map as argmap reads it, the losses,
    the foreign names that were given new ids, and the files to write beside the map (a
    dialogue's text as a source; path relative to the map's folder -> text)."""

    text: str
    valid: Validated
    losses: list[Loss]
    renamed: dict[str, str]
    files: dict[str, str] = field(default_factory=dict)


class ImportBug(Exception):
    """argmap wrote a map its own validator refuses: a bug in the importer, never the input's."""


def to_map(draft: Draft, out_path: Path, *, beside: bool = True) -> Imported:
    """Decide each point's kind, give ids, drop what argmap cannot hold, and check the result
    the way `argmap check` would from `out_path`. With `beside` False (the map goes to
    standard output), no file is to be written beside it: a dialogue's text is not kept."""
    clean(draft, out_path)
    _name_the_unnamed(draft)
    files = _files(draft, out_path) if beside else {}
    if not beside:
        for key in draft.texts:
            draft.losses.add(
                "dropped",
                "text of the dialogue",
                "with -o - nothing is written beside the map; its quotes are not checked",
                Place(item=f"source {key}"),
                "texts of the dialogues",
            )
    points = list(draft.points)
    guess = _estimate(draft)
    if guess > MAX_BYTES and len(points) > 2 * _SAMPLE:
        # Likely too big: the size of the first points, written, tells how big the whole is
        # (without writing it all, then most of it again).
        sample = len(_write(draft, points[:_SAMPLE], files)[0].encode("utf-8"))
        # (Later points tend to be longer, deeper in a tree: aim a little short of the cap.)
        text, data, losses = _fit(draft, points, files, sample * len(points) * 6 // _SAMPLE // 5)
    else:
        text, data, losses = _write(draft, points, files)
        if len(text.encode("utf-8")) > MAX_BYTES:
            text, data, losses = _fit(draft, points, files, len(text.encode("utf-8")))
    try:
        valid = check_own_output(text, out_path, data, files)
    except ImportBug:
        if not any(s.get("file") for s in draft.sources):
            raise
        # A source file argmap check refuses (the map itself, one of argmap's outputs...):
        # the map is kept without source files rather than lost.
        for s in draft.sources:
            if s.pop("file", None) is not None:
                draft.losses.add(
                    "dropped",
                    "source file argmap check refuses",
                    "it is not a plain-text copy of a source",
                    Place(item=f"source {s['id']}"),
                )
        files = {}
        text, data, losses = _write(draft, points, files)
        if len(text.encode("utf-8")) > MAX_BYTES:
            text, data, losses = _fit(draft, points, files, len(text.encode("utf-8")))
        valid = check_own_output(text, out_path, data, files)
    return Imported(text, valid, losses.all(), _renamed(draft), files)


def _fit(
    draft: Draft, points: list[str], files: dict[str, str], size: int
) -> tuple[str, dict[str, Any], Losses]:
    """The text of a prefix of `points` (file order) whose map fits `MAX_BYTES`: the size
    of the whole (measured, or estimated) tells how many points to try; each written try tells
    better, a few rounds at most. The longest prefix that fitted is kept."""
    keep = len(points)
    budget = MAX_BYTES - _HEADROOM
    best: tuple[int, tuple[str, dict[str, Any], Losses]] | None = None
    for _ in range(_SHRINK_ROUNDS):
        keep = max(1, min(len(points) - 1, int(keep * budget / size)))
        if best is not None and keep <= best[0]:
            break
        cut = Loss(
            "dropped",
            "point past the map cap",
            f"the file holds more than one map may ({size_in_words(MAX_BYTES)} of claims.yaml); "
            f"the first {keep:,} points in file order are kept",
            [draft.points[k].place for k in points[keep:]],
            "points past the map cap",
        )
        written = _write(draft, points[:keep], files, cut)
        size = len(written[0].encode("utf-8"))
        if size <= MAX_BYTES:
            best = (keep, written)
            if size >= budget * 0.8:  # close enough: another round costs more than it keeps
                break
    if best is None:
        raise ImportBug("the map could not be cut to fit the map cap")
    return best[1]


def _estimate(draft: Draft) -> int:
    """About the bytes the map of `draft` takes (its texts, ids and fields), cheaply."""
    total = 0
    for p in draft.points.values():
        total += 30 + 2 * min(len(p.name), 64) + len(p.text or "") + len(p.quote or "")
    return total


def _copy(losses: Losses) -> Losses:
    out = Losses()
    for loss in losses.all():
        for place in loss.places:
            out.add(loss.action, loss.noun, loss.why, place, loss.plural)
    return out


def _renamed(draft: Draft) -> dict[str, str]:
    return draft.ids.renamed() if draft.ids is not None else {}


def _files(draft: Draft, out_path: Path) -> dict[str, str]:
    """Each dialogue text as a source file beside the map: `sources/NAME.txt`, the first name
    not taken by a different file."""
    files: dict[str, str] = {}
    folder = out_path.parent
    for source in draft.sources:
        body = draft.texts.get(source["id"])
        if body is None:
            continue
        stem = slug(Path(draft.file).stem, "dialogue")
        for n in range(1, 1000):
            name = f"sources/{stem}{'' if n == 1 else f'-{n}'}.txt"
            path = folder / name
            if name in files:
                continue
            try:
                if not path.exists() or path.read_bytes() == body.encode("utf-8"):
                    break
            except OSError:
                continue
        else:
            continue
        files[name] = body
        source["file"] = name
    return files


def _write(
    draft: Draft, order: list[str], files: dict[str, str], cut: Loss | None = None
) -> tuple[str, dict[str, Any], Losses]:
    """The claims.yaml text of the points `order` names, what it must load back as, and every
    loss: the reader's, the cut's, and those of building."""
    losses = _copy(draft.losses)
    if cut is not None:
        for place in cut.places:
            losses.add(cut.action, cut.noun, cut.why, place, cut.plural)
    data = _data(draft, order, losses)
    found = losses.all()
    header = [
        f"Imported by `argmap import` from {Path(draft.file).name} ({format_title(draft.fmt)}).",
        *(["Not carried over (the import's loss report):"] if found else []),
        *("  " + phrase(loss) for loss in found),
    ]
    return dump(data, header), data, losses


def _data(draft: Draft, order: list[str], losses: Losses) -> dict[str, Any]:
    ids = draft.ids = IdMaker()
    source_ids = {s["id"]: ids.make(s["id"], key="source:" + s["id"]) for s in draft.sources}
    speaker_ids = {s["id"]: ids.make(s["id"], key="speaker:" + s["id"]) for s in draft.speakers}
    kept = set(order)
    point_ids = {
        k: ids.make(draft.points[k].name, key="point:" + k, generated=not draft.points[k].named)
        for k in order
    }
    attacks = _distinct([e for e in draft.attacks if e.source in kept and e.target in kept])
    supports = _distinct([e for e in draft.supports if e.source in kept and e.target in kept])
    for e in attacks:
        if e.source == e.target:
            losses.add("dropped", "attack", "a point cannot rebut itself in argmap", e.place)
    for e in supports:
        if e.source == e.target:
            losses.add("dropped", "support", "a point cannot support itself in argmap", e.place)
    attacks = [e for e in attacks if e.source != e.target]
    supports = [e for e in supports if e.source != e.target]
    undercuts = shapes.undercuts(draft, kept, attacks, supports, losses)
    kinds = shapes.kinds(draft, order, attacks, supports, undercuts)
    if not any(kind == "claim" for kind in kinds.values()):
        shapes.promote_a_claim(order, undercuts, kinds, losses)
        undercuts = [u for u in undercuts if kinds[u.source] != "claim"]

    rebuts: dict[str, list[str]] = {k: [] for k in order}
    backs: dict[str, list[str]] = {k: [] for k in order}
    for e in attacks:
        rebuts[e.source].append(point_ids[e.target])
    for e in supports:
        backs[e.source].append(point_ids[e.target])
    cuts: dict[str, list[dict[str, str]]] = {k: [] for k in order}
    for u in undercuts:  # (each resolved to one link by `shapes.undercuts`)
        link = {"from": point_ids[u.link_from], "to": point_ids[u.link_to or u.link_from]}
        if link not in cuts[u.source]:
            cuts[u.source].append(link)
    sections: dict[str, list[dict[str, Any]]] = {"claims": [], "rebuttals": [], "evidence": []}
    for key in order:
        point = draft.points[key]
        kind = kinds[key]
        item: dict[str, Any] = {"id": point_ids[key]}
        # Any point may rebut and support (FORMAT.md, "Meaning"); rebuttals and evidence may
        # undercut. The fields come in the order the model lists them.
        if kind == "evidence":
            item["supports"] = backs[key]
            item["kind"] = _kind(point, losses)
            item["rebuts"] = rebuts[key] or None
        else:
            item["rebuts"] = rebuts[key] or ([] if kind == "rebuttal" else None)
            item["supports"] = backs[key] or None
        if kind != "claim":
            item["undercuts"] = cuts[key] or None
        item["text"] = _text(point, losses)
        item["by"] = speaker_ids.get(point.by) if point.by else None
        if point.quote and point.source:
            item["quote"] = point.quote
        item["source"] = source_ids.get(point.source) if point.source else None
        item["tags"] = _tags(point)
        item["weight"] = point.weight
        reporter = point.reported_by
        item["reported_by"] = speaker_ids.get(reporter or "") or source_ids.get(reporter or "")
        if reporter and item["reported_by"] is None:
            losses.add(
                "dropped",
                "reporter the file does not list",
                "`reported_by` names a speaker or a source of the map",
                point.place,
                "reporters the file does not list",
            )
        item["paraphrase"] = True if point.paraphrase and item.get("quote") else None
        sections[{"claim": "claims", "rebuttal": "rebuttals", "evidence": "evidence"}[kind]].append(
            item
        )
    sources = [{**s, "id": source_ids[s["id"]]} for s in draft.sources]
    speakers = [{**s, "id": speaker_ids[s["id"]]} for s in draft.speakers]
    title = (draft.title or "").strip() and draft.title
    return {
        "version": 1,
        "title": title or f"Imported from {Path(draft.file).name}",
        "question": draft.question if draft.question and draft.question.strip() else None,
        "summary": draft.summary if draft.summary and draft.summary.strip() else None,
        "judgement": draft.judgement or None,
        "sources": sources,
        "speakers": speakers,
        **sections,
    }


def check_own_output(
    text: str,
    out_path: Path,
    data: dict[str, Any] | None = None,
    files: dict[str, str] | None = None,
) -> Validated:
    """Validate the text about to be written, as `argmap check` would at `out_path` (with the
    `files` to be written beside it); first, that it loads back as exactly `data`."""
    if files:
        # The files are not written yet: check the map in a folder that holds them too.
        with tempfile.TemporaryDirectory(prefix="argmap-import-") as tmp:
            for name, body in files.items():
                path = Path(tmp) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
            valid = check_own_output(text, Path(tmp) / out_path.name, data)
        return replace(valid, map_dir=out_path.parent, inputs=frozenset())
    try:
        loaded = parse(text, str(out_path), out_path)
        if data is not None and loaded.data != expected(data):
            raise ImportBug("the imported map does not load back as the data it was written from")
        return validate(loaded)
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


def _text(point: Point, losses: Losses) -> str:
    if point.text is not None and point.text.strip():
        return point.text
    losses.add(
        "used", "title as text", "the point has no text of its own", point.place, "titles as texts"
    )
    return point.name if point.name.strip() else "(no text)"


def _kind(point: Point, losses: Losses) -> str:
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
