"""The grounded labelling (Dung 1995; Caminada 2006), with the stage at which each point was
decided: the one labelling that `argmap.evaluate` and `argmap.evaluate.pivotal` both read.

A point stands (IN) once every attacker is defeated, is defeated (OUT) as soon as one attacker
stands, and whatever is left is undecided. Stages: an unattacked point stands at stage 0; a
point is defeated at the stage of its first standing attacker; a point stands one stage after
the last of its attackers fell. Linear in points + attacks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from argmap.model import Standing


def attackers_of(nodes: Sequence[str], attacks: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each node's distinct attackers, in the order the attacks come; unknown ends are ignored."""
    result: dict[str, dict[str, None]] = {node: {} for node in nodes}
    for attacker, target in attacks:
        if attacker in result and target in result:
            result[target][attacker] = None
    return {node: list(found) for node, found in result.items()}


def targets_of(attacked_by: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The other direction of `attacked_by`: each node's targets."""
    targets: dict[str, list[str]] = {node: [] for node in attacked_by}
    for target, attackers in attacked_by.items():
        for attacker in attackers:
            targets[attacker].append(target)
    return targets


def staged(
    attacked_by: Mapping[str, Sequence[str]], targets: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Standing], dict[str, int]]:
    """The grounded labelling of every node of `attacked_by`, and each decided node's stage.

    >>> by = {"a": ["b"], "b": ["c"], "c": []}
    >>> staged(by, targets_of(by))
    ({'a': 'stands', 'b': 'defeated', 'c': 'stands'}, {'c': 0, 'b': 0, 'a': 1})
    """
    live = {node: len(attackers) for node, attackers in attacked_by.items()}  # not yet OUT
    label: dict[str, Standing] = {}
    stage: dict[str, int] = {}
    queue = deque(node for node, count in live.items() if count == 0)
    for node in queue:
        stage[node] = 0
    while queue:
        node = queue.popleft()
        label[node] = "stands"
        for target in targets[node]:
            if target in label:  # already OUT: an IN node's targets cannot be IN
                continue
            label[target] = "defeated"
            stage[target] = stage[node]
            for victim in targets[target]:
                live[victim] -= 1
                if live[victim] == 0 and victim not in label:
                    stage[victim] = 1 + max(stage[a] for a in attacked_by[victim])
                    queue.append(victim)
    return {node: label.get(node, "undecided") for node in attacked_by}, stage
