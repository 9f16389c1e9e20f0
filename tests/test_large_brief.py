"""A large brief (over `brief.LARGE` points) opens at once: compact cards, each claim's picture
linked rather than carried, an overview too tall to read linked and stood in for by the table
"At a glance"; still every point on the page once, every link resolving, the same bytes."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.render.brief import LARGE, TALLEST, picture_size, render_brief
from argmap.vocab import STANDINGS
from tests.conftest import Page, wait_until

REPO = Path(__file__).resolve().parent.parent


def gen_map(n: int, seed: int) -> Any:
    spec = importlib.util.spec_from_file_location("gen_map", REPO / "scripts" / "gen_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.gen_map(n, seed)


def svg_of(height_pt: float) -> str:
    return (
        f'<svg width="600pt" height="{height_pt:g}pt" viewBox="0 0 600 {height_pt:g}" '
        'xmlns="http://www.w3.org/2000/svg"><g class="graph"><text>x</text></g></svg>'
    )


@pytest.fixture(scope="module")
def large() -> tuple[ArgMap, str]:
    argmap = ArgMap.model_validate(yaml.safe_load(gen_map(LARGE + 200, 0)))
    ev = evaluate(argmap)
    pictures = {c.id: svg_of(300) for c in argmap.claims}
    html = render_brief(
        argmap,
        ev,
        svg=svg_of(TALLEST),  # in pt: taller than TALLEST px
        diagnostics=[],
        map_name="claims.yaml",
        map_dir=REPO / "tests",
        claim_svgs=pictures,
        overview=True,
    )
    return argmap, html


def test_every_point_once_and_every_link_resolves(large: tuple[ArgMap, str]) -> None:
    argmap, html = large
    parsed = Page(html)
    for statement in argmap.statements():
        assert parsed.ids.get(statement.id) == 1, statement.id
    assert all(n == 1 for n in parsed.ids.values())
    targets = [h[1:] for h in parsed.hrefs() if h.startswith("#")]
    assert [t for t in targets if t not in parsed.ids] == []


def test_pictures_are_linked_not_carried(large: tuple[ArgMap, str]) -> None:
    argmap, html = large
    assert "<svg" not in html  # neither the claims' pictures nor the overview
    for claim in argmap.claims:
        assert f'href="claims/{claim.id}.svg"' in html
    assert "too many for one picture a person can read" in html
    assert 'href="argmap.svg"' in html
    assert 'class="long large"' in html


def test_the_compact_form_is_smaller_and_says_the_same(large: tuple[ArgMap, str]) -> None:
    argmap, html = large
    words = Page(html).words()
    for statement in argmap.statements()[:200]:
        assert " ".join(statement.text.split()) in words
    # measured: 770 B a point (it was 1.2 kB; the full form takes 1.7 kB without its
    # pictures); issue 20's 8 MB for 10,000 points is 800 B a point
    assert len(html.encode()) < 820 * len(list(argmap.statements()))


def test_the_lean_markup_says_standing_speaker_and_tags_once(large: tuple[ArgMap, str]) -> None:
    """No data- attributes on a compact point: its class says its standing, its link its
    speaker, its "Tags:" line its tags (the filters read them there); the badge's icon is
    drawn by the page's style, for every standing."""
    argmap, html = large
    ev = evaluate(argmap)
    body = html.partition('<section id="the_claims"')[2].partition("<script")[0]
    assert "data-standing" not in body and "data-by" not in body and "data-tags" not in body
    for statement in argmap.statements()[:300]:
        head = body.partition(f' id="{statement.id}">')[0].rpartition("<")[2]
        assert f"s-{ev[statement.id].standing}" in head, statement.id
        point = body.partition(f' id="{statement.id}">')[2].partition("</p>")[0]
        if statement.by:
            assert f'<a class="who" href="#{statement.by}">' in point, statement.id
    for standing, look in STANDINGS.items():
        assert f'.large b.b-{standing}::before {{ content: "{look.icon}" / ""; }}' in html


def test_same_bytes_every_time(large: tuple[ArgMap, str]) -> None:
    argmap, html = large
    again = render_brief(
        argmap,
        evaluate(argmap),
        svg=svg_of(TALLEST),
        diagnostics=[],
        map_name="claims.yaml",
        map_dir=REPO / "tests",
        claim_svgs={c.id: svg_of(300) for c in argmap.claims},
        overview=True,
    )
    assert again == html


def test_a_small_map_keeps_its_pictures() -> None:
    argmap = ArgMap.model_validate(yaml.safe_load(gen_map(200, 0)))
    html = render_brief(
        argmap,
        evaluate(argmap),
        svg=svg_of(TALLEST),  # tall, but a small map's overview is always carried
        diagnostics=[],
        map_name="claims.yaml",
        map_dir=REPO / "tests",
        claim_svgs={c.id: svg_of(300) for c in argmap.claims},
        overview=True,
    )
    assert html.count("<svg") == len(argmap.claims) + 1
    assert "large" not in html.partition("<body")[2].partition(">")[0]


def test_picture_size_reads_dots_points() -> None:
    assert picture_size(svg_of(300)) == (800, 400)
    assert picture_size("<svg>") is None


@pytest.mark.browser
def test_a_large_brief_in_chromium(browser: Any, large: tuple[ArgMap, str], tmp_path: Path) -> None:
    """No script error, no request; the search finds a point's card; without scripts every
    card is there; in print every card is laid out."""
    argmap, html = large
    path = tmp_path / "brief.html"
    path.write_text(html, encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    for javascript in (True, False):
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        cards = page.locator("article.card")
        assert cards.count() == html.count("<article ") >= len(argmap.claims)
        if javascript:
            target = argmap.claims[7]
            page.fill("#f_search", target.text)
            wait_until(page, "document.getElementById('f_count').textContent !== ''")
            shown = page.locator("article.card:not([hidden])")
            assert target.id in shown.evaluate_all("cs => cs.map(c => c.id)")
            assert shown.count() < len(argmap.claims)
        else:
            assert page.locator("article.card:visible").count() == cards.count()
            page.emulate_media(media="print")
            visibility = page.eval_on_selector(
                "article.card:last-of-type", "c => getComputedStyle(c).contentVisibility"
            )
            assert visibility == "visible"
        context.close()
    assert errors == []
    assert requests == [path.as_uri()] * 2  # the page itself, and nothing else


@pytest.mark.browser
def test_the_filters_read_the_lean_cards(
    browser: Any, large: tuple[ArgMap, str], tmp_path: Path
) -> None:
    """Speaker, standing and tag filters mark exactly the points the map says (the compact
    cards carry no data- attributes; the script reads the speaker's link, the class and the
    tags' line), and a card shows when one of its points matches."""
    argmap, html = large
    ev = evaluate(argmap)
    path = tmp_path / "brief.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(path.as_uri(), wait_until="load")
    hits = "() => [...document.querySelectorAll('.node.hit')].map(n => n.id).sort()"
    speaker, tag = (
        argmap.speakers[1].id,
        sorted({t for s in argmap.statements() for t in s.tags})[2],
    )
    for control, value, expected in (
        ("#f_speaker", speaker, {s.id for s in argmap.statements() if s.by == speaker}),
        (
            "#f_standing",
            "undecided",
            {s.id for s in argmap.statements() if ev[s.id].standing == "undecided"},
        ),
        ("#f_tag", tag, {s.id for s in argmap.statements() if tag in s.tags}),
    ):
        page.select_option(control, value)
        wait_until(page, "document.getElementById('f_count').textContent !== ''")
        assert expected, (control, value)
        assert set(page.evaluate(hits)) == expected, control
        shown = page.evaluate(
            "() => document.querySelectorAll('article.card:not([hidden])').length"
        )
        assert 0 < shown < html.count("<article ")
        page.click("button[type=reset]")
        wait_until(page, "document.getElementById('f_count').textContent === ''")
        assert page.evaluate(hits) == []
    page.close()


def test_compact_cards_in_python_match_the_templates(tmp_path: Path) -> None:
    """`render.cards` writes argmap's own templates' compact cards; a templates folder (which
    renders through the templates, sandboxed) must give the very same page."""
    from argmap.diff import Side, Spec, compare
    from argmap.evaluate.pivotal import analyse
    from argmap.validate import Validated

    data = yaml.safe_load(gen_map(LARGE + 200, 2))
    old = ArgMap.model_validate(data)
    data["claims"][0]["text"] += " Now with <b>markup</b> & “quotes”."
    data["rebuttals"][3]["rebuts"] = data["claims"][1]["id"]  # standings change
    for rebuttal in data["rebuttals"][:30]:
        rebuttal["tags"] = [*rebuttal.get("tags", []), "a-tag"]
    data["rebuttals"].append({"id": "r-new", "text": "A new <i>one</i>.", "rebuts": "c-0001"})
    argmap = ArgMap.model_validate(data)
    ev = evaluate(argmap)
    changes = compare(
        Side(Spec(Path("old.yaml")), Validated(old, [], Path()), evaluate(old)),
        Side(Spec(Path("claims.yaml")), Validated(argmap, [], Path()), ev),
    )
    (tmp_path / "templates").mkdir()  # a user's folder, overriding nothing the cards use
    (tmp_path / "templates" / "_warnings.html.j2").write_text(
        (REPO / "templates" / "_warnings.html.j2").read_text(encoding="utf-8"), encoding="utf-8"
    )

    def page(map_dir: Path) -> str:
        return render_brief(
            argmap,
            ev,
            svg=svg_of(300),
            diagnostics=[],
            map_name="claims.yaml",
            map_dir=map_dir,
            claim_svgs={c.id: svg_of(300) for c in argmap.claims[::2]},
            overview=True,
            pivotal=analyse(argmap),
            changes=changes,
        )

    fast, templated = page(REPO / "tests"), page(tmp_path)
    assert 'class="changed"' in fast and 'class="hinges"' in fast and "Tags: " in fast
    assert 'class="ref"' in fast and 'class="cite"' in fast and "claim-link" in fast
    assert fast == templated
