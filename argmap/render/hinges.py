"""What the brief says about the points an outcome hangs on, and about what changed since a
revision: sentences as pieces (words, or a point's short text linking to it), made from the
structured results of `argmap.evaluate.pivotal` and `argmap.diff`, for the templates
`_pivotal.html.j2` and `_changes.html.j2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from argmap.diff import MapDiff
from argmap.evaluate.pivotal import Pivot, Pivotal
from argmap.model import Standing
from argmap.render import sentences
from argmap.render.diff import PAST, Seg, reason_segs, summary

if TYPE_CHECKING:
    from argmap.render.view import View

TOP: Final = 5  # points named in the bottom line; the others are counted


class Hinges:
    """The pivotal points and the changes since a revision, as the brief words them."""

    def __init__(
        self,
        view: View,
        pivotal: Pivotal | None,
        changes: MapDiff | None = None,
    ) -> None:
        self.view = view
        self.pivotal = pivotal
        self.changes = changes
        self.since = changes.old.rev or changes.old.label if changes else None
        self.changed: dict[str, tuple[Standing, Standing]] = (
            {c.id: (c.before, c.after) for c in changes.standings} if changes else {}
        )
        self.added = {p.id for p in changes.added} if changes else set()

    @property
    def skipped(self) -> bool:
        return self.pivotal is not None and self.pivotal.skipped

    def _point(self, nid: str, limit: int = 72) -> Seg:
        return (f"“{self.view.short(nid, limit)}”", nid)

    def _points(self, ids: Sequence[str]) -> list[Seg]:
        return sentences.names(ids, lambda nid: self._point(nid, 60))

    def _owner(self, nid: str) -> str:
        """“Malekzadeh's rebuttal ” or “the rebuttal ”."""
        node = self.view.nodes[nid]
        owner = f"{self.view.who(node)}'s" if node.by else "the"
        return f"{owner} {node.item_kind} "

    def sentence(self, pivot: Pivot) -> list[Seg]:
        """One pivot on a claim's card: "Stands only because X defeats Y", "Would stand again
        if X fell"."""
        x: list[Seg] = [(self._owner(pivot.point), None), self._point(pivot.point, 60)]
        return sentences.pivot(pivot, x, self._points(pivot.via), lambda nid: self._point(nid, 60))

    def lines(self, nid: str) -> list[list[Seg]]:
        """The sentences on claim `nid`'s card, one per point it hangs on."""
        if self.pivotal is None or self.pivotal.skipped:
            return []
        return [self.sentence(p) for p in self.pivotal.points.get(nid, ())]

    def outcome(self) -> tuple[str, list[list[Seg]], int]:
        """The bottom line's "The outcome hangs on N points", the few most claims hang on
        (each with its claims), and how many more there are."""
        if self.pivotal is None:
            return "", [], 0
        if self.pivotal.skipped:
            return (
                "The map is too large to work out which points the outcome hangs on "
                f"(argmap stopped after {self.pivotal.limit:,} steps), so this brief "
                "does not say.",
                [],
                0,
            )
        hanging = self.pivotal.hanging()
        if not hanging:
            return (
                "No single point decides a claim: every claim would keep its standing if any "
                "one point were taken away.",
                [],
                0,
            )
        n = len(hanging)
        lead = (
            f"The outcome hangs on {sentences.plural(n, 'point')}: take one away, or defeat it, "
            "and a claim changes standing."
        )
        items = []
        for point, claims in hanging[:TOP]:
            many = len(claims)
            owner = self._owner(point)
            segs: list[Seg] = [(owner[:1].upper() + owner[1:], None), self._point(point, 90)]
            segs.append(
                (f" — {sentences.plural(many, 'claim')} hang{'s' * (many == 1)} on it: ", None)
            )
            items.append([*segs, *self._points(claims), (".", None)])
        return lead, items, max(0, n - TOP)

    def _named(self, text: str, node: str | None) -> Seg:
        """A piece of a diff's reason: a point of this map links to it; a removed one is
        named by its id."""
        if node is None:
            return (text, None)
        return self._point(node, 60) if node in self.view.nodes else (f"‘{node}’", None)

    def change(self, nid: str) -> str:
        """The mark on a point changed since the revision: "was defeated", "new", or ""."""
        if nid in self.changed:
            return PAST[self.changed[nid][0]]
        return "new" if nid in self.added else ""

    def changes_list(self) -> tuple[str, list[tuple[Standing, Standing, list[Seg]]]]:
        """The "Changed since REV" section: a summary and each standing that changed, with why."""
        if self.changes is None:
            return "", []
        items = [
            (
                c.before,
                c.after,
                [*(self._named(text, node) for text, node in reason_segs(c)), (".", None)],
            )
            for c in self.changes.standings
        ]
        said = summary(self.changes)
        return said[:1].upper() + said[1:] + ".", items
