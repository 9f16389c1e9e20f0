"""The brief's Content-Security-Policy: nothing may load or run but its own inline code.

The brief is self-contained, so its policy starts from `default-src 'none'` and allows only
the inline `<script>` and `<style>` elements the page holds, each by the SHA-256 hash of its
text (computed from the rendered page, so a template override's own script is allowed too,
and the same page always gets the same policy). A script or style that anything else slips
into the page (an event attribute, a `javascript:` link, a style attribute, a script from
elsewhere) does not run or apply. The policy goes into a `<meta>` right after the page's
`<meta charset>` (or its `<head>`), before any script or style.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from html import escape
from html.parser import HTMLParser
from typing import Final

from markupsafe import Markup

META: Final = '<meta http-equiv="Content-Security-Policy" content="{}">'
FIXED: Final = ("default-src 'none'", "base-uri 'none'", "form-action 'none'")
# A start tag's name, as the standard parser reads it (its `tagfind_tolerant`).
_TAG_NAME: Final = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_WANTED: Final = frozenset({"head", "meta", "style", "script"})


def add_policy(html: str, *, extra: dict[str, str] | None = None) -> str:
    r"""`html` with its policy `<meta>` added, from the inline code found by parsing the page
    (a page from templates argmap does not know); `extra` adds sources to directives
    (`{"script-src": "'self'"}`), for a page served with more than its own code.

    >>> print(add_policy('<head><style>p{}</style>').replace("; ", ";\n"))
    <head><meta http-equiv="Content-Security-Policy" content="default-src 'none';
    style-src 'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y=';
    base-uri 'none';
    form-action 'none'"><style>p{}</style>
    """
    found = _Inline()
    found.feed(html)
    found.close()
    at = found.index_of(found.after_charset or found.after_head or (1, 0))
    return html[:at] + policy_meta(found.inline, extra) + html[at:]


def policy_meta(inline: Iterable[tuple[str, str]], extra: dict[str, str] | None = None) -> str:
    """The policy `<meta>` that allows the inline code `inline` (("script" | "style", its
    text), in the page's order) and nothing else but `extra`.

    >>> policy_meta([("script", "x")]).split("; ")[1]
    "script-src 'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"
    """
    allowed: dict[str, list[str]] = {"script-src": [], "style-src": [], "connect-src": []}
    for kind, text in inline:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in allowed[f"{kind}-src"]:
            allowed[f"{kind}-src"].append(source)
    for directive, sources in (extra or {}).items():
        allowed.setdefault(directive, []).insert(0, sources)
    policy = [FIXED[0], *(f"{d} {' '.join(s)}" for d, s in allowed.items() if s), *FIXED[1:]]
    return META.format(escape("; ".join(policy), quote=False).replace('"', "&quot;"))


class Produced:
    """The inline code of a page, recorded where the template writes it rather than found by
    parsing the page: `{% call inline("script") %}...{% endcall %}` in a template writes
    `<script>...</script>` and records its text. For argmap's own templates, whose every
    script and style is written so and which let no user text make a tag (it is escaped, the
    diagram is cleaned), this is the inline code a parser finds, in the same order, at a
    fraction of the cost (parsing a 10,000-point brief took seconds); tests hold the two
    equal. A page from a user's templates is still parsed (`add_policy`)."""

    def __init__(self, clean: Callable[[str], str] = str) -> None:
        self.inline: list[tuple[str, str]] = []
        self._clean = clean

    def __call__(self, kind: str, caller: Callable[[], str] | None = None) -> Markup:
        if kind not in ("script", "style") or caller is None:
            raise ValueError('use it as {% call inline("script") %}...{% endcall %}')
        text = str(caller())
        self.inline.append((kind, self._clean(text)))
        return Markup(f"<{kind}>{text}</{kind}>")  # noqa: S704 - the template's own code

    def add_policy(self, html: str, after: str = '<meta charset="utf-8">') -> str:
        """`html` with the policy of the code recorded, put right after `after` (the first
        one: argmap's own page starts with it, before any text of the map)."""
        at = html.find(after)
        if at < 0:
            return add_policy(html)
        at += len(after)
        return html[:at] + policy_meta(self.inline) + html[at:]


def widen(html: str, extra: dict[str, str]) -> str:
    """`html` whose policy (the first `<meta>` that `add_policy` made) also allows `extra`:
    `argmap watch` adds its live-reload script and event stream (`'self'`) to the page it
    serves. A page without that `<meta>` is returned as it is.

    >>> widen(add_policy("<head><script>x</script>"), {"script-src": "'self'"}).split("; ")[1]
    "script-src 'self' 'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"
    """
    head = META.partition("{}")[0]
    start = html.find(head)
    if start < 0:
        return html
    begin = start + len(head)
    end = html.find('"', begin)
    directives = dict(d.partition(" ")[::2] for d in html[begin:end].split("; "))
    for directive, sources in extra.items():
        directives[directive] = f"{sources} {directives.get(directive, '')}".strip()
    policy = "; ".join(f"{d} {s}" for d, s in directives.items())
    return html[:begin] + policy + html[end:]


class _Inline(HTMLParser):
    """Collects the text of each inline script and style, and where the policy goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline: list[tuple[str, str]] = []  # ("script" | "style", its text)
        self.after_head: tuple[int, int] | None = None
        self.after_charset: tuple[int, int] | None = None
        self._open: str | None = None
        self._text: list[str] = []
        self._line_starts: list[int] = [0]
        self._fed = ""

    def feed(self, data: str) -> None:
        self._fed += data
        super().feed(data)

    def parse_starttag(self, i: int) -> int:
        """Skips the attributes of the tags that cannot matter (all but head, meta, style
        and script): a large brief holds tens of thousands of SVG and HTML tags, and parsing
        each one's attributes was most of the policy's cost. The tag's extent, and so the
        parser's position and state, are the standard parser's own."""
        match = _TAG_NAME.match(self.rawdata, i + 1)
        if match is None or match.group(1).lower() in _WANTED:
            return super().parse_starttag(i)
        self.lasttag = match.group(1).lower()
        return self.check_for_whole_start_tag(i)

    def index_of(self, pos: tuple[int, int]) -> int:
        """The offset in the text fed of a (line, column) from `getpos()`."""
        if len(self._line_starts) == 1:
            at = self._fed.find("\n")
            while at >= 0:
                self._line_starts.append(at + 1)
                at = self._fed.find("\n", at + 1)
        return self._line_starts[pos[0] - 1] + pos[1]

    def _end_of_tag(self) -> tuple[int, int]:
        line, col = self.getpos()
        tag = self.get_starttag_text() or ""
        lines = tag.split("\n")
        if len(lines) == 1:
            return line, col + len(tag)
        return line + len(lines) - 1, len(lines[-1])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head" and self.after_head is None:
            self.after_head = self._end_of_tag()
        elif tag == "meta" and self.after_charset is None and any(k == "charset" for k, _ in attrs):
            self.after_charset = self._end_of_tag()
        elif tag == "style" or (tag == "script" and not any(k == "src" for k, _ in attrs)):
            self._open, self._text = tag, []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.inline.append((tag, "".join(self._text)))
            self._open = None
