"""What the language server answers, on one checked buffer, in offsets and plain data: hover,
definition, references, rename, completion and quick fixes. `argmap.lsp.server` turns these
into the protocol's types; nothing here knows the protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, get_args

import yaml

from argmap.errors import Diagnostic
from argmap.files import is_inside, read_regular_file
from argmap.lsp.index import POINTS, REFERENCES, MapIndex, build_index
from argmap.lsp.text import Lines
from argmap.model import ID_RE, ArgMap, EvidenceKind
from argmap.model import SECTIONS as MODELS
from argmap.session import Checked, Opened, work_out
from argmap.text import shown
from argmap.validate import did_you_mean
from argmap.validate.quotes import closest_passage

MAX_SOURCE_BYTES: Final = 8 * 1024 * 1024  # as validate reads a source file
LOOK_BACK: Final = 400  # lines read upwards to find which section and field a line is in
_SUGGESTED: Final = re.compile(r"did you mean '([^'\n]{1,200})'\?")
_VALUE: Final = re.compile(r"^(\s*)(?:-\s+)?([a-z_]+)\s*:\s+(\[?)(.*)$")
_KEY: Final = re.compile(r"^(\s*)(-\s+)?([a-z_]*)$")
_ITEM: Final = re.compile(r"^(\s*)-\s+([a-z0-9-]*)$")
_PARENT: Final = re.compile(r"^(\s*)(?:-\s+)?([a-z_]+)\s*:\s*(?:#.*)?$")


@dataclass
class State:
    """One version of a buffer, checked; where its ids are (`index`) and the map worked out,
    each on first need (the diagnostics go out before either is made)."""

    path: Path
    version: int
    lines: Lines
    checked: Checked
    previous: State | None = None  # the buffer's last state without errors, for hover
    # the last index of the buffer, from which ids are completed while the text is not YAML
    # (a half-typed line)
    earlier: MapIndex | None = None
    _index: MapIndex | None = None
    _indexed: bool = False
    _opened: Opened | None = None
    _explained: dict[str, str] = field(default_factory=dict)

    @property
    def index(self) -> MapIndex | None:
        """Where each id is defined and used; None when the text is not YAML at all."""
        if not self._indexed:
            loaded = self.checked.loaded
            self._index = build_index(loaded, self.lines) if loaded is not None else None
            self._indexed = True
        return self._index

    @property
    def known(self) -> MapIndex | None:
        return self.index or self.earlier

    def opened(self) -> Opened | None:
        if self._opened is None and self.checked.valid is not None:
            self._opened = work_out(self.checked.valid, [])
        return self._opened


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "id" or "field" or "value"
    detail: str
    insert: str
    start: int  # the offset the inserted text replaces from (up to the cursor)


@dataclass(frozen=True)
class Fix:
    title: str
    start: int
    end: int
    new_text: str


def hover(state: State, offset: int) -> str | None:
    """Markdown for the id at `offset`: a point's standing, why, and what it hangs on (while
    the buffer has errors: as of its last version without any, if there was one)."""
    index = state.index
    place = index.at(offset) if index else None
    if index is None or place is None or place.id not in index.kinds:
        return None
    kind = index.kinds[place.id]
    errors = sum(d.severity == "error" for d in state.checked.diagnostics)
    judged = state if state.opened() is not None else state.previous
    opened = judged.opened() if judged is not None else None
    if kind in POINTS and judged and opened and place.id in opened.evaluation.verdicts:
        standing = opened.evaluation[place.id].standing
        note = (
            ""
            if judged is state
            else f"\n\n*As of the last version without errors (this one has {errors}).*"
        )
        return (
            f"**{place.id}** ({kind}): **{standing}**\n\n"
            f"```text\n{_explain(judged, place.id)}```{note}"
        )
    item = _item(state, place.id)
    words = next((str(item[k]) for k in ("text", "title", "name") if k in item), "")
    used = len(index.uses.get(place.id, []))
    lines = [f"**{place.id}** ({kind})", shown(words, 300), f"Used {used} time(s) in this map."]
    if kind in POINTS:
        lines.append(f"Standing: not worked out while the map has {errors} error(s).")
    return "\n\n".join(line for line in lines if line)


def _explain(state: State, ident: str) -> str:
    """`argmap check --explain ID`'s text for a point of the state's valid map (kept)."""
    opened = state.opened()
    if opened is not None and ident not in state._explained:
        from argmap.evaluate.pivotal import analyse
        from argmap.render.explain import explain

        argmap = opened.valid.argmap
        pivotal = analyse(argmap, [ident])
        state._explained[ident] = explain(argmap, opened.evaluation, ident, pivotal)
    return state._explained.get(ident, "")


def _item(state: State, ident: str) -> dict[str, object]:
    loaded, index = state.checked.loaded, state.index
    if loaded is None or index is None or ident not in index.items:
        return {}
    section, at = index.items[ident]
    data = loaded.data if isinstance(loaded.data, dict) else {}
    entries = data.get(str(section))
    item = entries[int(at)] if isinstance(entries, list) else None
    return item if isinstance(item, dict) else {}


def definition(state: State, offset: int) -> tuple[int, int] | None:
    place = state.index.at(offset) if state.index else None
    if state.index is None or place is None or place.id not in state.index.definitions:
        return None
    found = state.index.definitions[place.id]
    return found.start, found.end


def references(state: State, offset: int, *, declaration: bool) -> list[tuple[int, int]]:
    place = state.index.at(offset) if state.index else None
    if state.index is None or place is None:
        return []
    found = state.index.everywhere(place.id)
    return [(p.start, p.end) for p in found if declaration or p.field != "id"]


def rename_target(state: State, offset: int) -> tuple[int, int] | None:
    place = state.index.at(offset) if state.index else None
    return (place.start, place.end) if place else None


def rename(state: State, offset: int, new: str) -> list[tuple[int, int]] | str:
    """The spans to replace with `new`, or why the rename cannot be made."""
    place = state.index.at(offset) if state.index else None
    if state.index is None or place is None:
        return "there is no id here to rename"
    if not ID_RE.match(new):
        return (
            f"'{shown(new)}' is not an id: use lower-case letters, digits and '-', "
            "starting with a letter or digit (at most 64)"
        )
    if new != place.id and new in state.index.kinds:
        return f"'{new}' is already the id of a {state.index.kinds[new]}: choose another"
    return [(p.start, p.end) for p in state.index.everywhere(place.id)]


def complete(state: State, line: int, character: int) -> list[Completion]:
    """Ids where the format expects ids, field names where it expects a field."""
    lines, index = state.lines, state.known
    cursor = lines.offset(line, character)
    before = lines.line_text(line)[: max(cursor - lines.lsp[line], 0)]
    start = cursor - len(_word_before(before))
    value = _VALUE.match(before)
    if value and (value[2] in REFERENCES or value[2] == "kind"):
        return _values(index, value[2], start)
    item = _ITEM.match(before)
    if item and _list_owner(lines, line, len(item[1])) in ("rebuts", "supports"):
        return _values(index, _list_owner(lines, line, len(item[1])) or "", start)
    key = _KEY.match(before)
    if key:
        indented = bool(key[1] or key[2])
        model = MODELS.get(_section(lines, line) or "") if indented else ArgMap
        if model is not None:
            return [
                Completion(name, "field", info.description or "", f"{name}: ", start)
                for name, info in model.model_fields.items()
                if name.startswith(key[3])
            ]
    return []


def _word_before(text: str) -> str:
    match = re.search(r"[a-z0-9_-]*$", text)
    return match[0] if match else ""


def _values(index: MapIndex | None, name: str, start: int) -> list[Completion]:
    if name == "kind":
        return [
            Completion(k, "value", "kind of evidence", k, start) for k in get_args(EvidenceKind)
        ]
    if index is None or name not in REFERENCES:
        return []
    return [Completion(i, "id", index.kinds[i], i, start) for i in index.of_kinds(REFERENCES[name])]


def _above(lines: Lines, line: int) -> Iterator[tuple[int, str]]:
    """The lines above `line` that hold something, nearest first, with their indentation."""
    for up in range(line - 1, max(line - LOOK_BACK, -1), -1):
        text = lines.line_text(up)
        if text.strip() and not text.lstrip().startswith("#"):
            yield len(text) - len(text.lstrip()), text


def _section(lines: Lines, line: int) -> str | None:
    """The top-level key (`claims`, `sources`, ...) that `line` is under."""
    for lead, text in _above(lines, line):
        if lead == 0 and not text.startswith("-"):
            top = _PARENT.match(text)
            return top[2] if top else None
    return None


def _list_owner(lines: Lines, line: int, indent: int) -> str | None:
    """The key whose list the item on `line` (its dash at `indent`) belongs to."""
    for lead, text in _above(lines, line):
        if lead == indent and text.lstrip().startswith("- "):
            continue  # an earlier item of the same list
        owner = _PARENT.match(text)
        return owner[2] if owner and lead <= indent else None
    return None


def fixes(state: State, diagnostic: Diagnostic) -> list[Fix]:
    """The fixes a message suggests: its "did you mean", or a misquote's closest passage."""
    lines = state.lines
    start = lines.offset_of_spot(diagnostic.line, diagnostic.col)
    found: list[Fix] = []
    suggested = _SUGGESTED.search(diagnostic.message)
    if suggested:
        word_start, word_end = lines.id_span(start)
        word = lines.text[word_start:word_end]
        # The word here must be the one the message found wanting (its suggestion, again).
        if word and did_you_mean(word, [suggested[1]]):
            found.append(Fix(f"Change to '{suggested[1]}'", word_start, word_end, suggested[1]))
    if diagnostic.message.startswith("the quote of "):
        passage = _closest(state, diagnostic)
        if passage is not None:
            end = lines.scalar_end(start)
            found.append(
                Fix("Use the closest passage of the source", start, end, _yaml_text(passage))
            )
    return found


def _yaml_text(text: str) -> str:
    """`text` as a double-quoted YAML scalar (JSON's string syntax is YAML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _closest(state: State, diagnostic: Diagnostic) -> str | None:
    """The closest passage of the quote's source file, where the quote at the diagnostic's
    place is a one-line scalar and the file is one that validation read."""
    loaded, lines = state.checked.loaded, state.lines
    if loaded is None or not isinstance(loaded.data, dict):
        return None
    for section in ("claims", "rebuttals", "evidence"):
        entries = loaded.data.get(section)
        for i, item in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(item, dict) or "quote" not in item:
                continue
            if loaded.spot((section, i, "quote")) != (diagnostic.line, diagnostic.col):
                continue
            start = lines.offset_of_spot(diagnostic.line, diagnostic.col)
            written = lines.text[start : lines.scalar_end(start)]
            quote, source = item.get("quote"), item.get("source")
            try:
                if not isinstance(quote, str) or yaml.safe_load(written) != quote:
                    return None  # a block or multi-line scalar: not replaced in place
            except yaml.YAMLError:
                return None
            text = _source_text(state, source)
            if text is None:
                return None
            _, passage = closest_passage(quote, text)
            return passage if passage and not passage.endswith("…") else None
    return None


def _source_text(state: State, source: object) -> str | None:
    index = state.index
    if index is None or not isinstance(source, str) or index.kinds.get(source) != "source":
        return None
    file = _item(state, source).get("file")
    if not isinstance(file, str):
        return None
    path = state.path.parent / file
    try:
        # Only a file inside the map's folder that validation itself read.
        if not is_inside(path, state.path.parent) or path.resolve() not in state.checked.inputs:
            return None
        raw = read_regular_file(path.resolve(), MAX_SOURCE_BYTES)
    except (OSError, ValueError, RuntimeError):
        return None
    return None if raw is None else raw.decode("utf-8", "replace")
