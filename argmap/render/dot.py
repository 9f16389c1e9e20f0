r"""DOT source written directly: the few statements argmap's diagrams use, in the bytes the
`graphviz` package's `Digraph` writes, at a fraction of its cost.

A 10,000-point map's 1,250 claim pictures took the package 9 s of quoting (a decorator and
three regular expressions on every name and value). The rules are the package's, and
tests/test_dot_writer.py holds this module to the package's output on hostile text:

- a name or value is written bare when it is a DOT ID (letters, digits and `_` not starting
  with a digit, or a number) and not a keyword; as an HTML-like string when it is `<...>` and
  not marked `nohtml`; else in double quotes, each `"` not already escaped by a backslash
  escaped with one (backslashes themselves are left as they are: argmap never writes one);
- attributes are written sorted by name, `label` first; a subgraph's lines are indented by
  one tab inside its parent.

>>> g = Digraph("g")
>>> g.node("a", label="<<B>x</B>>", tooltip='say "hi"')
>>> with g.subgraph(name="s") as s:
...     s.attr(rank="same")
...     s.node("a")
>>> g.edge("a", "node", style="invis")
>>> print(g.source.replace("\t", "  "), end="")
digraph g {
  a [label=<<B>x</B>> tooltip="say \"hi\""]
  subgraph s {
    rank=same
    a
  }
  a -> "node" [style=invis]
}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

# `$` as in the package: it also matches before a final newline.
_HTML: Final = re.compile(r"<.*>$", re.DOTALL)
_ID: Final = re.compile(r"(?:[a-zA-Z_][a-zA-Z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))$")
_KEYWORDS: Final = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
_QUOTE_AFTER: Final = re.compile(r'(\\*)"')  # a double quote and the backslashes before it


class NoHtml(str):
    """Text that is never an HTML-like string, even when it reads `<...>`."""

    __slots__ = ()


def nohtml(text: str) -> NoHtml:
    """`text` marked to be quoted even when it reads `<...>` (as `graphviz.nohtml`)."""
    return NoHtml(text)


def _escape_quote(found: re.Match[str]) -> str:
    slashes = found.group(1)
    # an odd number of backslashes escapes the quote already; an even number does not
    return found.group(0) if len(slashes) % 2 else f'{slashes}\\"'


# plain text -> how it is written: names and values repeat a lot. Never a text that opens
# with "<" (whether it is written as HTML depends on `nohtml`, which a dict key cannot tell).
_BARE: dict[str, str] = {}
_BARE_MAX: Final = 50_000  # entries of at most 64 characters: ids, colours, numbers, styles


def quote(text: str) -> str:
    r"""`text` as a DOT name or value.

    >>> [quote(t) for t in ("a1", "1a", "-.5", "edge", "<b>", nohtml("<b>"), 'x\"y"')]
    ['a1', '"1a"', '-.5', '"edge"', '<b>', '"<b>"', '"x\\"y\\""']
    """
    written = _BARE.get(text)
    if written is not None:
        return written
    if text.startswith("<") and type(text) is not NoHtml and _HTML.match(text):
        return text
    if _ID.match(text) and text.lower() not in _KEYWORDS:
        written = str(text)
    elif '"' in text:
        written = f'"{_QUOTE_AFTER.sub(_escape_quote, text)}"'
    else:
        written = f'"{text}"'
    if len(text) <= 64 and len(_BARE) < _BARE_MAX and not text.startswith("<"):
        _BARE[str(text)] = written
    return written


def _attributes(label: str | None, attrs: dict[str, str | None]) -> str:
    parts = [f"label={quote(label)}"] if label is not None else []
    parts += [f"{quote(k)}={quote(v)}" for k, v in sorted(attrs.items()) if v is not None]
    return " ".join(parts)


class Digraph:
    """A directed graph's DOT source, statement by statement, as `graphviz.Digraph` writes it
    (for the methods argmap uses: `attr`, `node`, `edge`, `subgraph`, `source`)."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        self.body: list[str] = []

    def attr(self, kw: str | None = None, **attrs: str | None) -> None:
        """Attributes of the graph, or of every node or edge after (`kw` "node", "edge")."""
        if not attrs:
            return
        listed = _attributes(None, attrs)
        self.body.append(f"\t{listed}\n" if kw is None else f"\t{kw} [{listed}]\n")

    def node(self, name: str, label: str | None = None, **attrs: str | None) -> None:
        listed = _attributes(label, attrs)
        self.body.append(f"\t{quote(name)} [{listed}]\n" if listed else f"\t{quote(name)}\n")

    def edge(self, tail: str, head: str, label: str | None = None, **attrs: str | None) -> None:
        listed = _attributes(label, attrs)
        line = f"\t{_endpoint(tail)} -> {_endpoint(head)}"
        self.body.append(f"{line} [{listed}]\n" if listed else f"{line}\n")

    @contextmanager
    def subgraph(self, name: str | None = None) -> Iterator[Digraph]:
        """A subgraph, added to this graph's body when the `with` block ends."""
        sub = Digraph(name)
        yield sub
        self.body += [f"\t{line}" for line in sub._lines(subgraph=True)]

    def _lines(self, *, subgraph: bool = False) -> Iterator[str]:
        named = f"{quote(self.name)} " if self.name else ""
        yield f"subgraph {named}{{\n" if subgraph and self.name else f"{named}{{\n"
        yield from self.body
        yield "}\n"

    @property
    def source(self) -> str:
        return f"digraph {''.join(self._lines())}"


def _endpoint(name: str) -> str:
    """A node name in an edge: `node:port:compass` has its parts quoted one by one."""
    node, _, rest = name.partition(":")
    if not rest:
        return quote(node)
    port, _, compass = rest.partition(":")
    return ":".join([quote(node), quote(port), *([compass] if compass else [])])


# An edge statement as `Digraph` writes it: after a tab, each end a name (quoted or bare),
# perhaps with a port after a colon. (A tab elsewhere, in no text `labels` cleans, could only
# make a picture be laid out alone for nothing.)
_EDGE: Final = re.compile(
    r'\t("(?:[^"\\\n]|\\.)*"|[^\s":\[]+)[^\s\[]* -> ("(?:[^"\\\n]|\\.)*"|[^\s":\[]+)'
)


def two_way(source: str) -> bool:
    """Whether DOT `source` has edges both ways between two nodes (a rebuttal loop of two).

    Graphviz 2.43 lays such a graph out differently from run to run when other graphs came
    before it in the same dot process (which of the two edges is routed first): such a graph
    is laid out by a dot of its own, where it always comes out the same (`render.layout`).

    >>> two_way('digraph {\\n\\ta -> "b-1" [x=1]\\n\\t"b-1" -> a\\n}'), two_way("\\ta -> b\\n")
    (True, False)
    """
    edges = set(_EDGE.findall(source))
    return any((b, a) in edges for a, b in edges if a != b)
