"""Part of stage 4, render: the brief's view model: threads of replies, bottom-line sentences,
reasons in words; what the templates read beside the map.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from argmap.evaluate import Evaluation
from argmap.evaluate.reasons import Segment, phrase, short_text
from argmap.model import ArgMap, Claim, Evidence, Rebuttal, Speaker, Standing
from argmap.render import sentences
from argmap.render.sentences import joined, plural
from argmap.vocab import STANDINGS

Node = Claim | Rebuttal | Evidence
Seg = Segment  # a piece of text and the page id it links to, if any
MAX_DEPTH: Final = 6  # replies nested deeper continue as cards under "Further points"
ORDER: Final[tuple[Standing, ...]] = ("defeated", "undecided", "stands")
KNOTS_SHOWN: Final = 8  # knots of undecided points spelt out in the bottom line; more are counted
OUTWEIGHED_SHOWN: Final = 3  # outweighed rebuttals compared in words on a card; more are counted
# How the bottom line counts points, in this order: a defeat by a backed rebuttal and one by
# bare denials only are counted apart (what each says of one point, of several).
TALLY: Final = (
    ("refuted", ("is refuted", "are refuted")),
    (
        "unsupported",
        ("is defeated only by an unsupported denial", "are defeated only by unsupported denials"),
    ),
    ("undecided", STANDINGS["undecided"].verbs),
    ("stands", STANDINGS["stands"].verbs),
)


@dataclass(frozen=True)
class Thread:
    """A node as a card shows it: in full with its replies, or as a link (`ref` says why)."""

    node: Node
    ref: str = ""  # "": in full here; "loop": up this thread; "elsewhere"; "later": further on
    evidence: tuple[Thread, ...] = ()
    rebuttals: tuple[Thread, ...] = ()


class View:
    """What the templates read beside the map: threads, sentences and helpers on ids."""

    def __init__(self, argmap: ArgMap, evaluation: Evaluation) -> None:
        self.argmap, self.evaluation = argmap, evaluation
        self.nodes = {s.id: s for s in argmap.statements()}
        self.speakers = {s.id: s for s in argmap.speakers}
        self.sources = {s.id: s for s in argmap.sources}
        self.tags = list(dict.fromkeys(t for s in argmap.statements() for t in s.tags))
        self._undecided = {i for i, v in evaluation.verdicts.items() if v.standing == "undecided"}
        self._placed: set[str] = set()
        self._later: list[str] = []
        self._short: dict[tuple[str, int], str] = {}
        self._cutters: dict[tuple[str, str], list[str]] | None = None
        self._cited: Counter[str] | None = None
        self.claims = [self._thread(c.id, 0, frozenset()) for c in argmap.claims]
        self.further: list[Thread] = []
        # Then every node not yet placed: those cut off "later" first, then in file order.
        # (`_placed` only grows, so each list is read once, never again from its start.)
        queues: list[list[str]] = [self._later, list(self.nodes)]
        at = [0, 0]
        while True:
            for q, queue in enumerate(queues):
                while at[q] < len(queue) and queue[at[q]] in self._placed:
                    at[q] += 1
            q = 0 if at[0] < len(queues[0]) else 1
            if at[q] == len(queues[q]):
                break
            self.further.append(self._thread(queues[q][at[q]], 0, frozenset()))

    def _thread(self, nid: str, depth: int, chain: frozenset[str]) -> Thread:
        node = self.nodes[nid]
        if nid in chain or nid in self._placed:
            return Thread(node, "loop" if nid in chain else "elsewhere")
        if depth > MAX_DEPTH:
            self._later.append(nid)
            return Thread(node, "later")
        self._placed.add(nid)
        verdict, inner = self.evaluation[nid], chain | {nid}
        rebuttals = tuple(self._thread(r, depth + 1, inner) for r in verdict.rebutted_by)
        evidence = tuple(self._thread(e, depth + 1, inner) for e in verdict.supported_by)
        return Thread(node, "", evidence, rebuttals)  # shown in this order: rebuttals first

    @staticmethod
    def targets(node: Node) -> list[str]:
        """What a point answers and supports, each once, in file order (answers first)."""
        return list(
            dict.fromkeys(
                [*(getattr(node, "rebuts", None) or ()), *(getattr(node, "supports", None) or ())]
            )
        )

    @staticmethod
    def relations(node: Node, parent: str = "") -> list[tuple[str, list[str]]]:
        """What a point answers and what it supports (each without `parent`, the point its
        card hangs under), for the line above its text: [("answers", ids), ("supports", ids)]."""
        found = [
            (verb, [t for t in dict.fromkeys(getattr(node, field, None) or ()) if t != parent])
            for verb, field in (("answers", "rebuts"), ("supports", "supports"))
        ]
        return [(verb, ids) for verb, ids in found if ids]

    def undercuts(self, node: Node) -> list[list[Seg]]:
        """The links a point undercuts, each as "the link from “A” to “B”"."""
        return [
            [
                ("the link from ", None),
                self._named(link.from_),
                (" to ", None),
                self._named(link.to),
            ]
            for link in getattr(node, "undercuts", None) or ()
        ]

    def cut(self, nid: str) -> list[list[Seg]]:
        """On a point whose links are undercut: which link, by what, and what it means."""
        verdict = self.evaluation[nid]
        if self._cutters is None:  # each undercut link -> the points undercutting it that stand
            self._cutters = {}
            for node in self.nodes.values():
                for link in getattr(node, "undercuts", None) or ():
                    if self.evaluation[node.id].standing == "stands":
                        self._cutters.setdefault((link.from_, link.to), []).append(node.id)
        lines: list[list[Seg]] = []
        for other in verdict.undercut:
            cutters = self._cutters.get((other, nid), [])
            rebuts = other in verdict.rebutted_by
            lines.append(
                [
                    *joined([[self._named(u)] for u in cutters]),
                    (" undercut" + "s" * (len(cutters) == 1) + " the link from ", None),
                    self._named(other),
                    (
                        ": while it stands, that rebuttal does not count against this point."
                        if rebuts
                        else ": while it stands, that support is not counted.",
                        None,
                    ),
                ]
            )
        return lines

    def cited(self, source: str) -> int:
        """How many points quote or cite the source `source` (counted once for all sources)."""
        if self._cited is None:
            self._cited = Counter(s.source for s in self.argmap.statements() if s.source)
        return self._cited[source]

    def who(self, node: Node) -> str:
        """The speaker's name, or "" when the map names none."""
        return self.speakers[node.by].name if node.by in self.speakers else (node.by or "")

    def short(self, nid: str, limit: int = 72) -> str:
        """The node's text, without its final full stop, cut at a space near `limit`
        (worked out once: a long text may be named in many reasons)."""
        if (nid, limit) not in self._short:
            self._short[nid, limit] = short_text(self.nodes[nid].text, limit)
        return self._short[nid, limit]

    def reason(self, nid: str) -> list[Seg]:
        """The verdict's reason in words, without the "Stands: " its badge says, each point it
        names a quoted short text linking to the point's card."""
        return phrase(self.evaluation[nid].reason, self._quoted, standing_first=False)

    def _quoted(self, nid: str) -> str:
        return f"“{self.short(nid)}”"

    def _joined(self, ids: Sequence[str]) -> list[Seg]:
        """`A's rebuttals “x” and “y”, and the rebuttal “z”`: grouped by speaker and kind, texts
        linked."""
        groups: dict[tuple[str, str], list[str]] = {}
        for nid in ids:
            node = self.nodes[nid]
            owner = f"{self.who(node)}'s" if node.by else "the"
            groups.setdefault((owner, node.item_kind), []).append(nid)
        return joined(
            [
                [
                    (f"{owner} {kind}{'s' * (len(members) > 1)} ", None),
                    *joined([[(f"“{self.short(nid, 160)}”", nid)] for nid in members]),
                ]
                for (owner, kind), members in groups.items()
            ]
        )

    def verdict_line(self, claim: Claim) -> list[Seg]:
        """One plain sentence: what became of this claim, naming what settled it."""
        verdict = self.evaluation[claim.id]
        segs: list[Seg] = [(f"“{self.short(claim.id, 160)}”", claim.id)]
        if verdict.standing == "defeated":
            bare = len(verdict.defeated_by) == 1
            return [
                *segs,
                (" is defeated by ", None),
                *self._joined(verdict.defeated_by),
                (
                    "."
                    if verdict.fell != "unsupported"
                    else f" — an unsupported denial{'' if bare else 's'}: "
                    f"{'it gives' if bare else 'they give'} no evidence, source or quote.",
                    None,
                ),
            ]
        if verdict.standing == "undecided":
            open_ = [r for r in verdict.rebutted_by if r in self._undecided]
            verb = " is" if len(open_) == 1 else " are"
            return [
                *segs,
                (" is undecided: ", None),
                *self._joined(open_),
                (
                    f"{verb} itself undecided, tied up in rebuttals that answer each other "
                    "in a loop.",
                    None,
                ),
            ]
        backing = len(verdict.supported_by)
        cut_supports = [o for o in verdict.undercut if o not in verdict.rebutted_by]
        backed = (
            f", backed by {plural(backing, 'piece of evidence', 'pieces of evidence')}"
            if backing
            else ", though its evidence is undercut"
            if cut_supports
            else ", though no evidence is given for it"
        )
        if verdict.reason.kind in ("outweighed", "undercut"):  # some rebuttal does not count
            # what decides the standing first: an undercut rebuttal, then an outweighed one;
            # an undercut support (it only takes away backing) last
            cuts = list(zip(verdict.undercut, self.cut(claim.id), strict=True))
            said = [
                *(line for other, line in cuts if other in verdict.rebutted_by),
                *self.weighing(claim.id),
                *(line for other, line in cuts if other not in verdict.rebutted_by),
            ]
            return [*segs, (f" still stands{backed}. ", None), *said[0]]
        if not verdict.rebutted_by:
            return [*segs, (f" stands unchallenged{backed}.", None)]
        if len(verdict.rebutted_by) == 1:
            return [
                *segs,
                (f" still stands{backed}: the only rebuttal against it, ", None),
                *self._joined(verdict.rebutted_by),
                (", is itself defeated.", None),
            ]
        return [
            *segs,
            (f" still stands{backed}: every rebuttal against it is itself defeated (", None),
            *self._joined(verdict.rebutted_by),
            (").", None),
        ]

    def tally(self, ids: Sequence[str]) -> str:
        """E.g. "3 are refuted, 1 is defeated only by an unsupported denial and 2 still stand"
        for these nodes (defeats first, backed ones apart from bare denials)."""
        counts = dict.fromkeys((what for what, _ in TALLY), 0)
        for i in ids:
            verdict = self.evaluation[i]
            counts[verdict.fell or verdict.standing] += 1
        parts = [
            [(f"{counts[w]} {verbs[counts[w] != 1]}", None)] for w, verbs in TALLY if counts[w]
        ]
        return sentences.plain(joined(parts))

    def rule(self) -> str:
        """How standings are decided, said before the first standing the reader meets."""
        return sentences.rule(self.evaluation.rule)

    def _named(self, nid: str) -> Seg:
        return (f"“{self.short(nid, 60)}”", nid)

    def weighing(self, nid: str) -> list[list[Seg]]:
        """On a weighed map: each rebuttal too weak to defeat `nid`, compared in words."""
        verdict, strength = self.evaluation[nid], self.evaluation.strengths
        shown = verdict.outweighed[:OUTWEIGHED_SHOWN]
        lines = [
            sentences.outweighed(self._named(a), self._named(nid), strength[a], strength[nid])
            for a in shown
        ]
        if len(verdict.outweighed) > len(shown):
            more = len(verdict.outweighed) - len(shown)
            lines.append([(f"And {plural(more, 'other rebuttal')}, outweighed too.", None)])
        return lines

    def positions(self) -> tuple[str, list[list[Seg]]]:
        """The positions the map's knots of undecided points allow: a lead, one per knot."""
        found = self.evaluation.positions
        if not found.knots:
            return "", []
        lines = [sentences.knot(knot, self._named) for knot in found.knots[:KNOTS_SHOWN]]
        more = len(found.knots) - KNOTS_SHOWN
        if more > 0:
            lines.append(
                [(f"And {plural(more, 'other knot')}, each shown on its points' cards.", None)]
            )
        return sentences.positions_lead(found.count(), len(found.knots)), lines

    def bottom_line(self) -> list[tuple[str, list[tuple[Standing, list[Seg]]]]]:
        """Per speaker (in the order of their first claim): a count sentence, then one
        sentence per claim, defeated first."""
        groups: dict[str | None, list[Claim]] = {}
        for claim in self.argmap.claims:
            groups.setdefault(claim.by, []).append(claim)
        result = []
        for by, claims in groups.items():
            sp = self.speakers.get(by) if by else None
            name = (
                (sp.name + (f" ({sp.org or sp.role})" if sp.org or sp.role else ""))
                if sp
                else (by or "")
            )
            if len(claims) == 1:
                lead = (
                    f"{name} makes one claim" if name else "One claim has no speaker named"
                ) + f", and it {self.tally([claims[0].id]).removeprefix('1 ')}."
            else:
                said = f"by {name}" if name else "with no speaker named"
                lead = f"Of the {len(claims)} claims {said}, {self.tally([c.id for c in claims])}."
            ordered = sorted(claims, key=lambda c: ORDER.index(self.evaluation[c.id].standing))
            result.append(
                (lead, [(self.evaluation[c.id].standing, self.verdict_line(c)) for c in ordered])
            )
        return result

    def said(self) -> list[tuple[Speaker | None, list[Node]]]:
        """Each speaker with their points in file order; then points with no speaker named."""
        by: dict[str | None, list[Node]] = {s: [] for s in self.speakers}
        for node in self.argmap.statements():
            by.setdefault(node.by if node.by in self.speakers else None, []).append(node)
        return [
            (self.speakers.get(k) if k else None, v) for k, v in by.items() if k is not None or v
        ]

    @staticmethod
    def paragraphs(text: str | None) -> list[str]:
        """Paragraphs of a summary: YAML makes a blank line one line break in `>` or plain
        text, two in `|` text; so split at blank lines if any, else at line breaks.

        >>> View.paragraphs("one two\\nthree\\n"), View.paragraphs("a\\nb\\n\\nc")
        (['one two', 'three'], ['a b', 'c'])
        """
        text = (text or "").strip()
        parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
        return [" ".join(p.split()) for p in parts if p.strip()]
