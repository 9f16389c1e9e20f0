"""The one door through which the editor, notebook and documentation integrations reach argmap's
stages (`argmap.lsp`, `argmap.notebook`, `argmap.mkdocs_plugin`).

Each function here composes the stages (load -> validate -> evaluate -> render) for one use and
hands back data: nothing prints, nothing is written. Keeping every such composition in this one
module means the integrations can be pointed at another composition of the stages (an
application layer) by editing this file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argmap.errors import ArgmapError, Diagnostic, InvalidMap
from argmap.evaluate import Evaluation, evaluate
from argmap.evaluate.pivotal import Pivotal, analyse
from argmap.load import MAX_BYTES, Loaded, parse, too_big
from argmap.pipeline import check
from argmap.validate import Validated, validate


@dataclass(frozen=True)
class Checked:
    """What `argmap check` finds in a text: the parsed data (None when it is not YAML at all),
    the valid map (None while it has errors), and every finding, in file order."""

    loaded: Loaded | None
    valid: Validated | None
    diagnostics: list[Diagnostic]
    inputs: frozenset[Path]


@dataclass(frozen=True)
class Opened:
    """A valid map and what argmap works out from it."""

    valid: Validated
    evaluation: Evaluation
    pivotal: Pivotal


def check_text(text: str, path: Path) -> Checked:
    """Check `text` as if it were the file at `path` (an editor's unsaved buffer): the same
    messages, severities and positions as `argmap check`, quotes checked against the source
    files beside `path` on disk."""
    name = str(path)
    size = len(text) if len(text) * 4 <= MAX_BYTES else len(text.encode("utf-8", "replace"))
    if size > MAX_BYTES:  # as read_map refuses a file this large, before parsing it
        return Checked(None, None, [too_big(name, size)], frozenset())
    try:
        loaded = parse(text.removeprefix("\ufeff"), name, path)
    except InvalidMap as e:
        return Checked(None, None, e.diagnostics, e.inputs)
    try:
        valid = validate(loaded)
    except InvalidMap as e:
        return Checked(loaded, None, e.diagnostics, e.inputs)
    except ArgmapError as e:  # not expected of validate; still a finding, never a crash
        return Checked(loaded, None, [Diagnostic(name, 1, 1, "error", str(e))], frozenset())
    return Checked(loaded, valid, valid.warnings, valid.inputs)


def work_out(valid: Validated, points: list[str] | None = None) -> Opened:
    """Standings of every point and the pivotal points of `points` (default: every claim)."""
    return Opened(valid, evaluate(valid.argmap), analyse(valid.argmap, points))


def open_map(path: Path, display: str | None = None) -> Opened:
    """The map at `path` (named `display` in messages), checked and evaluated; `InvalidMap`
    or `UsageError` when it cannot be used (read-only: nothing is written)."""
    return work_out(check(path, display or str(path)))


def picture(opened: Opened, claim: str | None = None, *, timeout: float | None = None) -> str:
    """The map's diagram (or one claim's own picture) as SVG text; `MissingTool` when Graphviz
    cannot draw it. No layout cache is read or written."""
    from argmap.errors import MissingTool
    from argmap.render import render

    name = "argmap.svg" if claim is None else f"claims/{claim}.svg"
    rendered = render(
        opened.valid,
        opened.evaluation,
        map_name=opened.valid.argmap.title,
        only=(name,),
        timeout=timeout,
        cache_dir=None,
    )
    if name not in rendered.files:
        raise rendered.problem or MissingTool("Graphviz drew no picture of this map")
    return rendered.files[name].decode("utf-8", "replace")
