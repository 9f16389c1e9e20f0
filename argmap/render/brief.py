"""The briefing page: one self-contained HTML file from a map, its verdicts and its diagram.

View logic lives here (threads, bottom-line sentences, reasons in words, the inlined SVG made
safe and linkable); the markup lives in `templates/`, overridable file by file.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

import argmap as _package
from argmap.diff import MapDiff
from argmap.errors import Diagnostic, UsageError
from argmap.evaluate import Evaluation
from argmap.load import read_regular_file, shown
from argmap.model import ArgMap, Claim, Evidence, Rebuttal, Speaker, Standing
from argmap.pivotal import Pivotal

Node = Claim | Rebuttal | Evidence
Seg = tuple[str, str | None]  # a piece of text and the page id it links to, if any
MAX_DEPTH: Final = 6  # replies nested deeper continue as cards under "Further points"
ORDER: Final[tuple[Standing, ...]] = ("defeated", "undecided", "stands")
VERBS: Final[dict[Standing, tuple[str, str]]] = {
    "stands": ("still stands", "still stand"),
    "defeated": ("is defeated", "are defeated"),
    "undecided": ("is undecided", "are undecided"),
}
_TOKEN: Final = re.compile(r"(?<![A-Za-z0-9-])[a-z0-9][a-z0-9-]*(?![A-Za-z0-9-])")
_COMMENT: Final = re.compile(r"<!--.*?-->", re.S)
_UNSAFE: Final = re.compile(
    r"<(script|foreignObject|iframe|style)\b.*?</\1\s*>"
    r"|\s(?:on[a-z]+|target)\s*=\s*\"[^\"]*\"",
    re.S | re.I,
)
_HREF: Final = re.compile(r'\s((?:xlink:)?href)="([^"]*)"')
_ID: Final = re.compile(r'\sid="([^"]*)"')
_NODE: Final = re.compile(r'<g id="([^"]*)" class="node"')
# Characters HTML does not allow in a page (controls) or cannot hold (lone surrogates):
# written as U+FFFD, as the diagram does (the JSON keeps the text as it was).
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_TEMPLATE_BYTES: Final = 1024 * 1024
MAX_PRODUCT: Final = 1_000_000  # the longest text or list a template may make with `*`


def default_templates() -> Path:
    """The packaged templates: `argmap/templates` in a wheel, the repo's `templates/` else."""
    here = Path(_package.__file__).resolve().parent
    found = [d for d in (here / "templates", here.parent / "templates") if d.is_dir()]
    return found[0] if found else here.parent / "templates"


def environment(map_dir: Path, templates: Path | None = None) -> SandboxedEnvironment:
    """Templates from `templates` (--templates DIR), then `map_dir/templates`, then the
    defaults, which also answer to `default/NAME` so an override can extend them. Sandboxed:
    a map folder from someone else may carry templates, which must not run code, nor read
    anything outside their folder (see `FolderLoader`)."""
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: no such folder")
    beside = map_dir / "templates"
    if beside.is_dir() and not beside.resolve().is_relative_to(map_dir.resolve()):
        raise TemplateRefused(
            str(beside),
            "the templates folder is a link to a folder outside "
            "the map's folder; argmap reads templates only from inside it: "
            "copy the templates there, or delete the link",
        )
    defaults = FileSystemLoader(default_templates())
    users = [d for d in (templates, beside) if d is not None and d.is_dir()]
    loaders: list[BaseLoader] = [FolderLoader(d) for d in users]
    loader = ChoiceLoader([*loaders, defaults, PrefixLoader({"default": defaults})])
    return _Sandbox(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class TemplateRefused(TemplateError):
    """A template file argmap will not read, reported at the file like a mistake in it."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = 1


class FolderLoader(BaseLoader):
    """The templates in one folder, read only from inside it.

    Jinja's FileSystemLoader follows a symbolic link anywhere and reads whatever it finds,
    waiting forever on a pipe; here a link that leads out of the folder, anything but a
    regular file, a file over `MAX_TEMPLATE_BYTES` and text that is not UTF-8 are refused.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self,
        environment: Environment,
        template: str,
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        name = str(path)
        try:
            path.lstat()
            real = path.resolve(strict=True)
            info = real.stat()
        except (OSError, RuntimeError):  # missing (or a broken link): the default is used
            raise TemplateNotFound(template) from None
        if not real.is_relative_to(self.folder.resolve()):
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is a link to a file outside its "
                f"folder ({shown(self.folder, 100)}/); argmap reads templates "
                "only from inside it: copy the file there",
            )
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is not a regular file; a template must be a plain text file",
            )
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is larger than 1 MiB, the most argmap reads for a template",
            )
        try:
            raw = read_regular_file(real, MAX_TEMPLATE_BYTES + 1, follow=False)
            if raw is None or len(raw) > MAX_TEMPLATE_BYTES:
                raise OSError(0, "it changed while argmap was reading it")
            text = raw.decode("utf-8")
        except OSError as e:
            raise TemplateRefused(
                name, f"{shown(name, 100)} cannot be read ({e.strerror})"
            ) from None
        except UnicodeDecodeError as e:
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is not UTF-8 text (byte "
                f"0x{e.object[e.start]:02X}); save it as UTF-8",
            ) from None
        return text, name, lambda: _mtime(real) == info.st_mtime_ns


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class _Sandbox(SandboxedEnvironment):
    """The sandbox, also refusing `*` and `**` that would make huge texts or numbers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self,
        context: Context,
        operator: str,
        left: object,
        right: object,
    ) -> object:
        sized = [x for x in (left, right) if isinstance(x, str | list | tuple)]
        times = [x for x in (left, right) if isinstance(x, int)]
        if operator == "*" and sized and times and len(sized[0]) * times[0] > MAX_PRODUCT:
            raise SecurityError(f"the template makes a text or list longer than {MAX_PRODUCT}")
        if (
            operator == "**"
            and isinstance(right, int | float)
            and abs(right) > 64
            and isinstance(left, int | float)
            and abs(left) > 1
        ):
            raise SecurityError("the template raises a number to a power above 64")
        return super().call_binop(context, operator, left, right)


def inline_svg(svg: str, ids: Collection[str]) -> tuple[str, list[str]]:
    """The diagram made fit to sit inside the page, and the node ids it now anchors.

    Drops the XML prolog, doctype, comments, scripts and event attributes; links to
    `ANY.html#ID` become `#ID` (http(s) links stay, others go). Each Graphviz node group
    `<g class="node">` gets the id `node_ID` (ID from its link); every other SVG id gets the
    prefix `dg_`. Map ids never contain `_`, so these can never clash with a card's id.
    """
    start = svg.find("<svg")
    text = _UNSAFE.sub("", _COMMENT.sub("", svg[start:] if start >= 0 else ""))

    def href(m: re.Match[str]) -> str:
        if safe_url(m[2]):
            return m[0]
        return f' {m[1]}="#{m[2].partition("#")[2]}"' if "#" in m[2] else ""

    text = _HREF.sub(href, text)
    anchored: dict[str, None] = {}
    starts = [(m.start(), m[1]) for m in _NODE.finditer(text)]
    renamed: dict[str, str] = {}  # Graphviz's id -> node_ID
    for (begin, old), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=False):
        found = re.findall(r'href="#([a-z0-9][a-z0-9-]*)"', text[begin:end])
        if found and found[0] in ids and found[0] not in anchored:
            renamed[old] = f"node_{found[0]}"
            anchored[found[0]] = None
    text = _ID.sub(lambda m: f' id="{renamed.get(m[1], "dg_" + m[1])}"', text)
    text = re.sub(r"url\(#([^)\"']*)\)", r"url(#dg_\1)", text)
    text = re.sub(r"<a\b", '<a tabindex="-1"', text)  # the cards are the keyboard path
    return text.strip(), list(anchored)


def safe_url(url: str | None) -> str:
    """`url` if it is http(s), else "" (the model checks this too; links stay defensive)."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""


@dataclass(frozen=True)
class Thread:
    """A node as a card shows it: in full with its replies, or as a link (`ref` says why)."""

    node: Node
    ref: str = ""  # "": in full here; "loop": up this thread; "elsewhere"; "later": further on
    evidence: tuple[Thread, ...] = ()
    rebuttals: tuple[Thread, ...] = ()


class View:
    """What the templates read beside the map: threads, sentences and helpers on ids."""

    def __init__(self, m: ArgMap, ev: Evaluation) -> None:
        self.m, self.ev = m, ev
        self.nodes = {s.id: s for s in m.statements()}
        self.speakers = {s.id: s for s in m.speakers}
        self.sources = {s.id: s for s in m.sources}
        self.tags = list(dict.fromkeys(t for s in m.statements() for t in s.tags))
        self._undecided = {i for i, v in ev.verdicts.items() if v.standing == "undecided"}
        self._placed: set[str] = set()
        self._later: list[str] = []
        self._short: dict[tuple[str, int], str] = {}
        self.claims = [self._thread(c.id, 0, frozenset()) for c in m.claims]
        self.further: list[Thread] = []
        # Then every node not yet placed: those cut off "later" first, then in file order.
        # (`_placed` only grows, so each list is read once, never again from its start.)
        queues: list[list[str]] = [self._later, list(self.nodes)]
        at = [0, 0]
        while True:
            for q, queue in enumerate(queues):
                while at[q] < len(queue) and queue[at[q]] in self._placed:
                    at[q] += 1
            q = 0 if at[0] < len(queues[0]) else 1
            if at[q] == len(queues[q]):
                break
            self.further.append(self._thread(queues[q][at[q]], 0, frozenset()))

    def _thread(self, nid: str, depth: int, chain: frozenset[str]) -> Thread:
        node = self.nodes[nid]
        if nid in chain or nid in self._placed:
            return Thread(node, "loop" if nid in chain else "elsewhere")
        if depth > MAX_DEPTH:
            self._later.append(nid)
            return Thread(node, "later")
        self._placed.add(nid)
        verdict, inner = self.ev[nid], chain | {nid}
        rebuttals = tuple(self._thread(r, depth + 1, inner) for r in verdict.rebutted_by)
        evidence = tuple(self._thread(e, depth + 1, inner) for e in verdict.supported_by)
        return Thread(node, "", evidence, rebuttals)  # shown in this order: rebuttals first

    @staticmethod
    def kind(node: Node) -> str:
        return type(node).__name__.lower()  # claim, rebuttal or evidence

    @staticmethod
    def targets(node: Node) -> list[str]:
        """What a rebuttal answers or evidence supports, each once, in file order."""
        return list(dict.fromkeys(getattr(node, "rebuts", None) or getattr(node, "supports", [])))

    def who(self, node: Node) -> str:
        """The speaker's name, or "" when the map names none."""
        return self.speakers[node.by].name if node.by in self.speakers else (node.by or "")

    def short(self, nid: str, limit: int = 72) -> str:
        """The node's text, without its final full stop, cut at a space near `limit`
        (worked out once: a long text may be named in many reasons)."""
        if (nid, limit) not in self._short:
            text = " ".join(self.nodes[nid].text.split()).rstrip(".")
            if len(text) > limit:
                cut = text[: limit - 1]
                text = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"
            self._short[nid, limit] = text
        return self._short[nid, limit]

    def reason(self, nid: str) -> list[Seg]:
        """The verdict's reason, without the "Stands: " its badge says, each id in it made a
        quoted short text linking to the node; a long cycle cut to 8 steps and its last."""
        verdict = self.ev[nid]
        rebutted_by = set(verdict.rebutted_by)
        undecided = self._undecided if verdict.standing == "undecided" else frozenset()
        reason = re.sub(r"^(Stands|Undecided): (.)", lambda m: m[2].upper(), verdict.reason)
        links = [m for m in _TOKEN.finditer(reason) if m[0] in rebutted_by or m[0] in undecided]
        skip = max(0, len(links) - 9)
        segs: list[Seg] = []
        at = 0
        for n, m in enumerate([*links[:8], links[-1]] if skip else links):
            gap = f" … {skip} more … " if skip and n == 8 else reason[at : m.start()]
            segs += [(gap, None), (f"“{self.short(m[0])}”", m[0])]
            at = m.end()
        return [*segs, (reason[at:], None)]

    def _joined(self, ids: Sequence[str]) -> list[Seg]:
        """`A's rebuttals “x” and “y”, and the rebuttal “z”`: grouped by speaker, texts linked."""
        groups: dict[str, list[str]] = {}
        for nid in ids:
            node = self.nodes[nid]
            groups.setdefault(f"{self.who(node)}'s" if node.by else "the", []).append(nid)
        segs: list[Seg] = []
        for g, (owner, members) in enumerate(groups.items()):
            kind = self.kind(self.nodes[members[0]]) + "s" * (len(members) > 1)
            segs.append(((" and " if g else "") + f"{owner} {kind} ", None))
            for n, nid in enumerate(members):
                glue = "" if n == 0 else (" and " if n == len(members) - 1 else ", ")
                segs += [(glue, None), (f"“{self.short(nid, 160)}”", nid)]
        return segs

    def verdict_line(self, claim: Claim) -> list[Seg]:
        """One plain sentence: what became of this claim, naming what settled it."""
        v = self.ev[claim.id]
        segs: list[Seg] = [(f"“{self.short(claim.id, 160)}”", claim.id)]
        if v.standing == "defeated":
            return [*segs, (" is defeated by ", None), *self._joined(v.defeated_by), (".", None)]
        if v.standing == "undecided":
            open_ = [r for r in v.rebutted_by if r in self._undecided]
            verb = " is" if len(open_) == 1 else " are"
            return [
                *segs,
                (" is undecided: ", None),
                *self._joined(open_),
                (
                    f"{verb} itself undecided, tied up in rebuttals that answer each other "
                    "in a loop.",
                    None,
                ),
            ]
        backing = len(v.supported_by)
        backed = (
            f", backed by {backing} piece{'s' * (backing != 1)} of evidence"
            if backing
            else ", though no evidence is given for it"
        )
        if not v.rebutted_by:
            return [*segs, (f" stands unchallenged{backed}.", None)]
        if len(v.rebutted_by) == 1:
            return [
                *segs,
                (f" still stands{backed}: the only rebuttal against it, ", None),
                *self._joined(v.rebutted_by),
                (", is itself defeated.", None),
            ]
        return [
            *segs,
            (f" still stands{backed}: every rebuttal against it is itself defeated (", None),
            *self._joined(v.rebutted_by),
            (").", None),
        ]

    def tally(self, ids: Sequence[str]) -> str:
        """E.g. "3 are defeated and 2 still stand" for these nodes (defeated first)."""
        counts = {s: sum(self.ev[i].standing == s for i in ids) for s in ORDER}
        parts = [f"{n} {VERBS[s][n != 1]}" for s, n in counts.items() if n]
        return parts[-1] if len(parts) < 2 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def bottom_line(self) -> list[tuple[str, list[tuple[Standing, list[Seg]]]]]:
        """Per speaker (in the order of their first claim): a count sentence, then one
        sentence per claim, defeated first."""
        groups: dict[str | None, list[Claim]] = {}
        for claim in self.m.claims:
            groups.setdefault(claim.by, []).append(claim)
        result = []
        for by, claims in groups.items():
            sp = self.speakers.get(by) if by else None
            name = (
                (sp.name + (f" ({sp.org or sp.role})" if sp.org or sp.role else ""))
                if sp
                else (by or "")
            )
            if len(claims) == 1:
                lead = (
                    f"{name} makes one claim" if name else "One claim has no speaker named"
                ) + f", and it {VERBS[self.ev[claims[0].id].standing][0]}."
            else:
                said = f"by {name}" if name else "with no speaker named"
                lead = f"Of the {len(claims)} claims {said}, {self.tally([c.id for c in claims])}."
            ordered = sorted(claims, key=lambda c: ORDER.index(self.ev[c.id].standing))
            result.append((lead, [(self.ev[c.id].standing, self.verdict_line(c)) for c in ordered]))
        return result

    def said(self) -> list[tuple[Speaker | None, list[Node]]]:
        """Each speaker with their points in file order; then points with no speaker named."""
        by: dict[str | None, list[Node]] = {s: [] for s in self.speakers}
        for node in self.m.statements():
            by.setdefault(node.by if node.by in self.speakers else None, []).append(node)
        return [
            (self.speakers.get(k) if k else None, v) for k, v in by.items() if k is not None or v
        ]

    @staticmethod
    def paragraphs(text: str | None) -> list[str]:
        """Paragraphs of a summary: YAML makes a blank line one line break in `>` or plain
        text, two in `|` text; so split at blank lines if any, else at line breaks.

        >>> View.paragraphs("one two\\nthree\\n"), View.paragraphs("a\\nb\\n\\nc")
        (['one two', 'three'], ['a b', 'c'])
        """
        text = (text or "").strip()
        parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
        return [" ".join(p.split()) for p in parts if p.strip()]


def render_brief(
    argmap: ArgMap,
    ev: Evaluation,
    *,
    svg: str | None,
    diagnostics: Sequence[Diagnostic],
    map_name: str,
    map_dir: Path,
    templates: Path | None = None,
    diagram_problem: str | None = None,
    pivotal: Pivotal | None = None,
    changes: MapDiff | None = None,
    since: str | None = None,
) -> str:
    """The briefing page as HTML text: the same inputs always give the same text.

    `pivotal` (the points the outcome hangs on) and `changes` since the revision `since` add
    their sentences; without them the page says nothing of either.
    """
    from argmap.render.hinges import Hinges

    view = View(argmap, ev)
    drawing, anchored = inline_svg(svg, view.nodes) if svg is not None else ("", [])
    warnings = [
        f"{d.file}:{d.line}:{d.col}: {d.message}" for d in diagnostics if d.severity == "warning"
    ]
    picture = Markup(drawing) if svg is not None else None  # noqa: S704 - cleaned above
    html = (
        environment(map_dir, templates)
        .get_template("brief.html.j2")
        .render(
            m=argmap,
            ev=ev,
            v=view,
            svg=picture,
            anchored=set(anchored),
            warnings=warnings,
            diagram_problem=diagram_problem,
            map_name=map_name,
            counts=ev.counts(),
            safe_url=safe_url,
            hg=Hinges(view, pivotal, changes, since),
        )
    )
    return _CONTROL.sub("\ufffd", html)
