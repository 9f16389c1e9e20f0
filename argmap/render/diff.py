"""A `MapDiff` in words: text for the terminal, markdown for a pull-request comment, JSON.

Every reason is phrased once, from the diff's structured causes (`reason`, in
`argmap.render.diff_words`); the three formats share it. User text is made safe for where it
goes: printable on a terminal, escaped in markdown (a map from a pull request may hold
anything), plain strings in JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

from argmap.diff import Cause, DiffLink, DiffPoint, MapDiff, Shift
from argmap.model import Standing
from argmap.render import sentences
from argmap.render.diff_words import (
    NOW,
    PAST,
    SHARE,
    Seg,
    code_id,
    quoted,
    reason,
    reason_segs,
    why,
    why_segs,
    words,
)
from argmap.text import shown
from argmap.vocab import STANDINGS

__all__ = [
    "FORMAT_ID",
    "NOW",
    "PAST",
    "Seg",
    "quoted",
    "reason",
    "reason_segs",
    "summary",
    "to_json",
    "to_markdown",
    "to_text",
    "why",
    "why_segs",
    "words",
]

FORMAT_ID: Final = "argmap-diff/1"
TEXT_WIDTH: Final = 200  # characters of a point's text shown in text and markdown

ICON: Final[dict[Standing, str]] = {standing: look.icon for standing, look in STANDINGS.items()}
# What can start markup in the middle of a line (the text never starts one: it follows "): ").
# `.`, `'`, `"`, `-`, `+`, `#`, `!`, `{}` do nothing there, and escaping them only clutters
# what a reviewer reads ("Partners left in 2007\."); a link needs `[`, so `!` is harmless.
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]()|~])")


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
    if d.shifts:
        parts.append(f"{_plural(len(d.shifts), 'point')} moved between positions")
    if not parts and d.rule[0] == d.rule[1]:
        return "no change: the same points, in the same words, with the same relations"
    if not d.standings:
        parts.insert(0, "no standing changed")
    if d.rule[0] != d.rule[1]:
        parts.insert(0, f"the judgement changed (attacks: {d.rule[0]} → {d.rule[1]})")
    return ", ".join(parts)


def shift_words(shift: Shift) -> str:
    """ "undecided in both; now stands in every position the map allows (before: in some ...)"."""
    before = SHARE[shift.before].split(" of the ")[0].replace(" the map allows", "")
    return f"undecided in both; now stands {SHARE[shift.after]} (before: {before})"


def edge_words(e: DiffLink, name: Callable[[str], str] = str) -> str:
    """ "a rebuts b", or "u undercuts the link a → b"."""
    if e.link_from is not None:
        return f"{name(e.source)} undercuts the link {name(e.link_from)} → {name(e.target)}"
    return f"{name(e.source)} {e.relation} {name(e.target)}"


def _counts(counts: dict[Standing, int]) -> str:
    return (
        f"{counts['stands']} stand, {counts['defeated']} defeated, {counts['undecided']} undecided"
    )


# --- text --------------------------------------------------------------------------------------


def _t(text: str) -> str:
    return shown(" ".join(text.split()), TEXT_WIDTH)


def _point_line(sign: str, p: DiffPoint) -> str:
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
        ("Positions changed", [f"  ~ {p.id} ({p.kind}): {shift_words(p)}" for p in d.shifts]),
        ("Relations added", [f"  + {edge_words(e)}" for e in d.edges_added]),
        ("Relations removed", [f"  - {edge_words(e)}" for e in d.edges_removed]),
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


def _md_point(p: DiffPoint) -> str:
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
                f"{ICON[c.after]} {c.after} | {why(c, code_id) or '—'} |"
            )
    for title_, items in (
        ("Points added", [_md_point(p) for p in d.added]),
        ("Points removed", [_md_point(p) for p in d.removed]),
        (
            "Points reworded",
            [f"- `{r.id}` ({r.kind}): ~~{md(r.before)}~~ → {md(r.after)}" for r in d.reworded],
        ),
        ("Points moved", [f"- `{m.id}`: {m.before} → {m.after}" for m in d.moved]),
        ("Positions changed", [f"- `{p.id}` ({p.kind}): {shift_words(p)}" for p in d.shifts]),
        ("Relations added", [f"- {edge_words(e, code_id)}" for e in d.edges_added]),
        ("Relations removed", [f"- {edge_words(e, code_id)}" for e in d.edges_removed]),
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
    out: dict[str, Any] = {
        "id": c.point,
        "was": c.was,
        "now": c.now,
        "link": c.link,
        "defeated_by": list(c.by),
        "because": [_cause_json(b) for b in c.because],
    }
    if c.gains:  # (the rebuttals it gained, down the chain)
        out["gained"] = [_cause_json(g) for g in c.gains]
    if c.more:  # (the chain goes on past the bound)
        out["more"] = True
    if c.was_effect != c.now_effect and c.link == "kept":
        out["effect"] = {"was": c.was_effect, "now": c.now_effect}
        if c.cutters:
            out["undercut_by"] = [_cause_json(u) for u in c.cutters]
        if c.weighed is not None:
            out["strengths"] = {"rebuttal": c.weighed[0].value, "target": c.weighed[1].value}
    return out


def _edge_json(e: DiffLink) -> dict[str, Any]:
    out: dict[str, Any] = {"from": e.source, "relation": e.relation, "to": e.target}
    if e.link_from is not None:
        out["link"] = {"from": e.link_from, "to": e.target}
    return out


def _point_json(p: DiffPoint) -> dict[str, Any]:
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
            "added": [_edge_json(e) for e in d.edges_added],
            "removed": [_edge_json(e) for e in d.edges_removed],
        },
    }
    if d.shifts:
        data["positions"] = [
            {"id": p.id, "kind": p.kind, "before": p.before, "after": p.after} for p in d.shifts
        ]
    if d.rule[0] != d.rule[1]:
        data["judgement"] = {"before": d.rule[0], "after": d.rule[1]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
