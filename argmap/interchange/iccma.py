"""The attack graph in ICCMA's formats, for argumentation solvers: i23, apx and tgf.

Only attacks travel (a rebuttal attacks each of its targets); support never changes a standing,
so solvers compute the same grounded extension argmap does (a weighed map exports only the
attacks that succeed). Points are numbered in file order
(i23, tgf) or given apx names (ids with `-` as `_`, a leading digit prefixed); a comment table
maps them back to argmap ids.
"""

from __future__ import annotations

import re
from typing import Final

from argmap.evaluate import attack_graph
from argmap.model import ArgMap

_APX_NAME: Final = re.compile(r"[a-z][a-zA-Z0-9_]*")


def _attacks(m: ArgMap) -> list[tuple[str, str]]:
    """The attacks that count under the map's rule (`argmap.evaluate.attack_graph`): every
    rebuttal link, or under `judgement: {attacks: weighed}` the ones that succeed."""
    return attack_graph(m)[1]


def to_i23(m: ArgMap) -> str:
    """`p af N`, a `# N id` comment per point, then one `i j` line per attack."""
    ids = [s.id for s in m.statements()]
    number = {x: n for n, x in enumerate(ids, start=1)}
    lines = [f"p af {len(ids)}"]
    lines += [f"# {number[x]} {x}" for x in ids]
    lines += [f"{number[a]} {number[b]}" for a, b in _attacks(m)]
    return "\n".join(lines) + "\n"


def apx_names(ids: list[str]) -> dict[str, str]:
    """Each id as an apx (Prolog atom) name, unique, deterministic.

    >>> apx_names(["a-b", "007", "ok"])
    {'a-b': 'a_b', '007': 'n007', 'ok': 'ok'}
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for x in ids:
        base = x.replace("-", "_")
        if not _APX_NAME.fullmatch(base):
            base = "n" + base
        name, n = base, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        out[x] = name
    return out


def to_apx(m: ArgMap) -> str:
    """`arg(name).` per point and `att(a,b).` per attack; `%` comments map renamed ids back."""
    ids = [s.id for s in m.statements()]
    names = apx_names(ids)
    lines = [f"% {names[x]} = {x}" for x in ids if names[x] != x]
    lines += [f"arg({names[x]})." for x in ids]
    lines += [f"att({names[a]},{names[b]})." for a, b in _attacks(m)]
    return "\n".join(lines) + "\n"


def to_tgf(m: ArgMap) -> str:
    """Trivial Graph Format: `N id` per point, `#`, then `i j` per attack."""
    ids = [s.id for s in m.statements()]
    number = {x: n for n, x in enumerate(ids, start=1)}
    lines = [f"{number[x]} {x}" for x in ids] + ["#"]
    lines += [f"{number[a]} {number[b]}" for a, b in _attacks(m)]
    return "\n".join(lines) + "\n"
