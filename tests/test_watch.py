"""`argmap watch`: real saves, a real watcher and a real server on 127.0.0.1, each step bounded
by a deadline; the watch runs in a thread and stops through its `stop` event."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import Exit, MissingTool, UsageError
from argmap.report import Reporter
from argmap.watch import SCRIPT, inject, watch

pytest.importorskip("watchfiles")

DEADLINE = 20.0  # seconds for any one step; a step normally takes well under one
MAP = """\
title: Watched map
claims:
  - id: first
    text: The first point.
rebuttals:
  - id: answer
    rebuts: first
    text: An answer to it.
"""


@dataclass
class Watching:
    map_path: Path
    out: Path
    url: str | None = None
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    result: list[int] = field(default_factory=list)

    def save(self, text: str) -> None:
        self.map_path.write_text(text, encoding="utf-8")

    def connect(self) -> http.client.HTTPConnection:
        assert self.url
        host, port = self.url.removeprefix("http://").rstrip("/").split(":")
        return http.client.HTTPConnection(host, int(port), timeout=DEADLINE)

    def get(self, path: str) -> bytes:
        conn = self.connect()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            assert response.status == 200, path
            return response.read()
        finally:
            conn.close()


POLLS = 3000  # how often wait_for looks before it gives up: at least a minute of 20 ms naps


def wait_for(what: str, ok: Callable[[], bool]) -> None:
    """Until `ok()`; a counted number of looks, not a clock window, only stops a hang."""
    for _ in range(POLLS):
        if ok():
            return
        time.sleep(0.02)
    pytest.fail(f"{what} did not happen in {POLLS} looks")


def built_title(w: Watching) -> str | None:
    try:
        title: str = json.loads((w.out / "argmap.json").read_text(encoding="utf-8"))["title"]
    except (OSError, ValueError):
        return None
    return title


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Watching]]:
    """Start `argmap watch` on a map in tmp_path; stopped and joined after the test."""
    runs: list[Watching] = []

    def run(text: str = MAP, *, serve: bool = True, default_out: bool = False) -> Watching:
        w = Watching(tmp_path / "claims.yaml", tmp_path / "out")
        w.save(text)
        ready = threading.Event()

        def once_ready(url: str | None) -> None:
            w.url = url
            ready.set()

        def target() -> None:
            port = 0 if serve else None  # 0: any free port
            out = None if default_out else w.out  # None: out/ beside the map, kept inside
            code = watch(w.map_path, out, port=port, templates=None, once_ready=once_ready,
                         stop=w.stop, listener=Reporter())  # fmt: skip
            w.result.append(code)

        w.thread = threading.Thread(target=target, daemon=True)
        w.thread.start()
        runs.append(w)
        assert ready.wait(DEADLINE), "watch never became ready"
        return w

    yield run
    for w in runs:
        w.stop.set()
        assert w.thread
        w.thread.join(DEADLINE)
        assert not w.thread.is_alive(), "watch did not stop"
        assert w.result == [Exit.OK]


def test_a_save_rebuilds(start: Callable[..., Watching]) -> None:
    w = start(serve=False)
    assert w.url is None
    assert built_title(w) == "Watched map"
    w.save(MAP.replace("Watched map", "Saved again"))
    wait_for("the rebuild", lambda: built_title(w) == "Saved again")


def test_an_invalid_save_reports_and_keeps_watching(
    start: Callable[..., Watching], capsys: pytest.CaptureFixture[str]
) -> None:
    w = start(serve=False)
    before = (w.out / "brief.html").read_bytes()
    seen: list[str] = []

    def printed(text: str) -> Callable[[], bool]:
        def check() -> bool:
            out = capsys.readouterr()
            seen.append(out.out + out.err)
            return text in "".join(seen)

        return check

    w.save(MAP.replace("text: The first point.", "txt: The first point."))
    wait_for("the error", printed("claim 'first' has a field 'txt' that the format does not know"))
    assert "did you mean 'text'?" in "".join(seen)
    assert w.thread
    assert w.thread.is_alive()
    assert (w.out / "brief.html").read_bytes() == before  # the last good output stays
    w.save(MAP.replace("Watched map", "Fixed"))
    wait_for("the rebuild after the fix", lambda: built_title(w) == "Fixed")
    wait_for("the paths written", printed("wrote "))


QUOTED = (
    MAP.replace(
        "    text: The first point.\n",
        "    text: The first point.\n    quote: the first point\n    source: notes\n",
    )
    + "sources:\n  - id: notes\n    title: Notes\n    file: notes/notes.txt\n"
)


@pytest.mark.parametrize("folder_exists", [True, False])
def test_a_save_of_a_source_file_rebuilds(
    start: Callable[..., Watching], tmp_path: Path, folder_exists: bool
) -> None:
    notes = tmp_path / "notes" / "notes.txt"
    if folder_exists:
        notes.parent.mkdir()
        notes.write_text("Other words entirely.\n", encoding="utf-8")
    w = start(QUOTED.replace("Watched map", "Quoted"))
    assert built_title(w) is None  # the quote is not in the file, or there is no file
    notes.parent.mkdir(exist_ok=True)
    notes.write_text("This is the first point.\n", encoding="utf-8")
    wait_for("the rebuild after the source was fixed", lambda: built_title(w) == "Quoted")


def test_a_new_templates_folder_and_a_template_save_rebuild(
    start: Callable[..., Watching], tmp_path: Path
) -> None:
    w = start()
    brief = w.out / "brief.html"
    template = tmp_path / "templates" / "brief.html.j2"
    template.parent.mkdir()
    template.write_text("<p>custom: {{ argmap.title }}</p>\n", encoding="utf-8")
    wait_for("the override", lambda: b"custom: Watched map" in brief.read_bytes())
    template.write_text("<p>edited: {{ argmap.title }}</p>\n", encoding="utf-8")
    wait_for("the edited template", lambda: b"edited: Watched map" in brief.read_bytes())


def test_the_served_brief_has_the_script_and_the_file_on_disk_does_not(
    start: Callable[..., Watching],
) -> None:
    w = start()
    assert w.url
    assert w.url.startswith("http://127.0.0.1:")
    served = w.get("/")
    on_disk = (w.out / "brief.html").read_bytes()
    assert SCRIPT.encode() not in on_disk
    assert served.count(SCRIPT.encode()) == 1
    assert served.replace(served[served.index(b"<script src=") :], b"") in widened(on_disk)
    # The page's policy lets the live-reload script and its event stream in, on the server only.
    assert b"script-src 'self' 'sha256-" in served
    assert b"connect-src 'self'" in served
    assert b"'self'" not in on_disk
    assert w.get("/brief.html") == served
    assert b"EventSource" in w.get(SCRIPT)
    assert w.get("/argmap.json") == (w.out / "argmap.json").read_bytes()


def widened(page: bytes) -> bytes:
    """The page on disk with the policy the server adds (see `argmap.render.csp.widen`)."""
    return page.replace(b"form-action 'none'", b"form-action 'none'; connect-src 'self'").replace(
        b"script-src ", b"script-src 'self' ", 1
    )


def test_the_server_refuses_other_host_names(start: Callable[..., Watching]) -> None:
    w = start()
    conn = w.connect()
    conn.request("GET", "/", headers={"Host": "attacker.example"})
    assert conn.getresponse().status == 403
    conn.close()


def status(w: Watching, path: str) -> tuple[int, bytes]:
    conn = w.connect()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


SECRET = b"secret words from outside the map"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the map's, holding files named like argmap's outputs and a secret."""
    folder = tmp_path_factory.mktemp("outside")
    for name in ("secret.txt", "argmap.json", "brief.html", "argmap.svg"):
        (folder / name).write_bytes(SECRET)
    return folder


def test_the_server_serves_only_the_files_argmap_writes(
    start: Callable[..., Watching], outside: Path
) -> None:
    w = start()
    (w.out / "x").symlink_to(outside / "secret.txt")
    (w.out / "root").symlink_to("/", target_is_directory=True)
    (w.out / "sub").mkdir()
    (w.out / "sub" / "secret.txt").write_bytes(SECRET)
    (w.out / "notes.txt").write_bytes(SECRET)
    (w.out / "argmap.dot").unlink()
    (w.out / "argmap.dot").symlink_to(outside / "secret.txt")  # an output swapped for a link
    for path in (
        "/x",
        "/root",
        "/root/",
        "/root/etc/passwd",
        "/sub",
        "/sub/",
        "/sub/secret.txt",
        "/notes.txt",
        "/argmap.dot",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "//etc/passwd",
        "/./argmap.json",
        "/argmap.json/",
        "/.argmap.lock",
        "/__argmap/",
    ):
        code, body = status(w, path)
        assert code == 404, path
        assert SECRET not in body, path
        assert b"Directory listing" not in body, path
    assert status(w, "/argmap.json") == (200, (w.out / "argmap.json").read_bytes())
    assert status(w, "/argmap.svg") == (200, (w.out / "argmap.svg").read_bytes())
    page = w.get("/")
    assert b"Watched map" in page
    assert b"Directory listing" not in page


def test_a_brief_that_is_a_link_is_not_served(
    start: Callable[..., Watching], tmp_path: Path, outside: Path
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "brief.html").symlink_to(outside / "brief.html")
    w = start("claims: []\n")  # invalid: nothing is built, the link stays
    page = w.get("/")
    assert SECRET not in page
    assert b"No brief yet" in page
    assert SECRET not in w.get("/brief.html")


def test_a_default_out_folder_swapped_for_a_link_out_is_not_served(
    start: Callable[..., Watching], outside: Path
) -> None:
    w = start(default_out=True)
    assert w.get("/argmap.json") == (w.out / "argmap.json").read_bytes()
    moved = w.out.with_name("moved")
    w.out.rename(moved)
    w.out.symlink_to(outside, target_is_directory=True)
    assert status(w, "/argmap.json")[0] == 404
    assert SECRET not in w.get("/")
    assert SECRET not in status(w, "/argmap.svg")[1]


def events(w: Watching) -> Iterator[dict[str, Any]]:
    """The data of each Server-Sent Event from the watch, read with a deadline."""
    conn = w.connect()
    conn.request("GET", "/__argmap/events")
    response = conn.getresponse()
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    try:
        while line := response.readline():
            if line.startswith(b"data: "):
                yield json.loads(line.removeprefix(b"data: "))
    finally:
        conn.close()


def test_events_follow_each_build(start: Callable[..., Watching]) -> None:
    w = start()
    stream = events(w)
    first = next(stream)
    assert first["ok"]
    assert first["good"]
    assert first["errors"] == []
    w.save(MAP.replace("Watched map", "Second"))
    second = next(stream)
    assert second["ok"]
    assert second["good"] != first["good"]
    # the event comes once the page is written (the outputs it does not read follow it)
    assert "<title>Second · argmap brief</title>" in (w.out / "brief.html").read_text("utf-8")
    w.save("title: [unclosed\n")
    third = next(stream)
    assert not third["ok"]
    assert third["good"] == second["good"]
    assert any("not valid YAML" in line for line in third["errors"])
    assert SCRIPT.encode() in w.get("/")  # the last good brief, which will show the errors


def test_before_any_good_build_a_placeholder_is_served(start: Callable[..., Watching]) -> None:
    w = start("claims: []\n")
    page = w.get("/")
    assert b"No brief yet" in page
    assert SCRIPT.encode() in page
    state = next(events(w))
    assert not state["ok"]
    assert state["good"] == ""
    assert any("missing 'title'" in line for line in state["errors"])


def test_without_watchfiles_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # import now raises ImportError
    with pytest.raises(MissingTool, match=r"-m pip install 'watchfiles>=0.21'") as raised:
        watch(tmp_path / "claims.yaml", tmp_path / "out", port=None, templates=None)
    assert int(raised.value.exit) == 3
    # the pip of the Python argmap runs in (a bare `pip` may be another Python's)
    assert f"{sys.executable} -m pip" in str(raised.value)
    assert "make watch" in str(raised.value)


def test_a_missing_map_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no such file.*argmap new"):
        watch(tmp_path / "claims.yaml", tmp_path / "out", port=None, templates=None)


def test_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(MAP, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"127.0.0.1:{port}.*--port"):
            watch(tmp_path / "claims.yaml", tmp_path / "out", port=port, templates=None)


def test_inject_puts_the_script_before_the_last_body_end() -> None:
    assert inject(b"<body>a</body>b</body>", "x").endswith(
        b'b<script src="/__argmap/live.js" data-build="x"></script></body>'
    )
    assert inject(b"no body", "x").startswith(b"no body<script")


@pytest.mark.browser
def test_the_browser_reloads_and_shows_errors(start: Callable[..., Watching], browser: Any) -> None:
    w = start()
    assert w.url
    page = browser.new_page()
    try:
        page.set_default_timeout(DEADLINE * 1000)
        page.goto(w.url)
        page.get_by_text("Watched map").first.wait_for()
        w.save(MAP.replace("text: The first point.", "text: true"))
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "'text' of claim 'first' should be text" in alert.inner_text()
        w.save(MAP.replace("Watched map", "Reloaded by itself"))
        page.get_by_text("Reloaded by itself").first.wait_for()
        assert page.get_by_role("alert").count() == 0
    finally:
        page.close()


def test_a_save_that_changes_no_picture_runs_no_dot(
    start: Callable[..., Watching], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watch keeps layouts in out/.cache: a save that leaves every picture's DOT as it was
    (here: a new summary, which no picture shows) lays nothing out again."""
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not on PATH")
    log = tmp_path / "dot-runs.log"
    wrapper = tmp_path / "bin" / "dot"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec {dot} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    w = start(serve=False)
    runs = [line for line in log.read_text().splitlines() if "-V" not in line]
    assert runs, "the first build lays the pictures out"
    assert (w.out / ".cache").is_dir()
    w.save(MAP.replace("claims:", "summary: A new summary.\nclaims:"))
    wait_for("the rebuild", lambda: b"A new summary." in (w.out / "argmap.json").read_bytes())
    again = [line for line in log.read_text().splitlines() if "-V" not in line]
    assert again == runs, "no picture changed: no dot run"
    w.save(MAP.replace("An answer to it.", "A new answer to it."))
    wait_for("the rebuild", lambda: b"A new answer" in (w.out / "argmap.json").read_bytes())
    assert len([ln for ln in log.read_text().splitlines() if "-V" not in ln]) > len(runs)


LONG = "The first point, " + "said at length and with care, " * 6 + "ends here."


@pytest.mark.browser
def test_a_save_of_words_is_patched_into_the_open_page(
    start: Callable[..., Watching], browser: Any
) -> None:
    """A save that changes only words (and the pictures' tooltips) is written into the open
    page without a reload: the page keeps its place, shows the new words, and its search
    finds them; a save that adds a card reloads the page. Either way the file on disk is the
    one `argmap build` writes."""
    w = start(MAP.replace("The first point.", LONG))
    assert w.url
    page = browser.new_page()
    read: list[str] = []
    page.on("request", lambda r: read.append(r.url) if r.resource_type == "fetch" else None)
    try:
        page.set_default_timeout(DEADLINE * 1000)
        page.goto(w.url)
        page.get_by_text("Watched map").first.wait_for()
        wait_for("the page reads itself as served", lambda: page.wait_for_timeout(20) or bool(read))
        opened = page.evaluate("performance.timeOrigin")
        w.save(MAP.replace("The first point.", LONG.replace("ends here.", "ends reworded.")))
        page.get_by_text("ends reworded.").first.wait_for()
        assert page.evaluate("performance.timeOrigin") == opened, "patched, not reloaded"
        page.fill("#f_search", "reworded")
        page.wait_for_function("document.getElementById('f_count').textContent !== ''")
        assert page.locator("#f_none").is_hidden(), "the search reads the new words"
        w.save(MAP.replace("claims:", "claims:\n  - id: second\n    text: A second point."))
        page.get_by_text("A second point.").first.wait_for()
        assert page.evaluate("performance.timeOrigin") != opened, "a new card: reloaded"
    finally:
        page.close()


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><p id="words">{words}</p>
<figure><svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">{boxes}</svg></figure>
<div class="canvas"><svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20pt">
<g id="main"><text>main</text></g></svg></div></body></html>"""


@pytest.mark.browser
def test_the_live_script_patches_swaps_a_picture_and_reloads_for_the_diagrams_size(
    tmp_path: Path, browser: Any
) -> None:
    """Words change in place; a claim's picture of other boxes is swapped whole; a new size
    of the zoomable diagram (which the page's script measured as it opened) reloads."""
    from argmap.watch import State, serve

    out = tmp_path / "out"
    out.mkdir()

    def write(words: str, boxes: int, width: str = "20pt") -> None:
        shapes = "".join(f'<g class="box"><text>box {n}</text></g>' for n in range(boxes))
        page = PAGE.format(words=words, boxes=shapes, width=width)
        (out / "brief.html").write_text(page, encoding="utf-8")

    write("first words", 1)
    state = State()
    state.publish(ok=True, errors=[])
    server = serve(out, 0, state)
    page = browser.new_page()
    read: list[str] = []
    page.on("request", lambda r: read.append(r.url) if r.resource_type == "fetch" else None)
    try:
        page.set_default_timeout(DEADLINE * 1000)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        wait_for("the page reads itself as served", lambda: page.wait_for_timeout(20) or bool(read))
        opened = page.evaluate("performance.timeOrigin")
        page.evaluate("document.querySelector('figure svg').dataset.old = 'yes'")
        write("new words", 1)
        back = state.returns
        state.publish(ok=True, errors=[])
        page.get_by_text("new words").wait_for()
        assert state.reloaded(back, DEADLINE), "the page says it shows the build"
        assert page.evaluate("document.querySelector('figure svg').dataset.old") == "yes"
        write("new words", 3)  # the claim's picture: two boxes more
        state.publish(ok=True, errors=[])
        page.get_by_text("box 2").wait_for()
        assert page.evaluate("document.querySelector('figure svg').dataset.old") is None
        assert page.evaluate("performance.timeOrigin") == opened, "swapped, not reloaded"
        write("new words", 3, width="40pt")
        state.publish(ok=True, errors=[])
        page.wait_for_function(f"performance.timeOrigin !== {opened}")
        assert page.locator(".canvas svg").get_attribute("width") == "40pt"
    finally:
        page.close()
        state.close()
        server.shutdown()
        server.server_close()
