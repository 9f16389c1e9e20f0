"""A picture per claim and the overview: what each draws, its bounds, and how it reads.

The bounds are checked on the 1,000-point generated map, whose cross links let one claim's
thread reach most of the map; widths are measured from the real `dot`.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from argmap.evaluate import Evaluation, evaluate
from argmap.model import ArgMap
from argmap.render import diagram, scope
from argmap.render.diagram import claim_dot, drawn_in_full, overview_dot, to_dot
from tests.conftest import run_argmap

ROOT = Path(__file__).resolve().parents[1]
NODE_LINE = re.compile(r'^\t"?([a-z0-9_-]+)"? \[(.*)\]$', re.MULTILINE)


def build(data: dict[str, Any]) -> tuple[ArgMap, Evaluation]:
    argmap = ArgMap.model_validate(data)
    return argmap, evaluate(argmap)


def nodes(dot: str) -> dict[str, str]:
    """Top-level node lines of a DOT source: name -> attributes."""
    return {m[1]: m[2] for m in NODE_LINE.finditer(dot) if m[1] not in ("graph", "node", "edge")}


def small_map() -> dict[str, Any]:
    """c1 stands (its rebuttal r1 is defeated by r2; e1 backs r1 and c1); c2 is undecided."""
    return {
        "title": "Small",
        "claims": [{"id": "c1", "text": "One."}, {"id": "c2", "text": "Two."}],
        "rebuttals": [
            {"id": "r1", "rebuts": "c1", "text": "No."},
            {"id": "r2", "rebuts": "r1", "text": "Yes."},
            {"id": "r3", "rebuts": ["c2", "r4"], "text": "A."},
            {"id": "r4", "rebuts": "r3", "text": "B."},
        ],
        "evidence": [{"id": "e1", "supports": ["r1", "c1"], "kind": "fact", "text": "82%."}],
    }


@cache
def generated(n: int) -> tuple[ArgMap, Evaluation]:
    """The map scripts/gen_map.py makes of `n` points."""
    import importlib.util

    import yaml

    spec = importlib.util.spec_from_file_location("gen_map", ROOT / "scripts" / "gen_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return build(yaml.safe_load(module.gen_map(n, 0)))


def replies(ev: Evaluation, nid: str) -> set[str]:
    return {*ev[nid].rebutted_by, *ev[nid].supported_by}


def chain(n: int) -> dict[str, Any]:
    """A claim answered by n rebuttals in a row (each rebutting the one before)."""
    rebuttals = [{"id": "r1", "rebuts": "c", "text": "r1"}]
    rebuttals += [{"id": f"r{i}", "rebuts": f"r{i - 1}", "text": f"r{i}"} for i in range(2, n + 1)]
    return {"title": "Chain", "claims": [{"id": "c", "text": "c"}], "rebuttals": rebuttals}


# --- what a claim's picture draws ------------------------------------------------------------


def test_every_claim_picture_of_a_large_map_is_bounded_and_honest() -> None:
    argmap, ev = generated(1000)
    sizes = []
    for claim in argmap.claims:
        plan = scope.claim_scope(ev, claim.id)
        drawn = plan.drawn()
        sizes.append(len(drawn))
        assert drawn[0] == claim.id and len(set(drawn)) == len(drawn)
        assert len(drawn) <= scope.MAX_NODES
        assert all(len(row) <= scope.COLUMNS for row in plan.rows)
        assert plan.rows[0] == [claim.id]
        # every point drawn answers one drawn in an earlier row
        row_of = {nid: n for n, row in enumerate(plan.rows) for nid in row}
        for nid in drawn[1:]:
            assert any(
                target in row_of and row_of[target] < row_of[nid]
                for source, target, _ in plan.edges
                if source == nid
            ), nid
        # every reply to a drawn point is either drawn (with its edge) or counted
        for nid in drawn:
            shown = {s for s, t, _ in plan.edges if t == nid}
            assert shown == replies(ev, nid) & set(drawn)
            rebuttals, evidence = plan.folded.get(nid, (0, 0))
            assert rebuttals == len(set(ev[nid].rebutted_by) - set(drawn))
            assert evidence == len(set(ev[nid].supported_by) - set(drawn))
    assert max(sizes) == scope.MAX_NODES  # the bound is reached, so it is what holds


def test_the_rebuttals_that_decide_come_before_other_replies() -> None:
    # c is defeated by `win` (stands), listed after five defeated rebuttals and much evidence
    losers = [{"id": f"l{i}", "rebuts": "c", "text": "weak"} for i in range(5)]
    killers = [{"id": f"k{i}", "rebuts": f"l{i}", "text": "kills it"} for i in range(5)]
    data = {
        "title": "Decide",
        "claims": [{"id": "c", "text": "c"}],
        "rebuttals": [*losers, *killers, {"id": "win", "rebuts": "c", "text": "wins"}],
        "evidence": [
            {"id": f"e{i}", "supports": "c", "kind": "fact", "text": "e"} for i in range(6)
        ],
    }
    _, ev = build(data)
    assert ev["c"].defeated_by == ("win",)
    drawn = scope.claim_scope(ev, "c", max_nodes=3).drawn()
    assert drawn[:2] == ["c", "win"]
    # a standing claim: every rebuttal decides, and each one's defeater with it
    _, ev = build(chain(4))  # c stands: r1 defeated by r2, defeated by r3, ...
    assert scope.claim_scope(ev, "c", max_nodes=4).drawn() == ["c", "r1", "r2", "r3"]


def test_depth_is_bounded_and_the_rest_counted() -> None:
    argmap, ev = build(chain(9))
    plan = scope.claim_scope(ev, "c")
    assert plan.drawn() == ["c", *(f"r{i}" for i in range(1, scope.MAX_DEPTH + 1))]
    assert plan.folded == {f"r{scope.MAX_DEPTH}": (1, 0)}
    dot = claim_dot(argmap, ev, "c")
    assert "+ 1 rebuttal: <U>see the brief</U>" in nodes(dot)[f"r{scope.MAX_DEPTH}"]


def test_a_loop_is_drawn_once_with_both_edges() -> None:
    data = small_map()
    argmap, ev = build(data)
    plan = scope.claim_scope(ev, "c2")  # r3 and r4 rebut each other
    assert plan.drawn() == ["c2", "r3", "r4"]
    assert set(plan.edges) == {
        ("r3", "c2", "rebuts"),
        ("r4", "r3", "rebuts"),
        ("r3", "r4", "rebuts"),
    }
    dot = claim_dot(argmap, ev, "c2")
    # the edge back up does not pull the rows out of order
    assert re.search(r"r3 -> r4 \[.*constraint=false", dot)
    assert not re.search(r"r4 -> r3 \[.*constraint=false", dot)


def test_claim_picture_links_to_cards_and_is_deterministic() -> None:
    argmap, ev = build(small_map())
    dot = claim_dot(argmap, ev, "c1")
    found = nodes(dot)
    assert set(found) == {"c1", "r1", "r2", "e1"}
    for nid, line in found.items():
        assert f'URL="../brief.html#{nid}"' in line
    assert "rankdir=BT" in dot
    assert "cluster_key" not in dot  # the brief's key serves every picture
    assert dot == claim_dot(*build(small_map()), "c1")


# --- the whole map or its overview -------------------------------------------------------------


def test_the_seed_is_drawn_in_full_and_a_large_map_as_an_overview() -> None:
    from argmap.pipeline import check

    seed = check(ROOT / "claims.yaml").argmap
    assert drawn_in_full(seed, evaluate(seed))
    argmap, ev = generated(100)
    assert not drawn_in_full(argmap, ev)
    assert to_dot(argmap, ev) == overview_dot(argmap, ev)
    # a small map whose replies run deep is folded too: its columns would not fit
    deep, deep_ev = build(chain(diagram.FULL_MAP_COLUMNS + 1))
    assert len(deep_ev.verdicts) < diagram.FULL_MAP_MAX
    assert not drawn_in_full(deep, deep_ev)
    assert drawn_in_full(*build(chain(diagram.FULL_MAP_COLUMNS - 1)))


def test_overview_shows_every_claim_what_decides_it_and_counts_the_rest() -> None:
    from argmap.render.overview import overview_dots

    argmap, ev = generated(1000)
    pages = overview_dots(argmap, ev)
    assert len(pages) > 1 and pages[0] == overview_dot(argmap, ev)
    claims = [c.id for c in argmap.claims]
    plan = scope.overview(ev, claims)
    seen: list[str] = []
    for number, dot in enumerate(pages, 1):
        up = "" if number == 1 else "../"  # pages 2 on are in overview/
        found = nodes(dot)
        here = [n for n in found if n in plan.deciders]
        seen += here
        points = [n for n in found if not n.startswith("_")]
        assert len(points) <= 3 * len(here)  # a claim and at most two deciders each
        for claim in here:
            assert f'URL="{up}claims/{claim}.svg"' in found[claim]
            for r in plan.deciders[claim]:
                assert r in ev[claim].rebutted_by and r in found
                assert ev[r].standing in ("stands", "undecided")
                assert f'URL="{up}brief.html#{r}"' in found[r]
            if claim in plan.folded:
                more = found[f"_more_{claim}"]
                assert f'URL="{up}claims/{claim}.svg"' in more
                assert sum(map(int, re.findall(r"(\d+) (?:rebuttal|evidence)", more))) == sum(
                    plan.folded[claim]
                )
        assert f"Overview of 1000 points, page {number} of {len(pages)}" in dot
    assert seen == claims  # every claim on exactly one page, in the map's order


# --- how the pictures lay out (real dot) -------------------------------------------------------


def width_pt(dot_source: str) -> float:
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=dot_source.encode(), capture_output=True, check=True
    ).stdout
    found = re.search(rb'<svg width="([0-9.]+)pt"', svg)
    assert found
    return float(found[1])


@pytest.mark.needs_dot
def test_claim_pictures_stay_narrow_enough_for_a_phone() -> None:
    """Two columns: measured at most 484 pt (about 645 px) over all 125 claims of the
    1,000-point map, most near 360 pt; a third column would be about 560 pt at least."""
    argmap, ev = generated(1000)
    widths = [width_pt(claim_dot(argmap, ev, c.id)) for c in argmap.claims[::6]]
    assert max(widths) < 540
    from argmap.pipeline import check

    seed = check(ROOT / "claims.yaml").argmap
    seed_ev = evaluate(seed)
    assert max(width_pt(claim_dot(seed, seed_ev, c.id)) for c in seed.claims) < 460


@pytest.mark.needs_dot
def test_overview_of_a_thousand_points_fits_a_page_column() -> None:
    from argmap.render.overview import overview_dots

    argmap, ev = generated(1000)
    for dot in overview_dots(argmap, ev)[::4]:
        assert width_pt(dot) < 900  # 1,200 px: fitted, text above 80 %


# --- the files: out/claims/ID.svg, and `argmap export --claim` -------------------------------


def argmap_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`argmap ARGS` in `cwd` (in this process: `tests.conftest.run_argmap`)."""
    return run_argmap(*args, cwd=cwd)


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    import shutil

    shutil.copy(ROOT / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return tmp_path


@pytest.mark.needs_dot
def test_build_writes_a_picture_per_claim_and_prunes_a_deleted_claims(seed_copy: Path) -> None:
    import yaml

    first = argmap_cli("build", cwd=seed_copy)
    assert first.returncode == 0, first.stderr
    claims = [c["id"] for c in yaml.safe_load((seed_copy / "claims.yaml").read_text())["claims"]]
    folder = seed_copy / "out" / "claims"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c}.svg" for c in claims)
    assert f"wrote {Path('out') / 'claims'}/ ({len(claims)} pictures)" in first.stdout
    picture = (folder / f"{claims[0]}.svg").read_text()
    assert f'xlink:href="../brief.html#{claims[0]}"' in picture  # its boxes open the cards
    whole = (seed_copy / "out" / "argmap.svg").read_text()
    for claim in claims:  # the whole map's claim boxes open the claim's picture
        assert f'xlink:href="claims/{claim}.svg"' in whole
    brief = (seed_copy / "out" / "brief.html").read_text()
    assert brief.count('<figure class="claim-diagram"') == len(claims)
    # a claim deleted from the map: its picture goes with the next build
    text = (seed_copy / "claims.yaml").read_text()
    (seed_copy / "claims.yaml").write_text(text.replace(claims[-1], "renamed"))
    again = argmap_cli("build", cwd=seed_copy)
    assert again.returncode == 0, again.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert f"{claims[-1]}.svg" not in names and "renamed.svg" in names


@pytest.mark.needs_dot
def test_export_one_claims_picture(seed_copy: Path) -> None:
    svg = argmap_cli(
        "export", "--format", "svg", "--claim", "replaces-all", "-o", "-", cwd=seed_copy
    )
    assert svg.returncode == 0, svg.stderr
    assert svg.stdout.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE"))
    assert "growing ecosystem" in svg.stdout
    dot = argmap_cli(
        "export", "--format", "dot", "--claim", "replaces-all", "-o", "-", cwd=seed_copy
    )
    assert dot.returncode == 0, dot.stderr
    assert dot.stdout.startswith('digraph "claim_replaces-all"')
    wrong = argmap_cli("export", "--format", "svg", "--claim", "replaces-al", cwd=seed_copy)
    assert wrong.returncode == 2
    assert "did you mean 'replaces-all'?" in wrong.stderr
    png = argmap_cli("export", "--format", "png", "--claim", "replaces-all", cwd=seed_copy)
    assert png.returncode == 2
    assert not (seed_copy / "out").exists()


# --- inlined in the brief ---------------------------------------------------------------------


def test_a_claim_picture_is_inlined_with_its_own_ids_and_links_to_the_cards() -> None:
    from argmap.render.svg import inline_svg

    svg = (
        '<?xml version="1.0"?>\n<svg width="100pt" height="50pt" viewBox="0 0 100 50" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<g id="graph0" class="graph"><g id="node1" class="node"><title>a</title>'
        '<g id="a_node1"><a xlink:href="../brief.html#a" target="_top">'
        '<path fill="url(#l_1)" d="M0,0"/></a></g></g>'
        '<g id="node2" class="node"><a xlink:href="javascript:alert(1)"><text>x</text></a></g>'
        "</g></svg>"
    )
    text, anchored = inline_svg(svg, {"a"}, prefix="cd_c1_", anchor=False)
    assert anchored == []  # the whole map's nodes keep the node_ID names
    assert re.findall(r' id="([^"]*)"', text) == [
        "cd_c1_graph0",
        "cd_c1_node1",
        "cd_c1_a_node1",
        "cd_c1_node2",
    ]
    assert 'xlink:href="#a"' in text and "url(#cd_c1_l_1)" in text
    assert "javascript" not in text and "target=" not in text
    # the whole map's claim boxes link to the claims' pictures: in the brief, to the cards
    whole, anchored = inline_svg(svg.replace("../brief.html#a", "claims/a.svg"), {"a"})
    assert anchored == ["a"] and 'xlink:href="#a"' in whole and 'id="node_a"' in whole
