"""The app layer: the stages composed once, for `argmap build`, `export`, `watch` and Python.

    load -> validate -> evaluate (+ the pivotal points, when an output needs them) -> render
    -> write (the outputs, then the layout cache)

Every command that makes outputs calls `build` (or `export`, for one output); so does
`argmap watch` on every save, and so may a library user:

    from argmap import app
    result = app.build(app.Options(Path("claims.yaml")))
    result.brief, result.counts, result.written, result.problem

Nothing here prints or exits: the options arrive as plain values (the CLI resolves flags and
the environment), the outcome comes back as a `Built` for the caller to report, and failures
are raised as `argmap.errors.ArgmapError`s (`InvalidMap`, `UsageError`, ...).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from argmap import outputs
from argmap.errors import ArgmapError, Diagnostic, InvalidMap, MissingTool, UsageError
from argmap.evaluate import Evaluation, evaluate
from argmap.pipeline import check
from argmap.text import printable, shown
from argmap.validate import Validated, did_you_mean
from argmap.write import refuse_inputs, write_all, write_file

if TYPE_CHECKING:
    from argmap.diff import MapDiff
    from argmap.evaluate.pivotal import Pivotal
    from argmap.model import Standing
    from argmap.render import Rendered


@dataclass(frozen=True)
class Project:
    """Where a map's outputs go by default and what they must never write over."""

    out: str = "out"  # the output folder, beside the map, when none is given
    cache: str = ".cache"  # inside the output folder: the layouts of earlier builds
    schema: str = "claims.schema.json"  # beside the map (`argmap new` writes it)

    def out_dir(self, map_path: Path) -> Path:
        return map_path.parent / self.out

    def inputs(self, map_path: Path, valid: Validated | None = None) -> dict[Path, str]:
        """The files an output must never replace, each in words: the map, its schema and
        the files of its sources."""
        schema = map_path.parent / self.schema
        found: dict[Path, str] = {
            map_path: f"the map ({printable(str(map_path))})",
            schema: f"the map's schema ({printable(str(schema))})",
        }
        if valid is None:
            return found
        for s in valid.argmap.sources:
            if s.file:
                what = f"the file of source '{s.id}' ({printable(s.file)})"
                found.setdefault(valid.map_dir / s.file, what)
        return found


PROJECT: Final = Project()


@dataclass(frozen=True)
class Options:
    """What to build, as plain values. `out_dir` None: `Project.out` beside the map, which
    must then not lead out of the map's folder. `dot_timeout` None: render's default.
    `since`: a git revision of the map whose changes the brief marks."""

    map_path: Path = Path("claims.yaml")
    out_dir: Path | None = None
    templates: Path | None = None
    dot_timeout: float | None = None
    cache: bool = True
    strict: bool = False
    since: str | None = None
    collapse: bool = True  # many findings of one kind as a few and a count (False: --verbose)


@dataclass(frozen=True)
class Checked:
    """A map loaded, validated and evaluated (with its pivotal points, if they were needed)."""

    valid: Validated
    evaluation: Evaluation
    pivotal: Pivotal | None = None


@dataclass(frozen=True)
class Built:
    """How a build went: what was written, why a picture is missing (`problem`, exit 3),
    notes about the pictures, and why `--since` marks nothing (`since_problem`)."""

    checked: Checked
    out_dir: Path | None
    written: tuple[Path, ...] = ()
    problem: MissingTool | None = None
    notes: tuple[str, ...] = ()
    since_problem: ArgmapError | None = None
    data: dict[str, bytes] = field(default_factory=dict, repr=False)  # what was rendered

    @property
    def brief(self) -> Path | None:
        return next((p for p in self.written if p.name == "brief.html"), None)

    @property
    def counts(self) -> dict[Standing, int]:
        return self.checked.evaluation.counts()

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(self.checked.valid.warnings)


def load(options: Options, on_valid: Callable[[Validated], None] | None = None) -> Validated:
    """Stages 1 and 2; `on_valid` hears the valid map (to report its warnings at once)."""
    valid = check(
        options.map_path, str(options.map_path), strict=options.strict, collapse=options.collapse
    )
    if on_valid is not None:
        on_valid(valid)
    return valid


def evaluated(valid: Validated, wanted: Collection[str]) -> Checked:
    """Stage 3, with the pivotal points when one of the `wanted` outputs needs them."""
    from argmap.evaluate.pivotal import analyse

    pivotal = analyse(valid.argmap) if "pivotal" in outputs.needs(wanted) else None
    return Checked(valid, evaluate(valid.argmap), pivotal)


def build(
    options: Options,
    project: Project = PROJECT,
    *,
    only: Collection[str] = outputs.NAMES,
    on_valid: Callable[[Validated], None] | None = None,
    waiting: Callable[[], None] | None = None,
    checked: Checked | None = None,
    placed: Callable[[], None] | None = None,
) -> Built:
    """Every output named in `only` (`argmap.outputs` names) into the output folder, as a
    set, then the new layouts into its cache. `checked` skips stages 1-3 (watch draws the
    PNG after the page with the map it has just built); `placed` hears when the outputs are
    in place, before they are flushed to the disk (`argmap.write.write_all`)."""
    out_dir = options.out_dir or project.out_dir(options.map_path)
    inside = None if options.out_dir else options.map_path.parent
    if "layout" in outputs.needs(only):
        _ask_dot(options.dot_timeout)
    if checked is None:
        valid = load(options, on_valid)
        inputs = project.inputs(options.map_path, valid)
        refuse_inputs([out_dir / n for n in only if n != outputs.CLAIMS], inputs)  # before work
        checked = evaluated(valid, only)
    inputs = project.inputs(options.map_path, checked.valid)
    since_problem, changes = None, None
    if options.since is not None:
        changes, since_problem = _since(options, options.since, checked)
    cache = out_dir / project.cache if options.cache else None
    rendered = _render(options, checked, only, cache, changes)
    written = write_all(
        out_dir,
        rendered.files,
        inside=inside,
        inputs=inputs,
        waiting=waiting,
        keep=rendered.keep,
        placed=placed,
    )
    _keep_layouts(rendered, cache)
    return Built(
        checked,
        out_dir,
        tuple(written),
        rendered.problem,
        tuple(rendered.notes),
        since_problem,
        rendered.files,
    )


def export(
    options: Options,
    name: str,
    project: Project = PROJECT,
    *,
    to: Path | None = None,
    stream: bool = False,
    on_valid: Callable[[Validated], None] | None = None,
) -> Built:
    """One output (an `argmap.outputs` name, or "claims/ID.svg" / "claims/ID.dot"), written
    to `to`, or by default as NAME in the default output folder (whose layout cache it uses);
    with `stream`, only rendered (`Built.data`), for the caller to stream to standard output."""
    valid = load(options, on_valid)
    default_out = project.out_dir(options.map_path)
    path = to if to is not None else default_out / name
    inside = None if to is not None else options.map_path.parent
    inputs = project.inputs(options.map_path, valid)
    if not stream:
        refuse_inputs([path], inputs)  # before the work of rendering
    checked = evaluated(valid, [name])
    # The cache lives in the default output folder; an export elsewhere makes none.
    chosen = to is not None or stream
    cache = default_out / project.cache if options.cache and not chosen else None
    rendered = _render(options, checked, [name], cache, None)
    written: tuple[Path, ...] = ()
    if name in rendered.files and not stream:
        if not write_file(path, rendered.files[name], inside=inside, inputs=inputs):
            written = (path,)  # not for a device or pipe: it may be this very output
        _keep_layouts(rendered, cache)
    return Built(
        checked, path.parent, written, rendered.problem, tuple(rendered.notes), None, rendered.files
    )


def export_other(
    options: Options,
    fmt: str,
    project: Project = PROJECT,
    *,
    to: Path | None = None,
    stream: bool = False,
) -> tuple[bytes, tuple[Path, ...]]:
    """Another tool's format (`outputs.interchange_formats`), made from the map alone and
    written to `to` (by default its file in the default output folder; with `stream`, not
    written); its bytes and the file written."""
    from argmap.interchange.exports import EXPORTS

    valid = load(options)
    data = EXPORTS[fmt].write(valid.argmap, valid.map_dir).encode()
    if stream:
        return data, ()
    path = to if to is not None else project.out_dir(options.map_path) / EXPORTS[fmt].file
    inside = None if to is not None else options.map_path.parent
    inputs = project.inputs(options.map_path, valid)
    return data, () if write_file(path, data, inside=inside, inputs=inputs) else (path,)


def claim_output(valid: Validated, claim: str, fmt: str) -> str:
    """The output name of one claim's picture ("claims/ID.svg"), or `UsageError`."""
    claims = [c.id for c in valid.argmap.claims]
    if fmt not in ("svg", "dot"):
        raise UsageError(f"--claim draws a claim's diagram as svg or dot, not {fmt}")
    if claim not in claims:
        hint = did_you_mean(claim, claims) or f"; the claims are: {', '.join(claims[:12])}"
        raise UsageError(f"--claim {claim[:60]!r} is not a claim of this map{hint}")
    return outputs.claim_picture(claim, fmt)


def open_map(path: str | Path, *, strict: bool = False) -> dict[str, Any]:
    """A map as plain Python data: the JSON export's content (format argmap/1, documented in
    docs/FORMAT.md), with every point's standing and reason and the pivotal points. Raises
    `InvalidMap` (its `diagnostics` say where and why) or `UsageError`; writes nothing.

    This is `argmap.open`, for notebooks and scripts."""
    from argmap.render.export import to_json

    options = Options(Path(path), strict=strict)
    checked = evaluated(load(options), ["argmap.json"])
    data: dict[str, Any] = json.loads(
        to_json(checked.valid.argmap, checked.evaluation, checked.pivotal)
    )
    return data


def _render(
    options: Options,
    checked: Checked,
    only: Collection[str],
    cache_dir: Path | None,
    changes: MapDiff | None,
) -> Rendered:
    from argmap.render import render

    return render(
        checked.valid,
        checked.evaluation,
        map_name=options.map_path.name,
        templates=options.templates,
        only=only,
        timeout=options.dot_timeout,
        cache_dir=cache_dir,
        pivotal=checked.pivotal,
        changes=changes,
    )


def _ask_dot(timeout: float | None) -> None:
    """Graphviz's version (part of every layout's cache key), asked in the background."""
    from argmap.render.diagram import resolve_timeout
    from argmap.render.dot_process import ask_version

    with contextlib.suppress(UsageError):  # a bad timeout is said by the render, in order
        ask_version(resolve_timeout(timeout))


def _keep_layouts(rendered: Rendered, cache_dir: Path | None) -> None:
    """The new layouts into the cache, once the outputs are written (write's job)."""
    if cache_dir is not None and rendered.layouts is not None:
        from argmap.write.cache import keep_layouts

        keep_layouts(cache_dir, rendered.layouts)


def _since(
    options: Options, since: str, checked: Checked
) -> tuple[MapDiff | None, ArgmapError | None]:
    """This map compared with its revision `since`; or why it cannot be."""
    from argmap.diff import Side, Spec, compare, read_side

    old = Spec(options.map_path, since)
    try:
        before = read_side(old)
    except InvalidMap as e:
        errors = sum(d.severity == "error" for d in e.diagnostics)
        return None, ArgmapError(
            f"--since {shown(since)}: the map at that revision ({old.label}) has "
            f"{errors} error{'s' * (errors != 1)}, so the brief does not mark changes "
            f"(argmap diff {shown(since)} lists them)"
        )
    return compare(before, Side(Spec(options.map_path), checked.valid, checked.evaluation)), None
