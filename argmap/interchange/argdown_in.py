"""Read Argdown text (no Node needed): statements, arguments, relations, data, tags, front matter:

- front matter between `===` lines (YAML, read as safely as claims.yaml): `title`, and
  argmap's own `question`, `summary` and `argmap: {judgement, sources, speakers}`;
- `[Title]: text` statements and `<Title>: text` arguments, references to them, and untitled
  statements; a text continues on the following lines until a blank line or a relation;
- the relations `+> -> _> ><` (from the element above) and `<+ <- <_ + -` (towards it), nested
  by indentation; an undercut `_> <A>` attacks every link of A (or those the undercutter's
  data lists in `undercuts`), contradictions become rebuttals both ways;
- inline data `{...}` (`by`, `quote`, `source`, `kind`, `text`, and argmap's own `role`,
  `weight` and `undercuts`), `#tags`, backslash escapes, bold and italic marks (dropped, as
  Argdown does), `//`, `/* */` and `<!-- -->` comments;
- headings: the first one titles a map that has no title; the rest are reported.
Not read, and reported by line: premise-conclusion structures and inference rules (`argdown
json FILE`, then `--from argdown-json`), lists. Rival theses: `shapes.rival_theses`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from argmap.errors import InvalidMap
from argmap.interchange.argdown_data import argmap_data, narrow_undercuts
from argmap.interchange.argdown_rules import (
    contradiction_refusal,
    emphasis_refusal,
    indent_refusal,
    relate,
)
from argmap.interchange.argdown_text import (
    ESCAPE,
    TRAILING_TAGS,
    clean,
    data_start,
    json_object,
    strip_comments,
    unescape,
)
from argmap.interchange.draft import Draft, Point
from argmap.interchange.losses import BadInput, Place, Problem
from argmap.interchange.shapes import judgement_of, rival_theses
from argmap.load import parse

_FRONT: Final = re.compile(r"={3,}[ \t]*")
_RELATION: Final = re.compile(r"([ \t]*)(\+>|->|_>|><|<\+|<-|<_|\+(?=\s)|-(?=\s)|_(?=\s))[ \t]*")
_ELEMENT: Final = re.compile(r"(\[(?P<s>[^\]]+)\]|<(?P<a>[^>]+)>)(?P<colon>:)?")
_PCS: Final = re.compile(r"[ \t]*(\(\d+\)|--)")
_LIST: Final = re.compile(r"[ \t]*(\*|\d+\.)(?=\s)")
_HEADING: Final = re.compile(r"(#+) (.*)")
_TAG: Final = re.compile(r"#\(([^)]+)\)|#([\w-]+)")
DATA_KEYS: Final = (
    *("by", "quote", "source", "kind", "text", "reported_by", "paraphrase"),
    *("role", "weight", "undercuts", "judgement"),
)


@dataclass
class _Open:
    indent: int
    key: str


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.draft = Draft(file=file, fmt="argdown")
        self.problems: list[Problem] = []
        self.lines = text.splitlines()
        self.untitled = 0
        self.defined: dict[str, int] = {}  # key -> order in which its text was written
        self.indents: set[str] = set()  # the whitespace that indents the current tree
        self.cut_links: dict[str, list[tuple[str, str]]] = {}  # key -> its data's undercuts

    # -- helpers -------------------------------------------------------------------------------

    def error(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, Place(line, col), message))

    def lose(self, action: str, noun: str, why: str, line: int, plural: str | None = None) -> None:
        self.draft.losses.add(action, noun, why, Place(line), plural)

    # -- front matter ----------------------------------------------------------------------------

    def front_matter(self) -> int:
        """Read the front matter if the file starts with one; the index of the next line."""
        first = next((i for i, ln in enumerate(self.lines) if ln.strip()), None)
        if first is None or not _FRONT.fullmatch(self.lines[first].strip()):
            return 0
        end = next(
            (
                i
                for i in range(first + 1, len(self.lines))
                if _FRONT.fullmatch(self.lines[i].strip())
            ),
            None,
        )
        if end is None:
            self.error(
                first + 1, 1, "the front matter opened here is never closed: add a `===` line"
            )
            return len(self.lines)
        body = "\n".join(self.lines[first + 1 : end])
        data = self.yaml(body, first + 2, 1, "front matter")
        if isinstance(data, dict):
            self.settings(data, first + 1)
        elif data is not None:
            self.error(first + 2, 1, "the front matter must be a mapping (`key: value` lines)")
        return end + 1

    def yaml(self, text: str, line: int, col: int, what: str) -> object:
        try:
            loaded = parse(text, self.file)
        except InvalidMap as e:
            for d in e.diagnostics:
                c = d.col + (col - 1 if d.line == 1 else 0)
                self.error(line + d.line - 1, c, f"in the {what}: {d.message}")
            return None
        for d in loaded.problems:
            c = d.col + (col - 1 if d.line == 1 else 0)
            self.error(line + d.line - 1, c, f"in the {what}: {d.message}")
        return loaded.data

    def settings(self, data: dict[str, Any], line: int) -> None:
        d = self.draft
        for key, value in data.items():
            if key in ("title", "question", "summary") and isinstance(value, str):
                setattr(d, key, value)
            elif key == "argmap" and isinstance(value, dict):
                if "judgement" in value:
                    d.judgement = judgement_of(value["judgement"])
                    if d.judgement is None:
                        self.lose(
                            "dropped",
                            "judgement argmap does not know",
                            "a map's judgement is `{attacks: all}` or `{attacks: weighed}`",
                            line,
                        )
                for section in ("sources", "speakers"):
                    items = value.get(section) or []
                    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                        self.error(
                            line, 1, f"front matter: argmap.{section} must be a list of mappings"
                        )
                        continue
                    for item in items:
                        if not isinstance(item.get("id"), str):
                            self.error(
                                line, 1, f"front matter: each of argmap.{section} needs an id"
                            )
                            continue
                        getattr(d, section).append(
                            {k: str(v) for k, v in item.items() if v is not None}
                        )
            else:
                self.lose("dropped", "front-matter setting", "argmap has no such field", line)

    # -- body ------------------------------------------------------------------------------------

    def run(self) -> Draft:
        start = self.front_matter()
        stack: list[_Open] = []  # open elements, by indentation
        last_key: str | None = None  # the element whose text a following line continues
        blank = True
        i = start
        body = strip_comments("\n".join(self.lines[start:]))
        lines = body.split("\n")
        in_pcs = False  # inside a premise-conclusion structure, until a blank line
        for offset, raw in enumerate(lines):
            i = start + offset + 1  # 1-based line number
            if not raw.strip():
                if i <= len(self.lines) and self.lines[i - 1].strip():
                    continue  # a comment's line: as if it were not there (Argdown's lexer)
                blank = True
                last_key = None
                in_pcs = False
                continue
            rel = _RELATION.match(raw)
            if in_pcs:
                if rel:
                    self.lose(
                        "skipped",
                        "relation under a premise or conclusion",
                        "argmap keeps a premise-conclusion structure's argument, not its "
                        "statements; `argdown json` and --from argdown-json keep their relations",
                        i,
                        "relations under premises or conclusions",
                    )
                else:
                    self.pcs_line(i)
                continue
            if rel and not blank and stack:
                indent = len(rel.group(1).expandtabs(4))
                why, self.indents = indent_refusal(rel.group(1), indent, stack, self.indents)
                if why:
                    self.refused(i, why)
                while stack and stack[-1].indent >= indent:
                    stack.pop()
                if not stack:
                    self.error(i, 1, "this relation has no element above it to start from")
                    continue
                parent = stack[-1].key
                if not raw[rel.end() :].strip():
                    self.lose(
                        "skipped",
                        "relation without an element",
                        "nothing follows its arrow",
                        i,
                        "relations without an element",
                    )
                    continue
                key = self.element(raw[rel.end() :], i, rel.end() + 1)
                why = emphasis_refusal(raw) or contradiction_refusal(rel.group(2), raw[rel.end() :])
                if why:
                    self.refused(i, why)
                if key is None:
                    continue
                relate(self.draft, rel.group(2), parent, key, i, rel.end(1) + 1)
                stack.append(_Open(indent, key))
                last_key = key
                blank = False
                continue
            if rel:
                self.error(
                    i,
                    len(rel.group(1)) + 1,
                    f"the relation `{rel.group(2)}` needs an element on the line above it "
                    "(a relation cannot follow a blank line)",
                )
                continue
            if _PCS.match(raw):
                self.pcs_line(i)
                last_key = None
                in_pcs = True
                continue
            heading = _HEADING.fullmatch(raw.rstrip())
            if heading and not blank and stack:
                self.refused(i, "a heading needs a blank line above it")
                heading = None
            if heading:
                text = unescape(heading.group(2).strip())
                if self.draft.title is None:
                    self.draft.title = text
                else:
                    self.lose("dropped", "heading", "argmap has no sections", i)
                blank = True
                continue
            if _LIST.match(raw):
                self.lose("skipped", "list item", "argmap has no lists", i)
                continue
            if last_key is not None and not _ELEMENT.match(raw.lstrip()):
                self.continue_text(last_key, raw.strip())
                continue
            key = self.element(raw.strip(), i, len(raw) - len(raw.lstrip()) + 1)
            why = emphasis_refusal(raw)
            if why:
                self.refused(i, why)
            blank = False
            if key is None:
                continue
            stack = [_Open(len(raw) - len(raw.lstrip()), key)]
            self.indents = set()
            last_key = key
        self.draft.undercuts = narrow_undercuts(self.draft, self.cut_links)
        # Points in the order their texts were written (a reference may come first).
        points = self.draft.points
        late = len(self.defined)
        order = sorted(points, key=lambda k: self.defined.get(k, late))
        self.draft.points = {k: points[k] for k in order}
        return self.draft

    def refused(self, line: int, why: str) -> None:
        """A line the Argdown parser would refuse (argmap reads it anyway): a warning."""
        self.lose(
            "found",
            "line the Argdown parser refuses",
            f"{why}; argmap read it, but `argdown` would stop at it",
            line,
            "lines the Argdown parser refuses",
        )

    def pcs_line(self, line: int) -> None:
        self.lose(
            "skipped",
            "premise-conclusion line",
            "argmap import reads Argdown maps, not reconstructions; run `argdown json` "
            "and import its output with --from argdown-json",
            line,
        )

    def continue_text(self, key: str, more: str) -> None:
        point = self.draft.points[key]
        text, _tags, _data = self.split(more, 0, 0)
        point.text = f"{point.text} {text}" if point.text else text

    def split(self, text: str, line: int, col: int) -> tuple[str, list[str], dict[str, Any]]:
        """Text, its tags and its inline data, from what follows an element's title."""
        data: dict[str, Any] = {}
        brace = data_start(text)
        if brace is not None:
            loaded: object = json_object(text[brace:])  # what argmap writes: fast to read
            if loaded is None:
                loaded = self.yaml(text[brace:], line, col + brace, "inline data")
            if isinstance(loaded, dict):
                data = loaded
            elif loaded is not None:
                self.error(line, col + brace, "inline data must be a mapping: `{key: value}`")
            text = text[:brace]
        tags = [a or b for a, b in _TAG.findall(ESCAPE.sub("", text))]
        text = TRAILING_TAGS.sub("", text)
        return clean(text), tags, data

    def element(self, rest: str, line: int, col: int) -> str | None:
        """The element a line (or what follows a relation) defines or names; its key."""
        m = _ELEMENT.match(rest)
        if m is None:
            text, tags, data = self.split(rest, line, col)
            if not text:
                self.error(
                    line, col, "expected a statement `[Title]: text`, an argument `<Title>` or text"
                )
                return None
            self.untitled += 1
            name = " ".join(text.split()[:6])
            key = self.define(f"s:untitled {self.untitled}", name, text, tags, data, line)
            self.draft.points[key].named = False  # its name is its first words, not a title
            return key
        is_arg = m.group("a") is not None
        title = unescape((m.group("a") if is_arg else m.group("s")) or "").strip()
        key = ("a:" if is_arg else "s:") + title
        after = rest[m.end() :]
        if m.group("colon"):
            text, tags, data = self.split(after, line, col + m.end())
            return self.define(key, title, text, tags, data, line)
        if after.strip():
            text, tags, data = self.split(after, line, col + m.end())
            if text:
                return self.define(key, title, text, tags, data, line)
        else:
            tags, data = [], {}
        return self.define(key, title, None, tags, data, line)

    def define(
        self,
        key: str,
        name: str,
        text: str | None,
        tags: list[str],
        data: dict[str, Any],
        line: int,
    ) -> str:
        points = self.draft.points
        point = points.get(key)
        if point is None:
            point = points[key] = Point(key=key, name=name, text=None, place=Place(line))
        exact = data.get("text")
        if isinstance(exact, str) and exact.strip():
            text = exact
        if text:
            if point.text is None:
                point.text = text
                self.defined.setdefault(key, len(self.defined))
            elif point.text != text:
                self.lose(
                    "dropped",
                    "second text of a title",
                    "argmap keeps the first text",
                    line,
                    "second texts of titles",
                )
        for tag in tags:
            if tag not in point.tags:
                point.tags.append(tag)
        point.paraphrase = point.paraphrase or data.get("paraphrase") is True
        for field in ("by", "quote", "source", "kind", "reported_by"):
            value = data.get(field)
            if isinstance(value, str | int) and not isinstance(value, bool):
                setattr(point, field, str(value))
        links = argmap_data(point, data, lambda w, y: self.lose("dropped", w, y, line), self.draft)
        if links:
            self.cut_links.setdefault(point.key, []).extend(links)
        for field in data:
            if field not in DATA_KEYS:
                self.lose("dropped", "data field", "argmap has no such field", line)
        return key


def read_argdown(text: str, file: str) -> Draft:
    """A `Draft` of the Argdown text, or `BadInput` naming every line it cannot read."""
    reader = _Reader(text, file)
    draft = reader.run()
    for key in rival_theses(draft, only="s:"):  # statements that only rebut each other
        draft.points[key].role = "claim"
    if reader.problems:
        raise BadInput(reader.problems)
    if not draft.points:
        raise BadInput(
            [Problem(file, Place(1, 1), "no statements or arguments found: is it Argdown?")]
        )
    return draft
