"""Argdown text of a map: claims as statements `[id]: text`, rebuttals as arguments
`<id>: text` with `-> [target]` / `-> <target>`, evidence as statements with `+> [target]`.

`by`, `quote`, `source` and the evidence kind travel in Argdown's inline data (`{...}`, YAML
flow syntax, written here as JSON), tags as `#tags`; title, question, summary, sources and
speakers in the front matter. The front matter and the data are JSON with every character
Argdown's lexer could stop at (`=`, `{`, `}`) written as a `\\u` escape.

User text is escaped so that Argdown's parser reads back exactly the same text. Argdown gives
meaning to `_ * [ ] < > @ # \\ { } =` and backticks anywhere, to `.name.` and `:name:`
(operators and emoji shortcodes), and to `//` and `/*` (comments): each such character gets a
backslash. Argdown's lexer also drops runs of spaces after its special tokens and cannot hold a
line break in a statement, so a text that has them (or leading or trailing space) is written
with its spaces collapsed, and its exact words go in the data as `text`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final

from argmap.model import ArgMap, Claim, Evidence, Rebuttal

# Always escaped; `.` and `:` only before a character that is not a space (`e.g.`, `:smile:`);
# `/` only before `/` or `*`.
_ALWAYS: Final = frozenset("\\_*[]<>@#{}=`")
_NOT_CANONICAL: Final = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]|  |^ | $")
_UNSAFE_IN_JSON: Final = re.compile("[={}\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_SPACES: Final = re.compile(r"[\s\x85\u2028\u2029]+")


def escape(text: str) -> str:
    r"""One line of text as Argdown text that reads back the same (for canonical text).

    >>> escape("e.g. _this_ -> [that] costs $3.50 :smile: // not a comment")
    'e\\.g. \\_this\\_ -\\> \\[that\\] costs $3\\.50 \\:smile: \\// not a comment'
    """
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in _ALWAYS or (ch in ".:" and not nxt.isspace()) or (ch == "/" and nxt in "/*"):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def canonical(text: str) -> str:
    """The text as Argdown can hold it on one line: whitespace runs as one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


def is_canonical(text: str) -> bool:
    return _NOT_CANONICAL.search(text) is None and canonical(text) == text


def _json(value: Any, *, indent: int | None = None) -> str:
    """JSON that YAML (Argdown's js-yaml, argmap's PyYAML) reads back as the same value.

    `=`, `{` and `}` occur here only inside strings (`_data` writes the braces of the object
    itself); they and every character outside YAML's printable set are written as escapes.
    """
    dumped = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def _data(fields: dict[str, Any]) -> str:
    kept = {k: v for k, v in fields.items() if v is not None and v != []}
    if not kept:
        return ""
    return " {" + ", ".join(f"{json.dumps(k)}: {_json(v)}" for k, v in kept.items()) + "}"


def _frontmatter(m: ArgMap) -> list[str]:
    lines = ["==="]
    for key, value in (("title", m.title), ("question", m.question), ("summary", m.summary)):
        if value is not None:
            lines.append(f"{key}: {_json(value)}")
    extra: dict[str, Any] = {}
    if m.sources:
        extra["sources"] = [s.model_dump(exclude_none=True) for s in m.sources]
    if m.speakers:
        extra["speakers"] = [s.model_dump(exclude_none=True) for s in m.speakers]
    if extra:
        # A JSON object over several lines: each line is one source or speaker.
        lines.append("argmap:")
        for section, items in extra.items():
            lines.append(f"  {section}:")
            lines += [f"    - {_nested(item)}" for item in items]
    lines.append("===")
    return lines


def _nested(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {_json(v)}" for k, v in item.items()) + "}"


def _ref(ids: dict[str, str], target: str) -> str:
    return f"<{target}>" if ids[target] == "rebuttal" else f"[{target}]"


def _line(head: str, item: Claim | Rebuttal | Evidence) -> str:
    text = item.text
    exact = None if is_canonical(text) else text
    tags = "".join(f" #{t}" for t in item.tags)
    data = _data(
        {
            "kind": item.kind if isinstance(item, Evidence) else None,
            "by": item.by,
            "quote": item.quote,
            "source": item.source,
            "reported_by": item.reported_by,
            "paraphrase": True if item.paraphrase else None,
            "text": exact,
        }
    )
    return f"{head}: {escape(canonical(text))}{tags}{data}"


def to_argdown(m: ArgMap, *, origin: str = "claims.yaml") -> str:
    """The whole map as Argdown text; the same map always gives the same bytes."""
    kinds = {
        s.id: "rebuttal"
        if isinstance(s, Rebuttal)
        else "evidence"
        if isinstance(s, Evidence)
        else "claim"
        for s in m.statements()
    }
    lines = _frontmatter(m)
    lines += [
        "",
        f"// Exported by argmap from {_comment(origin)}: claims are statements, rebuttals are",
        "// arguments, evidence are statements that support. `argmap import` reads it back.",
    ]
    for item in m.statements():
        lines.append("")
        if isinstance(item, Rebuttal):
            lines.append(_line(f"<{item.id}>", item))
            lines += _relations("->", kinds, item.rebuts)
        elif isinstance(item, Evidence):
            lines.append(_line(f"[{item.id}]", item))
            lines += _relations("+>", kinds, item.supports)
        else:
            lines.append(_line(f"[{item.id}]", item))
    return "\n".join(lines) + "\n"


def _relations(arrow: str, kinds: dict[str, str], targets: Iterable[str]) -> list[str]:
    return [f"  {arrow} {_ref(kinds, t)}" for t in targets]


def _comment(text: str) -> str:
    """A file name safe inside a `//` comment line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", text)
