"""The app layer (`argmap.app`), the output registry, and what they promise: the same bytes
however the build is run (one core or two, build or watch, cache or not), the layout cache
read as untrusted input, and the watch server's limits, over real sockets on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap import app, outputs
from argmap.render import cache as cache_reader
from argmap.render import layout
from argmap.report import Reporter
from tests.conftest import REPO, run_argmap

pytestmark = pytest.mark.needs_dot
HAS_DOT = shutil.which("dot") is not None
STEP = 30.0  # seconds: only stops a hang; no assertion is about how long anything took


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    folder = tmp_path / "map"
    folder.mkdir()
    shutil.copy(REPO / "claims.yaml", folder / "claims.yaml")
    shutil.copytree(REPO / "sources", folder / "sources")
    return folder


def files_of(out: Path) -> dict[str, bytes]:
    """Every output under `out` by its relative name (the cache left out)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and app.PROJECT.cache not in p.relative_to(out).parts
    }


def build(seed: Path, out: str, **options: object) -> app.Built:
    return app.build(app.Options(seed / "claims.yaml", out_dir=seed / out, **options))  # type: ignore[arg-type]


# --- the app layer and the registry -----------------------------------------------------------


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_build_returns_what_it_wrote(seed: Path) -> None:
    built = app.build(app.Options(seed / "claims.yaml"))
    assert built.out_dir == seed / "out"
    assert built.brief == seed / "out" / "brief.html"
    assert {p.name for p in built.written} >= {"argmap.json", "brief.html", "argmap.png"}
    assert built.problem is None and built.checked.pivotal is not None
    assert sum(built.counts.values()) == len(built.checked.evaluation.verdicts)


def test_open_gives_the_map_as_plain_data(seed: Path) -> None:
    import argmap

    data = argmap.open(seed / "claims.yaml")
    assert data == json.loads(json.dumps(data)), "plain Python data"
    assert data["format"] == "argmap/1"
    assert not (seed / "out").exists(), "open writes nothing"


def test_the_registry_feeds_the_cli_render_and_watch() -> None:
    from argmap import cli, render, watch

    assert render.OUTPUTS == outputs.NAMES
    assert cli.EXPORTS == {"json": "argmap.json", "dot": "argmap.dot", "svg": "argmap.svg"} | {
        "png": "argmap.png",
        "html": "brief.html",
    }
    folders = (outputs.CLAIMS, outputs.OVERVIEW)
    assert set(watch.SERVED) == {n for n in outputs.NAMES if n not in folders}
    assert outputs.needs(["argmap.json"]) == {"pivotal"}
    assert "pivotal" not in outputs.needs(["argmap.svg"])


# --- the same bytes however it is built ---------------------------------------------------------


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_one_core_and_two_give_the_same_bytes(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "_cpus", lambda: 1)
    build(seed, "one", cache=False)
    monkeypatch.setattr(layout, "_cpus", lambda: 2)
    build(seed, "two", cache=False)
    monkeypatch.setattr(layout, "_cpus", lambda: 5)  # claim pictures batched 5 ways
    build(seed, "five", cache=False)
    one = files_of(seed / "one")
    assert len([n for n in one if n.startswith("claims/")]) >= 2
    assert one == files_of(seed / "two") == files_of(seed / "five")


@pytest.mark.skipif(not HAS_DOT or shutil.which("taskset") is None, reason="needs dot and taskset")
def test_a_build_pinned_to_one_core_matches_one_on_every_core(seed: Path) -> None:
    every = run_argmap("build", "-o", "every", "--no-cache", cwd=seed)
    assert every.returncode == 0, every.stderr
    pinned = subprocess.run(
        [
            *("taskset", "-c", "0", sys.executable, "-m", "argmap"),
            "build",
            "-o",
            "pinned",
            "--no-cache",
        ],
        cwd=seed,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert pinned.returncode == 0, pinned.stderr
    assert files_of(seed / "every") == files_of(seed / "pinned")


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_with_and_without_the_cache_give_the_same_bytes(seed: Path) -> None:
    build(seed, "out")  # fills out/.cache
    first = files_of(seed / "out")
    build(seed, "out")  # every picture from the cache
    assert files_of(seed / "out") == first
    build(seed, "fresh", cache=False)
    assert files_of(seed / "fresh") == first


# --- the layout cache is untrusted input ----------------------------------------------------------


def planted(svg: bytes) -> bytes:
    """A cache entry with the right lengths and hashes around `svg`."""
    return cache_reader.encode(cache_reader.LaidOut({"svg": svg}, ()))


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_a_crafted_entry_with_a_script_is_a_miss(seed: Path) -> None:
    build(seed, "out")
    entries = sorted((seed / "out" / ".cache").iterdir())
    clean = {e: e.read_bytes() for e in entries}
    for entry, data in clean.items():
        found = cache_reader.decode(data, ("svg", "png"))
        assert found is not None
        if "svg" in found.files:
            svg = found.files["svg"]
            evil = svg.replace(b"</svg>", b"<script>alert(1)</script></svg>")
            files = dict(found.files, svg=evil)
            entry.write_bytes(cache_reader.encode(cache_reader.LaidOut(files, found.notes)))
    built = build(seed, "out")
    for name, data in files_of(seed / "out").items():
        assert b"<script>alert" not in data, name
    notes = [n for n in built.notes if "layout cache" in n]
    assert len(notes) == 1 and "markup" in notes[0], built.notes


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_entries_that_are_links_or_fifos_are_misses(seed: Path) -> None:
    build(seed, "out")
    entries = sorted((seed / "out" / ".cache").iterdir())
    assert len(entries) >= 3
    entries[0].unlink()
    entries[0].symlink_to("/dev/zero")  # read without a cap, it was 1.3 GB then exit 70
    entries[1].unlink()
    os.mkfifo(entries[1])  # opened blocking, it stopped the build for ever
    entries[2].write_bytes(b"x" * 10)
    before = files_of(seed / "out")
    built = build(seed, "out")  # returns: no read blocks, none is unbounded
    assert files_of(seed / "out") == before
    (note,) = [n for n in built.notes if "layout cache" in n]
    assert "links" in note and "not regular files" in note, note


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_a_cache_folder_that_is_a_link_is_not_used(seed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone's file")
    old = elsewhere / ("0" * 64 + ".layout")
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    (seed / "out").mkdir()
    (seed / "out" / ".cache").symlink_to(elsewhere)
    built = build(seed, "out")
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(["keep.txt", old.name])
    (note,) = [n for n in built.notes if "layout cache" in n]
    assert "is a link" in note


def test_pruning_deletes_only_entries_argmap_names(tmp_path: Path) -> None:
    from argmap.write.cache import keep_layouts

    folder = tmp_path / "cache"
    folder.mkdir()
    theirs = [folder / "notes.txt", folder / "A.layout", folder / ("f" * 63 + ".layout")]
    for path in theirs:
        path.write_bytes(b"x" * 100)
        os.utime(path, (0, 0))
    ours = folder / ("a" * 64 + ".layout")
    ours.write_bytes(b"x" * 100)
    os.utime(ours, (0, 0))
    drawn = layout.Drawn()
    import argmap.write.cache as writer

    old = writer.CACHE_BYTES
    writer.CACHE_BYTES = 1  # type: ignore[misc]
    try:
        keep_layouts(folder, drawn)
    finally:
        writer.CACHE_BYTES = old  # type: ignore[misc]
    assert not ours.exists()
    assert all(p.exists() for p in theirs)


def test_the_svg_check_refuses_what_the_cleaner_would_remove() -> None:
    head = b'<?xml version="1.0"?>\n<!-- Generated by graphviz -->\n'
    ns = b'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ok = head + b"<svg " + ns + b'><g id="graph0"><a xlink:href="claims/a.svg"/></g></svg>'
    assert cache_reader.is_clean_svg(ok)
    for bad in (
        ok.replace(b"<g ", b'<g onload="x()" '),
        ok.replace(b"claims/a.svg", b"javascript:x()"),
        ok.replace(b"</svg>", b"<foreignObject/></svg>"),
        ok.replace(b"<!-- Generated by graphviz -->", b"<!-- a --><script>x()</script><!-- b -->"),
        ok.replace(b"<?xml", b'<!DOCTYPE svg [<!ENTITY e "x">]><?xml'),
        ok + b"<script>x()</script>",
        ok.replace(b"<g ", b'<g style="x" '),
    ):
        assert not cache_reader.is_clean_svg(bad), bad


# --- watch: the same files, every claim's picture, and the server's limits ------------------


@pytest.fixture
def watching(seed: Path) -> Iterator[tuple[str, Path]]:
    pytest.importorskip("watchfiles")
    from argmap.watch import watch

    ready = threading.Event()
    stop = threading.Event()
    url: list[str | None] = []

    def once_ready(found: str | None) -> None:
        url.append(found)
        ready.set()

    thread = threading.Thread(
        target=watch,
        args=(seed / "claims.yaml", None),
        kwargs={"port": 0, "templates": None, "once_ready": once_ready, "stop": stop}
        | {"listener": Reporter()},
        daemon=True,
    )
    thread.start()
    assert ready.wait(STEP * 4), "watch never became ready"
    assert url[0] is not None
    try:
        yield url[0], seed
    finally:
        stop.set()
        thread.join(STEP)


def get(url: str, path: str) -> tuple[int, bytes]:
    import http.client

    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=STEP)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not on PATH")
def test_watch_writes_what_build_writes_and_serves_every_claim(
    watching: tuple[str, Path],
) -> None:
    url, seed = watching
    pictures = sorted((seed / "out" / "claims").iterdir())
    assert pictures
    for picture in pictures:
        status, body = get(url, f"/claims/{picture.name}")
        assert status == 200, picture.name
        assert body == picture.read_bytes()
    assert get(url, "/claims/no-such-claim.svg")[0] == 404
    assert get(url, "/claims/../argmap.svg")[0] == 404
    built = run_argmap("build", "-o", "built", cwd=seed)
    assert built.returncode == 0, built.stderr
    watched = files_of(seed / "out")
    for _ in range(int(STEP * 10)):  # the PNG comes after the page: wait for it (bounded)
        if "argmap.png" in watched:
            break
        threading.Event().wait(0.1)
        watched = files_of(seed / "out")
    assert watched == files_of(seed / "built")


def test_connections_served_at_once_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap import watch

    monkeypatch.setattr(watch.server, "MAX_CONNECTIONS", 3)
    state = watch.State()
    server = watch.serve(tmp_path, 0, state)
    port = server.server_port
    try:
        half = []
        for _ in range(3):
            s = socket.create_connection((watch.HOST, port), timeout=STEP)
            s.sendall(b"GET /brief.html HTTP/1.1\r\nHost: 127")  # and never the rest
            half.append(s)
        extra = socket.create_connection((watch.HOST, port), timeout=STEP)
        extra.sendall(b"GET /brief.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert extra.recv(100) == b"", "the fourth at once is closed, not served"
        extra.close()
        for s in half:
            s.close()  # their threads end, and free their places
        for _ in range(200):  # bounded: the server notices the closes soon
            try:
                status, _ = get(f"http://{watch.HOST}:{port}/", "/brief.html")
                break
            except (ConnectionError, OSError):
                threading.Event().wait(0.05)
        assert status == 200
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def test_a_half_sent_request_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap import watch

    monkeypatch.setattr(watch.server, "IDLE_TIMEOUT", 0.2)
    state = watch.State()
    server = watch.serve(tmp_path, 0, state)
    try:
        s = socket.create_connection((watch.HOST, server.server_port), timeout=STEP)
        s.sendall(b"GET /brief.html HTTP/1.1\r\nHost: 127")  # and never the rest
        chunks = [s.recv(4096) for _ in range(3)]  # each returns; b"" once the server closes
        assert b"" in chunks, "the server gave up on the half-sent request"
        s.close()
    finally:
        state.close()
        server.shutdown()
        server.server_close()
