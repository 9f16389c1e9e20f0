"""Maps in documents: an MkDocs plugin that turns a fenced `argmap` block into the map's bottom
line and diagram.

In mkdocs.yml:

    plugins:
      - argmap

In a page, a block naming a map (its path relative to the page), and optionally one claim:

    ```argmap
    map: ../claims.yaml
    claim: replaces-all
    ```

(`map:` may be left out when the block holds only the path.) Under `mkdocs serve` each map and
its source files are watched, so the page is rebuilt when the map changes. A map with errors, or
one outside the project's folder, shows its errors in the page (escaped) and logs a warning, so
`mkdocs build --strict` fails on it. Needs the `mkdocs` extra: pip install 'argmap[mkdocs]'.
"""

from __future__ import annotations

import logging
import re
import secrets
from html import escape
from pathlib import Path
from typing import Any, Final

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from argmap.errors import ArgmapError, InvalidMap
from argmap.session import open_map
from argmap.text import printable

log = logging.getLogger("mkdocs.plugins.argmap")

MAX_BLOCKS: Final = 200  # maps drawn in one page, at most
_FENCE: Final = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*argmap[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_OPTION: Final = re.compile(r"^\s*(map|claim)\s*:\s*(.*?)\s*$")


class BlockError(ValueError):
    """A block that cannot be drawn, and why, in the writer's words."""


class ArgmapPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Draws each fenced `argmap` block of a page."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.pending: dict[str, str] = {}  # placeholder -> HTML, for the page being built
        self.inputs: set[Path] = set()  # every map and source file read: watched when serving
        self.server: LiveReloadServer | None = None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        root = Path(config.config_file_path or ".").resolve().parent
        source = page.file.abs_src_path
        here = Path(source).parent if source else Path(config.docs_dir)
        count = [0]

        def replace(match: re.Match[str]) -> str:
            count[0] += 1
            if count[0] > MAX_BLOCKS:
                html = _problem(f"more than {MAX_BLOCKS} maps in one page; split the page")
            else:
                html = self._draw(match["body"], here, root, page.file.src_path)
            key = f"argmap{self.nonce}x{len(self.pending)}"
            self.pending[key] = html
            return f"\n\n{key}\n\n"

        return _FENCE.sub(replace, markdown)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        for key, block in self.pending.items():
            html = html.replace(f"<p>{key}</p>", block).replace(key, block)
        self.pending.clear()
        return html

    def _draw(self, body: str, here: Path, root: Path, page: str) -> str:
        try:
            name, claim = _options(body)
            path = (here / name).resolve()
            if not path.is_relative_to(root):
                raise BlockError(
                    f"'{name}' is outside the project's folder; argmap draws maps inside it only"
                )
            self.inputs.add(path)
            opened = open_map(path, str(path.relative_to(root)))
            self.inputs.update(opened.valid.inputs)
            from argmap.embed import fragment

            if claim is not None and claim not in {c.id for c in opened.valid.argmap.claims}:
                raise BlockError(f"{name} has no claim '{claim}'")
            return fragment(opened, claim)
        except InvalidMap as e:
            self.inputs.update(e.inputs)
            lines = [str(d) for d in e.diagnostics]
            log.warning("%s: the map has errors:\n%s", page, "\n".join(lines))
            return _problem("the map has errors:", lines)
        except (BlockError, ArgmapError) as e:
            log.warning("%s: %s", page, printable(str(e)))
            return _problem(str(e))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        self.server = server
        self._watch()
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._watch()  # maps named since the server started

    def on_shutdown(self) -> None:
        """(Its presence keeps this plugin, and what it watches, across rebuilds.)"""

    def _watch(self) -> None:
        if self.server is None:
            return
        for path in sorted(self.inputs):
            if path.is_file():
                self.server.watch(str(path), recursive=False)


def _options(body: str) -> tuple[str, str | None]:
    """The map's path and the claim, from a block's lines."""
    found: dict[str, str] = {}
    lines = [line for line in body.splitlines() if line.strip()]
    if len(lines) == 1 and not _OPTION.match(lines[0]):
        return lines[0].strip(), None
    for line in lines:
        option = _OPTION.match(line)
        if option is None:
            raise BlockError(
                f"'{line.strip()[:80]}' is not an option of an argmap block: write "
                "'map: PATH' and, optionally, 'claim: ID'"
            )
        found[option[1]] = option[2].strip("'\"")
    if not found.get("map"):
        raise BlockError("the argmap block names no map: write 'map: PATH' (relative to the page)")
    return found["map"], found.get("claim") or None


def _problem(message: str, lines: list[str] | None = None) -> str:
    details = "".join(f"<li><code>{escape(printable(line))}</code></li>" for line in lines or [])
    return (
        '<div class="argmap-embed argmap-problem" role="note">'
        f"<p><strong>argmap:</strong> {escape(printable(message))}</p>"
        + (f"<ul>{details}</ul>" if details else "")
        + "</div>"
    )
