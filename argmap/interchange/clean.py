"""A `Draft` made safe to write: every foreign value argmap's format would refuse is dropped or
replaced here, and reported, before `build` turns the draft into claims.yaml data.

The readers take what a foreign file says at its word; the format does not. What is checked:

- text: a lone surrogate (JSON can hold one; no UTF-8 file can) becomes U+FFFD, in the map's
  text and in a dialogue's text written beside it as a source (xAIF);
- speakers and sources: fields the format does not know are dropped; values it would refuse
  (a date that is no date, a link that is not http(s), an empty name) are dropped, or the
  item's id stands in for a missing name or title; a second item with the same id is dropped
  (points name speakers and sources by id: they could not tell the two apart);
- quotes: one whose source has a file, but that is not found in it, keeps its words only as
  the point's, and is reported (`argmap check` would refuse the map).

Field names and rules come from the model (`argmap.model`), never from a copy of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from argmap.files import read_regular_file
from argmap.interchange.draft import Draft
from argmap.interchange.losses import Losses, Place
from argmap.model import Source, Speaker
from argmap.validate.quotes import SourceText
from argmap.validate.sources import MAX_SOURCE_BYTES

_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_REQUIRED: Final = {"speaker": "name", "source": "title"}
_WHY: Final = {
    "date": "not a date argmap reads (YYYY, YYYY-MM or YYYY-MM-DD)",
    "url": "argmap keeps only http:// and https:// links",
}


def text(value: str, losses: Losses, place: Place) -> str:
    """`value` with each lone surrogate replaced by U+FFFD (reported)."""
    if not _SURROGATE.search(value):
        return value
    losses.add(
        "replaced",
        "lone surrogate with U+FFFD",
        "half of a UTF-16 pair is no character; a UTF-8 file cannot hold it",
        place,
        "lone surrogates with U+FFFD",
    )
    return _SURROGATE.sub("\ufffd", value)


def clean(draft: Draft, out_path: Path) -> None:
    """Make `draft` hold only what claims.yaml can (in place); each change is a loss."""
    losses = draft.losses
    whole = Place()
    for name in ("title", "question", "summary"):
        value = getattr(draft, name)
        if isinstance(value, str):
            setattr(draft, name, text(value, losses, whole))
        elif value is not None:
            setattr(draft, name, None)
    for point in draft.points.values():
        for name in ("name", "text", "quote", "by", "source", "kind", "reported_by"):
            value = getattr(point, name)
            if isinstance(value, str):
                value = text(value, losses, point.place)
                if name not in ("text", "name") and not value.strip():
                    value = None
                setattr(point, name, value)
        point.tags = [text(t, losses, point.place) for t in point.tags]
    for key, body in draft.texts.items():  # a dialogue, written beside the map as a source
        draft.texts[key] = text(body, losses, Place(item=f"source {key}"))
    draft.speakers = _items(draft.speakers, "speaker", Speaker, losses)
    draft.sources = _items(draft.sources, "source", Source, losses)
    _quotes(draft, out_path)


def _items(
    items: list[dict[str, Any]], kind: str, model: type[BaseModel], losses: Losses
) -> list[dict[str, Any]]:
    fields = [f for f in model.model_fields if f != "id"]
    known = ", ".join(model.model_fields)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for raw in items:
        ident = text(str(raw.get("id")), losses, Place())
        place = Place(item=f"{kind} {ident}")
        if ident in seen:
            losses.add(
                "dropped",
                f"second {kind} with the same id",
                f"points name a {kind} by its id; the first with that id is kept",
                place,
                f"second {kind}s with the same id",
            )
            continue
        seen.add(ident)
        item: dict[str, Any] = {"id": ident}
        for key, value in raw.items():
            if key == "id" or value is None:
                continue
            name = text(str(key), losses, place)
            if name not in fields:
                losses.add(
                    "dropped",
                    f"{kind} field argmap does not know",
                    f"a {kind} has {known}",
                    Place(item=f"{kind} {ident}: {name}"),
                    f"{kind} fields argmap does not know",
                )
                continue
            if isinstance(value, int) and not isinstance(value, bool) and name == "date":
                item[name] = value
            else:
                item[name] = text(str(value), losses, place)
        _refused(item, kind, model, losses, place)
        out.append(item)
    return out


def _refused(
    item: dict[str, Any], kind: str, model: type[BaseModel], losses: Losses, place: Place
) -> None:
    """Drop each value of `item` that `model` refuses; the id stands in for a missing name."""
    required = _REQUIRED[kind]
    for _ in range(len(item) + 1):  # each round drops at least one field
        try:
            model.model_validate({**item, "id": "x"})
            return
        except ValidationError as e:
            bad = {str(err["loc"][0]) for err in e.errors(include_input=False) if err["loc"]}
        bad.discard("id")
        if not bad:
            return
        for name in sorted(bad):
            if name == required:
                losses.add(
                    "used",
                    f"id as the {kind}'s {required}",
                    f"the {required} is missing or empty",
                    place,
                    f"ids as {kind}s' {required}s",
                )
                item[required] = item["id"] if item["id"].strip() else f"unnamed {kind}"
            else:
                losses.add(
                    "dropped",
                    f"{kind} {name} argmap would refuse",
                    _WHY.get(name, "argmap's format does not accept the value"),
                    place,
                    f"{kind} {name}s argmap would refuse",
                )
                item.pop(name, None)


def _quotes(draft: Draft, out_path: Path) -> None:
    """A source's file must be beside the new map and read as a source, and a quote of that
    source must be in it; else the file, or the quote (its words stay the point's), goes."""
    files: dict[str, SourceText] = {}
    for source in draft.sources:
        file = source.get("file")
        if not isinstance(file, str):
            continue
        found = _read(out_path.parent, file)
        if found is None:
            draft.losses.add(
                "dropped",
                "source file",
                "it is not a UTF-8 text file beside the new claims.yaml (copy it there and "
                "add `file:`)",
                Place(item=f"source {source['id']}"),
            )
            del source["file"]
        else:
            files[source["id"]] = found
    for point in draft.points.values():
        if point.quote is None or point.source not in files:
            continue
        if files[point.source].has(point.quote):
            continue
        draft.losses.add(
            "dropped",
            "quote not found in its source's file",
            "argmap check refuses a quote its source's file does not hold",
            point.place,
            "quotes not found in their sources' files",
        )
        point.quote = None


def _read(folder: Path, file: str) -> SourceText | None:
    """A source file beside the new map, read as the validator reads it; None if it cannot be."""
    try:
        base = folder.resolve()
        path = (base / file).resolve()
        if not path.is_relative_to(base) or not path.is_file() or Path(file).is_absolute():
            return None
        raw = read_regular_file(path, MAX_SOURCE_BYTES + 1)
    except (OSError, ValueError, RuntimeError):
        return None
    if raw is None or len(raw) > MAX_SOURCE_BYTES:
        return None
    try:
        return SourceText(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None
