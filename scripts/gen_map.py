"""Large synthetic argument maps, for scale tests and benchmarks of the brief.

    .venv/bin/python scripts/gen_map.py 1000 [--seed 0] [-o big.yaml]

`gen_map(n_nodes, seed)` returns the text of a valid claims.yaml with exactly `n_nodes`
claims, rebuttals and evidence items, shaped like a real dispute: a few speakers, each point
with one or two tags, quotes from sources, rebuttal threads several levels deep, evidence
that backs claims and rebuttals, some points answered from two sides, and a few rebuttals that
answer each other in a loop (so every standing appears). The same arguments always give the
same text. It loads without a warning: every claim is answered or backed, every speaker and
source is used, every piece of evidence has a source.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any, Final

import yaml

SPEAKERS: Final = [
    ("ada", "Ada Okafor", "chief executive", "Northwind Systems"),
    ("bram", "Bram de Vries", "analyst", "Harbour Research"),
    ("chen", "Chen Wei", "founder", "Lattice Labs"),
    ("dolores", "Dolores Ibarra", "regulator", "Competition Office"),
    ("emeka", "Emeka Nwosu", "chief technology officer", "Northwind Systems"),
    ("freya", "Freya Lind", "journalist", "The Ledger"),
    ("gus", "Gus Almeida", "customer", "Almeida Freight"),
    ("hana", "Hana Sato", "economist", "Kyoto Institute"),
]
TAGS: Final = [
    "market",
    "pricing",
    "partners",
    "standards",
    "security",
    "revenue",
    "competition",
    "licensing",
    "support",
    "performance",
    "regulation",
    "hiring",
]
SUBJECTS: Final = [
    "Northwind",
    "Lattice",
    "the open consortium",
    "smaller vendors",
    "customers",
    "the regulator",
    "the new licence",
    "the cloud edition",
    "the partner scheme",
    "the pricing change",
    "the support contract",
    "the benchmark",
    "the merger",
    "the standards body",
    "independent resellers",
]
VERBS: Final = [
    "locks in",
    "undercuts",
    "outperforms",
    "depends on",
    "slows down",
    "protects",
    "crowds out",
    "copies",
    "funds",
    "ignores",
    "weakens",
    "rewards",
]
OBJECTS: Final = [
    "its rivals",
    "existing customers",
    "the reseller channel",
    "open formats",
    "small businesses",
    "public sector buyers",
    "the developer community",
    "the whole industry",
    "long-term contracts",
    "independent auditors",
]
QUALIFIERS: Final = [
    "",
    "",
    "",
    " in Europe",
    " this year",
    " by a wide margin",
    " according to the latest figures",
    " for most workloads",
    " despite public promises",
    " over the next five years",
]
EVIDENCE_KINDS: Final = ["fact", "statistic", "quote", "example", "document"]


class _Dumper(yaml.SafeDumper):
    """Plain YAML: never an anchor or alias (argmap refuses them)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _sentence(rng: random.Random, n: int) -> str:
    subject = rng.choice(SUBJECTS)
    text = f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}"
    return f"{text[0].upper()}{text[1:]} (point {n})."


def _one_or_list(ids: list[str]) -> str | list[str]:
    return ids[0] if len(ids) == 1 else list(ids)


def gen_map(n_nodes: int, seed: int = 0, *, cross: float = 0.0) -> str:
    """A valid claims.yaml (as text) with `n_nodes` statements; deterministic in `seed`.

    `cross` is the share of rebuttals that also answer a point in another thread (any earlier
    rebuttal or evidence), and of evidence that backs a second point elsewhere: the cross
    links of a real debate, which tie threads together so that no part of the map is a tree.
    With `cross=0` the map is the same as before the option existed.

    >>> import yaml; data = yaml.safe_load(gen_map(40, seed=1))
    >>> sum(len(data[k]) for k in ("claims", "rebuttals", "evidence"))
    40
    >>> gen_map(40, seed=1) == gen_map(40, seed=1)
    True
    """
    if n_nodes < 3:
        raise ValueError("a map needs at least 3 nodes: a claim, a rebuttal and evidence")
    rng = random.Random(seed)
    n_claims = max(1, n_nodes // 8)
    n_evidence = max(1, n_nodes * 3 // 8)
    n_rebuttals = n_nodes - n_claims - n_evidence
    speakers = [s[0] for s in SPEAKERS]
    sources = [
        {
            "id": f"src-{n:02d}",
            "title": f"Report number {n} on the dispute",
            "author": rng.choice(SPEAKERS)[1],
            "publisher": "The Ledger",
            "date": f"20{10 + n % 14}-{1 + n % 12:02d}",
            "url": f"https://example.org/reports/{n}",
        }
        for n in range(1, 13)
    ]
    count = iter(range(1, n_nodes + 1))

    def statement(prefix: str, i: int, by_claimant: bool = False) -> dict[str, Any]:
        n = next(count)
        node: dict[str, Any] = {"id": f"{prefix}-{i:04d}", "text": _sentence(rng, n)}
        if by_claimant or rng.random() < 0.85:
            node["by"] = speakers[i % 2] if by_claimant else rng.choice(speakers)
        if rng.random() < 0.3:
            node["quote"] = " ".join(rng.choice(OBJECTS) for _ in range(rng.randint(2, 6)))
            node["source"] = rng.choice(sources)["id"]
        node["tags"] = rng.sample(TAGS, rng.randint(1, 2))
        return node

    claims = [statement("c", i, by_claimant=True) for i in range(n_claims)]
    rebuttals: list[dict[str, Any]] = []
    for i in range(n_rebuttals):
        node = statement("r", i)
        # Answer a claim first (each claim at least once), then mostly recent rebuttals, so
        # that threads run deep; now and then evidence, or two points at once.
        if i < n_claims:
            pool = [claims[i]["id"]]
        elif rng.random() < 0.7 and rebuttals:
            pool = [rebuttals[max(0, len(rebuttals) - 1 - int(rng.expovariate(0.2)))]["id"]]
        else:
            pool = [rng.choice(claims)["id"]]
        if rng.random() < 0.08:
            pool.append(rng.choice(claims)["id"])
        if cross and rebuttals and rng.random() < cross:
            pool.append(rng.choice(rebuttals)["id"])
        node["rebuts"] = list(dict.fromkeys(pool))
        rebuttals.append(node)
    # A few loops: a rebuttal that answers another is answered back by it.
    by_id = {r["id"]: r for r in rebuttals}
    for later in rebuttals[::-7][: max(1, n_rebuttals // 100)]:
        earlier = by_id.get(later["rebuts"][0])
        if earlier is not None and later["id"] not in earlier["rebuts"]:
            earlier["rebuts"].append(later["id"])
    evidence: list[dict[str, Any]] = []
    for i in range(n_evidence):
        node = statement("e", i)
        node["kind"] = rng.choice(EVIDENCE_KINDS)
        node.setdefault("source", rng.choice(sources)["id"])
        backs = [rng.choice(claims + rebuttals)["id"] for _ in range(rng.choice((1, 1, 1, 2)))]
        if cross and rng.random() < cross:
            backs.append(rng.choice(rebuttals)["id"])
        node["supports"] = list(dict.fromkeys(backs))
        evidence.append(node)
    # Cross links also undermine evidence: a rebuttal that answers a piece of evidence.
    if cross:
        for node in rebuttals:
            if evidence and rng.random() < cross / 2:
                node["rebuts"].append(rng.choice(evidence)["id"])
    used = {n["source"] for n in claims + rebuttals + evidence if "source" in n}
    by = {n.get("by") for n in claims + rebuttals + evidence}
    for items, key in ((rebuttals, "rebuts"), (evidence, "supports")):
        for node in items:
            node[key] = _one_or_list(node[key])
    data = {
        "version": 1,
        "title": f"A synthetic dispute of {n_nodes} points",
        "question": "Does Northwind's new licence crowd out its partners?",
        "summary": "A generated map for scale tests (scripts/gen_map.py, seed "
        f"{seed}): {n_claims} claims, {n_rebuttals} rebuttals and "
        f"{n_evidence} pieces of evidence.",
        "sources": [s for s in sources if s["id"] in used],
        "speakers": [
            {"id": s, "name": name, "role": role, "org": org}
            for s, name, role, org in SPEAKERS
            if s in by
        ],
        "claims": claims,
        "rebuttals": rebuttals,
        "evidence": evidence,
    }
    head = f"# Generated by scripts/gen_map.py ({n_nodes} nodes, seed {seed}).\n"
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return head + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int, help="how many claims, rebuttals and evidence")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cross", type=float, default=0.0, help="share of cross links (0.1)")
    parser.add_argument("-o", "--out", type=Path, help="where to write (default: stdout)")
    args = parser.parse_args(argv)
    text = gen_map(args.nodes, args.seed, cross=args.cross)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
