"""The briefing page: every node on the page once, links that resolve, user text escaped,
the same bytes every time, templates overridden file by file, and the fallbacks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import Diagnostic, UsageError
from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.render.brief import render_brief
from argmap.render.svg import inline_svg, safe_url
from argmap.render.view import MAX_DEPTH, View

REPO = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    """What the tests look at: tags with their attributes, ids, links, headings, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: dict[str, int] = {}
        self.headings: list[int] = []
        self.text: list[str] = []
        self._in_code = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if "id" in found:
            self.ids[found["id"]] = self.ids.get(found["id"], 0) + 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("script", "style"):
            self._in_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_code:
            self.text.append(data)

    def hrefs(self) -> list[str]:
        return [a[k] for _, a in self.tags for k in ("href", "xlink:href") if k in a]

    def words(self) -> str:
        return " ".join("".join(self.text).split())


def sample(**changes: Any) -> dict[str, Any]:
    """A small map with every shape a page must handle: a rebuttal of two claims, a
    counter-rebuttal, a rebuttal of evidence, shared evidence, a cycle, no speaker."""
    data: dict[str, Any] = {
        "title": "The virtualization spat",
        "question": "Is VMware crowding its partners out?",
        "summary": "First paragraph\nstill the first.\n\nSecond paragraph.",
        "sources": [
            {
                "id": "spat",
                "title": "XenSource and VMware trade blows",
                "date": "2007-10",
                "url": "https://example.org/spat",
                "publisher": "Example News",
            }
        ],
        "speakers": [
            {"id": "crosby", "name": "Simon Crosby", "org": "XenSource"},
            {"id": "malek", "name": "Reza Malekzadeh", "org": "VMware"},
        ],
        "claims": [
            {
                "id": "replaces-all",
                "text": "VMware replaces every other player.",
                "by": "crosby",
                "quote": "replaces all the other players",
                "source": "spat",
                "tags": ["market"],
            },
            {"id": "put-off", "text": "Partners are put off.", "by": "crosby"},
            {"id": "blow", "text": "XenSource competes blow for blow.", "by": "crosby"},
            {"id": "lonely", "text": "A claim nobody answers."},
        ],
        "rebuttals": [
            {
                "id": "ecosystem",
                "rebuts": ["replaces-all", "put-off"],
                "by": "malek",
                "text": "VMware has a growing ecosystem of partners.",
                "tags": ["partners"],
            },
            {"id": "not-so", "rebuts": "ecosystem", "text": "Ecosystems shrink.", "by": "crosby"},
            {"id": "yes-so", "rebuts": "not-so", "text": "Not this one.", "by": "malek"},
            {"id": "loop-a", "rebuts": ["blow", "loop-b"], "text": "Revenue gap."},
            {"id": "loop-b", "rebuts": "loop-a", "text": "Revenue is not everything."},
            {"id": "undermine", "rebuts": "deal", "text": "The deal is catch-up.", "by": "malek"},
        ],
        "evidence": [
            {"id": "deal", "supports": ["put-off", "blow"], "text": "XenSource signed Symantec."},
            {
                "id": "partners-list",
                "supports": "ecosystem",
                "kind": "example",
                "by": "malek",
                "text": "Symantec, CA and EMC are partners.",
                "source": "spat",
            },
        ],
    }
    data.update(changes)
    return data


def page(data: dict[str, Any] | None = None, tmp: Path | None = None, **kw: Any) -> str:
    argmap = ArgMap.model_validate(data or sample())
    options: dict[str, Any] = {
        "svg": None,
        "diagnostics": [],
        "map_name": "claims.yaml",
        "map_dir": tmp or REPO / "tests",
        **kw,
    }
    return render_brief(argmap, evaluate(argmap), **options)


def fake_svg(ids: list[str]) -> str:
    """What Graphviz emits, in miniature: prolog, doctype, comments, node groups with links."""
    nodes = "".join(
        f'<!-- {i} -->\n<g id="node{n}" class="node">\n<title>{i}</title>\n'
        f'<g id="a_node{n}"><a xlink:href="brief.html#{i}" xlink:title="{i}" target="_top">\n'
        f'<polygon fill="url(#l_{n})" points="0,0 1,1"/>\n<text>{i}</text>\n</a>\n</g>\n</g>\n'
        for n, i in enumerate(ids, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<!-- Generated by graphviz -->\n<svg width="200pt" height="100pt" '
        'viewBox="0.00 0.00 200.00 100.00" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">\n<g id="graph0" class="graph">\n'
        f'<title>argmap</title>\n{nodes}<g id="edge1" class="edge"><title>a</title></g>\n'
        "</g>\n</svg>\n"
    )


ALL_IDS = [s.id for s in ArgMap.model_validate(sample()).statements()]


def test_every_node_has_exactly_one_element_with_its_id() -> None:
    ids = Page(page(svg=fake_svg(ALL_IDS))).ids
    for node in [*ALL_IDS, "spat", "crosby", "malek"]:
        assert ids.get(node) == 1, node
    assert all(n == 1 for n in ids.values()), [i for i, n in ids.items() if n > 1]


def test_every_in_page_link_resolves() -> None:
    html = page(svg=fake_svg(ALL_IDS))
    parsed = Page(html)
    targets = [h[1:] for h in parsed.hrefs() if h.startswith("#")]
    assert "node_replaces-all" in targets
    assert "replaces-all" in targets
    assert [t for t in targets if t not in parsed.ids] == []
    assert "brief.html#" not in html


def test_diagram_is_inlined_cleanly_and_named_for_the_cards() -> None:
    svg, anchored = inline_svg(fake_svg(["a", "b-c"]) + "<!-- tail -->", {"a", "b-c"})
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    assert "<!--" not in svg
    assert "target=" not in svg
    assert anchored == ["a", "b-c"]
    assert 'id="node_a"' in svg
    assert 'id="node_b-c"' in svg
    assert 'id="dg_graph0"' in svg
    assert 'id="dg_a_node1"' in svg
    assert 'id="dg_edge1"' in svg
    assert 'fill="url(#dg_l_1)"' in svg
    assert 'xlink:href="#b-c"' in svg
    assert '<a tabindex="-1" xlink:href' in svg


NAMESPACES = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(
    "bad",
    [
        '<script>alert(1)</script><a xlink:href="#a">x</a>',
        '<a xlink:href="javascript:alert(1)">x</a>',
        '<g onclick="alert(1)" id="x"></g><foreignObject><p>x</p></foreignObject>',
    ],
)
def test_diagram_cannot_carry_script(bad: str) -> None:
    svg, _ = inline_svg(f"<svg {NAMESPACES}>{bad}</svg>", {"a"})
    assert not re.search(r"<script|javascript:|onclick|foreignObject", svg, re.I)


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</style><style>body{display:none}</style>",
    "{{ 7*7 }}{% raw %}",
]


@pytest.mark.parametrize("bad", HOSTILE)
def test_user_text_is_escaped_everywhere(bad: str) -> None:
    data = sample(title=bad, question=bad, summary=bad)
    data["claims"][0] |= {"text": bad, "quote": bad}
    data["rebuttals"][0]["text"] = bad
    data["evidence"][0]["text"] = bad
    data["speakers"][0]["name"] = bad
    data["sources"][0]["title"] = bad
    html = page(
        data,
        svg=fake_svg(ALL_IDS),
        diagram_problem=bad,
        diagnostics=[Diagnostic(bad, 1, 2, "warning", bad)],
    )
    parsed = Page(html)
    assert [t for t, _ in parsed.tags if t in ("img", "iframe")] == []
    assert [a for _, a in parsed.tags if any(k.startswith("on") for k in a)] == []
    assert [t for t, a in parsed.tags if t == "script" and a] == []  # only our two, inline
    assert sum(t == "script" for t, _ in parsed.tags) == 2
    assert sum(t == "style" for t, _ in parsed.tags) == 1
    assert not [h for h in parsed.hrefs() if h.lower().startswith("javascript")]
    for raw in ("<script>alert", "<img", "</style><style>"):
        assert raw not in html
    assert "49" not in parsed.words()  # templates do not run user text
    assert bad in parsed.words()  # shown, as text


def test_only_http_links_are_made() -> None:
    argmap = ArgMap.model_validate(sample())
    hostile = argmap.model_copy(
        update={"sources": [argmap.sources[0].model_copy(update={"url": "javascript:alert(1)"})]}
    )  # skips checks
    html = render_brief(
        hostile,
        evaluate(hostile),
        svg=None,
        diagnostics=[],
        map_name="claims.yaml",
        map_dir=REPO / "tests",
    )
    assert "javascript:" not in html
    assert safe_url("https://x.org/a") == "https://x.org/a"
    assert safe_url("HTTP://x.org") == "HTTP://x.org"
    assert safe_url("data:text/html,x") == ""
    assert safe_url(None) == ""


def test_same_input_same_bytes() -> None:
    first = page(svg=fake_svg(ALL_IDS), diagnostics=[Diagnostic("c.yaml", 3, 1, "warning", "w")])
    again = page(svg=fake_svg(ALL_IDS), diagnostics=[Diagnostic("c.yaml", 3, 1, "warning", "w")])
    assert first.encode() == again.encode()


def test_a_css_file_beside_the_map_replaces_the_default(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.css").write_text("body { --mine: 1; }\n")
    html = page(tmp=tmp_path)
    assert "--mine: 1" in html
    assert "box-sizing" not in html  # the default brief.css is gone (its colours stay: vocab.py)
    assert "brief.js" not in html
    assert "Made with argmap from claims.yaml" in html


def test_an_override_can_extend_the_default(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.html.j2").write_text(
        '{% extends "default/brief.html.j2" %}{% block footer %}<p>Our own footer</p>{% endblock %}'
    )
    html = page(tmp=tmp_path)
    assert "Our own footer" in html
    assert "Made with argmap" not in html
    assert "The bottom line" in html
    assert "--stands-bg" in html


def test_templates_option_comes_before_the_map_folder(tmp_path: Path) -> None:
    for folder, mark in ((tmp_path / "templates", "beside"), (tmp_path / "opt", "option")):
        folder.mkdir()
        (folder / "brief.css").write_text(f"/* {mark} */\n")
    html = page(tmp=tmp_path, templates=tmp_path / "opt")
    assert "/* option */" in html
    assert "/* beside */" not in html
    with pytest.raises(UsageError, match="no such folder"):
        page(tmp=tmp_path, templates=tmp_path / "missing")


def test_without_a_diagram_the_page_says_why_and_how_to_fix_it() -> None:
    html = page(svg=None, diagram_problem="Graphviz's dot was not found on PATH. Install it.")
    words = Page(html).words()
    assert "The diagram could not be drawn." in words
    assert "How to fix it: Graphviz's dot was not found on PATH. Install it." in words
    parsed = Page(html)
    assert "svg" not in [t for t, _ in parsed.tags]
    assert [h for h in parsed.hrefs() if h.startswith("#node_")] == []
    assert all(parsed.ids.get(i) == 1 for i in ALL_IDS)


def test_warnings_are_shown_with_their_place_and_errors_are_not() -> None:
    html = page(
        diagnostics=[
            Diagnostic("claims.yaml", 12, 5, "warning", "speaker `x` says nothing in the map"),
            Diagnostic("claims.yaml", 14, 3, "error", "not shown here"),
        ]
    )
    words = Page(html).words()
    assert "Validation warnings" in words
    assert "claims.yaml:12:5: speaker `x` says nothing in the map" in words
    assert "not shown here" not in words
    assert "Validation warnings" not in Page(page()).words()


def test_bottom_line_in_plain_words() -> None:
    words = Page(page()).words()
    assert (
        "Of the 3 claims by Simon Crosby (XenSource), 2 are defeated and 1 is undecided." in words
    )
    assert (
        "“VMware replaces every other player” is defeated by Reza Malekzadeh's rebuttal "
        "“VMware has a growing ecosystem of partners”."
    ) in words
    assert (
        "“XenSource competes blow for blow” is undecided: the rebuttal “Revenue gap” is "
        "itself undecided" in words
    )
    assert "One claim has no speaker named, and it still stands." in words
    assert "“A claim nobody answers” stands unchallenged, though no evidence is given" in words


def test_reasons_name_texts_not_ids() -> None:
    view = View(ArgMap.model_validate(sample()), evaluate(ArgMap.model_validate(sample())))
    assert view.reason("replaces-all") == [
        ("Defeated by ", None),
        ("“VMware has a growing ecosystem of partners”", "ecosystem"),
        (", which stands.", None),
    ]
    assert view.reason("lonely") == [("No rebuttal against it.", None)]


def test_a_reason_naming_points_whose_ids_are_english_words_reads_right() -> None:
    """The brief used to find ids in the reason's words: a rebuttal with the id 'which' made
    "Defeated by which, which stands." link both 'which' words."""
    data = {
        "title": "T",
        "claims": [{"id": "stands", "text": "The claim."}],
        "rebuttals": [{"id": "which", "rebuts": "stands", "text": "The answer."}],
    }
    m = ArgMap.model_validate(data)
    assert View(m, evaluate(m)).reason("stands") == [
        ("Defeated by ", None),
        ("“The answer”", "which"),
        (", which stands.", None),
    ]


def test_a_cycle_is_shown_once_and_referenced_up_the_thread() -> None:
    view = View(ArgMap.model_validate(sample()), evaluate(ArgMap.model_validate(sample())))
    blow = view.claims[2]
    loop_a = blow.rebuttals[0]
    assert (loop_a.node.id, loop_a.ref) == ("loop-a", "")
    loop_b = loop_a.rebuttals[0]
    assert (loop_b.node.id, loop_b.ref, loop_b.rebuttals[0].ref) == ("loop-b", "", "loop")
    put_off = view.claims[1]
    assert [(t.node.id, t.ref) for t in put_off.rebuttals] == [("ecosystem", "elsewhere")]
    assert view.further == []


def test_a_deep_chain_continues_under_further_points() -> None:
    chain = [
        {"id": f"r{n}", "rebuts": f"r{n - 1}" if n else "c", "text": f"Reply {n}."}
        for n in range(3 * MAX_DEPTH)
    ]
    data = {"title": "Deep", "claims": [{"id": "c", "text": "Claim."}], "rebuttals": chain}
    parsed = Page(page(data))
    assert all(parsed.ids.get(r["id"]) == 1 for r in chain)
    assert parsed.ids.get("further_points") == 1
    assert [h[1:] for h in parsed.hrefs() if h[1:] not in parsed.ids and h.startswith("#")] == []


def test_points_no_claim_reaches_still_get_a_card() -> None:
    data = sample()
    data["rebuttals"] += [
        {"id": "orphan-a", "rebuts": "orphan-b", "text": "A."},
        {"id": "orphan-b", "rebuts": "orphan-a", "text": "B."},
    ]
    parsed = Page(page(data))
    assert parsed.ids.get("orphan-a") == 1
    assert parsed.ids.get("orphan-b") == 1
    assert "Further points" in parsed.words()


def test_page_structure_is_accessible() -> None:
    html = page(svg=fake_svg(ALL_IDS))
    parsed = Page(html)
    tags = [t for t, _ in parsed.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in tags
    assert parsed.headings[0] == 1
    assert parsed.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False))
    assert parsed.tags[[t for t, _ in parsed.tags].index("a")][1]["href"] == "#main_"
    assert any(a.get("role") == "img" and "aria-label" in a for _, a in parsed.tags)
    assert any(t == "details" and "open" in a for t, a in parsed.tags)
    assert ("html", {"lang": "en"}) in parsed.tags
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!example\.org)""", html)


def test_summary_paragraphs_and_footer() -> None:
    parsed = Page(page())
    words = parsed.words()
    assert "First paragraph still the first. Second paragraph." in words
    assert sum(t == "p" for t, _ in parsed.tags) > 2
    assert "Made with argmap from claims.yaml" in words


def test_a_thousand_nodes_render() -> None:
    """A 700-step cycle: every reason names it, cut short."""
    ids = [f"c{n}" for n in range(300)] + [f"r{n}" for n in range(700)]
    claims = [{"id": i, "text": f"Claim {i}."} for i in ids[:300]]
    rebuttals = [
        {"id": f"r{n}", "rebuts": [f"c{n % 300}", f"r{(n + 1) % 700}"], "text": f"Rebuttal {n}."}
        for n in range(700)
    ]
    data = {"title": "Big", "claims": claims, "rebuttals": rebuttals}
    parsed = Page(page(data, svg=fake_svg(ids)))
    assert all(parsed.ids.get(i) == 1 for i in ids)
    assert parsed.ids.get("node_r699") == 1
    assert re.search(r"… \d+ more …", parsed.words())


@pytest.mark.needs_dot
def test_with_the_real_diagram() -> None:
    diagram = pytest.importorskip("argmap.render.diagram")
    argmap = ArgMap.model_validate(sample())
    ev = evaluate(argmap)
    svg = diagram.draw(diagram.to_dot(argmap, ev), "svg").decode()
    html = render_brief(
        argmap, ev, svg=svg, diagnostics=[], map_name="claims.yaml", map_dir=REPO / "tests"
    )
    parsed = Page(html)
    assert all(parsed.ids.get(f"node_{i}") == 1 for i in ALL_IDS)
    assert all(n == 1 for n in parsed.ids.values())
    assert [h for h in parsed.hrefs() if h.startswith("#") and h[1:] not in parsed.ids] == []


@pytest.mark.skipif(not (REPO / "claims.yaml").is_file(), reason="no seed map")
def test_the_seed_map_renders() -> None:
    import yaml

    argmap = ArgMap.model_validate(yaml.safe_load((REPO / "claims.yaml").read_text()))
    html = render_brief(
        argmap, evaluate(argmap), svg=None, diagnostics=[], map_name="claims.yaml", map_dir=REPO
    )
    parsed = Page(html)
    assert all(parsed.ids.get(s.id) == 1 for s in argmap.statements())
    assert "The bottom line" in parsed.words()
