"""Maps in Jupyter notebooks: `argmap.notebook.open("claims.yaml")`.

    import argmap.notebook as an
    m = an.open("claims.yaml")       # a cell ending in `m` shows the bottom line and diagram
    m.standings["replaces-all"]      # 'defeated'
    m.claims[0]["pivotal"]           # the ids of the points that claim hangs on
    m.claim("replaces-all")          # one claim: its verdict, hinges and own picture

The object's rich display (`_repr_html_`) is self-contained HTML (inline SVG and styles, no
script, nothing fetched), so it survives being saved, shared and opened offline. Everything
else on it is plain Python data (str, list, dict), for pandas or your own code. Needs Graphviz's
`dot` for the diagram; without it the display says so and the data are all there.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from argmap.errors import Diagnostic, InvalidMap
from argmap.evaluate.reasons import quoting, words
from argmap.session import Opened, open_map

__all__ = ["ArgMapView", "MapErrors", "open"]


class MapErrors(ValueError):
    """The map has errors: `diagnostics` holds them, and the message lists each at
    FILE:LINE:COL, as `argmap check` does."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = sum(d.severity == "error" for d in diagnostics)
        shown = "\n".join(str(d) for d in diagnostics)
        super().__init__(f"the map has {errors} error(s):\n{shown}")


@dataclass(frozen=True)
class ArgMapView:
    """One map, read once: its verdicts as plain data, and its display for notebooks."""

    path: Path
    opened: Opened
    focus: str | None = None  # one claim's id, or None for the whole map

    @property
    def title(self) -> str:
        return self.opened.valid.argmap.title

    @property
    def standings(self) -> dict[str, str]:
        """Every claim's, rebuttal's and evidence item's standing, by id, in file order."""
        return {i: v.standing for i, v in self.opened.evaluation.verdicts.items()}

    @property
    def pivotal(self) -> dict[str, list[str]]:
        """Each claim's pivotal points (ids, file order); `[]` when no single point decides
        it. Empty for every claim when the map is too large to work it out (`skipped`)."""
        points = self.opened.pivotal.points
        return {c.id: [p.point for p in points.get(c.id, ())] for c in self._claims()}

    @property
    def skipped(self) -> bool:
        """True when the map was too large to work out its pivotal points."""
        return self.opened.pivotal.skipped

    @property
    def claims(self) -> list[dict[str, Any]]:
        """Each claim (or the one in focus) as a dict: id, text, by, standing, reason (in
        words), reason_kind, reason_ids, rebutted_by, defeated_by, supported_by, pivotal."""
        argmap, evaluation = self.opened.valid.argmap, self.opened.evaluation
        texts = {s.id: s.text for s in argmap.statements()}
        pivotal = self.pivotal
        found = []
        for claim in self._claims():
            verdict = evaluation[claim.id]
            found.append(
                {
                    "id": claim.id,
                    "text": claim.text,
                    "by": claim.by,
                    "standing": verdict.standing,
                    "reason": words(verdict.reason, quoting(texts)),
                    "reason_kind": verdict.reason.kind,
                    "reason_ids": list(verdict.reason.ids),
                    "rebutted_by": list(verdict.rebutted_by),
                    "defeated_by": list(verdict.defeated_by),
                    "supported_by": list(verdict.supported_by),
                    "pivotal": pivotal[claim.id],
                }
            )
        return found

    @property
    def warnings(self) -> list[str]:
        """The map's warnings, each as `argmap check` prints it."""
        return [str(d) for d in self.opened.valid.warnings]

    def claim(self, claim_id: str) -> ArgMapView:
        """The same map with one claim in focus: its verdict, hinges and own picture."""
        if claim_id not in {c.id for c in self.opened.valid.argmap.claims}:
            raise KeyError(f"the map has no claim '{claim_id}'")
        return ArgMapView(self.path, self.opened, claim_id)

    def _claims(self) -> list[Any]:
        claims = self.opened.valid.argmap.claims
        return [c for c in claims if self.focus is None or c.id == self.focus]

    def _repr_html_(self) -> str:
        from argmap.embed import fragment

        return fragment(self.opened, self.focus)

    def __repr__(self) -> str:
        counts = self.opened.evaluation.counts()
        what = f"claim '{self.focus}' of " if self.focus else ""
        return (
            f"<argmap {what}{self.title!r}: {counts['stands']} stand, "
            f"{counts['defeated']} defeated, {counts['undecided']} undecided>"
        )


def open(path: str | PathLike[str]) -> ArgMapView:
    """Read, check and evaluate the map at `path` (nothing is written).

    `MapErrors` lists the map's errors when it has any; `FileNotFoundError` when there is no
    such file.
    """
    where = Path(path)
    if not where.exists():
        raise FileNotFoundError(f"{where}: no such file; give the path to a claims.yaml")
    try:
        return ArgMapView(where, open_map(where))
    except InvalidMap as e:
        raise MapErrors(e.diagnostics) from None
