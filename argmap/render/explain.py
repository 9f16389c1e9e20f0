"""`argmap check --explain ID`: one point's standing, reason, rebuttal chain and pivotal points,
as text for a terminal, under the map's semantics: the rule, how it fell (a bare denial or a
refutation), its strength and what outweighs what (weighed maps), each undercut link into it
(by whom, standing how, and what that does to the link), what it undercuts, what supports it,
and, when undecided, where it stands among the positions the map allows. Each chain line says
how its link was judged (its strength, outweighed, undercut) when not plainly.
"""

from __future__ import annotations

from typing import Final

from argmap.evaluate import Evaluation
from argmap.evaluate.links import links
from argmap.evaluate.pivotal import Pivot, Pivotal
from argmap.evaluate.reasons import quoting, words
from argmap.model import ArgMap
from argmap.render import sentences
from argmap.render.sentences import Seg, plain
from argmap.text import shown
from argmap.vocab import STANDINGS

ICON: Final = {standing: look.icon for standing, look in STANDINGS.items()}
CHAIN_DEPTH: Final = 8  # levels of the rebuttal chain shown
CHAIN_LINES: Final = 200  # lines of the rebuttal chain shown
WIDTH: Final = 70  # characters of a point's text on a chain line


def _hinge(pivot: Pivot) -> str:
    """One pivotal point in words, as the brief says it (naming points by id)."""
    said = plain(
        sentences.pivot(pivot, [_by_id(pivot.point)], sentences.names(pivot.via, _by_id), _by_id)
    )
    return said[:1].lower() + said[1:].removesuffix(".")


def _yes(flag: bool | None) -> str:
    return "yes" if flag else "no"


def _by_id(nid: str) -> Seg:
    return (nid, nid)


def _standing(ev: Evaluation, nid: str) -> str:
    """ "✔ stands", "✘ defeated by d, e", "? undecided"."""
    v = ev[nid]
    by = f" by {', '.join(v.defeated_by)}" if v.standing == "defeated" and v.defeated_by else ""
    return f"{ICON[v.standing]} {v.standing}{by}"


def _undercut(ev: Evaluation, cut: dict[tuple[str, str], list[str]], node: str) -> list[str]:
    """Each link into `node` that some point undercuts: by whom, and what that does to it."""
    lines = []
    v = ev[node]
    into = [(a, "rebuts") for a in v.rebutted_by]
    into += [(e, "supports") for e in _supporters(cut, ev, node) if (e, "rebuts") not in into]
    for other, relation in into:
        cutters = cut.get((other, node))
        if not cutters:
            continue
        said = sentences.plain(
            sentences.joined([[(f"{u} ({_standing(ev, u)})", None)] for u in cutters])
        )
        if any(ev[u].standing == "stands" for u in cutters):
            effect = "so it counts for nothing"
        elif any(ev[u].standing == "undecided" for u in cutters):
            effect = "so it is undecided whether it counts"
        else:
            effect = "none stands, so the undercut does not cut it"
        lines.append(f"  Undercut: the link {other} {relation} it is undercut by {said}, {effect}")
    return lines


def _supporters(cut: dict[tuple[str, str], list[str]], ev: Evaluation, node: str) -> list[str]:
    """Every point that supports `node` (undercut or not), in file order of the cut links."""
    kept = list(ev[node].supported_by)
    return kept + [
        a for (a, b) in cut if b == node and a not in kept and a not in ev[node].rebutted_by
    ]


def _judged(ev: Evaluation, node: str) -> list[str]:
    """How the map's rule judged `node`: bare denials, outweighed rebuttals, positions."""
    verdict, lines = ev[node], []
    lines.append(
        "  Rule: attacks are weighed (a rebuttal defeats only a point no stronger than itself)"
        if ev.rule == "weighed"
        else "  Rule: every rebuttal that stands defeats what it rebuts"
    )
    if verdict.fell == "unsupported":
        lines.append(
            "  How it fell: challenged only by an unsupported denial (no evidence, source or "
            "quote for " + ", ".join(verdict.defeated_by) + ")"
        )
    elif verdict.fell == "refuted":
        lines.append("  How it fell: refuted by a rebuttal with evidence, a source or a quote")
    if ev.strengths:
        lines.append(f"  Strength: {sentences.backing(ev.strengths[node])}")
    for attacker in verdict.outweighed:
        lines.append(
            "  Outweighed: "
            + plain(
                sentences.outweighed(
                    _by_id(attacker), _by_id(node), ev.strengths[attacker], ev.strengths[node]
                )
            )
        )
    if verdict.standing == "undecided":
        credulous, sceptical = ev.positions.acceptance(node, "undecided")
        if credulous is None:
            lines.append("  Positions: not worked out; its knot of rebuttals is too large")
        else:
            where = "every" if sceptical else "some, not all," if credulous else "none"
            lines.append(
                f"  Positions: stands in {where} of the coherent positions the map allows "
                f"(credulous: {_yes(credulous)}, sceptical: {_yes(sceptical)})"
            )
            knot = ev.positions.knots[ev.positions.knot_of[node]]
            lines.append("    " + plain(sentences.knot(knot, _by_id)))
    return lines


def explain(argmap: ArgMap, ev: Evaluation, node: str, pivotal: Pivotal) -> str:
    """The text `argmap check --explain` prints for `node` (an id of `argmap`)."""
    statements = {s.id: s for s in argmap.statements()}
    point, verdict = statements[node], ev[node]
    kind = point.item_kind
    why = words(verdict.reason, quoting({i: s.text for i, s in statements.items()}))
    lines = [
        f"{node} ({kind}): {ICON[verdict.standing]} {verdict.standing}",
        f"  {shown(' '.join(point.text.split()), 300)}",
        f"  Why: {shown(why, 600)}",
    ]
    for field in ("rebuts", "supports"):
        if getattr(point, field, None):
            lines.append(f"  {field.title()}: {', '.join(dict.fromkeys(getattr(point, field)))}")
    for link in getattr(point, "undercuts", None) or ():
        effect = {
            "stands": "it stands, so that link counts for nothing",
            "undecided": "it is undecided, so it may or may not cut that link",
            "defeated": "it is defeated, so it does not cut that link",
        }[verdict.standing]
        lines.append(f"  Undercuts: the link from {link.from_} to {link.to} ({effect})")
    found = links(argmap)
    cut = found.undercut
    backers = [e for e, t in found.supports if t == node]
    if backers:
        lines.append(
            "  Supported by: "
            + ", ".join(
                f"{e} ({_standing(ev, e)}"
                + (", link undercut" if e in verdict.undercut else "")
                + ")"
                for e in backers
            )
        )
    lines += _judged(ev, node)
    lines += _undercut(ev, cut, node)
    chain: list[str] = []

    def note_on(attacker: str, target: str) -> str:
        """How the link from `attacker` to `target` was judged, when not plainly."""
        notes = []
        if ev.strengths:
            notes.append(f"strength {ev.strengths[attacker].value}")
        if attacker in ev[target].outweighed:
            notes.append(f"outweighed by {target}'s {ev.strengths[target].value}")
        cutters = cut.get((attacker, target), [])
        if cutters:
            notes.append(
                "link undercut by " + ", ".join(f"{u} {ICON[ev[u].standing]}" for u in cutters)
            )
        return f" [{'; '.join(notes)}]" if notes else ""

    def walk(nid: str, depth: int, path: frozenset[str]) -> None:
        for attacker in ev[nid].rebutted_by:
            if len(chain) >= CHAIN_LINES:
                return
            v = ev[attacker]
            text = shown(" ".join(statements[attacker].text.split()), WIDTH)
            note = " (loop: already above)" if attacker in path else ""
            judged = note_on(attacker, nid)
            chain.append(f"{'  ' * (depth + 2)}{ICON[v.standing]} {attacker}: {text}{judged}{note}")
            if note:
                continue
            if depth + 1 >= CHAIN_DEPTH and ev[attacker].rebutted_by:
                chain.append(f"{'  ' * (depth + 3)}… (deeper rebuttals not shown)")
            else:
                walk(attacker, depth + 1, path | {attacker})

    walk(node, 0, frozenset({node}))
    if chain:
        key = ", ".join(f"{ICON[standing]} {standing}" for standing in ICON)
        lines.append(f"  Rebuttal chain ({key}):")
        lines += chain
        if len(chain) >= CHAIN_LINES:
            lines.append(f"    … (cut at {CHAIN_LINES} lines)")
    else:
        lines.append("  Rebuttal chain: none; nothing rebuts it")
    if pivotal.skipped:
        lines.append(
            f"  Hangs on: not worked out; the map is too large (over {pivotal.limit:,} steps)"
        )
    elif pivotal.points.get(node):
        lines.append("  Hangs on (remove or defeat one of these and its standing changes):")
        lines += [f"    {_hinge(p)}" for p in pivotal.points[node]]
    else:
        lines.append(
            "  Hangs on: no single point; taking any one away leaves its standing as it is"
        )
    return "\n".join(lines) + "\n"
