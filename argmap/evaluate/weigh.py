"""Part of stage 3, evaluate: how strong each point is, and which attacks succeed, when the map
weighs attacks (`judgement: {attacks: weighed}`; FORMAT.md, "Judgement").

A point's strength is its `weight` where the analyst gives one; otherwise it is counted from
what the point carries in the file: 1 for a `source`, 1 for a `quote` checked against its
source's `file` (validation has refused any quote not found there), and 1 for each point
that names it in `supports` (evidence, mostly). Strength is fixed before any standing is
worked out, so weighing has no loop: an attack (a, b) *succeeds* when strength(a) >= strength(b)
(a tie defeats), and the standings are the grounded labelling of the attacks that succeed. Under the
default rule (`attacks: all`) every attack succeeds and strength is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from argmap.model import ArgMap


@dataclass(frozen=True)
class Strength:
    """A point's strength and what it was counted from (for the words that compare two)."""

    value: int
    weight: int | None  # the analyst's `weight`, which replaces the count when given
    source: bool
    quote: bool  # a quote checked against its source's file
    evidence: int  # evidence items that support it

    @property
    def backed(self) -> bool:
        """Whether it carries anything at all: a source, a checked quote or evidence."""
        return self.source or self.quote or self.evidence > 0


def strengths(argmap: ArgMap) -> dict[str, Strength]:
    """Every point's strength, in file order.

    >>> from argmap.model import ArgMap
    >>> m = ArgMap.model_validate({"title": "t", "claims": [{"id": "c", "text": "C."}],
    ...     "evidence": [{"id": "e", "supports": "c", "text": "E.", "weight": 0}]})
    >>> [(i, s.value) for i, s in strengths(m).items()]
    [('c', 1), ('e', 0)]
    """
    with_file = {source.id for source in argmap.sources if source.file}
    backing: dict[str, dict[str, None]] = {s.id: {} for s in argmap.statements()}
    for item in argmap.statements():
        for target in getattr(item, "supports", None) or ():
            if target in backing:
                backing[target][item.id] = None
    result: dict[str, Strength] = {}
    for s in argmap.statements():
        source = s.source is not None
        quote = s.quote is not None and s.source in with_file
        count = int(source) + int(quote) + len(backing[s.id])
        value = count if s.weight is None else s.weight
        result[s.id] = Strength(value, s.weight, source, quote, len(backing[s.id]))
    return result


def succeeding(
    attacks: Sequence[tuple[str, str]], strength: dict[str, Strength]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The attacks that succeed (the attacker at least as strong as its target), and the ones
    that are outweighed, each in the order given."""
    won: list[tuple[str, str]] = []
    lost: list[tuple[str, str]] = []
    for attacker, target in attacks:
        if attacker in strength and target in strength:
            ok = strength[attacker].value >= strength[target].value
            (won if ok else lost).append((attacker, target))
    return won, lost
