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
from argmap.evaluate.links import hidden, real
from argmap.model import ArgMap

_APX_NAME: Final = re.compile(r"[a-z][a-zA-Z0-9_]*")


def _graph(m: ArgMap) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    """The attack graph whose grounded labelling gives argmap's standings
    (`argmap.evaluate.attack_graph`: under `attacks: weighed` only the attacks that succeed; an
    undercut link as an argument of its own), and a printable name for each argument: its id,
    or `link:A>B` / `not:A` for the helpers of an undercut link."""
    nodes, attacks = attack_graph(m)
    said = {}
    for node in nodes:
        rebutter, target = real(node)
        said[node] = (
            node
            if not hidden(node)
            else (f"link:{rebutter}>{target}" if target is not None else f"not:{rebutter}")
        )
    return nodes, attacks, said


def _attacks(m: ArgMap) -> list[tuple[str, str]]:
    return _graph(m)[1]


def to_i23(m: ArgMap) -> str:
    """`p af N`, a `# N id` comment per point, then one `i j` line per attack."""
    ids, attacks, said = _graph(m)
    number = {x: n for n, x in enumerate(ids, start=1)}
    lines = [f"p af {len(ids)}"]
    lines += [f"# {number[x]} {said[x]}" for x in ids]
    lines += [f"{number[a]} {number[b]}" for a, b in attacks]
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
    ids, attacks, said = _graph(m)
    named = apx_names([said[x].replace(":", "-").replace(">", "--") for x in ids])
    names = {x: named[said[x].replace(":", "-").replace(">", "--")] for x in ids}
    lines = [f"% {names[x]} = {said[x]}" for x in ids if names[x] != said[x]]
    lines += [f"arg({names[x]})." for x in ids]
    lines += [f"att({names[a]},{names[b]})." for a, b in attacks]
    return "\n".join(lines) + "\n"


def to_tgf(m: ArgMap) -> str:
    """Trivial Graph Format: `N id` per point, `#`, then `i j` per attack."""
    ids, attacks, said = _graph(m)
    number = {x: n for n, x in enumerate(ids, start=1)}
    lines = [f"{number[x]} {said[x]}" for x in ids] + ["#"]
    lines += [f"{number[a]} {number[b]}" for a, b in attacks]
    return "\n".join(lines) + "\n"
