"""The diagram's key, drawn with the diagram's own shapes, borders and lines (no user text),
and the claims' first column that it heads."""

from __future__ import annotations

import itertools
from typing import Final

from argmap.render.dot import Digraph
from argmap.render.labels import REBUTS, SUPPORTS, _node_attrs
from argmap.vocab import KINDS, STANDINGS

__all__ = ["KEY", "first_column", "key"]

KEY: Final = ("_key_stands", "_key_claim")  # the key's boxes in the claims' column, on top


def key(dot: Digraph, notes: tuple[str, ...] = ()) -> None:
    """The key, drawn with the diagram's own shapes, borders and lines (no user text), in two
    short rows atop the claims' column: a claim, a rebuttal rebutting it and evidence
    supporting that; then a box for each standing, and `notes` (lines of the key's own words)
    for what only some maps draw. Each box's meaning is its tooltip. (It
    was a box of six samples with their meanings, a quarter of the seed's picture.)"""
    with dot.subgraph(name="cluster_key") as key:
        key.attr(
            label='<<FONT POINT-SIZE="9"><B>KEY</B></FONT>>',
            labeljust="r",  # (rankdir=RL mirrors it: on the left)
            color="#CCCCCC",
            style="rounded",
            margin="6",
            tooltip="How to read the diagram",
        )
        key.attr("node", fontsize="9", margin="0.06,0.03", height="0.3")
        key.attr("edge", fontsize="8", arrowsize="0.7")
        for kind, look in KINDS.items():
            key.node(
                f"_key_{kind}",
                label=f"<{kind.upper()}>",
                tooltip=f"{look.word}: {look.meaning}",
                **_node_attrs(kind, "stands"),
            )
        for standing, seen in STANDINGS.items():
            key.node(
                f"_key_{standing}",
                label=f'<<FONT COLOR="{seen.diagram_ink}"><B>{seen.icon} {standing}</B></FONT>>',
                tooltip=f"{seen.icon} {standing}: {seen.meaning}",
                **_node_attrs("claim", standing),
            )
        for tail, head, relation, line in (
            ("_key_rebuttal", "_key_claim", "rebuts", REBUTS),
            ("_key_evidence", "_key_rebuttal", "supports", SUPPORTS),
        ):
            key.edge(tail, head, label=relation, fontcolor=line["color"], **line)
        # the standings in a row under the kinds (edges only place them)
        key.edge("_key_defeated", "_key_stands", style="invis")
        key.edge("_key_undecided", "_key_defeated", style="invis")
        if notes:
            key.node("_key_notes", label=f"<{'<BR/>'.join(notes)}>", shape="plaintext")
            key.edge("_key_notes", "_key_undecided", style="invis")  # beside the standings


def first_column(dot: Digraph, claims: list[str]) -> None:
    """The claims in the first column, in file order top to bottom, under the key."""
    with dot.subgraph(name="claims") as first:
        first.attr(rank="max")
        column = [*KEY, *claims]
        for name in column:
            first.node(name)
        for above, below in itertools.pairwise(column):
            first.edge(above, below, style="invis")
