"""The server of `argmap watch` (`http.server`, 127.0.0.1 only).

It serves the files a build writes, by name (`argmap.outputs`: `SERVED` and every
`claims/ID.svg`), each only if it is a regular file in the output folder (or its claims/
folder, itself no link): no other name, no link followed, no folder listed, so a link planted
in `out/` cannot show anything else. The brief it serves, never the file on disk, carries one
extra script tag; that script (`live.js`, beside this module) listens to `/__argmap/events`
(Server-Sent Events), brings the page up to date when a newer build has been written (it
patches the open page when only words and attributes changed, and reloads it otherwise; then
it says so at `/__argmap/shown`), and lays the errors over the page while the map is invalid.
A connection that sends half a request is closed after `IDLE_TIMEOUT`; at most
`MAX_CONNECTIONS` are served at once.
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import stat
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any, Final, cast
from urllib.parse import urlsplit

from argmap import outputs
from argmap.errors import UsageError
from argmap.render.csp import widen

HOST: Final = "127.0.0.1"
EVENTS: Final = "/__argmap/events"
SCRIPT: Final = "/__argmap/live.js"
SHOWN: Final = "/__argmap/shown"  # the live script's word that a new build is on screen
KEEPALIVE: Final = 15.0  # seconds between comments on an idle event stream
# A connection that sends nothing (or half a request) for this long is closed, and so is one
# that does not take what is sent to it; at most MAX_CONNECTIONS are served at once.
IDLE_TIMEOUT: Final = 20.0
MAX_CONNECTIONS: Final = 32
_BODY_END: Final = re.compile(rb"</body\s*>", re.I)
# What the server serves: the files a build writes (argmap.outputs), by name, and nothing else.
SERVED: Final = {o.name: o.media_type for o in outputs.BUILT if o.served and o.name[-1] != "/"}
LIVE_POLICY: Final = {"script-src": "'self'", "connect-src": "'self'"}
LIVE_JS: Final = (Path(__file__).parent / "live.js").read_text("utf-8")

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


def read_output(
    folder: Path, name: str, inside: Path | None = None, *, top: Path | None = None
) -> bytes | None:
    """The output `name` in `folder` if it is a regular file there (not a link, a pipe or a
    folder), else None; None too if `inside` is given and `folder` leads out of it, or if
    `folder` is a subfolder of the output folder `top` (claims/) that is not a real folder.
    Each output is replaced whole by a rename, so one open reads a whole file, old or new."""
    if inside is not None and not _abs(folder).resolve().is_relative_to(inside.resolve()):
        return None
    if top is not None and folder != top:
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a link is not followed
                return None
        except OSError:
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
        self.streams = 0  # event streams open now: pages showing the brief
        self.connects = 0  # event streams opened so far: a reloaded page opens one
        self.returns = 0  # pages back since the start: streams opened, and pages patched

    def publish(self, *, ok: bool, errors: list[str]) -> None:
        with self._changed:
            self.seq += 1
            if ok:
                self.good = f"{self._boot}-{self.seq}"
            self.ok, self.errors = ok, errors
            self._changed.notify_all()

    def opened(self, change: int) -> None:
        """An event stream opened (`change` 1) or closed (-1)."""
        with self._changed:
            self.streams += change
            self.connects += max(change, 0)
            self.returns += max(change, 0)
            self._changed.notify_all()

    def shown(self) -> None:
        """An open page says it shows a new build (patched in place, without a reload)."""
        with self._changed:
            self.returns += 1
            self._changed.notify_all()

    def reloaded(self, returns: int, timeout: float) -> bool:
        """Wait until a page has come back since `returns` was read: reloaded (it opens an
        event stream once it has been read and its scripts run) or patched (`shown`), at most
        `timeout` seconds; whether one has."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.returns > returns, timeout)
            return self.returns > returns

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


class _Server(ThreadingHTTPServer):
    """One thread a connection, at most `MAX_CONNECTIONS` at once: one more is closed at once
    (a page open in a few tabs holds a few event streams; 300 idle sockets must not make 300
    threads)."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: closed, not queued
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

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

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(IDLE_TIMEOUT)  # a half-sent request is not waited for

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
        elif path == SHOWN:
            self.state.shown()
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
        elif path in ("/", "/brief.html"):
            build = self.state.good  # read before the file, so a newer file only reloads again
            page = read_output(self.directory, "brief.html", self.inside) or PLACEHOLDER
            self._send(inject(page, build), SERVED["brief.html"])
        elif path.startswith("/") and (kind := outputs.served(path[1:])) is not None:
            folder, _, name = path[1:].rpartition("/")  # "claims/ID.svg": one folder down
            body = read_output(self.directory / folder, name, self.inside, top=self.directory)
            if body is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not built (yet)")
            else:
                self._send(body, kind)
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
        self.state.opened(1)
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
        finally:
            self.state.opened(-1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build results."""


def _abs(path: Path) -> Path:
    return path.resolve()  # as validation names the inputs: real paths
