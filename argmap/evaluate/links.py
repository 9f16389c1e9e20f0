"""Part of stage 3, evaluate: the map's links (who rebuts, supports and undercuts what) and the
attack graph its standings are the grounded labelling of (FORMAT.md, "Meaning", "Undercuts").

Any point may rebut and support others; a point may also *undercut* a link (`undercuts:
[{from: A, to: B}]`), attacking the inference rather than either end. An undercut rebuttal link
is made a point of its own for the labelling (Boella et al. 2009's flattening): the link L(A,B)
attacks B in A's place; L is attacked by each undercutter and by a helper ¬A that A attacks, so
L stands exactly when A stands and no undercutter does. Without undercutters a link is A's own
attack, as before. Helper ids start with a control character, which no id of a map can hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from argmap.evaluate.weigh import strengths, succeeding
from argmap.model import ArgMap, Claim, Evidence, Rebuttal

LINK: Final = "\x01"  # L(A,B): "\x01A>B"
NOT: Final = "\x02"  # ¬A: "\x02A"
Pair = tuple[str, str]


def hidden(node: str) -> bool:
    """Whether `node` is a helper of the flattening, never shown."""
    return node[:1] in (LINK, NOT)


def link_id(attacker: str, target: str) -> str:
    return f"{LINK}{attacker}>{target}"


def real(node: str) -> tuple[str, str | None]:
    """A helper's rebuttal (and target, for a link); a point's own id otherwise."""
    if node.startswith(LINK):
        attacker, _, target = node[1:].partition(">")
        return attacker, target
    return (node[1:], None) if node.startswith(NOT) else (node, None)


def _ids(statement: Claim | Rebuttal | Evidence, field: str) -> list[str]:
    return list(getattr(statement, field, None) or ())


@dataclass(frozen=True)
class Links:
    """Every relation of the map, in file order."""

    nodes: list[str]
    attacks: list[Pair]  # (rebutter, target): one for each id in each `rebuts`
    supports: list[Pair]  # (supporter, target)
    undercut: dict[Pair, list[str]]  # a rebuttal or support link -> the points undercutting it


def links(argmap: ArgMap) -> Links:
    statements = argmap.statements()
    undercut: dict[Pair, list[str]] = {}
    for s in statements:
        for link in getattr(s, "undercuts", None) or ():
            undercut.setdefault((link.from_, link.to), [])
            if s.id not in undercut[link.from_, link.to]:
                undercut[link.from_, link.to].append(s.id)
    return Links(
        [s.id for s in statements],
        [(s.id, t) for s in statements for t in dict.fromkeys(_ids(s, "rebuts"))],
        [(s.id, t) for s in statements for t in dict.fromkeys(_ids(s, "supports"))],
        undercut,
    )


def counted(argmap: ArgMap, found: Links | None = None) -> tuple[list[Pair], list[Pair]]:
    """The rebuttal links that count under the map's rule, and the outweighed ones."""
    found = found or links(argmap)
    if argmap.judgement.attacks == "weighed":
        return succeeding(found.attacks, strengths(argmap))
    return found.attacks, []


def flattened(found: Links, attacks: list[Pair]) -> tuple[list[str], list[Pair]]:
    """The attack graph with each undercut link of `attacks` made a point (module doc)."""
    nodes = list(found.nodes)
    extra: dict[str, None] = {}
    result: list[Pair] = []
    for attacker, target in attacks:
        cutters = found.undercut.get((attacker, target))
        if not cutters:
            result.append((attacker, target))
            continue
        link, negation = link_id(attacker, target), NOT + attacker
        if negation not in extra:
            extra[negation] = None
            result.append((attacker, negation))
        extra[link] = None
        result += [(negation, link), *((u, link) for u in cutters), (link, target)]
    return nodes + list(extra), result


def attack_graph(argmap: ArgMap) -> tuple[list[str], list[Pair]]:
    """The map as the attack graph whose grounded labelling gives its standings: every point's
    id in file order (then the helpers of undercut links), and the attacks that count."""
    found = links(argmap)
    return flattened(found, counted(argmap, found)[0])


def each_link(found: Links) -> Iterator[tuple[Literal["rebuts", "supports"], Pair]]:
    """(relation, link) for every rebuttal and support link, in file order."""
    for pair in found.attacks:
        yield "rebuts", pair
    for pair in found.supports:
        yield "supports", pair
