"""Argdown text of a map: claims as statements `[id]: text`, rebuttals as arguments
`<id>: text` with `-> [target]` / `-> <target>`, evidence as statements with `+> [target]`.
Any point may also rebut (`->`) and support (`+>`), and a rebuttal or evidence item undercuts
with Argdown's own `_> <A>` (an attack on A's inference: every link of A); an undercut of only
some of A's links also lists them in the data (`"undercuts": [{"from": A, "to": B}]`), and a
claim that rebuts or supports says `"role": "claim"`, so that `argmap import` reads it back.

`by`, `quote`, `source` and the evidence kind travel in Argdown's inline data (`{...}`, YAML
flow syntax, written here as JSON), tags as `#tags`; title, question, summary, sources and
speakers in the front matter (a weighed map's `judgement` also in its first point's data,
which `argdown json` keeps). The front matter and the data are JSON with every character
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
    return " {" + ", ".join(f"{json.dumps(k)}: {_value(v)}" for k, v in kept.items()) + "}"


def _value(value: Any) -> str:
    """A data value: JSON, and a list of objects (the links of `undercuts`) with the braces of
    its objects written as braces (`_json` escapes those inside strings)."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    return _nested(value) if isinstance(value, dict) else _json(value)


def _frontmatter(m: ArgMap) -> list[str]:
    lines = ["==="]
    for key, value in (("title", m.title), ("question", m.question), ("summary", m.summary)):
        if value is not None:
            lines.append(f"{key}: {_json(value)}")
    extra: dict[str, Any] = {}
    if m.judgement.attacks != "all":
        extra["judgement"] = m.judgement.model_dump()
    if m.sources:
        extra["sources"] = [s.model_dump(exclude_none=True) for s in m.sources]
    if m.speakers:
        extra["speakers"] = [s.model_dump(exclude_none=True) for s in m.speakers]
    if extra:
        # A JSON object over several lines: each line is one source or speaker.
        lines.append("argmap:")
        for section, items in extra.items():
            if isinstance(items, dict):
                lines.append(f"  {section}: {_nested(items)}")
                continue
            lines.append(f"  {section}:")
            lines += [f"    - {_nested(item)}" for item in items]
    lines.append("===")
    return lines


def _nested(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {_json(v)}" for k, v in item.items()) + "}"


def _ref(ids: dict[str, str], target: str) -> str:
    return f"<{target}>" if ids[target] == "rebuttal" else f"[{target}]"


def _line(head: str, item: Claim | Rebuttal | Evidence, extra: dict[str, Any]) -> str:
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
            "weight": item.weight,
            **extra,
        }
    )
    return f"{head}: {escape(canonical(text))}{tags}{data}"


def to_argdown(m: ArgMap, *, origin: str = "claims.yaml") -> str:
    """The whole map as Argdown text; the same map always gives the same bytes."""
    kinds = {s.id: _kind(s) for s in m.statements()}
    links: dict[str, list[str]] = {}  # point -> every target it rebuts or supports
    for s in m.statements():
        links[s.id] = list(dict.fromkeys([*(s.rebuts or ()), *(s.supports or ())]))
    lines = _frontmatter(m)
    lines += [
        "",
        f"// Exported by argmap from {_comment(origin)}: claims are statements, rebuttals are",
        "// arguments, evidence are statements that support. `argmap import` reads it back.",
    ]
    first = next(iter(m.statements()), None)
    for item in m.statements():
        lines.append("")
        head = f"<{item.id}>" if isinstance(item, Rebuttal) else f"[{item.id}]"
        cut_from, partial = _undercut_groups(item, links)
        extra: dict[str, Any] = {}
        if item is first and m.judgement.attacks != "all":
            # `argdown json` drops the front matter: the first point's data carries the
            # map's judgement too, so that the JSON keeps it (`argdown_data.map_judgement`).
            extra["judgement"] = m.judgement.model_dump()
        if isinstance(item, Claim) and (item.rebuts or item.supports):
            extra["role"] = "claim"  # (an importer would take a point that rebuts for a rebuttal)
        if partial:
            extra["undercuts"] = [
                {"from": u.from_, "to": u.to} for u in getattr(item, "undercuts", None) or ()
            ]
        lines.append(_line(head, item, extra))
        lines += _relations("->", kinds, item.rebuts or ())
        lines += _relations("+>", kinds, item.supports or ())
        lines += _relations("_>", kinds, cut_from)
    return "\n".join(lines) + "\n"


def _kind(item: Claim | Rebuttal | Evidence) -> str:
    if isinstance(item, Rebuttal):
        return "rebuttal"
    return "evidence" if isinstance(item, Evidence) else "claim"


def _undercut_groups(
    item: Claim | Rebuttal | Evidence, links: dict[str, list[str]]
) -> tuple[list[str], bool]:
    """The points whose links `item` undercuts (each once, in order), and whether the links
    must be spelled out: Argdown's undercut `_> <A>` attacks A's inference, that is every link
    of A (read back in A's order), so an undercut of only some of them (or in another order)
    also lists them in the data's `undercuts`."""
    cuts = [(u.from_, u.to) for u in getattr(item, "undercuts", None) or ()]
    froms = list(dict.fromkeys(a for a, _ in cuts))
    return froms, cuts != [(a, t) for a in froms for t in links[a]]


def _relations(arrow: str, kinds: dict[str, str], targets: Iterable[str]) -> list[str]:
    """One relation line per target: `->` rebuts, `+>` supports, `_>` undercuts."""
    return [f"  {arrow} {_ref(kinds, t)}" for t in targets]


def _comment(text: str) -> str:
    """A file name safe inside a `//` comment line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", text)
