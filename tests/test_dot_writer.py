"""argmap writes DOT itself (`argmap.render.dot`) in the bytes the `graphviz` package writes,
with its quoting rules: held to the package on hostile text, from a table and from Hypothesis.
And the diagrams of the seed, the golden cases and the hostile corpus are the package's."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphviz
import pytest
from graphviz.quoting import quote as package_quote
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.evaluate import evaluate
from argmap.pipeline import check
from argmap.render import diagram, dot, labels
from tests.conftest import map_id, repository_maps

REPO = Path(__file__).resolve().parent.parent
HOSTILE = [
    "",
    "a",
    "_",
    "a_b9",
    "9a",
    "1",
    "-1",
    "-.5",
    "1.",
    "1.2.3",
    "--1",
    ".",
    "-",
    "node",
    "Edge",
    "GRAPH",
    "digraph",
    "subgraph",
    "strict",
    "nodes",
    "a\n",
    "1\n",
    "<b>",
    "<b>\n",
    "<a",
    "a>",
    "<",
    "<>",
    "< >x",
    "x<b>",
    '"',
    '""',
    '\\"',
    '\\\\"',
    '\\\\\\"',
    'a"b\\"c\\\\"d',
    "\\",
    "\\\\",
    "a\\",
    "\\N \\G \\L \\n",
    "é",
    "名前",
    "a b",
    "a;b",
    "a:b",
    "a:b:c",
    "a:b:c:d",
    ":",
    "a::",
    "\x00",
    "\u2028",
    "\ud800",
    "{}[]=;,",
    "&quot;&#93;",
    "<<TABLE><TR><TD>x</TD></TR></TABLE>>",
    "-->",
    "/* c */",
    "// c",
    "#",
]


def quiet(fn: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package warns of a final odd backslash
        return fn()


@pytest.mark.parametrize("text", HOSTILE)
def test_quote_is_the_packages(text: str) -> None:
    assert dot.quote(text) == quiet(lambda: package_quote(text))
    assert dot.quote(dot.nohtml(text)) == quiet(lambda: package_quote(graphviz.nohtml(text)))


def both(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]], name: str | None) -> None:
    """The same statements through the package and through argmap's writer: the same bytes."""
    theirs: Any = graphviz.Digraph(name)
    ours: Any = dot.Digraph(name)
    for graph, nh in ((theirs, graphviz.nohtml), (ours, dot.nohtml)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the package warns of a final odd backslash
            statements(graph, nh, calls)
    assert ours.source == quiet(lambda: theirs.source)


def statements(graph: Any, nh: Callable[[str], str], calls: list[Any]) -> None:
    for method, args, kwargs in calls:
        kw = {k: nh(v[1]) if isinstance(v, tuple) else v for k, v in kwargs.items()}
        if method == "subgraph":
            with graph.subgraph(name=args[0]) as sub:
                sub.node(args[1], **kw)
                sub.attr(rank="same")
                sub.edge(args[1], args[1])
        else:
            getattr(graph, method)(*args, **kw)


@pytest.mark.parametrize("text", HOSTILE)
def test_every_statement_is_the_packages(text: str) -> None:
    both(
        [
            ("attr", ("graph",), {"tooltip": ("nohtml", text), "label": text, "z": "1"}),
            ("attr", ("node",), {"fontname": text}),
            ("attr", (), {"rank": text}),
            ("node", (text,), {"label": text, "URL": ("nohtml", text), "b": text, "a": "x"}),
            ("node", (text,), {}),
            ("edge", (text, "b"), {"tooltip": text, "label": text}),
            ("edge", ("a", text), {}),
            ("subgraph", (text or None, text), {"group": text}),
            ("subgraph", (None, "x"), {}),
        ],
        text or None,
    )


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(
        st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), min_size=4, max_size=4
    ),
    nohtml=st.booleans(),
)
def test_any_text_is_written_as_the_package_writes_it(texts: list[str], nohtml: bool) -> None:
    a, b, c, d = texts
    both(
        [
            ("attr", ("graph",), {"tooltip": ("nohtml", a) if nohtml else a}),
            ("node", (a,), {"label": b, "tooltip": ("nohtml", c), c or "x": d}),
            ("edge", (b, c), {"label": d, "weight": a}),
            ("subgraph", (d or None, a), {"group": b}),
        ],
        c or None,
    )


class _Package:
    """`graphviz.Digraph` in the place of argmap's writer, as the diagrams were made before."""

    Digraph = graphviz.Digraph
    nohtml = staticmethod(graphviz.nohtml)


@pytest.mark.parametrize("path", repository_maps(), ids=map_id)
def test_the_diagrams_are_the_packages(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    valid = check(path)
    ev = evaluate(valid.argmap)
    ids = [c.id for c in valid.argmap.claims]
    ours = [diagram.to_dot(valid.argmap, ev), diagram.claim_dots(valid.argmap, ev, ids)]
    monkeypatch.setattr(diagram, "Digraph", _Package.Digraph)
    monkeypatch.setattr(diagram, "nohtml", _Package.nohtml)
    theirs = [diagram.to_dot(valid.argmap, ev), diagram.claim_dots(valid.argmap, ev, ids)]
    assert ours == theirs


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab -·\u00a0\t\n\u2028é"), max_size=40),
    width=st.integers(min_value=1, max_value=50),
    hyphens=st.booleans(),
)
def test_the_quick_wrap_is_textwraps(text: str, width: int, hyphens: bool) -> None:
    import textwrap

    assert labels._wrap(text, width, break_on_hyphens=hyphens) == textwrap.wrap(
        text, width, break_on_hyphens=hyphens
    )


def test_a_loop_of_two_is_found_and_laid_out_by_a_dot_of_its_own() -> None:
    from argmap.render.dot import Digraph as Ours
    from argmap.render.dot import two_way
    from argmap.render.layout import Picture, _batchable

    g = Ours("claim_c")
    g.edge('say "x" -> y', "b:p:n")  # hostile names, a port
    g.edge("c", "b")
    with g.subgraph(name="row0") as row:
        row.edge("b", "c", style="invis")  # an invisible edge back counts: dot routes it too
    assert two_way(g.source)
    assert not _batchable(Picture("claims/c", g.source, ("svg",)))
    one_way = Ours("claim_d")
    one_way.edge('say "x" -> y', "b")
    one_way.edge("b", 'say "x" -> z')
    assert not two_way(one_way.source)
    assert _batchable(Picture("claims/d", one_way.source, ("svg",)))
