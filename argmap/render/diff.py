"""A `MapDiff` in words: text for the terminal, markdown for a pull-request comment, JSON.

Every reason is phrased here, once, from the diff's structured causes (`reason`); the three
formats share it. User text is made safe for where it goes: printable on a terminal, escaped
in markdown (a map from a pull request may hold anything), plain strings in JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from argmap.diff import Cause, Change, MapDiff, Point
from argmap.evaluate.reasons import Segment
from argmap.model import Standing
from argmap.render import sentences
from argmap.text import shown
from argmap.vocab import STANDINGS

FORMAT_ID: Final = "argmap-diff/1"
TEXT_WIDTH: Final = 200  # characters of a point's text shown in text and markdown

PAST: Final[dict[Standing, str]] = {
    "stands": "stood",
    "defeated": "was defeated",
    "undecided": "was undecided",
}
NOW: Final[dict[Standing, str]] = {
    "stands": "now stands",
    "defeated": "now defeated",
    "undecided": "now undecided",
}
ICON: Final[dict[Standing, str]] = {standing: look.icon for standing, look in STANDINGS.items()}
# What can start markup in the middle of a line (the text never starts one: it follows "): ").
# `.`, `'`, `"`, `-`, `+`, `#`, `!`, `{}` do nothing there, and escaping them only clutters
# what a reviewer reads ("Partners left in 2007\."); a link needs `[`, so `!` is harmless.
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]()|~])")


Seg = Segment  # a piece of a sentence: words, or (with an id) a point named


def quoted(node: str) -> str:
    """How text and JSON name a point: 'replaces-all' (ids need no escaping anywhere)."""
    return f"'{node}'"


def _code_id(node: str) -> str:
    return f"`{node}`"


def words(segs: Sequence[Seg], name: Callable[[str], str] = quoted) -> str:
    """A sentence of pieces as text, each point named by `name`."""
    return "".join(text if node is None else name(node) for text, node in segs)


def _names(ids: Sequence[str]) -> list[Seg]:
    """`'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`."""
    return sentences.names(ids, lambda node: ("", node))


def _fate(cause: Cause) -> list[Seg]:
    """What became of a rebuttal that used to count."""
    if cause.now is None:
        return [(" was removed", None)]
    if cause.link == "removed":
        return [(" no longer rebuts it", None)]
    if cause.now == "defeated":
        return [(" is now defeated by ", None), *_names(cause.by)]
    return [(" is now undecided" if cause.now == "undecided" else " now stands", None)]


def _lost(change: Change, cause: Cause) -> list[Seg]:
    if cause.was == "stands":
        lead = "its only standing rebuttal " if change.sole else "its standing rebuttal "
    else:
        lead = "its undecided rebuttal "
    return [(lead, None), ("", cause.point), *_fate(cause)]


def _gained(cause: Cause) -> list[Seg]:
    state = "stands" if cause.now == "stands" else "is undecided"
    if cause.was is None:
        return [("new rebuttal ", None), ("", cause.point), (f" {state}", None)]
    if cause.link == "added":
        return [("", cause.point), (f" now rebuts it and {state}", None)]
    now = " now stands" if cause.now == "stands" else " is now undecided"
    segs: list[Seg] = [("its rebuttal ", None), ("", cause.point), (now, None)]
    for n, c in enumerate(cause.because):
        segs += [(" (" if n == 0 else "; ", None), ("", c.point), *_fate(c)]
    return [*segs, (")", None)] if cause.because else segs


def why_segs(change: Change) -> list[Seg]:
    """The causes of one change: "its only standing rebuttal 'g' is now defeated by 'e'"."""
    clauses = [_lost(change, c) for c in change.lost] + [_gained(c) for c in change.gained]
    segs: list[Seg] = []
    for n, clause in enumerate(clauses):
        segs += [("; ", None), *clause] if n else clause
    return segs


def reason_segs(change: Change) -> list[Seg]:
    """One change in a sentence: "'replaces-all' was defeated, now stands: its only ..."."""
    head: list[Seg] = [("", change.id), (f" {PAST[change.before]}, {NOW[change.after]}", None)]
    causes = why_segs(change)
    return [*head, (": ", None), *causes] if causes else head


def why(change: Change, name: Callable[[str], str] = quoted) -> str:
    return words(why_segs(change), name)


def reason(change: Change, name: Callable[[str], str] = quoted) -> str:
    return words(reason_segs(change), name)


_plural = sentences.plural


def summary(d: MapDiff) -> str:
    """`1 standing changed, 1 point added, 2 relations added`, or that nothing changed."""
    parts = []
    if d.standings:
        parts.append(_plural(len(d.standings), "standing") + " changed")
    for items, what in (
        (d.added, "added"),
        (d.removed, "removed"),
        (d.reworded, "reworded"),
        (d.moved, "moved"),
    ):
        if items:
            parts.append(f"{_plural(len(items), 'point')} {what}")
    for edges, what in ((d.edges_added, "added"), (d.edges_removed, "removed")):
        if edges:
            parts.append(f"{_plural(len(edges), 'relation')} {what}")
    if not parts:
        return "no change: the same points, in the same words, with the same relations"
    if not d.standings:
        parts.insert(0, "no standing changed")
    return ", ".join(parts)


def _counts(counts: dict[Standing, int]) -> str:
    return (
        f"{counts['stands']} stand, {counts['defeated']} defeated, {counts['undecided']} undecided"
    )


# --- text --------------------------------------------------------------------------------------


def _t(text: str) -> str:
    return shown(" ".join(text.split()), TEXT_WIDTH)


def _point_line(sign: str, p: Point) -> str:
    return f"  {sign} {p.id} ({p.kind}, {p.standing}): {_t(p.text)}"


def to_text(d: MapDiff) -> str:
    """The diff for a terminal: what changed standing first, with why; then the edits."""
    lines = [f"argmap diff {shown(d.old.label, 300)} → {shown(d.new.label, 300)}", summary(d) + "."]
    if d.standings:
        lines += ["", "Standings changed"]
        for c in d.standings:
            lines.append(f"  {c.id} ({c.kind}): {c.before} → {c.after}")
            lines.append(f"    {reason(c)}")
    sections: list[tuple[str, list[str]]] = [
        ("Points added", [_point_line("+", p) for p in d.added]),
        ("Points removed", [_point_line("-", p) for p in d.removed]),
        (
            "Points reworded",
            [
                line
                for r in d.reworded
                for line in (
                    f"  ~ {r.id} ({r.kind})",
                    f"      was: {_t(r.before)}",
                    f"      now: {_t(r.after)}",
                )
            ],
        ),
        ("Points moved", [f"  ~ {m.id}: {m.before} → {m.after}" for m in d.moved]),
        ("Relations added", [f"  + {e.source} {e.relation} {e.target}" for e in d.edges_added]),
        (
            "Relations removed",
            [f"  - {e.source} {e.relation} {e.target}" for e in d.edges_removed],
        ),
    ]
    for title, body in sections:
        if body:
            lines += ["", title, *body]
    if not d.empty:
        lines += [
            "",
            f"Standings now: {_counts(d.new_counts)} (before: {_counts(d.old_counts)}).",
        ]
    return "\n".join(lines) + "\n"


# --- markdown ----------------------------------------------------------------------------------


def md(text: str) -> str:
    r"""User text, safe in GitHub markdown: one line, HTML's <, > and & as entities, every
    character that could start markup mid-line escaped with a backslash, and no other.

    >>> md("<script>*x*</script> | [a](javascript:b)")
    '&lt;script&gt;\\*x\\*&lt;/script&gt; \\| \\[a\\]\\(javascript:b\\)'
    >>> md("It's 2007. Sales rose 82% - a \"record\"! #1 {ok}")
    'It\'s 2007. Sales rose 82% - a "record"! #1 {ok}'
    """
    text = _MD_SPECIAL.sub(r"\\\1", shown(" ".join(text.split()), TEXT_WIDTH))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    return "`" + shown(text, 300).replace("`", "'") + "`"


def _md_point(p: Point) -> str:
    return f"- `{p.id}` ({p.kind}, {ICON[p.standing]} {p.standing}): {md(p.text)}"


def to_markdown(d: MapDiff) -> str:
    """The diff as a pull-request comment: a table of changed standings, then the edits."""
    title = "argmap: " + summary(d)
    lines = [f"### {md(title)}", "", f"{_code(d.old.label)} → {_code(d.new.label)}"]
    if d.standings:
        lines += ["", "| point | was | now | why |", "| --- | --- | --- | --- |"]
        for c in d.standings:
            lines.append(
                f"| `{c.id}` ({c.kind}) | {ICON[c.before]} {c.before} | "
                f"{ICON[c.after]} {c.after} | {why(c, _code_id) or '—'} |"
            )
    for title_, items in (
        ("Points added", [_md_point(p) for p in d.added]),
        ("Points removed", [_md_point(p) for p in d.removed]),
        (
            "Points reworded",
            [f"- `{r.id}` ({r.kind}): ~~{md(r.before)}~~ → {md(r.after)}" for r in d.reworded],
        ),
        ("Points moved", [f"- `{m.id}`: {m.before} → {m.after}" for m in d.moved]),
        (
            "Relations added",
            [f"- `{e.source}` {e.relation} `{e.target}`" for e in d.edges_added],
        ),
        (
            "Relations removed",
            [f"- `{e.source}` {e.relation} `{e.target}`" for e in d.edges_removed],
        ),
    ):
        if items:
            lines += ["", f"**{title_}** ({len(items)})", "", *items]
    if not d.empty:
        lines += [
            "",
            f"Standings now: {_counts(d.new_counts)} (before: {_counts(d.old_counts)}).",
        ]
    return "\n".join(lines) + "\n"


# --- JSON --------------------------------------------------------------------------------------


def _cause_json(c: Cause) -> dict[str, Any]:
    return {
        "id": c.point,
        "was": c.was,
        "now": c.now,
        "link": c.link,
        "defeated_by": list(c.by),
        "because": [_cause_json(b) for b in c.because],
    }


def _point_json(p: Point) -> dict[str, Any]:
    return {"id": p.id, "kind": p.kind, "standing": p.standing, "text": p.text}


def to_json(d: MapDiff) -> str:
    """The diff for scripts (`"format": "argmap-diff/1"`), documented in docs/FORMAT.md."""
    data = {
        "format": FORMAT_ID,
        "old": {"side": d.old.label, "counts": d.old_counts},
        "new": {"side": d.new.label, "counts": d.new_counts},
        "standing_changed": d.standing_changed,
        "summary": summary(d),
        "standings": [
            {
                "id": c.id,
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
                "reason": reason(c),
                "lost": [_cause_json(x) for x in c.lost],
                "gained": [_cause_json(x) for x in c.gained],
            }
            for c in d.standings
        ],
        "added": [_point_json(p) for p in d.added],
        "removed": [_point_json(p) for p in d.removed],
        "reworded": [
            {"id": r.id, "kind": r.kind, "before": r.before, "after": r.after} for r in d.reworded
        ],
        "moved": [{"id": m.id, "before": m.before, "after": m.after} for m in d.moved],
        "relations": {
            "added": [
                {"from": e.source, "relation": e.relation, "to": e.target} for e in d.edges_added
            ],
            "removed": [
                {"from": e.source, "relation": e.relation, "to": e.target} for e in d.edges_removed
            ],
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
