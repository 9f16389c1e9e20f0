"""`argmap watch`: rebuild on every save, and show the brief in a browser that reloads itself.

Watched: the map, the source files it names, and the templates folders (`--templates DIR` and
`templates/` beside the map). Each folder is watched by itself, not with everything below it,
so a map at the root of a large repository costs a handful of watches, not thousands.

Each save runs the same stages as `argmap build` (check, render, write) and hands the outcome,
a `Rebuild`, to a `Listener` (the command line's reporter: this module prints nothing). A map
saved in an invalid state leaves the last good outputs in place, and the watch goes on. What to
watch comes from validation (`Validated.inputs`, `InvalidMap.inputs`): the map and the source
files it names, as real paths.

The server (`http.server`, 127.0.0.1 only) serves the files a build writes, by name (`SERVED`),
each only if it is a regular file in the output folder: no other name, no link followed, no
folder listed, so a link planted in `out/` cannot show anything else. The brief it serves, never
the file on disk, carries one extra script tag; that script listens to `/__argmap/events`
(Server-Sent Events), reloads the page when a newer build has been written, and lays the
errors over the page while the map is invalid.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import shlex
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any, Final, Protocol, cast
from urllib.parse import urlsplit

from argmap.errors import ArgmapError, Diagnostic, Exit, InvalidMap, MissingTool, UsageError
from argmap.evaluate import Evaluation, evaluate
from argmap.evaluate.pivotal import analyse
from argmap.pipeline import check
from argmap.render import OUTPUTS, render
from argmap.render.csp import widen
from argmap.text import printable
from argmap.validate import Validated
from argmap.write import write_all

HOST: Final = "127.0.0.1"
EVENTS: Final = "/__argmap/events"
SCRIPT: Final = "/__argmap/live.js"
KEEPALIVE: Final = 15.0  # seconds between comments on an idle event stream
_BODY_END: Final = re.compile(rb"</body\s*>", re.I)
# What the server serves: the files a build writes, by name, and nothing else.
SERVED: Final = {
    "brief.html": "text/html; charset=utf-8",
    "argmap.svg": "image/svg+xml",
    "argmap.png": "image/png",
    "argmap.json": "application/json",
    "argmap.dot": "text/vnd.graphviz; charset=utf-8",
}
LIVE_POLICY: Final = {"script-src": "'self'", "connect-src": "'self'"}
_IGNORED_NAME: Final = re.compile(r"^\.|~$|\.sw.$|\.tmp$|^4913$")  # editors' scratch files

LIVE_JS: Final = """\
(() => {
  const built = document.currentScript.dataset.build;
  let box = null;
  const show = (errors) => {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1em 1.5em;background:#7f1d1d;color:#fff;" +
        "font:14px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px #0006";
      document.body.append(box);
    }
    const head = document.createElement("strong");
    head.textContent = "The map has errors: this page is the last good build. Fix and save.";
    const list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;font:13px/1.5 monospace;margin:.5em 0 0";
    list.textContent = errors.join("\\n");
    box.replaceChildren(head, list);
  };
  const events = new EventSource("/__argmap/events");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (state.good !== built) location.reload();
    else if (!state.ok) show(state.errors);
    else if (box) { box.remove(); box = null; }
  };
})();
"""

PLACEHOLDER: Final = (
    b'<!doctype html><html lang="en"><meta charset="utf-8"><title>argmap watch</title>'
    b"<body><p>No brief yet: the map has not built. Fix the errors and save.</p></body></html>"
)


def inject(html: bytes, build: str) -> bytes:
    """The page with the live-reload script added before its last `</body>`, and allowed by
    the page's Content-Security-Policy, with the event stream it listens to.

    >>> inject(b"<p>x</p></BODY></html>", "b1")
    b'<p>x</p><script src="/__argmap/live.js" data-build="b1"></script></BODY></html>'
    """
    tag = f'<script src="{SCRIPT}" data-build="{build}"></script>'.encode()
    ends = list(_BODY_END.finditer(html))
    at = ends[-1].start() if ends else len(html)
    page = (html[:at] + tag + html[at:]).decode("utf-8", "surrogateescape")
    return widen(page, LIVE_POLICY).encode("utf-8", "surrogateescape")


def read_output(folder: Path, name: str, inside: Path | None = None) -> bytes | None:
    """The output `name` in `folder` if it is a regular file there (not a link, a pipe or a
    folder), else None; None too if `inside` is given and `folder` leads out of it. Each
    output is replaced whole by a rename, so one open reads a whole file, old or new."""
    if inside is not None and not _abs(folder).resolve().is_relative_to(inside.resolve()):
        return None
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(folder / name, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read()


class State:
    """The latest build, shared between the watch loop and the server's threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._boot = secrets.token_hex(4)  # so a page from an earlier watch reloads too
        self.seq = 0  # builds finished, good or not
        self.good = ""  # the id of the last build written ("" before any)
        self.ok = False
        self.errors: list[str] = []
        self.closed = False

    def publish(self, *, ok: bool, errors: list[str]) -> None:
        with self._changed:
            self.seq += 1
            if ok:
                self.good = f"{self._boot}-{self.seq}"
            self.ok, self.errors = ok, errors
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def after(self, seq: int, timeout: float) -> dict[str, Any] | None:
        """The state once a build after `seq` has finished (or as it is when `timeout` runs
        out); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.seq != seq, timeout)
            if self.closed:
                return None
            return {"seq": self.seq, "good": self.good, "ok": self.ok, "errors": self.errors}


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


class Builder:
    """Runs the pipeline for one map and knows which paths a rebuild depends on."""

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
    ) -> None:
        self.map_path = map_path
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
        # Layouts kept between saves: a save redraws only the pictures whose DOT changed.
        self.cache_dir = out_dir / ".cache" if cache else None
        self._pending: tuple[Validated, Evaluation] | None = None  # for the PNG, once published
        self._inputs: dict[Path, str] = {}  # the files no output may replace

    def build(self) -> bool:
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
        self.state.publish(ok=ok, errors=[] if ok else rebuild.lines())
        if ok:
            self._draw_png()
        return ok

    def _draw_png(self) -> None:
        """The PNG, drawn after the page has reloaded: the brief does not use it, and painting
        it is most of a small map's Graphviz time. Its layout is cached like the others; a PNG
        that cannot be drawn leaves the last one (the build's own line said why, if dot did)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        with contextlib.suppress(ArgmapError):
            rendered = render(
                *pending,
                map_name=self.map_path.name,
                templates=self.templates,
                only=("argmap.png",),
                timeout=self.dot_timeout,
                cache_dir=self.cache_dir,
            )
            write_all(
                self.out_dir,
                rendered.files,
                inside=self.inside,
                inputs=self._inputs,
                waiting=self.waiting,
            )
            rendered.keep_layouts()

    def _run(self) -> tuple[list[Diagnostic], list[Path], MissingTool | None, list[str]]:
        """The pipeline: the warnings, what was written, why a picture is missing, and notes
        about the pictures. All but the PNG, which `_draw_png` makes after the reload."""
        valid = check(self.map_path, str(self.map_path), strict=self.strict)
        self.sources = {p for p in valid.inputs if p != self.map_file}
        evaluation = evaluate(valid.argmap)
        rendered = render(
            valid,
            evaluation,
            map_name=self.map_path.name,
            templates=self.templates,
            only=[name for name in OUTPUTS if name != "argmap.png"],
            timeout=self.dot_timeout,
            cache_dir=self.cache_dir,
            pivotal=analyse(valid.argmap),
        )
        schema = self.map_path.parent / "claims.schema.json"
        self._inputs = {
            self.map_path: f"the map ({printable(str(self.map_path))})",
            schema: f"the map's schema ({printable(str(schema))})",
            **{s: f"a source file of the map ({printable(str(s))})" for s in self.sources},
        }
        written = write_all(
            self.out_dir,
            rendered.files,
            inside=self.inside,
            inputs=self._inputs,
            waiting=self.waiting,
            keep=rendered.keep,
        )
        rendered.keep_layouts()
        self._pending = (valid, evaluation)
        return valid.warnings, written, rendered.problem, rendered.notes

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
) -> int:
    """Build, serve (unless `port` is None; 0 picks a free port), and rebuild on every save
    until `stop` is set or Ctrl-C. `once_ready` gets the page's URL (None when not serving)
    once the first build is done and saves are being watched. `strict`, `dot_timeout` and
    `cache` (keep layouts in OUT/.cache/) are as for `argmap build`; `out_dir` None means out/
    beside the map, which must not lead out of the map's folder. How each rebuild went goes to
    `listener`. Returns `Exit.INTERRUPTED` after Ctrl-C, else `Exit.OK`."""
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
    builder = Builder(
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
    )
    # a save from now on may come before the watcher is in place: `_saved_since` looks again
    started, before = time.time_ns(), _signature(builder.map_file)
    builder.build()
    server = serve(out_dir, port, state, inside=inside) if port is not None else None
    url = f"http://{HOST}:{server.server_port}/" if server else None
    if url:
        listener.serving(url)
    ready = once_ready
    catch_up = False  # rebuild once the watcher is back: a save may have come in between
    try:
        while not stop.is_set():
            folders = builder.folders()
            try:
                for changes in watchfiles.watch(
                    *folders,
                    watch_filter=builder.relevant,
                    recursive=False,
                    stop_event=stop,
                    rust_timeout=500,
                    yield_on_timeout=True,
                ):
                    if started:  # the first yield: the watcher is in place
                        catch_up = catch_up or _saved_since(builder, started, before)
                        started = 0
                    if ready is not None:  # the first yield: the watcher is in place
                        ready(url)
                        ready = None
                    if changes or catch_up:
                        builder.build()
                        catch_up = builder.folders() != folders
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # skip HTTPServer's reverse DNS look-up of the host
        self.server_name, self.server_port = HOST, int(self.server_address[1])


def serve(
    out_dir: Path, port: int, state: State, *, inside: Path | None = None
) -> ThreadingHTTPServer:
    """Serve the outputs in `out_dir` on 127.0.0.1:`port` from a background thread; with
    `inside`, only while `out_dir` does not lead out of that folder through a link."""
    handler = functools.partial(_Handler, state=state, directory=out_dir, inside=inside)
    try:
        server = _Server((HOST, port), handler)
    except OSError as e:
        raise UsageError(
            f"cannot serve on {HOST}:{port} ({e.strerror}); choose another port with "
            "--port N, or use --no-serve"
        ) from None
    threading.Thread(target=server.serve_forever, name="argmap-serve", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    """GET of the live-reload script, the event stream and the files in `SERVED`, nothing else:
    no folder is listed, no link followed, no other name looked up."""

    def __init__(
        self, *args: Any, state: State, directory: Path, inside: Path | None, **kwargs: Any
    ) -> None:
        self.state = state
        self.directory = directory
        self.inside = inside
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        port = cast(HTTPServer, self.server).server_port
        if self.headers.get("Host", f"{HOST}:{port}") not in (
            f"{HOST}:{port}",
            f"localhost:{port}",
        ):
            self.send_error(HTTPStatus.FORBIDDEN, "argmap watch answers only to 127.0.0.1")
        elif path == EVENTS:
            self._events()
        elif path == SCRIPT:
            self._send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
        elif path in ("/", "/brief.html"):
            build = self.state.good  # read before the file, so a newer file only reloads again
            page = read_output(self.directory, "brief.html", self.inside) or PLACEHOLDER
            self._send(inject(page, build), SERVED["brief.html"])
        elif path.startswith("/") and path[1:] in SERVED:
            body = read_output(self.directory, path[1:], self.inside)
            if body is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not built (yet)")
            else:
                self._send(body, SERVED[path[1:]])
        else:
            self.send_error(HTTPStatus.NOT_FOUND, "argmap watch serves only the files it writes")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seq = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while (now := self.state.after(seq, KEEPALIVE)) is not None:
                if now["seq"] == seq:
                    self.wfile.write(b": still watching\n\n")
                else:
                    self.wfile.write(f"data: {json.dumps(now)}\n\n".encode())
                    seq = now["seq"]
                self.wfile.flush()
        except OSError:  # the browser went away
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build results."""


def _abs(path: Path) -> Path:
    return path.resolve()  # as validation names the inputs: real paths


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


def _saved_since(builder: Builder, started: int, before: tuple[int, int] | None) -> bool:
    """Whether the map (its modification time and size, `before` the first build) or a source
    file (modified after `started`, time.time_ns()) was saved since the first build began: a
    save between that build's read and the watcher's start made no event, and was lost."""
    if _signature(builder.map_file) != before:
        return True
    return any((_signature(p) or (0, 0))[0] >= started for p in builder.sources)
