"""`argmap check --explain ID` through the real entry point, with exact outputs, on a map built
to hold every part of the chain that decides a point: weighing (strengths, what outweighs
what), undercuts (by whom, standing how, what that does to the link; what a point undercuts),
support, a bare denial, and, on the example map, the positions of a knot."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import run_argmap

REPO = Path(__file__).resolve().parent.parent
MAP = """\
title: T
judgement: {attacks: weighed}
sources: [{id: s, title: S}]
claims:
  - {id: c, text: The street should close., source: s}
  - {id: k, text: The trial is cheap.}
rebuttals:
  - {id: r, rebuts: c, text: No.}
  - {id: q, rebuts: k, source: s, text: It is not cheap.}
  - {id: u, undercuts: [{from: q, to: k}], text: Cost is beside the point.}
  - {id: v, undercuts: [{from: q, to: k}], text: Irrelevant.}
  - {id: w, rebuts: v, text: It is relevant.}
evidence:
  - {id: e, supports: k, text: The budget is small., source: s}
"""


def explain(tmp_path: Path, node: str, text: str = MAP) -> str:
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    return explain_file(tmp_path, node)


def explain_file(folder: Path, node: str) -> str:
    done = run_argmap("check", "claims.yaml", "--explain", node, cwd=folder)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_undercut_link_names_its_undercutters_and_what_they_do(tmp_path: Path) -> None:
    assert explain(tmp_path, "k") == textwrap.dedent("""\
        k (claim): ✔ stands
          The trial is cheap.
          Why: Stands: the rebuttals against it are defeated or their link undercut (“It is not cheap”).
          Supported by: e (✔ stands)
          Rule: attacks are weighed (a rebuttal defeats only a point no stronger than itself)
          Strength: 1: 1 piece of evidence
          Undercut: the link q rebuts it is undercut by u (✔ stands) and v (✘ defeated by w), so it counts for nothing
          Rebuttal chain (✔ stands, ✘ defeated, ? undecided):
            ✔ q: It is not cheap. [strength 1; link undercut by u ✔, v ✘]
          Hangs on (remove or defeat one of these and its standing changes):
            stands only because u undercuts the link from q to k
        """)  # noqa: E501


def test_an_outweighed_rebuttal_is_compared_in_the_chain(tmp_path: Path) -> None:
    assert explain(tmp_path, "c") == textwrap.dedent("""\
        c (claim): ✔ stands
          The street should close.
          Why: Stands: every rebuttal against it is outweighed or defeated (“No”).
          Rule: attacks are weighed (a rebuttal defeats only a point no stronger than itself)
          Strength: 1: a source
          Outweighed: r (strength 0: no source, quote or evidence) is outweighed by c (strength 1: a source), so it does not defeat it.
          Rebuttal chain (✔ stands, ✘ defeated, ? undecided):
            ✔ r: No. [strength 0; outweighed by c's 1]
          Hangs on: no single point; taking any one away leaves its standing as it is
        """)  # noqa: E501


def test_a_defeated_undercutter_says_it_does_not_cut(tmp_path: Path) -> None:
    said = explain(tmp_path, "v")
    assert "  Undercuts: the link from q to k (it is defeated, so it does not cut that link)\n" in (
        said
    )
    assert "  How it fell: challenged only by an unsupported denial" in said
    assert "    ✔ w: It is relevant. [strength 0]\n" in said


def test_a_knot_point_shows_its_positions_and_an_undercut_support() -> None:
    example = REPO / "examples" / "high-street"
    said = explain_file(example, "cafes-not-shops")
    assert (
        "  Positions: stands in some, not all, of the coherent positions the map allows "
        "(credulous: yes, sceptical: no)\n"
    ) in said
    assert "    Two coherent positions: either footfall-not-spending and cafes-not-shops " in said
    said = explain_file(example, "more-shoppers")
    assert "  Supported by: fenwick-footfall (? undecided, link undercut)\n" in said
    assert (
        "  Undercut: the link fenwick-footfall supports it is undercut by christmas-week "
        "(✔ stands), so it counts for nothing\n"
    ) in said
