"""Issue 18's cases against `argmap watch`'s server, rebuilt from their description with real
sockets on 127.0.0.1: "`argmap watch` keeps every half-sent connection open forever (300 idle
connections: 303 threads)"."""

from __future__ import annotations

import http.client
import select
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from argmap import watch

STEP = 30.0  # seconds: only stops a hang; no assertion is about how long anything took


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    (tmp_path / "brief.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    state = watch.State()
    server = watch.serve(tmp_path, 0, state)
    try:
        yield server.server_port
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def _closed(sockets: list[socket.socket]) -> int:
    """How many of `sockets` the server has closed (readable, and a read gives b"")."""
    readable, _, _ = select.select(sockets, [], [], 0)
    closed = 0
    for s in readable:
        try:
            closed += s.recv(1, socket.MSG_PEEK) == b""
        except ConnectionError:
            closed += 1
    return closed


def _until(done: Callable[[], bool], what: str) -> None:
    """Poll `done()` (bounded by STEP: a hang stops the test, a slow machine does not)."""
    wait = threading.Event()
    for _ in range(int(STEP / 0.05)):
        if done():
            return
        wait.wait(0.05)
    raise AssertionError(what)


def _get(port: int) -> int:
    conn = http.client.HTTPConnection(watch.HOST, port, timeout=STEP)
    try:
        conn.request("GET", "/brief.html")
        return conn.getresponse().status
    finally:
        conn.close()


def test_300_idle_connections_make_no_more_threads_than_the_bound(
    served: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch.server, "IDLE_TIMEOUT", STEP * 4)  # none ends while counted
    before = threading.active_count()
    idle: list[socket.socket] = []
    try:
        for n in range(1, 301):
            idle.append(socket.create_connection((watch.HOST, served), timeout=STEP))
            if n % 4 == 0:  # a few at a time: past its listen queue (5) a connect waits 1 s
                _until(
                    lambda: threading.active_count() - before + _closed(idle) >= len(idle),
                    "the server took no more connections",
                )
        over = watch.server.MAX_CONNECTIONS
        _until(
            lambda: _closed(idle[over:]) == len(idle) - over,
            "the connections past the bound were not all closed",
        )
        assert threading.active_count() <= before + watch.server.MAX_CONNECTIONS
        assert _closed(idle[:over]) == 0  # served, and waited on
    finally:
        for s in idle:
            s.close()


def test_an_idle_connection_is_closed_and_frees_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch.server, "IDLE_TIMEOUT", 0.2)
    monkeypatch.setattr(watch.server, "MAX_CONNECTIONS", 2)
    (tmp_path / "brief.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    state = watch.State()
    server = watch.serve(tmp_path, 0, state)
    try:
        idle = [socket.create_connection((watch.HOST, server.server_port)) for _ in range(2)]
        half = idle[1]
        half.sendall(b"GET /brief.html HTTP/1.1\r\nHost: 127.0")  # and never the rest
        _until(lambda: _closed(idle) == len(idle), "an idle one stayed open")
        for s in idle:
            s.close()
        _until(lambda: _get_or_none(server.server_port) == 200, "no place was freed")
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def _get_or_none(port: int) -> int | None:
    try:
        return _get(port)
    except (ConnectionError, http.client.HTTPException):
        return None  # the server closed it: its places are still taken
