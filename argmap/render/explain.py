"""`argmap check --explain ID`: one point's standing, reason, rebuttal chain and pivotal points,
as text for a terminal.
"""

from __future__ import annotations

from typing import Final

from argmap.evaluate import Evaluation
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
    said = plain(sentences.pivot(pivot, [_by_id(pivot.point)], sentences.names(pivot.via, _by_id)))
    return said[:1].lower() + said[1:].removesuffix(".")


def _yes(flag: bool | None) -> str:
    return "yes" if flag else "no"


def _by_id(nid: str) -> Seg:
    return (nid, nid)


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
    for other in verdict.undercut:
        lines.append(
            f"  Undercut: the link from {other} to it counts for nothing (an undercutter stands)"
        )
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
        f"  {shown(point.text, 300)}",
        f"  Why: {shown(why, 600)}",
    ]
    for field in ("rebuts", "supports"):
        if getattr(point, field, None):
            lines.append(f"  {field.title()}: {', '.join(dict.fromkeys(getattr(point, field)))}")
    for link in getattr(point, "undercuts", None) or ():
        lines.append(f"  Undercuts: the link from {link.from_} to {link.to}")
    lines += _judged(ev, node)
    chain: list[str] = []

    def walk(nid: str, depth: int, path: frozenset[str]) -> None:
        for attacker in ev[nid].rebutted_by:
            if len(chain) >= CHAIN_LINES:
                return
            v = ev[attacker]
            text = shown(" ".join(statements[attacker].text.split()), WIDTH)
            note = " (loop: already above)" if attacker in path else ""
            chain.append(f"{'  ' * (depth + 2)}{ICON[v.standing]} {attacker}: {text}{note}")
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
