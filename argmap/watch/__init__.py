"""`argmap watch`: rebuild on every save, and show the brief in a browser that reloads itself.

Watched: the map, the source files it names, and the templates folders (`--templates DIR` and
`templates/` beside the map). Each folder is watched by itself, not with everything below it,
so a map at the root of a large repository costs a handful of watches, not thousands.

Each save runs the same stages as `argmap build` (check, render, write) and hands the outcome,
a `Rebuild`, to a `Listener` (the command line's reporter: this module prints nothing). A map
saved in an invalid state leaves the last good outputs in place, and the watch goes on. What to
watch comes from validation (`Validated.inputs`, `InvalidMap.inputs`): the map and the source
files it names, as real paths.

The server is `argmap.watch.server`; every rebuild is `argmap.app.build`, as for `argmap build`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shlex
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

from argmap import app, outputs
from argmap.errors import ArgmapError, Diagnostic, Exit, InvalidMap, MissingTool, UsageError
from argmap.watch.server import (
    EVENTS,
    HOST,
    IDLE_TIMEOUT,
    MAX_CONNECTIONS,
    SCRIPT,
    SERVED,
    State,
    _abs,
    inject,
    read_output,
    serve,
)

__all__ = [
    "EVENTS",
    "HOST",
    "IDLE_TIMEOUT",
    "MAX_CONNECTIONS",
    "SCRIPT",
    "SERVED",
    "Listener",
    "Rebuild",
    "Rebuilder",
    "State",
    "inject",
    "read_output",
    "serve",
    "watch",
]

# A save reaches the page first: the brief is built and written, the page told of it; then
# the outputs the page does not read (argmap.json, the DOT, the SVG files), from the same
# layouts (the cache has them by then); the PNG last, after the page has reloaded.
PAGE: Final = ("brief.html",)
FIRST: Final = tuple(o.name for o in outputs.BUILT if not o.later_in_watch)
REST: Final = tuple(name for name in FIRST if name not in PAGE)
LATER: Final = tuple(o.name for o in outputs.BUILT if o.later_in_watch)
# How long the folder must be quiet before a save is rebuilt, in ms (watchfiles' `step`, 50 by
# default, which was half of a seed map's save -> page; then 15): an editor's save is a burst of
# events within a millisecond or two; two bursts further apart make two rebuilds, the last one
# right.
SETTLE_MS: Final = 8
# How long the other outputs wait for an open page to reload (its live script opens a new event
# stream once the page is read), in seconds; the next save waits no longer than this either.
RELOAD_WAIT: Final = 0.5
_IGNORED_NAME: Final = re.compile(r"^\.|~$|\.sw.$|\.tmp$|^4913$")  # editors' scratch files


@dataclass(frozen=True)
class Rebuild:
    """How one rebuild went."""

    map_path: Path
    at: str  # the time of day it finished, HH:MM:SS
    seconds: float
    ok: bool  # the outputs were written
    findings: list[Diagnostic]  # the map's errors and warnings
    failure: ArgmapError | str | None  # what stopped the build, or (if ok) why a picture is missing
    written: list[Path]
    notes: list[str] = field(default_factory=list)  # about the pictures (a PNG left out, ...)

    def lines(self) -> list[str]:
        """The findings and the failure, as the page's overlay shows them."""
        failure = [f"argmap: {self.failure}"] if self.failure else []
        return [str(d) for d in self.findings] + failure


class Listener(Protocol):
    """Who hears how the watch goes (`argmap.report.Reporter`)."""

    def rebuilt(self, rebuild: Rebuild) -> None: ...

    def waiting(self, folder: Path) -> Callable[[], None]: ...

    def serving(self, url: str) -> None: ...


class _Silent:
    def rebuilt(self, rebuild: Rebuild) -> None:
        pass

    def waiting(self, folder: Path) -> Callable[[], None]:
        return lambda: None

    def serving(self, url: str) -> None:
        pass


class Rebuilder:
    """Rebuilds one map through `argmap.app` on every save; knows what a rebuild reads."""

    def __init__(
        self,
        map_path: Path,
        out_dir: Path,
        state: State,
        *,
        templates: Path | None = None,
        strict: bool = False,
        dot_timeout: float | None = None,
        inside: Path | None = None,
        on_build: Callable[[Rebuild], None] | None = None,
        waiting: Callable[[], None] | None = None,
        cache: bool = True,
        since: str | None = None,
    ) -> None:
        self.map_path = map_path
        self.options = app.Options(
            map_path,
            out_dir=None if inside is not None else out_dir,
            templates=templates,
            dot_timeout=dot_timeout,
            cache=cache,
            strict=strict,
            since=since,
        )
        # the outputs besides the page: `--since` marks only the page's points
        self.others = dataclasses.replace(self.options, since=None)
        self.waiting = waiting  # called when the output folder is taken by another argmap
        self.map_file = map_path.resolve()
        self.on_build = on_build or _Silent().rebuilt
        self.out_dir = out_dir
        self.inside = inside  # the map's folder, when the output folder is the default one
        self.state = state
        self.templates = templates
        self.strict = strict
        self.dot_timeout = dot_timeout
        self.map_dir = self.map_file.parent
        self.sources: set[Path] = set()
        self._pending: app.Checked | None = None  # for the PNG, once the page is published
        self._back: tuple[int, int] | None = None  # pages open, pages back: as it was published

    def rebuild(self) -> bool:
        """Check, render and write; hand the outcome to `on_build`; True if written."""
        started = time.perf_counter()
        findings: list[Diagnostic] = []
        failure: ArgmapError | str | None = None
        written: list[Path] = []
        notes: list[str] = []
        ok = False
        try:
            findings, written, problem, notes = self._run()
            failure, ok = problem, True
        except InvalidMap as e:
            findings = e.diagnostics
            self.sources |= {p for p in e.inputs if p != self.map_file}
        except ArgmapError as e:
            failure = e
        except Exception as e:  # a template of the user's, or a bug: the watch must go on
            failure = f"the build failed: {type(e).__name__}: {e}"
        if ok:  # the page was told of it once in place; the outputs it does not read follow
            if self._back is None:
                self._published()
            pages, returns = self._back or (0, 0)
            if pages:  # on 2 busy cores, writing them slowed the page down by as much
                self.state.reloaded(returns, RELOAD_WAIT)
            more, rest_failure, later = self._draw_rest()
            written, failure = [*written, *more], failure or rest_failure
            notes += [n for n in later if n not in notes]
        rebuild = Rebuild(
            map_path=self.map_path,
            at=time.strftime("%H:%M:%S"),
            seconds=time.perf_counter() - started,
            ok=ok,
            findings=findings,
            failure=failure,
            written=written,
            notes=notes,
        )
        self.on_build(rebuild)
        if ok:
            self._draw_png()
        else:
            self.state.publish(ok=False, errors=rebuild.lines())
        return ok

    def _published(self) -> None:
        """The page is in place (renamed, not yet flushed): the open pages update now."""
        self._back = (self.state.streams, self.state.returns)
        self.state.publish(ok=True, errors=[])

    def _draw_rest(self) -> tuple[list[Path], ArgmapError | None, list[str]]:
        """The outputs of `REST`, from the map just built into the page; what was written,
        why a picture is missing or nothing was written (an output that would replace an
        input file, say), and notes about the pictures. Their layouts are the page's, in the
        cache since the page was written."""
        pending = self._pending
        if pending is None:
            return [], None, []
        try:
            built = app.build(self.others, only=REST, waiting=self.waiting, checked=pending)
        except ArgmapError as e:  # the page was written: the failure says why the rest was not
            return [], e, []
        return list(built.written), built.problem, list(built.notes)

    def _draw_png(self) -> None:
        """The outputs the page does not use (the PNG), drawn after it has reloaded: painting
        the PNG is most of a small map's Graphviz time. Made by the same `app.build`, from
        the map just built; one that cannot be drawn leaves the last one (the build's own
        line said why, if dot did)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        with contextlib.suppress(ArgmapError):
            app.build(self.others, only=LATER, waiting=self.waiting, checked=pending)

    def _run(self) -> tuple[list[Diagnostic], list[Path], MissingTool | None, list[str]]:
        """The pipeline (`argmap.app.build`, as `argmap build` runs it) for the page alone
        (`PAGE`): the warnings, what was written, why a picture is missing, and notes about
        the pictures. `_draw_rest` and `_draw_png` make the other outputs after it."""
        self._pending, self._back = None, None
        built = app.build(self.options, only=PAGE, waiting=self.waiting, placed=self._published)
        self.sources = {p for p in built.checked.valid.inputs if p != self.map_file}
        self._pending = built.checked
        since = [f"{built.since_problem}"] if built.since_problem is not None else []
        return built.warnings, list(built.written), built.problem, [*since, *built.notes]

    def template_roots(self) -> list[Path]:
        return [_abs(d) for d in (self.templates, self.map_dir / "templates") if d is not None]

    def folders(self) -> list[str]:
        """The folders to watch, each by itself (not recursively)."""
        found = {self.map_dir, *(p.parent for p in self.sources)}
        for root in self.template_roots():
            found.update(Path(d) for d, _, _ in _walk(root))
        return sorted(str(f) for f in found if f.is_dir())

    def relevant(self, _change: object, path: str) -> bool:
        """Whether a change at `path` calls for a rebuild (a watchfiles filter)."""
        changed = Path(path)
        if changed == self.map_file or any(s.is_relative_to(changed) for s in self.sources):
            return True  # the map, a source file, or a folder made for one
        if _IGNORED_NAME.search(changed.name) or changed.is_relative_to(_abs(self.out_dir)):
            return False
        return any(changed.is_relative_to(root) for root in self.template_roots())


def watch(
    map_path: Path,
    out_dir: Path | None,
    *,
    port: int | None,
    templates: Path | None,
    once_ready: Callable[[str | None], None] | None = None,
    stop: threading.Event | None = None,
    strict: bool = False,
    dot_timeout: float | None = None,
    listener: Listener | None = None,
    cache: bool = True,
    since: str | None = None,
) -> int:
    """Build, serve (unless `port` is None; 0 picks a free port), and rebuild on every save
    until `stop` is set or Ctrl-C. `once_ready` gets the page's URL (None when not serving)
    once the first build is done and saves are being watched. `strict`, `dot_timeout`,
    `cache` (keep layouts in OUT/.cache/) and `since` are as for `argmap build`; `out_dir`
    None means out/ beside the map, which must not lead out of the map's folder. How each
    rebuild went goes to `listener`. Returns `Exit.INTERRUPTED` after Ctrl-C, else `Exit.OK`."""
    listener = listener or _Silent()
    inside = None if out_dir is not None else map_path.parent
    out_dir = out_dir if out_dir is not None else map_path.parent / "out"
    try:
        import watchfiles
    except ImportError:
        python = shlex.quote(sys.executable)  # the Python this argmap runs in, so pip's there
        raise MissingTool(
            "argmap watch needs the watchfiles package; install it where argmap runs: "
            f"{python} -m pip install 'watchfiles>=0.21' (or, in argmap's folder, `make watch`)"
        ) from None
    if not map_path.is_file():
        raise UsageError(f"{map_path}: no such file; start one with: argmap new {map_path}")
    stop = stop or threading.Event()
    state = State()
    rebuilder = Rebuilder(
        map_path,
        out_dir,
        state,
        templates=templates,
        strict=strict,
        dot_timeout=dot_timeout,
        inside=inside,
        on_build=listener.rebuilt,
        waiting=listener.waiting(out_dir),
        cache=cache,
        since=since,
    )
    # a save from now on may come before the watcher is in place: `_saved_since` looks again
    started, before = time.time_ns(), _signature(rebuilder.map_file)
    rebuilder.rebuild()
    server = serve(out_dir, port, state, inside=inside) if port is not None else None
    url = f"http://{HOST}:{server.server_port}/" if server else None
    if url:
        listener.serving(url)
    ready = once_ready
    catch_up = False  # rebuild once the watcher is back: a save may have come in between
    try:
        while not stop.is_set():
            folders = rebuilder.folders()
            try:
                for changes in watchfiles.watch(
                    *folders,
                    watch_filter=rebuilder.relevant,
                    recursive=False,
                    stop_event=stop,
                    rust_timeout=500,
                    step=SETTLE_MS,
                    yield_on_timeout=True,
                ):
                    if started:  # the first yield: the watcher is in place
                        catch_up = catch_up or _saved_since(rebuilder, started, before)
                        started = 0
                    if ready is not None:  # the first yield: the watcher is in place
                        ready(url)
                        ready = None
                    if changes or catch_up:
                        rebuilder.rebuild()
                        catch_up = rebuilder.folders() != folders
                        if catch_up:
                            break  # a source in a new folder, or a new templates folder
            except FileNotFoundError:  # a folder went away as the watcher started
                catch_up = True
                stop.wait(0.2)
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    finally:
        if server:
            state.close()
            server.shutdown()
            server.server_close()
    return Exit.OK


def _walk(root: Path, limit: int = 100) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk`, at most `limit` folders (a templates folder holds a few)."""
    for n, entry in enumerate(os.walk(root)):
        if n >= limit:
            return
        yield entry


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _saved_since(builder: Rebuilder, started: int, before: tuple[int, int] | None) -> bool:
    """Whether the map (its modification time and size, `before` the first build) or a source
    file (modified after `started`, time.time_ns()) was saved since the first build began: a
    save between that build's read and the watcher's start made no event, and was lost."""
    if _signature(builder.map_file) != before:
        return True
    return any((_signature(p) or (0, 0))[0] >= started for p in builder.sources)
