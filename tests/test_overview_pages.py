"""A large map's overview in pages (argmap.render.overview): each page bounded, every claim
on one page, the pages written as files beside the brief, listed in it, cached, and pruned
when the map shrinks; a map whose overview fits one page is drawn as before."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from argmap import app, outputs
from argmap.render import scope
from argmap.render.overview import PAGE_ROWS, _fill, overview_dots, page_list, pages, rows
from tests.test_pictures import ROOT, generated, nodes, width_pt


def test_pages_hold_every_claim_once_in_order_within_the_budget() -> None:
    argmap, ev = generated(1000)
    claims = [c.id for c in argmap.claims]
    plan = scope.overview(ev, claims)
    split = pages(plan)
    assert [c for page in split for c in page] == claims
    assert all(sum(rows(plan, c) for c in page) <= PAGE_ROWS for page in split)
    # as few pages as the budget allows (each as full as it goes makes as many), evened out
    assert len(split) == len(_fill(plan, PAGE_ROWS)) > 1
    sizes = [sum(rows(plan, c) for c in page) for page in split]
    assert max(sizes) - min(sizes) <= 6, sizes
    listed = page_list(argmap, ev)
    assert [p.number for p in listed] == list(range(2, len(split) + 1))
    assert [p.href for p in listed] == [outputs.overview_page(n) for n in range(2, len(split) + 1)]
    assert [(p.first_id, p.last_id) for p in listed] == [(p[0], p[-1]) for p in split[1:]]
    assert listed[-1].last == len(claims)


def test_an_overview_that_fits_one_page_is_one_picture() -> None:
    argmap, ev = generated(50)
    found = overview_dots(argmap, ev)
    assert len(found) == 1 and page_list(argmap, ev) == []
    assert "page 1 of" not in found[0]
    assert set(nodes(found[0])) >= {c.id for c in argmap.claims}


@pytest.mark.needs_dot
def test_no_page_is_taller_than_a_few_screens() -> None:
    """Measured 1,742 to 2,168 pt on this map's 13 pages; a few screens is 3,000 pt (4,000 px)."""
    argmap, ev = generated(1000)
    for dot in overview_dots(argmap, ev):
        svg = re.search(r'height="([0-9.]+)pt"', _svg(dot))
        assert svg is not None and float(svg[1]) < 3000
    assert width_pt(overview_dots(argmap, ev)[1]) < 900


def _svg(dot: str) -> str:
    import subprocess

    return subprocess.run(
        ["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.needs_dot
def test_a_build_writes_the_pages_lists_them_and_prunes_old_ones(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_map", ROOT / "scripts" / "gen_map.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path / "claims.yaml"
    path.write_text(gen.gen_map(400, 0, cross=0.1), encoding="utf-8")
    built = app.build(app.Options(path))
    out = tmp_path / "out"
    written = sorted(p.name for p in (out / "overview").iterdir())
    listed = page_list(built.checked.valid.argmap, built.checked.evaluation)
    assert len(listed) >= 2
    assert written == sorted(Path(p.href).name for p in listed)
    brief = (out / "brief.html").read_text(encoding="utf-8")
    for page in listed:
        assert f'<a href="{page.href}">Page {page.number}</a>' in brief
        assert f'href="#{page.first_id}"' in brief and f'id="{page.first_id}"' in brief
    page2 = (out / "overview" / "page-2.svg").read_bytes()
    assert b'xlink:href="../claims/' in page2 and b'xlink:href="../brief.html#' in page2
    # a rebuild takes every page from the cache, byte for byte, and runs no dot for them
    again = app.build(app.Options(path))
    assert (out / "overview" / "page-2.svg").read_bytes() == page2
    assert not any("cache" in note for note in again.notes)
    # a map that shrinks to one page leaves no page of its old overview behind
    path.write_text(gen.gen_map(60, 0, cross=0.1), encoding="utf-8")
    app.build(app.Options(path))
    assert list((out / "overview").iterdir()) == []
    assert "overview_pages" not in (out / "brief.html").read_text(encoding="utf-8")


@pytest.mark.needs_dot
def test_an_edit_lays_out_only_the_pictures_that_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: after one claim's text changes, dot lays out again the one page of
    the overview that shows it and the claim pictures it appears in; every other page and
    picture comes from the cache."""
    import importlib.util

    from argmap.render.diagram import to_dots

    spec = importlib.util.spec_from_file_location("gen_map", ROOT / "scripts" / "gen_map.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path / "claims.yaml"
    path.write_text(gen.gen_map(400, 0, cross=0.1), encoding="utf-8")
    app.build(app.Options(path))
    text = path.read_text(encoding="utf-8")
    checked = app.evaluated(app.load(app.Options(path)), outputs.NAMES)
    argmap, ev = checked.valid.argmap, checked.evaluation
    last = argmap.claims[-1]  # on the last page: not the first, which is argmap.svg and .png
    assert text.count(last.text) == 1
    path.write_text(text.replace(last.text, "An edited claim."), encoding="utf-8")
    import argmap.render.layout as layout

    laid: list[str] = []
    real = layout._draw_job

    def counted(job: list[layout.Picture], *args: Any) -> Any:
        laid.extend(p.name for p in job)
        return real(job, *args)

    monkeypatch.setattr(layout, "_draw_job", counted)
    app.build(app.Options(path))
    pages_total = len(to_dots(argmap, ev))
    assert pages_total > 2
    shown = [c.id for c in argmap.claims if last.id in scope.claim_scope(ev, c.id).drawn()]
    # the last page (not page 1: argmap.svg and .png) and the claim pictures that show it
    assert sorted(laid) == sorted([f"overview/page-{pages_total}", *(f"claims/{c}" for c in shown)])


@pytest.mark.needs_dot
def test_pages_are_the_same_bytes_in_a_batch_alone_and_on_any_number_of_cores() -> None:
    from argmap.render.layout import Picture, lay_out

    argmap, ev = generated(1000)
    found = overview_dots(argmap, ev)[1:5]
    pictures = [Picture(f"overview/page-{n}", dot, ("svg",)) for n, dot in enumerate(found, 2)]
    one = lay_out(pictures, timeout=60, cache_dir=None, workers=1).files
    two = lay_out(pictures, timeout=60, cache_dir=None, workers=2).files
    alone = {p.name: _svg(p.dot).encode() for p in pictures}
    assert {name: files["svg"] for name, files in one.items()} == alone
    assert one == two
